#include "app/scenario_input.hpp"

#include <filesystem>

#include "engine/settings.hpp"

namespace vtrial {

Scenario load_scenario(const std::string& path, const ScenarioOverrides& overrides,
                       std::map<std::string, KeyDomain>* keys) {
  // yaml-cpp looks keys up linearly, so each override costs in proportion to those before it;
  // a bound keeps the load quick (10,000 overrides took 5 s) and far above any real use.
  constexpr std::size_t kMaxOverrides = 1000;
  if (overrides.assignments.size() > kMaxOverrides)
    throw SettingsError("--set: " + std::to_string(overrides.assignments.size()) + " overrides; at most " +
                        std::to_string(kMaxOverrides) + " (write the rest into the scenario file)");
  Settings settings = Settings::from_file(path);
  for (const auto& a : overrides.assignments) settings.apply_override(a);
  // Shorthands go through the same path as --set, so they are validated and recorded alike.
  if (overrides.trials) settings.apply_override("simulation.trials=" + *overrides.trials);
  if (overrides.seed) settings.apply_override("simulation.seed=" + *overrides.seed);
  Scenario scenario = read_scenario(settings);
  if (keys) *keys = settings.domains();
  return scenario;
}

std::string default_output_path(const std::string& scenario_path, const std::string& suffix) {
  return std::filesystem::path(scenario_path).stem().string() + suffix + ".h5";
}

}  // namespace vtrial
