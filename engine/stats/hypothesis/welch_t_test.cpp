// Welch's unequal-variance t test; estimate: mean difference, treatment minus control.
#include "engine/stats/welch_t.hpp"

#include "engine/stats/hypothesis/hypothesis_test.hpp"

namespace vtrial {
namespace {

class WelchTest final : public HypothesisTest {
 public:
  DataKind reads() const override { return DataKind::continuous; }
  std::string_view estimate_name() const override { return "mean_difference"; }
  TestResult run(const TwoSampleData& d) override {
    // The CI is not reported; skipping its t quantile halves the test's cost (same p-value).
    const WelchResult w = welch_t_test(d.control_values, d.treatment_values, /*confidence_interval=*/false);
    return {w.p_value, w.mean_difference};
  }
  std::unique_ptr<HypothesisTest> clone() const override { return std::make_unique<WelchTest>(*this); }
};

}  // namespace

std::unique_ptr<HypothesisTest> make_welch_t_test() { return std::make_unique<WelchTest>(); }

}  // namespace vtrial
