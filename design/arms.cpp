#include "design/arms.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "engine/settings.hpp"

namespace vtrial {
namespace {

std::string arm_names(const std::vector<Arm>& arms) {
  std::string out;
  for (const auto& a : arms) out += (out.empty() ? "" : ", ") + a.name;
  return out;
}

bool is_identifier(const std::string& name) {
  if (name.empty() || name.size() > 40 || !std::islower(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

}  // namespace

std::size_t control_arm(const std::vector<Arm>& arms) {
  for (std::size_t i = 0; i < arms.size(); ++i)
    if (arms[i].control) return i;
  throw std::logic_error("no control arm");
}

std::vector<Comparison> default_comparisons(const std::vector<Arm>& arms) {
  std::vector<Comparison> out;
  const std::size_t control = control_arm(arms);
  for (std::size_t i = 0; i < arms.size(); ++i)
    if (i != control) out.push_back({i, control});
  return out;
}

std::string comparison_label(const std::vector<Arm>& arms, const Comparison& c) {
  return arms[c.treatment].name + " vs " + arms[c.control].name;
}

std::string comparison_suffix(const std::vector<Arm>& arms, const Comparison& c) {
  return arms[c.treatment].name + "_vs_" + arms[c.control].name;
}

std::vector<Arm> read_arm_list(Settings& s) {
  const std::size_t n = s.list_size("arms");
  if (n == 0) return {};
  // Arm numbers are stored per patient in one byte; 16 arms is far beyond any real design.
  if (n < 2 || n > 16) s.fail("arms", "expected 2 to 16 arms, got " + std::to_string(n));
  std::vector<Arm> arms;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = "arms." + std::to_string(i) + ".";
    Arm a;
    a.name = s.text(at + "name", "");
    if (!is_identifier(a.name))
      s.fail(at + "name",
             "expected a name of lower-case letters, digits and '_' starting with a letter (at most 40), "
             "got '" +
                 a.name + "'");
    for (const auto& other : arms)
      if (other.name == a.name) s.fail(at + "name", "arm '" + a.name + "' is listed twice");
    a.ratio = s.integer(at + "ratio", 1, 1, 100);
    a.control = s.boolean(at + "control", false);
    arms.push_back(a);
  }
  const auto controls = std::count_if(arms.begin(), arms.end(), [](const Arm& a) { return a.control; });
  if (controls != 1)
    s.fail("arms", "mark exactly one arm as the control (control: true); " + std::to_string(controls) + " are");
  return arms;
}

Comparison parse_comparison(Settings& s, const std::string& path, const std::string& text,
                            const std::vector<Arm>& arms) {
  const auto sep = text.find(" vs ");
  const auto find = [&](std::string name) -> std::size_t {
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    for (std::size_t i = 0; i < arms.size(); ++i)
      if (arms[i].name == name) return i;
    return arms.size();
  };
  Comparison c;
  if (sep != std::string::npos) {
    c.treatment = find(text.substr(0, sep));
    c.control = find(text.substr(sep + 4));
  }
  if (sep == std::string::npos || c.treatment == arms.size() || c.control == arms.size() || c.treatment == c.control)
    s.fail(path, "expected '<arm> vs <arm>' with two different arms of " + arm_names(arms) + ", got '" + text + "'");
  return c;
}

}  // namespace vtrial
