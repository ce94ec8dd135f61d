#include "bindings/cli/common_options.hpp"

#include <iostream>

#include "bindings/cli/commands.hpp"

namespace po = boost::program_options;

namespace vtrial::cli {

void add_scenario_options(po::options_description& options, CommonOptions& c) {
  options.add_options()("help,h", po::bool_switch(&c.help), "show this help")(
      "trials", po::value(&c.trials_text), "number of simulated trials (overrides simulation.trials)")(
      "seed", po::value(&c.seed_text), "master random seed (overrides simulation.seed)")(
      "set", po::value(&c.overrides.assignments)->composing(),
      "override a scenario key, e.g. --set trial.patients=120 (repeatable)");
}

void add_common_options(po::options_description& options, CommonOptions& c) {
  add_scenario_options(options, c);
  options.add_options()("threads", po::value(&c.threads)->default_value(0), "worker threads; 0 = all cores")(
      "output,o", po::value(&c.output), "HDF5 result file (default: <scenario name>.h5 here)")(
      "json", po::bool_switch(&c.json), "print one JSON object on stdout instead of the table");
}

bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        po::options_description& options, CommonOptions& c) {
  po::options_description hidden;
  hidden.add_options()("scenario", po::value(&c.scenario), "scenario YAML file");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{std::string(e.what()) + "\nusage: " + usage + " (see --help)"};
  }
  if (c.help) {
    std::cout << "usage: " << usage << "\n\n" << options;
    return false;
  }
  if (c.scenario.empty()) throw UsageError{"missing the scenario file\nusage: " + usage};
  if (c.threads < 0) throw UsageError{"--threads must be 0 (all cores) or a positive number"};
  if (vm.count("trials")) c.overrides.trials = c.trials_text;
  if (vm.count("seed")) c.overrides.seed = c.seed_text;
  // An empty --output is a mistake (an unset shell variable, say), not a request for the default.
  if (vm.count("output") && c.output.empty())
    throw UsageError{"--output is empty; give a file name, or leave --output out for <scenario name>.h5"};
  return true;
}

SimulationOptions simulation_options(const CommonOptions& common) {
  SimulationOptions options;
  options.threads = common.threads;
  options.progress = !common.json;
  return options;
}

}  // namespace vtrial::cli
