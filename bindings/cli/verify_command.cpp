// vtrial verify FILE...: reads each result file back in full (every checksum HDF5 holds is
// checked on the way) and prints its content digest, equal for files holding the same results.
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "bindings/cli/commands.hpp"
#include "bindings/cli/report.hpp"
#include "engine/hdf5_verify.hpp"

namespace vtrial::cli {
namespace {

// What every file of its kind holds (docs/output.md): a file lacking one was not written whole
// by vtrial, whatever its filetype says.
std::vector<std::string> missing_parts(const FileCheck& check) {
  std::vector<std::string> missing;
  const auto has_attribute = [&](const std::string& a) {
    return std::find(check.root_attributes.begin(), check.root_attributes.end(), a) != check.root_attributes.end();
  };
  const auto has_object = [&](const std::string& o) {
    return std::find(check.objects.begin(), check.objects.end(), o) != check.objects.end();
  };
  for (const char* a : {"version", "format_version", "scenario", "seed", "trials"})
    if (!has_attribute(a)) missing.push_back(std::string("the root attribute ") + a);
  // A sweep's shard holds per-N rows (/sweep_trials_n<N>) instead of /trials and summaries.
  const bool sweep_shard =
      check.filetype == "vtrial.shard" && std::any_of(check.objects.begin(), check.objects.end(),
                                                      [](const auto& o) { return o.rfind("/sweep_trials_n", 0) == 0; });
  const bool run = check.filetype == "vtrial.run" || check.filetype == "vtrial.shard";
  const std::vector<std::string> groups = check.filetype == "vtrial.block" ? std::vector<std::string>{}
                                          : sweep_shard                    ? std::vector<std::string>{"/schema"}
                                          : run ? std::vector<std::string>{"/trials", "/summary", "/design", "/schema"}
                                                : std::vector<std::string>{"/sweep"};
  for (const auto& g : groups)
    if (!has_object(g)) missing.push_back("the group " + g);
  return missing;
}

}  // namespace

int verify_command(const std::vector<std::string>& args) {
  bool json = false;
  std::vector<std::string> files;
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "usage: vtrial verify FILE.h5 [FILE.h5 ...] [--json]\n\n"
                   "Reads every dataset and attribute of each result file, so that HDF5 checks the checksums\n"
                   "vtrial writes (each data chunk, the superblock and every object header), and prints the\n"
                   "file's content digest: files holding the same results have the same digest, whatever the\n"
                   "thread count or command that made them. Exit 1 if any file is damaged or not vtrial's.\n";
      return 0;
    }
    if (a == "--json")
      json = true;
    else if (!a.empty() && a[0] == '-')
      throw UsageError{"unknown option '" + a + "'"};
    else
      files.push_back(a);
  }
  if (files.empty()) throw UsageError{"no result file given (vtrial verify FILE.h5 ...)"};
  int status = 0;
  Json list = Json::array();
  for (const auto& file : files) {
    FileCheck check = check_result_file(file);
    if (check.problems.empty() && check.filetype.rfind("vtrial.", 0) != 0)
      check.problems.push_back(file + ": not a vtrial result file (its root attribute filetype is not vtrial.*)");
    if (check.problems.empty()) {
      for (const auto& missing : missing_parts(check))
        check.problems.push_back(file + ": " + check.filetype + " file without " + missing +
                                 " (docs/output.md lists what each holds)");
    }
    const bool ok = check.problems.empty();
    if (!ok) status = 1;
    list.push_back({{"file", file},
                    {"ok", ok},
                    {"filetype", check.filetype},
                    {"datasets", check.datasets},
                    {"attributes", check.attributes},
                    {"digest", ok ? Json(check.digest) : Json()},
                    {"problems", check.problems}});
    if (json) continue;  // printed once, below
    if (ok) {
      std::cout << file << ": ok (" << check.filetype << ", " << check.datasets << " datasets, " << check.attributes
                << " attributes), content digest " << check.digest << "\n";
    } else {
      std::cout << file << ": DAMAGED\n";
      for (const auto& p : check.problems) std::cout << "  " << p << "\n";
    }
  }
  if (json) std::cout << json_line(Json{{"files", list}}) << "\n";
  if (status != 0) {  // one line on stderr too, for scripts and logs that read only errors
    std::size_t bad = 0;
    std::string first;
    for (const auto& entry : list)
      if (!entry["ok"] && bad++ == 0) first = entry["problems"].front().get<std::string>();
    std::cerr << "vtrial: error: verify: " << first
              << (bad > 1 ? " (and " + std::to_string(bad - 1) + " more files damaged or not vtrial results)" : "")
              << "\n";
    // HDF5's clean-up at exit complains on stderr about what a damaged file left open
    // ("infinite loop closing library"): the result is told, so leave without it.
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(status);
  }
  return status;
}

}  // namespace vtrial::cli
