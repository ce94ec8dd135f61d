#include "app/merge.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <utility>

#include "app/sample_size.hpp"
#include "app/simulation.hpp"
#include "app/trial_plan.hpp"
#include "app/uncertainty_tally.hpp"
#include "engine/hdf5_input.hpp"
#include "engine/hdf5_output.hpp"
#include "engine/settings.hpp"
#include "models/record_tables.hpp"

namespace vtrial {
namespace {

std::string required_text(const Hdf5Input& in, const std::string& name) {
  auto v = in.text_attribute(name);
  if (!v) throw std::runtime_error(in.path() + ": no root attribute '" + name + "'; not a vtrial shard file");
  return *v;
}

std::int64_t required_integer(const Hdf5Input& in, const std::string& name) {
  auto v = in.integer_attribute(name);
  if (!v) throw std::runtime_error(in.path() + ": no root attribute '" + name + "'; not a vtrial shard file");
  return *v;
}

// The first line where two texts differ, as "line N: text" of each.
std::pair<std::string, std::string> first_different_line(const std::string& a, const std::string& b) {
  std::size_t line = 1, i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i])
    if (a[i++] == '\n') ++line;
  const auto line_of = [](const std::string& s, std::size_t at) {
    const std::size_t start = s.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t begin = start == std::string::npos || at == 0 ? 0 : start + 1;
    return s.substr(begin, s.find('\n', begin) - begin);
  };
  const std::string where = "line " + std::to_string(line) + ": ";
  return {where + line_of(a, i), where + line_of(b, i)};
}

std::string range_text(const TrialRange& r) {
  return "trials " + std::to_string(r.first) + " to " + std::to_string(r.last - 1);
}

// The files in order, read as one sequence of rows of `group`, one file open at a time (a run
// of 1,500 blocks must not need 1,500 descriptors).
class RowSource {
 public:
  RowSource(const std::vector<std::string>& files, std::string group, std::vector<ColumnSpec> specs)
      : files_(files), group_(std::move(group)), specs_(std::move(specs)) {}
  // Fills rows [0, n) of `block` with the next n rows; returns n (0 at the end).
  std::size_t next(ResultTable& block) {
    std::size_t filled = 0;
    while (filled < block.rows() && file_ < files_.size()) {
      if (!current_) {
        current_ = std::make_unique<Hdf5Input>(files_[file_]);
        const std::string first = group_ + "/" + specs_.front().name;
        available_ = current_->has(first) ? current_->rows(first) : 0;
      }
      if (row_ >= available_) {
        current_.reset();
        ++file_;
        row_ = 0;
        continue;
      }
      const std::size_t n = std::min(block.rows() - filled, available_ - row_);
      const ResultTable part = current_->read_table(group_, specs_, row_, n);
      for (std::size_t c = 0; c < specs_.size(); ++c)
        std::copy(part.column(c).begin(), part.column(c).end(), &block.at(c, filled));
      filled += n;
      row_ += n;
    }
    return filled;
  }

 private:
  const std::vector<std::string>& files_;
  std::string group_;
  std::vector<ColumnSpec> specs_;
  std::size_t file_ = 0, row_ = 0, available_ = 0;
  std::unique_ptr<Hdf5Input> current_;
};

// A whole (small) table: the files' rows of `group` one after another.
ResultTable concatenated(const std::vector<std::string>& files, const std::string& group,
                         const std::vector<ColumnSpec>& specs) {
  ResultTable all(specs, 0);
  for (const auto& path : files) {
    const Hdf5Input in(path);
    const std::string first = group + "/" + specs.front().name;
    if (!in.has(first)) continue;
    all.append(in.read_table(group, specs, 0, in.rows(first)));
  }
  return all;
}

}  // namespace

ResultTable concatenated_rows(const std::vector<std::string>& files, const std::string& group,
                              const std::vector<ColumnSpec>& specs) {
  return concatenated(files, group, specs);
}

std::pair<std::vector<EndpointPower>, DesignSummary> join_run_files(const TrialPlan& plan,
                                                                    const std::vector<std::string>& files,
                                                                    const std::string& output) {
  const Scenario& scenario = plan.scenario();
  Hdf5Output out(output);
  write_run_attributes(out, scenario, "vtrial.run");
  write_schema(out, plan);
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  PowerTally power(plan.columns(), plan.tallied_names(), plan.weight_column());
  DesignTally design(plan.columns(), plan.looks(), plan.descriptive_names());
  auto uncertainty = uncertainty_tally(plan);
  {
    // Blocks as a single run streams them (the first block decides each column's storage).
    auto stream = out.stream_table("trials", plan.columns(), trials);
    RowSource rows(files, "/trials", plan.columns());
    ResultTable block(plan.columns(), std::min(trials, Hdf5Output::kChunkRows));
    std::size_t written = 0;
    for (std::size_t n; (n = rows.next(block)) > 0; written += n) {
      power.add(block, n);
      design.add(block, n);
      if (uncertainty) uncertainty->add(block, written, n);
      stream.write(block, written, n);
    }
    if (written != trials)
      throw std::runtime_error("the files to join hold " + std::to_string(written) + " trial rows, not " +
                               std::to_string(trials));
    stream.finish();
  }
  out.write_table("patients", concatenated(files, "/patients", patient_table({}).specs()));
  const ResultTable trajectories = concatenated(files, "/trajectories", trajectory_table({}, {}).specs());
  if (trajectories.rows() > 0) out.write_table("trajectories", trajectories);
  auto summary = std::make_pair(plan.describe(power.result()), plan.describe(design.result()));
  write_uncertainty(out, plan, uncertainty ? uncertainty->result() : UncertaintyResult{});
  write_power_summary(out, "summary", summary.first);
  write_design_summary(out, "design", summary.second);
  out.commit();
  return summary;
}

ShardFile read_shard_file(const std::string& path) {
  const Hdf5Input in(path);
  const auto filetype = in.text_attribute("filetype");
  if (!filetype || *filetype != "vtrial.shard")
    throw std::runtime_error(path + ": not a shard file (its root attribute filetype is '" + filetype.value_or("") +
                             "', not vtrial.shard; write shards with vtrial run --shard K/N)");
  ShardFile f;
  f.path = path;
  f.scenario = required_text(in, "scenario");
  f.version = required_text(in, "version");
  f.source_revision = required_text(in, "source_revision");
  f.seed = required_integer(in, "seed");
  f.trials = required_integer(in, "trials");
  f.format_version = required_integer(in, "format_version");
  f.shard = {required_integer(in, "shard_index"), required_integer(in, "shard_count")};
  f.shard_of = in.text_attribute("shard_of").value_or("vtrial.run");
  f.patients = in.text_attribute("patients").value_or("");
  const auto first = required_integer(in, "first_trial"), rows = required_integer(in, "shard_trials");
  if (f.trials < 1 || f.trials > 100000000 || f.shard.count < 1 || f.shard.count > 1000000 || f.shard.index < 1 ||
      f.shard.index > f.shard.count || f.shard.count > f.trials)
    throw std::runtime_error(path + ": its shard attributes are inconsistent");
  f.range = shard_range(f.shard, static_cast<std::size_t>(f.trials));
  if (first != static_cast<std::int64_t>(f.range.first) || rows != static_cast<std::int64_t>(f.range.size()))
    throw std::runtime_error(path + ": holds trials " + std::to_string(first) + "+" + std::to_string(rows) +
                             ", which is not shard " + shard_text(f.shard) + " of " + std::to_string(f.trials));
  return f;
}

std::vector<ShardFile> check_shards(const std::vector<std::string>& paths) {
  if (paths.empty()) throw std::runtime_error("no shard files given");
  std::vector<ShardFile> shards;
  for (const auto& p : paths) shards.push_back(read_shard_file(p));
  const ShardFile& a = shards.front();
  for (const ShardFile& b : shards) {
    const auto differ = [&](const std::string& what, const std::string& x, const std::string& y) {
      throw std::runtime_error("the shards are not of one run: " + what + " differs between " + a.path + " (" + x +
                               ") and " + b.path + " (" + y + ")");
    };
    if (b.seed != a.seed) differ("the seed", std::to_string(a.seed), std::to_string(b.seed));
    if (b.trials != a.trials) differ("the number of trials", std::to_string(a.trials), std::to_string(b.trials));
    if (b.version != a.version) differ("the program version", a.version, b.version);
    if (b.source_revision != a.source_revision) differ("the source revision", a.source_revision, b.source_revision);
    if (b.format_version != a.format_version)
      differ("the file-format version", std::to_string(a.format_version), std::to_string(b.format_version));
    if (b.shard_of != a.shard_of) differ("what they are shards of", a.shard_of, b.shard_of);
    if (b.patients != a.patients) differ("the sweep's sample sizes", a.patients, b.patients);
    if (b.shard.count != a.shard.count)  // ranges of different splits overlap or leave gaps
      differ("the number of shards", std::to_string(a.shard.count), std::to_string(b.shard.count));
    if (b.scenario != a.scenario) {  // last: the seed and trials are in it too, and said better above
      const auto [x, y] = first_different_line(a.scenario, b.scenario);
      differ("the resolved scenario (root attribute scenario)", x, y);
    }
  }
  std::sort(shards.begin(), shards.end(),
            [](const ShardFile& x, const ShardFile& y) { return x.shard.index < y.shard.index; });
  for (std::size_t i = 1; i < shards.size(); ++i)
    if (shards[i].shard.index == shards[i - 1].shard.index)
      throw std::runtime_error("shard " + shard_text(shards[i].shard) + " (" + range_text(shards[i].range) +
                               ") is given twice: " + shards[i - 1].path + " and " + shards[i].path);
  const auto missing = missing_shards(paths);
  if (!missing.empty()) {
    std::string list;
    for (const Shard& s : missing)
      list += (list.empty() ? "" : ", ") + shard_text(s) + " (" +
              range_text(shard_range(s, static_cast<std::size_t>(a.trials))) + ")";
    throw std::runtime_error(std::to_string(missing.size()) + " of " + std::to_string(a.shard.count) +
                             " shards missing: " + list + "; run them with vtrial run ... --shard K/N");
  }
  return shards;
}

std::vector<Shard> missing_shards(const std::vector<std::string>& paths) {
  std::vector<std::string> holder;  // the file that holds each shard, to name a doubled one
  std::vector<bool> present;
  std::int64_t count = 0;
  for (const auto& p : paths) {
    const ShardFile f = read_shard_file(p);
    if (count == 0) {
      count = f.shard.count;
      present.assign(static_cast<std::size_t>(count), false);
      holder.assign(static_cast<std::size_t>(count), "");
    }
    if (f.shard.count != count)
      throw std::runtime_error("the shards are not of one run: " + p + " is one of " + std::to_string(f.shard.count) +
                               " shards, " + paths.front() + " one of " + std::to_string(count));
    const auto k = static_cast<std::size_t>(f.shard.index - 1);
    if (present[k])
      throw std::runtime_error("shard " + shard_text(f.shard) + " (" + range_text(f.range) +
                               ") is given twice: " + holder[k] + " and " + p);
    present[k] = true;
    holder[k] = p;
  }
  std::vector<Shard> missing;
  for (std::int64_t k = 1; k <= count; ++k)
    if (!present[static_cast<std::size_t>(k - 1)]) missing.push_back({k, count});
  return missing;
}

std::size_t merge_shards(const std::vector<std::string>& paths, const std::string& output) {
  const std::vector<ShardFile> shards = check_shards(paths);
  // The output replaces only a result file: a shard is one, so writing over an input would
  // lose it before (or while) it is read.
  std::error_code ec;
  for (const auto& s : shards)
    if (std::filesystem::exists(output, ec) && std::filesystem::equivalent(output, s.path, ec))
      throw std::runtime_error("--output " + output + " is one of the shards being merged (" + s.path +
                               "); choose another output file");
  // The plan comes from the resolved scenario the shards carry: the same program (checked
  // above) builds the same columns, tests and looks from it.
  Settings settings = Settings::from_string(shards.front().scenario, shards.front().path + " (scenario attribute)");
  const Scenario scenario = read_scenario(settings);
  const TrialPlan plan(scenario);
  std::vector<std::string> files;
  for (const auto& s : shards) files.push_back(s.path);
  if (shards.front().shard_of == "vtrial.sweep") {
    const std::vector<std::int64_t> sizes = parse_sample_sizes(shards.front().patients);
    std::vector<ResultTable> tables;
    for (auto n : sizes) {
      tables.push_back(concatenated(files, "/" + sweep_group(n), plan.columns()));
      if (tables.back().rows() != static_cast<std::size_t>(scenario.simulation.trials))
        throw std::runtime_error("the shards hold " + std::to_string(tables.back().rows()) + " trials at N = " +
                                 std::to_string(n) + ", not " + std::to_string(scenario.simulation.trials));
    }
    write_sweep(output, scenario, sweep_from_tables(plan, sizes, tables), "vtrial.sweep");
    return static_cast<std::size_t>(scenario.simulation.trials);
  }
  for (const auto& s : shards) {
    const Hdf5Input in(s.path);  // one at a time: open files are a limited resource
    const std::string column = "/trials/" + plan.columns().front().name;
    if (!in.has(column) || in.rows(column) != s.range.size())
      throw std::runtime_error(s.path + ": /trials does not hold the " + std::to_string(s.range.size()) +
                               " rows of shard " + shard_text(s.shard));
  }

  join_run_files(plan, files, output);
  return static_cast<std::size_t>(scenario.simulation.trials);
}

}  // namespace vtrial
