// Wilcoxon rank-sum (Mann-Whitney) test; estimate: W / (n_treatment n_control), the probability
// that a treated patient's value exceeds a control's (ties counted half). Empty arm: p = 1.
#include "engine/stats/wilcoxon.hpp"

#include <cmath>
#include <limits>

#include "engine/stats/hypothesis/hypothesis_test.hpp"

namespace vtrial {
namespace {

class WilcoxonTest final : public HypothesisTest {
 public:
  DataKind reads() const override { return DataKind::continuous; }
  std::string_view estimate_name() const override { return "p_treatment_greater"; }
  TestResult run(const TwoSampleData& d) override {
    if (d.treatment_values.empty() || d.control_values.empty()) return {1.0, std::numeric_limits<double>::quiet_NaN()};
    const WilcoxonResult w = wilcoxon_test(d.treatment_values, d.control_values, workspace_);
    const double pairs = static_cast<double>(d.treatment_values.size() * d.control_values.size());
    return {std::isnan(w.p_value) ? 1.0 : w.p_value, w.w / pairs};
  }
  std::unique_ptr<HypothesisTest> clone() const override { return std::make_unique<WilcoxonTest>(*this); }

 private:
  WilcoxonWorkspace workspace_;
};

}  // namespace

std::unique_ptr<HypothesisTest> make_wilcoxon_test() { return std::make_unique<WilcoxonTest>(); }

}  // namespace vtrial
