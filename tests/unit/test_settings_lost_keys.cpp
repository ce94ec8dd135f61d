// Issue 16, class 4: every way a key can be written or lost is an error, never a silent default.
// Each case below was accepted by the first version with the default in its place.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/settings.hpp"
#include "models/scenario.hpp"

namespace vtrial {
namespace {

// The error a scenario gives, or "" when it is accepted.
std::string accepted_or_error(const std::string& yaml) {
  try {
    Settings s = Settings::from_string(yaml, "test.yaml");
    read_scenario(s);
  } catch (const SettingsError& e) {
    return e.what();
  }
  return "";
}

std::string load_error(const std::string& yaml) {
  const std::string error = accepted_or_error(yaml);
  if (error.empty()) ADD_FAILURE() << "accepted:\n" << yaml;
  return error;
}

TEST(SettingsLostKeys, DottedKeyInTheFileIsRefused) {
  // `trial.patients: 7` at the top level spelt the path of trial -> patients, so it passed for
  // read and the default 100 was used.
  const std::string top = load_error("trial.patients: 7\n");
  EXPECT_NE(top.find("test.yaml:1:1"), std::string::npos) << top;
  EXPECT_NE(top.find("'trial.patients' contains '.'"), std::string::npos) << top;
  const std::string nested = load_error("analysis:\n  alpha: 0.05\n  interim.enabled: true\n");
  EXPECT_NE(nested.find("test.yaml:3:3"), std::string::npos) << nested;
  EXPECT_NE(nested.find("'interim.enabled'"), std::string::npos) << nested;
}

TEST(SettingsLostKeys, SecondYamlDocumentIsRefused) {
  const std::string e = load_error("trial: {patients: 30}\n---\ntrial: {patients: 40}\n");
  EXPECT_NE(e.find("more than one YAML document"), std::string::npos) << e;
  // A stray comma made yaml-cpp report empty documents for ever (found by fuzz/): now an error.
  const std::string stray = load_error(",\n");
  EXPECT_NE(stray.find("more than one YAML document"), std::string::npos) << stray;
}

TEST(SettingsLostKeys, DirectoryIsNotAScenario) {
  const auto dir = std::filesystem::temp_directory_path() / "vtrial_scenario_dir_test";
  std::filesystem::create_directories(dir);
  try {
    Settings::from_file(dir.string());
    ADD_FAILURE() << "a directory was read as a scenario";
  } catch (const SettingsError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
  std::filesystem::remove(dir);
}

TEST(SettingsLostKeys, EmptyFileStillMeansEveryDefault) {
  // Zero documents is the one way to ask for all defaults, as before.
  Settings s = Settings::from_string("", "empty.yaml");
  EXPECT_EQ(read_scenario(s).trial.patients, 100);
}

}  // namespace
}  // namespace vtrial

namespace vtrial {
namespace {

// Issue 16, class 8 (part): what a run keeps in memory until it writes is bounded when the
// scenario is read, not by the machine (10,000 kept trials of 100,000 patients were 56 GB).
TEST(SettingsMemoryBounds, KeptPatientRowsAndTrajectoryPointsAreBounded) {
  const std::string rows = accepted_or_error("trial: {patients: 1000}\noutput: {patient_trials: 10000}\n");
  EXPECT_NE(rows.find("output.patient_trials"), std::string::npos) << rows;
  EXPECT_NE(rows.find("10000000 patient rows; at most 2000000"), std::string::npos) << rows;
  // The same number of kept trials is fine when the run has fewer trials than that.
  EXPECT_EQ(accepted_or_error("trial: {patients: 1000}\noutput: {patient_trials: 10000}\nsimulation: {trials: 100}\n"),
            "");
  const std::string points =
      accepted_or_error("trial: {patients: 1000, follow_up_days: 3650}\noutput: {trajectory_patients: 1000}\n");
  EXPECT_NE(points.find("output.trajectory_patients"), std::string::npos) << points;
  EXPECT_EQ(accepted_or_error("output: {trajectory_patients: 100}\n"), "");
}

}  // namespace
}  // namespace vtrial
