#include "app/simulation.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "app/distributed_run.hpp"
#include "app/provenance.hpp"
#include "app/trial_plan.hpp"
#include "app/uncertainty_tables.hpp"
#include "app/uncertainty_tally.hpp"
#include "engine/hdf5_output.hpp"
#include "engine/monte_carlo_runner.hpp"
#include "engine/uncertainty/prior_distribution.hpp"
#include "models/calibration.hpp"
#include "models/record_tables.hpp"
#include "models/scenario_uncertainty.hpp"

namespace vtrial {
namespace {

// One per thread: simulates a trial once at the largest sample size and analyses each
// requested sample size on its first n patients, writing the trial's row of each block table.
// Blocks alternate between two sets of tables (see run_monte_carlo_blocks): trial t goes to
// set (t / block_rows) % 2, row t % block_rows.
// The null twin of a trial (analysis.type1_error): every arm given the control's treatment.
struct NullTrial {
  Scenario scenario;
  TrialSimulator simulator;
  const std::vector<std::pair<std::size_t, std::size_t>>* columns;
  std::vector<double> row;

  NullTrial(const TrialPlan& plan)
      : scenario(null_of(plan.scenario())),
        simulator(plan.simulator()),
        columns(&plan.null_columns()),
        row(plan.columns().size()) {
    simulator.rebind(scenario);
  }
  NullTrial(const NullTrial& other)
      : scenario(other.scenario), simulator(other.simulator), columns(other.columns), row(other.row) {
    simulator.rebind(scenario);
  }
  static Scenario null_of(const Scenario& sc) {
    Scenario null = sc;
    make_null_population(sc, null);
    return null;
  }
  // A trial's draw of the unknowns, then its null.
  void rebind(const Scenario& drawn) {
    make_null_population(drawn, scenario);
    simulator.rebind(scenario);
  }
};

// A trial's calibration cohort (`calibration:`): its targets' statistics and its weight.
struct CalibrationCohort {
  const CalibrationSpec* spec;
  std::uint64_t seed;
  std::size_t column;  // the first calibration column of the row
  std::vector<double> values;
  KaplanMeierWorkspace km;

  CalibrationCohort(const TrialPlan& plan)
      : spec(plan.scenario().calibration.get()),
        seed(calibration_seed(plan.scenario().simulation.seed)),
        column(plan.calibration_column()),
        values(spec->targets.size() + 1) {}
  void simulate(TrialSimulator& simulator, std::uint64_t trial) {
    const auto cohort = simulator.simulate_cohort(seed, trial, static_cast<std::size_t>(spec->cohort),
                                                  static_cast<std::uint8_t>(spec->arm));
    for (std::size_t j = 0; j < spec->targets.size(); ++j)
      values[j] = calibration_statistic(spec->targets[j], cohort, km);
    values.back() = calibration_weight(spec->targets, values);
  }
};

struct TrialWorker {
  TrialSimulator simulator;
  TrialAnalysis analysis;
  std::optional<UncertainScenario> uncertain;  // with `uncertainty:`: each trial's own draw
  std::size_t analysis_columns;
  // With analysis.type1_error: the same trial under the null, in a scenario of this worker's.
  std::optional<NullTrial> null;
  std::optional<CalibrationCohort> calibration;
  const std::vector<std::int64_t>* sample_sizes;
  std::array<std::vector<ResultTable>, 2>* tables;
  std::size_t block_rows;
  std::vector<std::vector<PatientRecord>>* kept;
  std::vector<double> row;
  std::size_t largest;
  std::size_t begin;  // the first trial of the range run

  void operator()(std::size_t t) {
    // Kept trials are written out patient by patient, so their records are complete; the
    // others fill only what the analysis reads.
    const bool keep = kept && t < kept->size();
    // A trial whose draw is the previous one's (a point mass, a discrete prior's repeat) keeps the
    // patient model and enrollment process built for it.
    if (uncertain) {
      const Scenario& drawn = uncertain->for_trial(t);
      if (uncertain->changed()) {
        simulator.rebind(drawn, uncertain->changes_model(), uncertain->changes_enrollment());
        if (null) null->rebind(drawn);
      }
    }
    const auto records = simulator.simulate(t, largest, nullptr, keep ? OutputRequest{} : analysis.outputs_read());
    const auto null_records = null ? null->simulator.simulate(t, largest, nullptr, analysis.outputs_read())
                                   : std::span<const PatientRecord>{};
    if (calibration) calibration->simulate(simulator, t);
    auto& set = (*tables)[((t - begin) / block_rows) % 2];
    const std::size_t r = (t - begin) % block_rows;
    for (std::size_t i = 0; i < sample_sizes->size(); ++i) {
      analysis.analyze(records.first(static_cast<std::size_t>((*sample_sizes)[i])),
                       std::span(row).first(analysis_columns));
      if (uncertain) std::copy(uncertain->values().begin(), uncertain->values().end(), row.begin() + analysis_columns);
      if (calibration)
        std::copy(calibration->values.begin(), calibration->values.end(), row.begin() + calibration->column);
      if (null) {
        analysis.analyze(null_records.first(static_cast<std::size_t>((*sample_sizes)[i])),
                         std::span(null->row).first(analysis_columns));
        for (const auto& [reject, column] : *null->columns) row[column] = null->row[reject];
      }
      for (std::size_t c = 0; c < row.size(); ++c) set[i].at(c, r) = row[c];
    }
    if (keep) (*kept)[t].assign(records.begin(), records.end());
  }
};

// Runs the trials of `range` in blocks of `block_rows`; after each block, on_block(tables,
// first, rows) sees that block's rows (trials first.. of the whole run), one table per sample
// size.
template <class OnBlock>
void simulate_in_blocks(const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                        const SimulationOptions& options, TrialRange range, std::size_t block_rows,
                        std::vector<std::vector<PatientRecord>>* kept, OnBlock on_block) {
  const std::size_t trials = range.size();
  const auto& columns = plan.columns();
  block_rows = std::max<std::size_t>(std::min(block_rows, trials), 1);
  std::array<std::vector<ResultTable>, 2> tables;
  for (std::size_t set = 0; set < (trials > block_rows ? 2 : 1); ++set)
    for (std::size_t i = 0; i < sample_sizes.size(); ++i) tables[set].emplace_back(columns, block_rows);
  const auto largest = static_cast<std::size_t>(*std::max_element(sample_sizes.begin(), sample_sizes.end()));
  run_monte_carlo_blocks(
      range.first, range.last, block_rows, {options.threads, options.progress, options.bar},
      [&] {
        return TrialWorker{
            plan.simulator(),
            plan.analysis(),
            plan.scenario().uncertainty ? std::optional<UncertainScenario>(std::in_place, plan.scenario())
                                        : std::nullopt,
            plan.analysis_columns(),
            plan.null_columns().empty() ? std::nullopt : std::optional<NullTrial>(std::in_place, plan),
            plan.scenario().calibration ? std::optional<CalibrationCohort>(std::in_place, plan) : std::nullopt,
            &sample_sizes,
            &tables,
            block_rows,
            kept,
            std::vector<double>(columns.size()),
            largest,
            range.first};
      },
      [&](std::size_t begin, std::size_t end) {
        on_block(tables[((begin - range.first) / block_rows) % 2], begin, end - begin);
      });
}

}  // namespace

TrialRange run_range(const Scenario& scenario, const SimulationOptions& options) {
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  if (options.range) return *options.range;
  return options.shard ? shard_range(*options.shard, trials) : TrialRange{0, trials};
}

std::vector<ResultTable> simulate_sample_sizes(const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                                               const SimulationOptions& options,
                                               std::vector<std::vector<PatientRecord>>* kept) {
  if (options.group && options.group->distributed() && !kept)
    return simulate_sample_sizes_distributed(plan, sample_sizes, options, *options.group);
  const TrialRange range = run_range(plan.scenario(), options);  // a shard's trials, or all
  std::vector<ResultTable> result;
  simulate_in_blocks(plan, sample_sizes, options, range, range.size(), kept,
                     [&](std::vector<ResultTable>& tables, std::size_t, std::size_t) { result = std::move(tables); });
  if (result.empty())  // no trials: empty tables with the columns
    for (std::size_t i = 0; i < sample_sizes.size(); ++i) result.emplace_back(plan.columns(), 0);
  return result;
}

void simulate_sample_sizes(const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                           const SimulationOptions& options, std::size_t block_rows,
                           const SampleSizeBlockSink& on_block) {
  const TrialRange range = run_range(plan.scenario(), options);
  simulate_in_blocks(
      plan, sample_sizes, options, range, block_rows, nullptr,
      [&](std::vector<ResultTable>& tables, std::size_t first, std::size_t rows) { on_block(tables, first, rows); });
}

std::vector<ResultTable> simulate_sample_sizes(const Scenario& scenario, const std::vector<std::int64_t>& sample_sizes,
                                               const SimulationOptions& options,
                                               std::vector<std::vector<PatientRecord>>* kept) {
  return simulate_sample_sizes(TrialPlan(scenario), sample_sizes, options, kept);
}

SimulationResult simulate_scenario(const TrialPlan& plan, const SimulationOptions& options, const TrialRowsSink& sink) {
  const auto start = std::chrono::steady_clock::now();
  const Scenario& scenario = plan.scenario();
  SimulationResult result;
  const TrialRange range = run_range(scenario, options);
  const std::size_t trials = range.size();
  const auto patients = static_cast<std::size_t>(scenario.trial.patients);
  // Indexed by trial; in a shard, the kept trials before its range stay empty (no rows).
  std::vector<std::vector<PatientRecord>> kept(
      std::min(range.last, static_cast<std::size_t>(scenario.output.patient_trials)));
  const auto& columns = plan.columns();
  PowerTally power(columns, plan.tallied_names(), plan.weight_column());
  DesignTally design(columns, plan.looks(), plan.descriptive_names());
  auto uncertainty = uncertainty_tally(plan);
  const std::size_t block_rows = !sink                      ? trials
                                 : options.block_trials > 0 ? options.block_trials
                                                            : Hdf5Output::kChunkRows;
  result.trials = ResultTable(columns, 0);
  simulate_in_blocks(plan, {scenario.trial.patients}, options, range, block_rows, &kept,
                     [&](std::vector<ResultTable>& tables, std::size_t first, std::size_t rows) {
                       power.add(tables.front(), rows);
                       design.add(tables.front(), rows);
                       if (uncertainty) uncertainty->add(tables.front(), first, rows);
                       if (sink) {
                         sink(tables.front(), first, rows);
                       } else {
                         result.trials = std::move(tables.front());  // the only block: every trial
                       }
                     });
  result.patients = patient_table(kept);

  // Trajectories are of trial 0: in the shard that holds it.
  const auto traced =
      range.first > 0 ? 0 : std::min(patients, static_cast<std::size_t>(scenario.output.trajectory_patients));
  if (traced > 0) {
    // Trial 0 again, recording courses: the same streams give the same patients as the run.
    TrialSimulator simulator = plan.simulator();
    std::optional<UncertainScenario> uncertain;
    if (scenario.uncertainty) simulator.rebind(uncertain.emplace(scenario).for_trial(0));  // its draw
    std::vector<Trajectory> courses(traced);
    const auto records = simulator.simulate(0, traced, &courses);
    std::vector<std::uint8_t> arms;
    for (const auto& r : records) arms.push_back(r.arm);
    result.trajectories = trajectory_table(courses, arms);
  }
  result.power = plan.describe(power.result());
  result.design = plan.describe(design.result());
  if (uncertainty) result.uncertainty = uncertainty->result();
  result.threads = resolve_threads(options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

SimulationResult simulate_scenario(const Scenario& scenario, const SimulationOptions& options,
                                   const TrialRowsSink& sink) {
  return simulate_scenario(TrialPlan(scenario), options, sink);
}

void write_run_attributes(Hdf5Output& out, const Scenario& scenario, const std::string& filetype) {
  out.root_attribute("filetype", filetype);
  out.root_attribute("version", std::string(VTRIAL_VERSION));
  // The layout's own version, apart from the program's: a reader can refuse a layout it does not
  // know. 2: the result schema (/schema, /arms, /summary's descriptions, /design/looks).
  out.root_attribute("format_version", static_cast<std::int64_t>(kFileFormatVersion));
  out.root_attribute("scenario", scenario.resolved_yaml);
  out.root_attribute("seed", static_cast<std::int64_t>(scenario.simulation.seed));
  out.root_attribute("trials", static_cast<std::int64_t>(scenario.simulation.trials));
  out.root_attribute("source_revision", std::string(source_revision()));
  out.root_attribute("command", command());
  // What /summary's power is: the rejection rate at the scenario's values, or averaged over the
  // priors of `uncertainty:` (the assurance).
  out.root_attribute("power_measure", std::string(scenario.uncertainty ? "assurance" : "power"));
}

void write_shard_attributes(Hdf5Output& out, const Shard& shard, const TrialRange& range) {
  out.root_attribute("shard", shard_text(shard));
  out.root_attribute("shard_index", shard.index);
  out.root_attribute("shard_count", shard.count);
  out.root_attribute("first_trial", static_cast<std::int64_t>(range.first));
  out.root_attribute("shard_trials", static_cast<std::int64_t>(range.size()));
}

void write_power_summary(Hdf5Output& out, const std::string& group, const std::vector<EndpointPower>& power) {
  ResultTable table({{"power", ColumnType::real},
                     {"mc_se", ColumnType::real},
                     {"ci_low", ColumnType::real},
                     {"ci_high", ColumnType::real},
                     {"rejections", ColumnType::integer},
                     {"trials", ColumnType::integer}},
                    power.size());
  std::vector<std::string> names, kinds, endpoints, comparisons, tests, outcomes, estimates;
  for (std::size_t i = 0; i < power.size(); ++i) {
    const auto& p = power[i];
    names.push_back(p.name);
    kinds.push_back(p.kind);
    endpoints.push_back(p.endpoint);
    comparisons.push_back(p.comparison);
    tests.push_back(p.test);
    outcomes.push_back(p.outcome);
    estimates.push_back(p.estimate);
    std::size_t c = 0;
    for (double v : {p.power, p.mc_se, p.ci_low, p.ci_high, double(p.rejections), double(p.trials)})
      table.at(c++, i) = v;
  }
  out.write_strings(group, "endpoint", names);
  out.write_strings(group, "kind", kinds);
  out.write_strings(group, "declared_endpoint", endpoints);
  out.write_strings(group, "comparison", comparisons);
  out.write_strings(group, "test", tests);
  out.write_strings(group, "outcome", outcomes);
  out.write_strings(group, "estimate", estimates);
  out.write_table(group, table);
  // Weighted by a calibration: what the prior alone gave, and the weights' effective trials.
  if (std::any_of(power.begin(), power.end(),
                  [](const EndpointPower& p) { return p.effective_trials != static_cast<double>(p.trials); })) {
    ResultTable prior(
        {{"prior_power", ColumnType::real}, {"prior_mc_se", ColumnType::real}, {"effective_trials", ColumnType::real}},
        power.size());
    for (std::size_t i = 0; i < power.size(); ++i) {
      prior.at(0, i) = power[i].prior_power;
      prior.at(1, i) = power[i].prior_mc_se;
      prior.at(2, i) = power[i].effective_trials;
    }
    out.write_table(group, prior);
  }
  if (std::none_of(power.begin(), power.end(), [](const EndpointPower& p) { return p.type1.trials > 0; })) return;
  ResultTable null({{"type1_error", ColumnType::real},
                    {"type1_mc_se", ColumnType::real},
                    {"type1_ci_low", ColumnType::real},
                    {"type1_ci_high", ColumnType::real},
                    {"type1_rejections", ColumnType::integer}},
                   power.size());
  for (std::size_t i = 0; i < power.size(); ++i) {
    const auto& t = power[i].type1;
    std::size_t c = 0;
    for (double v : {t.power, t.mc_se, t.ci_low, t.ci_high, double(t.rejections)}) null.at(c++, i) = v;
  }
  out.write_table(group, null);
}

void write_design_summary(Hdf5Output& out, const std::string& group, const DesignSummary& d) {
  const auto fields = design_fields(d);
  std::vector<ColumnSpec> cols;
  for (const auto& [name, v] : fields) cols.push_back({name, ColumnType::real});
  ResultTable table(cols, 1);
  for (std::size_t c = 0; c < fields.size(); ++c) table.at(c, 0) = fields[c].second;
  out.write_table(group, table);
  if (d.looks.empty()) return;
  ResultTable looks({{"information_fraction", ColumnType::real},
                     {"day", ColumnType::real},
                     {"efficacy_z", ColumnType::real},
                     {"efficacy_p", ColumnType::real},
                     {"futility_z", ColumnType::real},
                     {"p_stop", ColumnType::real}},
                    d.looks.size());
  for (std::size_t j = 0; j < d.looks.size(); ++j) {
    const LookSummary& l = d.looks[j];
    std::size_t c = 0;
    for (double v : {l.information_fraction, l.day, l.efficacy_z, l.efficacy_p, l.futility_z, l.p_stop})
      looks.at(c++, j) = v;
  }
  out.write_table(group + "/looks", looks);
}

// The result schema: every /trials column with its role and what it belongs to, and the arms.
void write_schema(Hdf5Output& out, const TrialPlan& plan) {
  std::vector<std::string> names, roles, endpoints, comparisons, arms;
  for (const auto& c : plan.schema().columns) {
    names.push_back(c.name);
    roles.push_back(std::string(value_role_name(c.role)));
    endpoints.push_back(c.endpoint);
    comparisons.push_back(c.comparison);
    arms.push_back(c.arm);
  }
  out.write_strings("schema", "column", names);
  out.write_strings("schema", "role", roles);
  out.write_strings("schema", "endpoint", endpoints);
  out.write_strings("schema", "comparison", comparisons);
  out.write_strings("schema", "arm", arms);
  const auto& scenario = plan.scenario();
  std::vector<std::string> arm_names;
  ResultTable table({{"ratio", ColumnType::integer}, {"control", ColumnType::integer}}, scenario.arms.size());
  for (std::size_t a = 0; a < scenario.arms.size(); ++a) {
    arm_names.push_back(scenario.arms[a].name);
    table.at(0, a) = static_cast<double>(scenario.arms[a].ratio);
    table.at(1, a) = scenario.arms[a].control ? 1 : 0;
  }
  out.write_strings("arms", "name", arm_names);
  out.write_table("arms", table);
}

void write_uncertainty(Hdf5Output& out, const TrialPlan& plan, const UncertaintyResult& uncertainty) {
  for (const auto& group : uncertainty_groups(plan, uncertainty)) {
    for (const auto& [name, values] : group.strings) out.write_strings(group.path, name, values);
    out.write_table(group.path, group.table);
  }
}

namespace {

void write_all_but_trials(Hdf5Output& out, const TrialPlan& plan, const SimulationResult& result) {
  write_uncertainty(out, plan, result.uncertainty);
  out.write_table("patients", result.patients);
  if (result.trajectories.rows() > 0) out.write_table("trajectories", result.trajectories);
  write_power_summary(out, "summary", result.power);
  write_design_summary(out, "design", result.design);
}

}  // namespace

void write_simulation(const std::string& path, const TrialPlan& plan, const SimulationResult& result,
                      const SimulationOptions& options) {
  Hdf5Output out(path);
  write_run_attributes(out, plan.scenario(), options.shard ? "vtrial.shard" : "vtrial.run");
  if (options.shard) write_shard_attributes(out, *options.shard, run_range(plan.scenario(), options));
  write_schema(out, plan);
  out.write_table("trials", result.trials);
  write_all_but_trials(out, plan, result);
  out.commit();
}

SimulationResult simulate_to_file(const std::string& path, const Scenario& scenario, const SimulationOptions& options) {
  // The file is opened first (an unwritable path fails before any simulation) under its
  // temporary name; a failure anywhere below removes it and leaves `path` untouched.
  const TrialRange range = run_range(scenario, options);  // before the file: a bad shard names --shard
  Hdf5Output out(path);
  write_run_attributes(out, scenario, options.shard ? "vtrial.shard" : "vtrial.run");
  if (options.shard) write_shard_attributes(out, *options.shard, range);
  SimulationResult result;
  const TrialPlan plan(scenario);
  write_schema(out, plan);
  {
    auto trials = out.stream_table("trials", plan.columns(), range.size());
    result = simulate_scenario(plan, options, [&](const ResultTable& block, std::size_t first, std::size_t rows) {
      trials.write(block, first - range.first, rows);
    });
    trials.finish();
  }
  write_all_but_trials(out, plan, result);
  out.commit();
  return result;
}

}  // namespace vtrial
