// Bounded time and memory for any input (issue 16, class 8): a 20 MB YAML list took 4.7 GB and
// 19 s to report its one unknown key. The loader now refuses, before building any node, a file
// over 4 MiB and a document of more than 100,000 values, aliases counted as what they expand
// to (so nested aliases cannot multiply the work of code that walks them later).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/settings.hpp"

namespace vtrial {
namespace {

std::string error_of(const std::string& yaml) {
  try {
    Settings::from_string(yaml, "test.yaml");
  } catch (const SettingsError& e) {
    return e.what();
  }
  return "";
}

std::string list_of(int n) {
  std::string text = "name: big\nextra:\n";
  for (int i = 0; i < n; ++i) text += "- 1\n";
  return text;
}

TEST(SettingsLimits, ALongListIsRefusedBeforeItIsBuilt) {
  EXPECT_EQ(error_of(list_of(99000)), "");  // within the bound: parsed (finish() would name the key)
  const std::string message = error_of(list_of(150000));
  // Counted: the root mapping, its keys and values, the list, its items; the 100,001st is here.
  EXPECT_NE(message.find("test.yaml:99998:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("more than 100000 values"), std::string::npos) << message;
}

TEST(SettingsLimits, AliasesCountAsWhatTheyExpandTo) {
  // Six levels of ten aliases: 10^6 values when expanded, from a file of 400 bytes.
  std::string text = "name: laughs\ndefs:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 6; ++level) {
    text += "  a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", *a" : "*a") + std::to_string(level - 1);
    text += "]\n";
  }
  const std::string message = error_of(text);
  EXPECT_NE(message.find("more than 100000 values (aliases counted as what they expand to)"), std::string::npos)
      << message;
  // An anchor used a few times, as scenarios do, is fine.
  EXPECT_EQ(error_of("trial: &t {patients: 40}\nother: *t\nmore: *t\n"), "");
}

TEST(SettingsLimits, AFileOverFourMebibytesIsRefusedUnread) {
  const auto path = std::filesystem::temp_directory_path() / "vtrial_settings_limits_big.yaml";
  {
    std::ofstream out(path);
    out << "name: big\ndescription: '" << std::string(5 << 20, 'x') << "'\n";
  }
  std::string message;
  try {
    Settings::from_file(path.string());
  } catch (const SettingsError& e) {
    message = e.what();
  }
  std::filesystem::remove(path);
  EXPECT_NE(message.find("more than 4194304 bytes; a scenario file is at most 4 MiB"), std::string::npos) << message;
}

TEST(SettingsLimits, AnOverrideValueIsBoundedAlike) {
  Settings settings = Settings::from_string("name: x\n", "test.yaml");
  std::string big = "[";
  for (int i = 0; i < 120000; ++i) big += i ? ",1" : "1";
  big += "]";
  for (const std::string& value : {big, std::string("1\n---\n2")}) {
    std::string message;
    try {
      settings.apply_override("trial.patients=" + value);
    } catch (const SettingsError& e) {
      message = e.what();
    }
    EXPECT_NE(message.find("--set trial.patients="), std::string::npos) << message.substr(0, 200);
    EXPECT_TRUE(message.find("more than 100000 values") != std::string::npos ||
                message.find("more than one YAML document") != std::string::npos)
        << message.substr(0, 200);
  }
}

}  // namespace
}  // namespace vtrial
