// vtrial verify FILE...: reads each result file back in full (every checksum HDF5 holds is
// checked on the way) and prints its content digest, equal for files holding the same results.
#include <iostream>

#include "bindings/cli/commands.hpp"
#include "bindings/cli/report.hpp"
#include "engine/hdf5_verify.hpp"

namespace vtrial::cli {

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
    const bool ok = check.problems.empty();
    if (!ok) status = 1;
    if (json) {
      list.push_back({{"file", file},
                      {"ok", ok},
                      {"filetype", check.filetype},
                      {"datasets", check.datasets},
                      {"attributes", check.attributes},
                      {"digest", ok ? Json(check.digest) : Json()},
                      {"problems", check.problems}});
    } else if (ok) {
      std::cout << file << ": ok (" << check.filetype << ", " << check.datasets << " datasets, " << check.attributes
                << " attributes), content digest " << check.digest << "\n";
    } else {
      std::cout << file << ": DAMAGED\n";
      for (const auto& p : check.problems) std::cout << "  " << p << "\n";
    }
  }
  if (json) std::cout << json_line(Json{{"files", list}}) << "\n";
  return status;
}

}  // namespace vtrial::cli
