#pragma once
// Builds scenarios for tests from YAML text, through the same validation users go through.
#include <string>

#include "engine/settings.hpp"
#include "models/scenario.hpp"

namespace vtrial::testing {

inline Scenario scenario_from_yaml(const std::string& yaml) {
  Settings settings = Settings::from_string(yaml, "test.yaml");
  return read_scenario(settings);
}

}  // namespace vtrial::testing
