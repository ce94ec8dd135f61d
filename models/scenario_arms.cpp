#include "models/scenario_arms.hpp"

#include <limits>
#include <stdexcept>

#include "design/randomization.hpp"
#include "engine/settings.hpp"

namespace vtrial {
namespace {

// `arms:` replaces these: giving both would leave one of them silently unused.
constexpr const char* kShorthandKeys[] = {"parametric.il2.hazard_ratio", "parametric.il2.nk_change_mean",
                                          "mechanistic.il2.dose_miu"};

MechanisticTreatment global_mechanistic(const MechanisticParams& m, double il2_dose_miu) {
  return {.gcv_dose_mg_per_kg = m.gcv_dose_mg_per_kg,
          .gcv_interval_hours = m.gcv.interval_hours,
          .il2_dose_miu = il2_dose_miu,
          .il2_interval_days = m.il2.interval_days};
}

}  // namespace

void read_arms_and_treatments(Settings& s, Scenario& sc) {
  sc.arms = read_arm_list(s);
  const auto& p = sc.parametric;
  if (sc.arms.empty()) {
    // Read here, not with the other mechanistic keys, so that a resolved scenario with `arms:`
    // does not carry it (and can be read again).
    sc.mechanistic.il2.dose_miu =
        s.real("mechanistic.il2.dose_miu", sc.mechanistic.il2.dose_miu, Range::closed(0, 100));  // protocol: 1 MIU
    // The shorthand: control (ganciclovir alone) and il2 (+ IL-2), 1:1, in this order: arm 0
    // is the control, as in every file written before `arms:` existed.
    sc.arms = {{"control", 1, true}, {"il2", 1, false}};
    sc.treatments = {
        {{1.0, p.control_nk_change_mean}, global_mechanistic(sc.mechanistic, 0)},
        {{p.il2_hazard_ratio, p.il2_nk_change_mean}, global_mechanistic(sc.mechanistic, sc.mechanistic.il2.dose_miu)}};
  } else {
    for (const char* key : kShorthandKeys)
      if (s.has(key)) s.fail(key, "belongs to the two-arm shorthand; with `arms:` give each arm's treatment instead");
    for (std::size_t i = 0; i < sc.arms.size(); ++i) {
      const std::string at = "arms." + std::to_string(i) + ".";
      ArmTreatment t;
      if (sc.arms[i].control) {
        for (const char* key : {"parametric.hazard_ratio", "parametric.nk_change_mean"})
          if (s.has(at + key))
            s.fail(at + key, "the control arm's parametric distributions are parametric.control.* (hazard ratio 1)");
        t.parametric = {1.0, p.control_nk_change_mean};
      } else {
        t.parametric.hazard_ratio = s.real(at + "parametric.hazard_ratio", 1.0, Range{0, 100, true, false});
        t.parametric.nk_change_mean =
            s.real(at + "parametric.nk_change_mean", p.control_nk_change_mean, Range::closed(-1e6, 1e6));
      }
      const MechanisticTreatment base = global_mechanistic(sc.mechanistic, 0);
      auto& m = t.mechanistic;
      m.gcv_dose_mg_per_kg =
          s.real(at + "mechanistic.gcv_dose_mg_per_kg", base.gcv_dose_mg_per_kg, Range::closed(0, 20));
      m.gcv_interval_hours =
          s.real(at + "mechanistic.gcv_interval_hours", base.gcv_interval_hours, Range::closed(6, 48));
      if (sc.mechanistic.gcv.infusion_hours >= m.gcv_interval_hours)
        s.fail(at + "mechanistic.gcv_interval_hours", "must be longer than mechanistic.gcv.infusion_hours");
      m.il2_dose_miu = s.real(at + "mechanistic.il2_dose_miu", 0.0, Range::closed(0, 100));
      m.il2_interval_days =
          s.real(at + "mechanistic.il2_interval_days", base.il2_interval_days, Range::closed(0.5, 14));
      sc.treatments.push_back(t);
    }
  }
  // A trial's draw of the unknowns (real-valued keys) changes treatments only: the ratios and
  // the block, integers, were read and checked at load and stay in sc.block_size.
  if (s.replaying()) return;
  std::vector<std::int64_t> ratios;
  for (const auto& a : sc.arms) ratios.push_back(a.ratio);
  // A default block that cannot be is the ratios' fault, not the (unwritten) block size's.
  const bool given = s.has("randomization.block_size");
  const std::int64_t fallback = default_block_size(ratios);
  if (!given && fallback > 1000)
    s.fail("arms", "the ratios' sum in lowest terms is " + std::to_string(fallback) +
                       ", more than a block of 1000 can hold; use smaller ratios");
  sc.block_size = s.integer("randomization.block_size", fallback, 2, 1000);
  try {
    BlockDesign check(ratios, sc.block_size);
  } catch (const std::invalid_argument& e) {
    if (given) s.fail("randomization.block_size", e.what());
    s.fail("arms", std::string(e.what()) + " (the default block for these ratios); use smaller ratios");
  }
}

}  // namespace vtrial
