// Cox proportional hazards on the arm (Efron ties, as R's coxph): the Wald and the
// likelihood-ratio test read the same fit, made once per trial and comparison. Estimate: the
// hazard ratio exp(beta), treatment vs control. A fit that does not exist (no events) gives p = 1.
#include <cmath>

#include "engine/stats/hypothesis/hypothesis_test.hpp"

namespace vtrial {
namespace {

class CoxTest final : public HypothesisTest {
 public:
  explicit CoxTest(bool likelihood_ratio) : likelihood_ratio_(likelihood_ratio) {}
  DataKind reads() const override { return DataKind::time_to_event; }
  std::string_view estimate_name() const override { return "hazard_ratio"; }
  TestResult run(const TwoSampleData& d) override {
    CoxResult own;
    const CoxResult* fit = &own;
    if (d.fits) {
      if (!d.fits->cox_valid) d.fits->cox = cox_ph(d.time, d.event, d.group, workspace_);
      d.fits->cox_valid = true;
      fit = &d.fits->cox;
    } else {
      own = cox_ph(d.time, d.event, d.group, workspace_);
    }
    const double p = likelihood_ratio_ ? fit->lr_p : fit->wald_p;
    return {std::isnan(p) ? 1.0 : p, std::exp(fit->log_hazard_ratio)};
  }
  std::unique_ptr<HypothesisTest> clone() const override { return std::make_unique<CoxTest>(*this); }

 private:
  bool likelihood_ratio_;
  CoxWorkspace workspace_;
};

}  // namespace

std::unique_ptr<HypothesisTest> make_cox_wald_test() { return std::make_unique<CoxTest>(false); }
std::unique_ptr<HypothesisTest> make_cox_lr_test() { return std::make_unique<CoxTest>(true); }

}  // namespace vtrial
