// vtrial report: the committee's HTML page from result files. The page is made by the Python
// package in bindings/report (numpy, h5py, matplotlib as Debian ships them: figures need a
// plotting library, which C++ has none of here); this command finds that package and Debian's
// interpreter, runs it with the same arguments and returns its exit status (docs/report.md).
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "bindings/cli/commands.hpp"

namespace vtrial::cli {
namespace {

// Compiled in by CMake; the environment may point elsewhere (an installed copy, a test).
std::string setting(const char* variable, const char* built_in) {
  const char* value = std::getenv(variable);
  return value && *value ? value : built_in;
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  const std::string python = setting("VTRIAL_REPORT_PYTHON", VTRIAL_REPORT_PYTHON);
  const std::string package = setting("VTRIAL_REPORT_DIR", VTRIAL_REPORT_DIR);
  if (access(python.c_str(), X_OK) != 0)
    throw std::runtime_error(
        "vtrial report needs the Python interpreter " + python +
        " (Debian's python3; bash scripts/bootstrap.sh test installs it and what the report uses)");
  if (access((package + "/vtrial_report/cli.py").c_str(), R_OK) != 0)
    throw std::runtime_error("vtrial report: its Python package is not in " + package +
                             " (set VTRIAL_REPORT_DIR to the directory holding vtrial_report/)");
  // -E -s: neither PYTHONPATH nor the user's site-packages may change which modules load;
  // -B: no bytecode written into the source tree.
  std::vector<std::string> words = {
      python,
      "-E",
      "-s",
      "-B",
      "-c",
      "import sys; sys.path.insert(0, sys.argv.pop(1)); from vtrial_report.cli import main; "
      "sys.exit(main(sys.argv[1:]))",
      package};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  setenv("VTRIAL_VERSION", VTRIAL_VERSION, 1);
  // The page must not outlive the command: a killed vtrial takes the report with it (which then
  // removes its unfinished temporary file, bindings/report/vtrial_report/cli.py).
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error(std::string("vtrial report: cannot start Python: ") + std::strerror(errno));
  if (child == 0) {  // only async-signal-safe calls until exec
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
    execv(python.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("vtrial report: lost its child: ") + std::strerror(errno));
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  throw std::runtime_error("vtrial report: the report's Python process died of signal " +
                           std::to_string(WTERMSIG(status)));
}

}  // namespace vtrial::cli
