#include "design/endpoint.hpp"

#include <cmath>
#include <stdexcept>

#include "engine/settings.hpp"

namespace vtrial {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Resolves the outcome and the kind of data the test gets; fails at `at` + key otherwise.
void resolve(Settings& s, const std::string& at, EndpointSpec& e, const std::vector<OutcomeSpec>& outcomes) {
  std::vector<std::string> names;
  for (const auto& o : outcomes) names.push_back(o.name);
  std::size_t i = 0;
  while (i < outcomes.size() && outcomes[i].name != e.outcome) ++i;
  if (i == outcomes.size())
    s.fail(at + "outcome", "unknown outcome '" + e.outcome + "'; the patient models declare: " + joined(names));
  e.outcome_index = i;
  const DataKind kind = outcomes[i].kind;
  if (!std::isnan(e.by_day) && kind != DataKind::time_to_event)
    s.fail(at + "by_day",
           "applies to time-to-event outcomes; '" + e.outcome + "' is " + std::string(data_kind_name(kind)));
  if (std::isfinite(e.horizon_days) && kind != DataKind::time_to_event)
    s.fail(at + "horizon_days",
           "applies to time-to-event outcomes; '" + e.outcome + "' is " + std::string(data_kind_name(kind)));
  if (!std::isnan(e.by_day) && std::isfinite(e.horizon_days))
    s.fail(at + "by_day", "give by_day or horizon_days, not both (an event by day d needs no horizon)");
  e.reads = std::isnan(e.by_day) ? kind : DataKind::binary;
  const auto test = make_hypothesis_test(e.test);
  if (test->reads() != e.reads) {
    std::vector<std::string> fitting;
    for (const auto& name : hypothesis_test_names())
      if (make_hypothesis_test(name)->reads() == e.reads) fitting.push_back(name);
    s.fail(at + "test", "test '" + e.test + "' reads " + std::string(data_kind_name(test->reads())) + " data but '" +
                            e.outcome + "'" + (std::isnan(e.by_day) ? "" : " with by_day") + " gives " +
                            std::string(data_kind_name(e.reads)) + "; accepted: " + joined(fitting));
  }
}

}  // namespace

std::vector<EndpointSpec> read_endpoints(Settings& s, const std::vector<OutcomeSpec>& outcomes,
                                         const std::vector<Arm>& arms, const std::vector<CatalogEndpoint>& catalog) {
  std::vector<EndpointSpec> out;
  const std::size_t n = s.list_size("endpoints");
  if (n == 0) {
    for (const auto& c : catalog) {
      EndpointSpec e;
      e.name = c.name;
      e.outcome = c.outcome;
      e.test = c.test;
      e.comparisons = default_comparisons(arms);
      resolve(s, "endpoints", e, outcomes);
      out.push_back(e);
    }
    return out;
  }
  if (n > 200) s.fail("endpoints", "at most 200 endpoints, got " + std::to_string(n));
  std::vector<std::string> names;
  for (const auto& o : outcomes) names.push_back(o.name);
  const std::vector<std::string> tests = hypothesis_test_names();
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = "endpoints." + std::to_string(i) + ".";
    EndpointSpec e;
    e.name = s.text(at + "name", "");
    if (e.name.empty() || e.name.size() > 60 ||
        e.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
      s.fail(at + "name", "expected a name of lower-case letters, digits and '_' (at most 60), got '" + e.name + "'");
    for (const auto& other : out)
      if (other.name == e.name) s.fail(at + "name", "endpoint '" + e.name + "' is declared twice");
    e.outcome = s.choice(at + "outcome", outcomes.front().name, names);
    e.test = s.choice(at + "test", "logrank", tests);
    e.horizon_days = s.optional_real(at + "horizon_days", Range{0, 36500, true, false}).value_or(e.horizon_days);
    e.by_day = s.optional_real(at + "by_day", Range{0, 36500, true, false}).value_or(e.by_day);
    std::vector<std::string> labels;
    for (const auto& c : default_comparisons(arms)) labels.push_back(comparison_label(arms, c));
    const auto given = s.text_list(at + "comparisons", labels, {});
    if (given.empty()) s.fail(at + "comparisons", "name at least one comparison, e.g. '" + labels.front() + "'");
    for (const auto& text : given) {
      const Comparison c = parse_comparison(s, at + "comparisons", text, arms);
      for (const auto& seen : e.comparisons)
        if (seen == c) s.fail(at + "comparisons", "'" + text + "' is listed twice");
      e.comparisons.push_back(c);
    }
    resolve(s, at, e, outcomes);
    out.push_back(e);
  }
  return out;
}

}  // namespace vtrial
