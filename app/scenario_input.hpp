#pragma once
// Loads a scenario file with the command line's overrides applied, validated in one place.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/settings.hpp"
#include "models/scenario.hpp"

namespace vtrial {

struct ScenarioOverrides {
  std::vector<std::string> assignments;  // --set key.path=value, in order
  std::optional<std::string> trials;     // --trials N
  std::optional<std::string> seed;       // --seed S
};

// With `keys`, also returns what every key of the scenario accepts (vtrial validate --keys).
Scenario load_scenario(const std::string& path, const ScenarioOverrides& overrides,
                       std::map<std::string, KeyDomain>* keys = nullptr);

// The output file name when --output is not given: the scenario file's stem plus ".h5".
std::string default_output_path(const std::string& scenario_path, const std::string& suffix = "");

}  // namespace vtrial
