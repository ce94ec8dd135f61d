#pragma once
#include <string>
#include <vector>

namespace vtrial::cli {

// Each command gets the arguments after its name and returns the process exit status.
int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int samplesize_command(const std::vector<std::string>& args);
int verify_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);  // runs bindings/report (Python)

// Thrown for a malformed command line (exit status 2, as is the convention for usage errors).
struct UsageError {
  std::string message;
};

}  // namespace vtrial::cli
