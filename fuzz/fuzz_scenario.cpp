// libFuzzer target for the scenario loader and the --set parser (issue 16, "Also build").
// One input is a scenario file and zero or more --set assignments:
//
//   <YAML text of the scenario>
//   #--set
//   trial.patients=120
//   arms.1.ratio=2
//
// Everything before the first line that is exactly "#--set" is the YAML document (a YAML
// comment, so a plain scenario file is an input as it stands); each later line is one
// assignment, given to Settings::apply_override in order, as the command line does. The loader
// then runs exactly as `vtrial validate` does: Settings::from_string, apply_override for each
// assignment, read_scenario. Nothing is simulated and no file is written.
//
// Expected outcomes: a Scenario, or a clear error: vtrial::SettingsError (which names the key,
// file, line and column) or std::invalid_argument (the design layer's checks). Anything else is
// a finding: another
// exception type (printed, then abort), a crash, a sanitizer report, a hang (-timeout) or memory
// beyond -rss_limit_mb.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "engine/settings.hpp"
#include "models/scenario.hpp"

namespace {

constexpr std::string_view kMarker = "#--set";

struct Input {
  std::string yaml;
  std::vector<std::string> assignments;
};

Input split(std::string_view text) {
  Input in;
  std::size_t pos = 0;
  bool in_sets = false;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    if (in_sets) {
      if (!line.empty()) in.assignments.emplace_back(line);
    } else if (line == kMarker) {
      in_sets = true;
      in.yaml.assign(text.substr(0, pos));
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
  if (!in_sets) in.yaml.assign(text);
  return in;
}

// Outcome counts, printed at exit (the note asks for them); VTRIAL_FUZZ_VERBOSE=1 also
// prints each input's outcome, e.g. to see why a seed is rejected.
struct Counts {
  unsigned long long accepted = 0, settings_errors = 0, invalid_arguments = 0;
  ~Counts() {
    std::fprintf(
        stderr,
        "fuzz_scenario: %llu inputs: %llu accepted, %llu clear errors (%llu SettingsError, %llu invalid_argument)\n",
        accepted + settings_errors + invalid_arguments, accepted, settings_errors + invalid_arguments, settings_errors,
        invalid_arguments);
  }
};
Counts counts;
const bool verbose = std::getenv("VTRIAL_FUZZ_VERBOSE") != nullptr;

void outcome(const char* kind, const std::string& text) {
  if (verbose) std::fprintf(stderr, "fuzz_scenario: %s: %s\n", kind, text.c_str());
}

[[noreturn]] void finding(const char* kind, const char* what) {
  std::fprintf(stderr, "fuzz_scenario: FINDING: %s: %s\n", kind, what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Input in = split(std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    vtrial::Settings settings = vtrial::Settings::from_string(in.yaml, "fuzz.yaml");
    for (const auto& a : in.assignments) settings.apply_override(a);
    const vtrial::Scenario scenario = vtrial::read_scenario(settings);
    // The resolved scenario is what the HDF5 file stores; it must be complete text.
    if (scenario.resolved_yaml.empty()) finding("empty resolved scenario", scenario.name.c_str());
    ++counts.accepted;
    outcome("accepted", scenario.name);
  } catch (const vtrial::SettingsError& e) {
    ++counts.settings_errors;
    outcome("SettingsError", e.what());
  } catch (const std::invalid_argument& e) {
    ++counts.invalid_arguments;
    outcome("invalid_argument", e.what());
  } catch (const std::exception& e) {
    const std::string kind = std::string("uncaught ") + typeid(e).name();
    finding(kind.c_str(), e.what());
  } catch (...) {
    finding("uncaught non-standard exception", "");
  }
  return 0;
}
