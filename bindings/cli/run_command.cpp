#include <iostream>
#include <optional>
#include <stdexcept>

#include "app/checkpoint.hpp"
#include "app/distributed_run.hpp"
#include "app/simulation.hpp"
#include "bindings/cli/commands.hpp"
#include "bindings/cli/common_options.hpp"
#include "bindings/cli/keys_report.hpp"
#include "bindings/cli/report.hpp"
#include "engine/calendar_date.hpp"
#include "engine/hdf5_output.hpp"

namespace vtrial::cli {

int run_command(const std::vector<std::string>& args) {
  CommonOptions common;
  boost::program_options::options_description options("vtrial run: simulate a design and estimate its power");
  add_common_options(options, common);
  const std::string unset = "\x01";  // not typeable: tells "--shard ''" from no --shard
  std::string shard_arg = unset;
  bool resume = false;
  options.add_options()("resume", boost::program_options::bool_switch(&resume),
                        "continue a run that was stopped (killed, power cut, full disk) from the blocks it kept; "
                        "refused if they are of another scenario, seed or program version")(
      "shard", boost::program_options::value(&shard_arg),
      "K/N: simulate only the K-th of N contiguous ranges of trials and write a shard file "
      "for vtrial merge (docs/cluster.md)");
  if (!parse_command_line(args,
                          "vtrial run SCENARIO [--trials N] [--seed S] [--threads T] [--set k=v ...] "
                          "[--output FILE] [--json] [--shard K/N] [--resume]",
                          options, common))
    return 0;
  SimulationOptions run_options = simulation_options(common);
  if (shard_arg != unset) {
    try {
      run_options.shard = parse_shard(shard_arg);
    } catch (const std::invalid_argument& e) {
      throw UsageError{e.what()};
    }
  }

  const ProcessGroup& group = ProcessGroup::world();
  if (group.distributed() && run_options.shard)
    throw UsageError{"--shard under mpirun: the ranks already share the trials; give one or the other"};
  if (resume && (run_options.shard || group.distributed()))
    throw UsageError{"--resume is for a single-process run; a stopped shard is run again (vtrial merge --missing)"};
  const std::optional<Scenario> loaded = load_on_every_rank(common);
  if (!loaded) return 1;
  const Scenario& scenario = *loaded;
  const std::string suffix = run_options.shard ? ".shard" + std::to_string(run_options.shard->index) + "of" +
                                                     std::to_string(run_options.shard->count)
                                               : "";
  const std::string output = common.output.empty() ? default_output_path(common.scenario, suffix) : common.output;
  // A run of more than one block keeps its blocks as it goes (app/checkpoint.hpp).
  const bool checkpointed = !group.distributed() && !run_options.shard &&
                            (resume || static_cast<std::size_t>(scenario.simulation.trials) > Hdf5Output::kChunkRows);
  const SimulationResult result = group.distributed()
                                      ? simulate_to_file_distributed(output, scenario, run_options, group)
                                  : checkpointed ? simulate_with_checkpoints(output, scenario, run_options, resume)
                                                 : simulate_to_file(output, scenario, run_options);
  if (group.rank() != 0) return 0;

  const char* model = scenario.model == PatientModelKind::mechanistic ? "mechanistic" : "parametric";
  if (common.json) {
    Json arms = Json::array();
    for (const auto& arm : scenario.arms)
      arms.push_back({{"name", arm.name}, {"ratio", arm.ratio}, {"control", arm.control}});
    const Json out = {{"scenario", scenario.name},
                      {"model", model},
                      {"patients", scenario.trial.patients},
                      {"trials", scenario.simulation.trials},
                      {"seed", scenario.simulation.seed},
                      {"alpha", scenario.analysis.alpha},
                      {"threads", result.threads},
                      {"ranks", group.size()},
                      {"seconds", result.seconds},
                      {"output", output},
                      {"format_version", kFileFormatVersion},
                      {"shard", run_options.shard ? Json(shard_text(*run_options.shard)) : Json()},
                      {"arms", arms},
                      {"power_measure", scenario.uncertainty ? "assurance" : "power"},
                      {"endpoints", power_json(result.power)},
                      {"design", design_json(result.design)},
                      {"uncertainty", uncertainty_json(scenario, result.uncertainty)}};
    std::cout << json_line(out) << "\n";
  } else {
    std::cout << "vtrial " << VTRIAL_VERSION << "  scenario '" << scenario.name << "' (" << model
              << " model): " << scenario.trial.patients << " patients, " << scenario.simulation.trials
              << " trials, seed " << scenario.simulation.seed << ", two-sided alpha " << scenario.analysis.alpha
              << "\n\n";
    print_power_table(std::cout, result.power, result.seconds, scenario.uncertainty ? "assurance" : "power");
    print_uncertainty(std::cout, scenario, result.uncertainty);
    std::cout << "\n";
    print_design_summary(std::cout, result.design, scenario.arms, format_date(scenario.enrollment.completion_date));
    std::cout << "\n" << result.threads << " threads; results written to " << output << "\n";
  }
  return 0;
}

int validate_command(const std::vector<std::string>& args) {
  CommonOptions common;
  boost::program_options::options_description options("vtrial validate: check a scenario, print it resolved");
  add_scenario_options(options, common);
  options.add_options()("keys", boost::program_options::bool_switch(&common.keys),
                        "list every key with its value and what it accepts, instead of the scenario")(
      "json", boost::program_options::bool_switch(&common.json), "with --keys: print one JSON object on stdout");
  if (!parse_command_line(args, "vtrial validate SCENARIO [--trials N] [--seed S] [--set k=v ...] [--keys [--json]]",
                          options, common))
    return 0;
  if (common.json && !common.keys) throw UsageError{"--json goes with --keys"};
  std::map<std::string, KeyDomain> keys;
  const Scenario scenario = load_scenario(common.scenario, common.overrides, &keys);
  if (!common.keys) {
    std::cout << "# " << common.scenario << " is valid; every key with its resolved value:\n" << scenario.resolved_yaml;
  } else if (common.json) {
    std::cout << json_line(keys_json(keys)) << "\n";
  } else {
    print_keys_table(std::cout, keys);
  }
  return 0;
}

}  // namespace vtrial::cli
