// vtrial: the command line. Errors from anywhere below are caught here, once, and become one
// clear line on stderr and a non-zero exit status.
#include <signal.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/provenance.hpp"
#include "bindings/cli/commands.hpp"
#include "engine/hdf5_output.hpp"
#include "engine/process_group.hpp"

namespace {

constexpr const char* kUsage =
    "usage: vtrial COMMAND [options]\n\n"
    "commands:\n"
    "  run SCENARIO        simulate a design: power per endpoint with Monte Carlo intervals, HDF5 output\n"
    "  validate SCENARIO   check a scenario and print it with every default resolved\n"
    "  sweep SCENARIO      power, enrollment and deadline across sample sizes (--patients 60:140:20)\n"
    "  samplesize SCENARIO the smallest N reaching a target power (--endpoint, --target-power)\n"
    "  merge SHARD.h5...   join the shard files of a run (run --shard K/N) into its single-run file\n"
    "  verify FILE.h5...   check a result file's checksums; print its content digest\n"
    "  report FILE.h5...   one HTML page for the committee from result files (--output report.html)\n\n"
    "`vtrial COMMAND --help` describes a command's options.\n";

}  // namespace

namespace {

// Ctrl-C or a kill during a long run: remove the unfinished temporary output, then die of the
// same signal (so the shell sees the usual status). The final output path is never touched.
extern "C" void on_terminating_signal(int sig) {
  vtrial::remove_uncommitted_outputs();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Only where the signal would kill us anyway: a signal inherited as ignored (nohup, or SIGINT
// for a background job of a script) must stay ignored.
void clean_up_on(int sig) {
  struct sigaction current {};
  if (sigaction(sig, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) return;
  struct sigaction action {};
  action.sa_handler = on_terminating_signal;
  sigfillset(&action.sa_mask);
  sigaction(sig, &action, nullptr);
}

// An error is one line on stderr, whatever text it quotes (a --set value with a newline).
std::string one_line(const std::string& message) {
  std::string line;
  for (char c : message) {
    if (c == '\n')
      line += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      line += '?';
    else
      line += c;
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> words(argv, argv + argc);  // before MPI may edit argv
  // Under mpirun, join the job first: the clean-up handlers below then replace MPI's own.
  const vtrial::ProcessGroup& group = vtrial::ProcessGroup::start(argc, argv);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) clean_up_on(sig);
  const std::vector<std::string> all(words.begin() + 1, words.end());
  // Rank 0 alone prints results (and usage); the other ranks only simulate.
  std::ostream* out = group.rank() == 0 ? &std::cout : nullptr;
  const auto finish = [&](int status) {
    group.finish();
    return status;
  };
  if (all.empty()) {  // a usage error: the usage goes where errors go
    if (out) std::cerr << "vtrial: missing the COMMAND (run, validate, sweep, samplesize, merge, verify, report)\n" << kUsage;
    return finish(2);
  }
  if (all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
    if (out) *out << kUsage;
    return finish(0);
  }
  if (all[0] == "--version" && all.size() > 1) {
    if (out) std::cerr << "vtrial --version: takes nothing after it; got '" << one_line(all[1]) << "'\n";
    return finish(2);
  }
  if (all[0] == "--version") {
    if (out)
      *out << "vtrial " << VTRIAL_VERSION << "\nsource revision " << vtrial::source_revision() << "\nMPI "
           << (vtrial::ProcessGroup::built_with_mpi() ? "yes (mpirun -n R vtrial run ...)" : "no") << "\n";
    return finish(0);
  }
  const std::vector<std::string> rest(all.begin() + 1, all.end());
  vtrial::set_command(vtrial::shell_words(words));
  if (!out) std::cout.rdbuf(nullptr);
  try {
    int status = 2;
    if (group.distributed() && all[0] != "run" && all[0] != "validate" && all[0] != "sweep" && all[0] != "samplesize")
      throw std::runtime_error("vtrial " + all[0] +
                               " under mpirun: only run, sweep and samplesize are spread over "
                               "MPI ranks; run " +
                               all[0] + " without mpirun");
    if (all[0] == "run")
      status = vtrial::cli::run_command(rest);
    else if (all[0] == "validate")
      status = vtrial::cli::validate_command(rest);
    else if (all[0] == "sweep")
      status = vtrial::cli::sweep_command(rest);
    else if (all[0] == "samplesize")
      status = vtrial::cli::samplesize_command(rest);
    else if (all[0] == "verify")
      status = vtrial::cli::verify_command(rest);
    else if (all[0] == "merge")
      status = vtrial::cli::merge_command(rest);
    else if (all[0] == "report")
      status = vtrial::cli::report_command(rest);
    else if (out)
      std::cerr << "vtrial: unknown command '" << one_line(all[0]) << "'\n" << kUsage;
    // A summary that never reached its reader (a full disk, a closed pipe) is a failure: a
    // script must not take the exit status 0 for a result it did not get.
    if (out) {
      std::cout.flush();
      if (!std::cout) {
        std::cerr << "vtrial: error: cannot write to standard output (full disk or closed pipe?)\n";
        return finish(1);
      }
    }
    return finish(status);
  } catch (const vtrial::cli::UsageError& e) {
    if (out) std::cerr << "vtrial " << one_line(all[0]) << ": " << one_line(e.message) << "\n";
    return finish(2);  // every rank parsed the same words and stops here alike
  } catch (const std::exception& e) {
    if (group.distributed())
      std::cerr << "vtrial: error (rank " << group.rank() << " of " << group.size() << "): " << one_line(e.what())
                << "\n";
    else
      std::cerr << "vtrial: error: " << one_line(e.what()) << "\n";
    // Leave without running static destructors: after a failed HDF5 write the library's own
    // clean-up at exit would close the abandoned file and can crash (engine/hdf5_output.cpp).
    // In an MPI job, the whole job ends: a rank waiting for this one's blocks never would.
    std::cout.flush();
    std::cerr.flush();
    group.abort(1);
  }
}
