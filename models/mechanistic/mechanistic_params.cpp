#include "models/mechanistic/mechanistic_params.hpp"

#include "engine/settings.hpp"

namespace vtrial {

MechanisticParams read_mechanistic_params(Settings& s) {
  MechanisticParams p;
  p.il2_effect_scale = s.real("mechanistic.il2.effect_scale", p.il2_effect_scale, Range::closed(0, 10));
  p.gcv_dose_mg_per_kg = s.real("mechanistic.gcv.dose_mg_per_kg", p.gcv_dose_mg_per_kg, Range::closed(0, 20));
  p.resistance_fraction = s.real("mechanistic.resistance.fraction", p.resistance_fraction, Range::probability());
  return p;
}

}  // namespace vtrial
