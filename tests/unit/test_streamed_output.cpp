// Streaming /trials to HDF5 block by block (what keeps `vtrial run` flat in memory) must give
// exactly what the in-memory path gives: the same rows in the file, the same power and design
// summaries. Blocks of 7 trials (not a divisor of anything) exercise the seams.
#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "app/simulation.hpp"
#include "engine/hdf5_output.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

std::vector<double> read_column(const std::string& path, const std::string& dataset) {
  H5::H5File file(path, H5F_ACC_RDONLY);
  H5::DataSet ds = file.openDataSet(dataset);
  hsize_t rows = 0;
  ds.getSpace().getSimpleExtentDims(&rows);
  std::vector<double> values(rows);
  if (rows > 0) ds.read(values.data(), H5::PredType::NATIVE_DOUBLE);
  return values;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same_power(const std::vector<EndpointPower>& a, const std::vector<EndpointPower>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].rejections, b[i].rejections) << a[i].name;
    EXPECT_EQ(a[i].trials, b[i].trials) << a[i].name;
    EXPECT_TRUE(same_bits(a[i].ci_low, b[i].ci_low)) << a[i].name;
  }
}

void expect_same_design(const DesignSummary& a, const DesignSummary& b) {
  EXPECT_TRUE(same_bits(a.p_enrolled_by_deadline, b.p_enrolled_by_deadline));
  EXPECT_TRUE(same_bits(a.p_completed_by_deadline, b.p_completed_by_deadline));
  EXPECT_TRUE(same_bits(a.median_enrollment_days, b.median_enrollment_days));
  EXPECT_TRUE(same_bits(a.enrollment_days_p10, b.enrollment_days_p10));
  EXPECT_TRUE(same_bits(a.enrollment_days_p90, b.enrollment_days_p90));
  EXPECT_TRUE(same_bits(a.mean_screened, b.mean_screened));
  EXPECT_TRUE(same_bits(a.mean_patients, b.mean_patients));
  EXPECT_TRUE(same_bits(a.mean_events, b.mean_events));
  EXPECT_EQ(a.p_stop_at_look, b.p_stop_at_look);
  EXPECT_TRUE(same_bits(a.p_futility_stop, b.p_futility_stop));
  ASSERT_EQ(a.descriptive.size(), b.descriptive.size());
  for (std::size_t i = 0; i < a.descriptive.size(); ++i) {
    EXPECT_EQ(a.descriptive[i].first, b.descriptive[i].first);
    EXPECT_TRUE(same_bits(a.descriptive[i].second, b.descriptive[i].second)) << a.descriptive[i].first;
  }
}

class StreamedOutput : public ::testing::TestWithParam<const char*> {};

TEST_P(StreamedOutput, BlocksGiveTheInMemoryResult) {
  const Scenario sc = testing::scenario_from_yaml(std::string("simulation: {trials: 50, seed: 77}\n") + GetParam());
  const SimulationResult whole = simulate_scenario(sc, {2, false});
  ASSERT_EQ(whole.trials.rows(), 50u);

  const auto dir = std::filesystem::temp_directory_path() / ("vtrial_streamed_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "streamed.h5").string();
  SimulationOptions options{2, false};
  options.block_trials = 7;
  const SimulationResult streamed = simulate_to_file(path, sc, options);
  EXPECT_EQ(streamed.trials.rows(), 0u);  // rows went to the file, not to memory

  for (std::size_t c = 0; c < whole.trials.columns(); ++c) {
    const auto& name = whole.trials.spec(c).name;
    const auto from_file = read_column(path, "/trials/" + name);
    ASSERT_EQ(from_file.size(), 50u) << name;
    for (std::size_t t = 0; t < 50; ++t) {
      const double expected = whole.trials.at(c, t);
      // Integer columns are stored as int64 and read back as double: exact for counts.
      EXPECT_TRUE(same_bits(from_file[t], expected) || (std::isnan(expected) && std::isnan(from_file[t])))
          << name << " trial " << t << ": " << from_file[t] << " vs " << expected;
    }
  }
  expect_same_power(whole.power, streamed.power);
  expect_same_design(whole.design, streamed.design);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Designs, StreamedOutput,
                         ::testing::Values("",  // fixed design, every default endpoint
                                           "analysis: {interim: {enabled: true, fractions: [0.5], "
                                           "spending: pocock, futility_z: 0}}\n"));

TEST(StreamedOutput, CommitRefusesWhileATableIsStillStreaming) {
  const auto dir = std::filesystem::temp_directory_path() / ("vtrial_streamed_c_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "c.h5").string();
  {
    Hdf5Output out(path);
    auto stream = out.stream_table("t", {{"x", ColumnType::real}}, 3);
    EXPECT_THROW(out.commit(), std::logic_error);
  }
  EXPECT_FALSE(std::filesystem::exists(path));  // never committed: nothing under the final name
  std::filesystem::remove_all(dir);
}

// Large columns are deflated only when that pays (integer columns, and real columns whose first
// block holds whole numbers or NaN); continuous real columns are stored plain.
TEST(StreamedOutput, ColumnStorageFollowsTheFirstBlock) {
  const auto dir = std::filesystem::temp_directory_path() / ("vtrial_streamed_s_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "s.h5").string();
  const std::size_t rows = 10000;
  ResultTable block({{"flag", ColumnType::integer},
                     {"days", ColumnType::real},
                     {"p", ColumnType::real},
                     {"missing", ColumnType::real}},
                    rows);
  for (std::size_t r = 0; r < rows; ++r) {
    block.at(0, r) = static_cast<double>(r % 2);
    block.at(1, r) = static_cast<double>(7 * (r % 12));
    block.at(2, r) = 1.0 / static_cast<double>(r + 3);
    block.at(3, r) = std::nan("");
  }
  {
    Hdf5Output out(path);
    {
      auto stream = out.stream_table("t", block.specs(), rows);
      stream.write(block, 0, rows);
      stream.finish();
    }
    out.commit();
  }
  H5::H5File file(path, H5F_ACC_RDONLY);
  const auto filters = [&](const char* name) {
    return file.openDataSet(std::string("/t/") + name).getCreatePlist().getNfilters();
  };
  EXPECT_EQ(filters("flag"), 3);  // shuffle + deflate + Fletcher-32
  EXPECT_EQ(filters("days"), 3);
  EXPECT_EQ(filters("missing"), 3);
  EXPECT_EQ(filters("p"), 1);  // Fletcher-32 only: every dataset is checksummed
  EXPECT_EQ(read_column(path, "/t/p")[9999], 1.0 / 10002);
  std::filesystem::remove_all(dir);
}

// A table never written still gets its datasets at finish(); a stream that ends without
// finish() (an exception between writes) makes commit() refuse, so a short table is never
// published.
TEST(StreamedOutput, UnwrittenTablesExistAndUnfinishedOnesAreNeverCommitted) {
  const auto dir = std::filesystem::temp_directory_path() / ("vtrial_streamed_u_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "u.h5").string();
  {
    Hdf5Output out(path);
    {
      auto stream = out.stream_table("t", {{"x", ColumnType::real}}, 0);
      stream.finish();
    }
    out.commit();
  }
  EXPECT_EQ(read_column(path, "/t/x").size(), 0u);
  const std::string short_path = (dir / "short.h5").string();
  {
    Hdf5Output out(short_path);
    {
      auto stream = out.stream_table("t", {{"x", ColumnType::real}}, 3);
      ResultTable block({{"x", ColumnType::real}}, 1);
      stream.write(block, 0, 1);
    }  // destroyed without finish()
    EXPECT_THROW(out.commit(), std::logic_error);
  }
  EXPECT_FALSE(std::filesystem::exists(short_path));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vtrial
