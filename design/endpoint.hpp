#pragma once
// An endpoint: a name, the outcome it reads, the test (a registry name, engine/stats/hypothesis)
// and the comparisons it tests, declared in the scenario's `endpoints:` list:
//
//   endpoints:
//     - name: negative_by_day28
//       outcome: time_to_negative     # a column the patient model declares it fills
//       test: fisher                  # read as binary: event observed by day 28
//       by_day: 28
//       comparisons: [il2 vs control] # default: every non-control arm against the control
//
// Options: `horizon_days` (time-to-event outcomes: administrative censoring at that day, e.g.
// a second log-rank on a shorter follow-up) and `by_day` (a time-to-event outcome read as the
// binary "event observed by that day").
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "design/arms.hpp"
#include "design/outcome.hpp"

namespace vtrial {

class Settings;

struct EndpointSpec {
  std::string name;
  std::string outcome;
  std::string test;
  std::vector<Comparison> comparisons;
  double horizon_days = std::numeric_limits<double>::infinity();
  double by_day = std::numeric_limits<double>::quiet_NaN();
  // Resolved against the declared outcomes.
  std::size_t outcome_index = 0;
  DataKind reads = DataKind::time_to_event;  // the kind the test receives
};

// A named endpoint a model offers when the scenario declares none (its catalog).
struct CatalogEndpoint {
  std::string name;
  std::string outcome;
  std::string test;
};

// Reads `endpoints:` when present, else takes `catalog`; resolves outcomes against `outcomes`
// and checks that each test reads the kind of data its outcome gives.
std::vector<EndpointSpec> read_endpoints(Settings& settings, const std::vector<OutcomeSpec>& outcomes,
                                         const std::vector<Arm>& arms, const std::vector<CatalogEndpoint>& catalog);

}  // namespace vtrial
