#pragma once
// What one arm of the trial gives a mechanistic patient: ganciclovir IV at a dose and interval,
// and optionally low-dose IL-2 SC at a dose and interval. The scenario's `arms:` (or its
// two-arm shorthand) gives one per arm, in the order of the arms.
#include <vector>

#include "models/mechanistic/mechanistic_params.hpp"

namespace vtrial {

struct MechanisticTreatment {
  double gcv_dose_mg_per_kg = 5;   // per day; 0 = no ganciclovir
  double gcv_interval_hours = 24;  // one infusion per interval, the daily dose split accordingly
  double il2_dose_miu = 0;         // per injection; 0 = no IL-2
  double il2_interval_days = 2;    // 1 MIU SC every other day in NCT06971913
};

// The two-arm shorthand of the registered trial: arm 0 ganciclovir alone, arm 1 ganciclovir
// and IL-2 at mechanistic.il2.dose_miu, both at mechanistic.gcv.{dose_mg_per_kg, interval_hours}.
inline std::vector<MechanisticTreatment> two_arm_treatments(const MechanisticParams& p) {
  const MechanisticTreatment control{.gcv_dose_mg_per_kg = p.gcv_dose_mg_per_kg,
                                     .gcv_interval_hours = p.gcv.interval_hours,
                                     .il2_dose_miu = 0,
                                     .il2_interval_days = p.il2.interval_days};
  MechanisticTreatment il2 = control;
  il2.il2_dose_miu = p.il2.dose_miu;
  return {control, il2};
}

}  // namespace vtrial
