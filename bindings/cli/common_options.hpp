#pragma once
// Options shared by the commands that simulate a scenario.
#include <boost/program_options.hpp>
#include <optional>
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
// Threads from --threads, the progress bar unless --json; the MPI job's ranks, if any.
SimulationOptions simulation_options(const CommonOptions& common);
// The scenario, loaded by every rank of an MPI job (or by this process alone). If any rank
// cannot load it, rank 0 prints the error once and every rank gets nothing (exit status 1).
std::optional<Scenario> load_on_every_rank(const CommonOptions& common);
// Parses; throws UsageError on malformed input. Returns false when --help was printed.
bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        boost::program_options::options_description& options, CommonOptions& common);

}  // namespace vtrial::cli
