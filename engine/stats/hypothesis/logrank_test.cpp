// Log-rank test (hypergeometric variance with ties, as R's survdiff); estimate: the O/E hazard
// ratio exp(O-E / V), treatment vs control.
#include "engine/stats/logrank.hpp"

#include <cmath>

#include "engine/stats/hypothesis/hypothesis_test.hpp"

namespace vtrial {
namespace {

class LogRankTest final : public HypothesisTest {
 public:
  DataKind reads() const override { return DataKind::time_to_event; }
  std::string_view estimate_name() const override { return "hazard_ratio"; }
  TestResult run(const TwoSampleData& d) override {
    const LogRankResult r = log_rank_test(d.time, d.event, d.group, workspace_);
    return {r.p_value, std::exp(r.log_hazard_ratio)};
  }
  std::unique_ptr<HypothesisTest> clone() const override { return std::make_unique<LogRankTest>(*this); }

 private:
  LogRankWorkspace workspace_;
};

}  // namespace

std::unique_ptr<HypothesisTest> make_logrank_test() { return std::make_unique<LogRankTest>(); }

}  // namespace vtrial
