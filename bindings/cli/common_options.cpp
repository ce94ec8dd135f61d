#include "bindings/cli/common_options.hpp"

#include <iostream>

#include "bindings/cli/commands.hpp"
#include "engine/process_group.hpp"

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
  // Every positional word is collected, so that one too many can be named.
  std::vector<std::string> positionals;
  po::options_description hidden;
  hidden.add_options()("scenario", po::value(&positionals), "scenario YAML file");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("scenario", -1);
  // --help wins over everything else (a required option is not required to ask for help).
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << "usage: " << usage << "\n\n" << options;
      return false;
    }
  // No guessing: an abbreviation (--tri) could name a different option once one is added,
  // and would reach the hidden positional "--scenario".
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  try {
    po::parsed_options parsed = po::command_line_parser(args).options(all).positional(positional).style(style).run();
    for (const auto& o : parsed.options)
      if (o.string_key == "scenario" && o.position_key < 0) throw UsageError{"unknown option '--scenario'"};
    po::store(parsed, vm);
    po::notify(vm);
    // "--trials --seed 5" gives --trials the value "--seed": say so, not that "5" is extra.
    for (const auto& [name, text] : {std::pair<const char*, const std::string*>{"trials", &c.trials_text},
                                     {"seed", &c.seed_text},
                                     {"output", &c.output}})
      if (vm.count(name) && text->rfind("--", 0) == 0)
        throw UsageError{std::string("--") + name + " needs a value right after it; got the option '" + *text + "'"};
    if (positionals.size() > 1)
      throw UsageError{"one scenario file only; '" + positionals[1] +
                       "' is one too many (an option's value goes right after it: --trials 100)"};
    if (!positionals.empty()) c.scenario = positionals.front();
  } catch (const po::error& e) {
    throw UsageError{std::string(e.what()) + " (usage: " + usage + "; see --help)"};
  }
  if (c.scenario.empty()) throw UsageError{"missing the scenario file (usage: " + usage + ")"};
  // A bound a machine can have: far more threads only exhausts memory for their stacks.
  constexpr int kMaxThreads = 1024;
  if (c.threads < 0 || c.threads > kMaxThreads)
    throw UsageError{"--threads " + std::to_string(c.threads) + ": expected 0 (all cores) to " +
                     std::to_string(kMaxThreads)};
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
  if (ProcessGroup::world().distributed()) options.group = &ProcessGroup::world();
  return options;
}

std::optional<Scenario> load_on_every_rank(const CommonOptions& common) {
  const ProcessGroup& group = ProcessGroup::world();
  if (!group.distributed()) return load_scenario(common.scenario, common.overrides);
  std::optional<Scenario> loaded;
  std::string error;
  try {
    loaded.emplace(load_scenario(common.scenario, common.overrides));
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (group.any(!error.empty())) {
    if (group.rank() == 0)
      std::cerr << "vtrial: error: " << (error.empty() ? "another rank could not load the scenario" : error) << "\n";
    return std::nullopt;
  }
  return loaded;
}

}  // namespace vtrial::cli
