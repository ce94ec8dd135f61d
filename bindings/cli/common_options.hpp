#pragma once
// Options shared by the commands that simulate a scenario.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "app/scenario_input.hpp"
#include "app/simulation.hpp"

namespace vtrial::cli {

struct CommonOptions {
  std::string scenario;
  ScenarioOverrides overrides;
  std::string trials_text, seed_text;
  int threads = 0;
  std::string output;
  bool json = false;
  bool keys = false;  // validate --keys
  bool help = false;
};

// Adds --trials --seed --set --help: what changes the scenario (all `validate` takes).
void add_scenario_options(boost::program_options::options_description& options, CommonOptions& common);
// Adds those and --threads --output --json: what the simulating commands take.
void add_common_options(boost::program_options::options_description& options, CommonOptions& common);
// Threads from --threads, the progress bar unless --json.
SimulationOptions simulation_options(const CommonOptions& common);
// Parses; throws UsageError on malformed input. Returns false when --help was printed.
bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        boost::program_options::options_description& options, CommonOptions& common);

}  // namespace vtrial::cli
