#pragma once
// Parameters of the mechanistic virtual patient (docs/model.md gives every default's source).
namespace vtrial {

class Settings;

struct MechanisticParams {
  double il2_effect_scale = 1.0;   // multiplies every effect of IL-2; 0 = IL-2 does nothing
  double gcv_dose_mg_per_kg = 5.0; // daily ganciclovir dose; 0 = untreated
  double resistance_fraction = 0.1;  // share of patients with resistant virus at baseline
};

MechanisticParams read_mechanistic_params(Settings& settings);

}  // namespace vtrial
