#pragma once
// The arms of a trial and the comparisons between them. An arm is a name, an allocation ratio
// and (read by the patient model, not here) a treatment; exactly one arm is the control, marked
// `control: true` in the scenario. Arms are numbered in the order the scenario lists them, and
// PatientRecord::arm holds that number.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vtrial {

class Settings;

struct Arm {
  std::string name;
  std::int64_t ratio = 1;
  bool control = false;
};

// Treatment arm vs control arm, by arm number.
struct Comparison {
  std::size_t treatment = 1;
  std::size_t control = 0;
  bool operator==(const Comparison&) const = default;
};

std::size_t control_arm(const std::vector<Arm>& arms);
// Every non-control arm against the control, in the order of the arms.
std::vector<Comparison> default_comparisons(const std::vector<Arm>& arms);
// "il2 vs control".
std::string comparison_label(const std::vector<Arm>& arms, const Comparison& c);
// "il2_vs_control": the suffix of a comparison's result names.
std::string comparison_suffix(const std::vector<Arm>& arms, const Comparison& c);

// Reads `arms:` (a list) when the scenario has one: names (unique identifiers), ratios and the
// control mark; returns an empty list otherwise. The treatment keys of each item are read by
// the caller, at prefix "arms.<i>.".
std::vector<Arm> read_arm_list(Settings& settings);
// Parses "<arm> vs <arm>" (the treatment first), failing at `path` with the accepted names.
Comparison parse_comparison(Settings& settings, const std::string& path, const std::string& text,
                            const std::vector<Arm>& arms);

}  // namespace vtrial
