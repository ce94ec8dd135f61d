// Fisher's exact test on a 2x2 table; estimate: difference in proportions, treatment minus
// control (NaN when an arm is empty).
#include <limits>

#include "engine/stats/fisher_exact.hpp"
#include "engine/stats/hypothesis/hypothesis_test.hpp"

namespace vtrial {
namespace {

class FisherTest final : public HypothesisTest {
 public:
  DataKind reads() const override { return DataKind::binary; }
  std::string_view estimate_name() const override { return "difference_in_proportions"; }
  TestResult run(const TwoSampleData& d) override {
    const double p =
        fisher_exact_test(d.treatment_successes, d.treatment_trials, d.control_successes, d.control_trials);
    const double diff = d.control_trials && d.treatment_trials ? double(d.treatment_successes) / d.treatment_trials -
                                                                     double(d.control_successes) / d.control_trials
                                                               : std::numeric_limits<double>::quiet_NaN();
    return {p, diff};
  }
  std::unique_ptr<HypothesisTest> clone() const override { return std::make_unique<FisherTest>(*this); }
};

}  // namespace

std::unique_ptr<HypothesisTest> make_fisher_test() { return std::make_unique<FisherTest>(); }

}  // namespace vtrial
