// vtrial merge SHARD... --output OUT.h5: the single run's file from its shard files; with
// --missing, the shards of that run not yet given.
#include <iostream>

#include "app/merge.hpp"
#include "bindings/cli/commands.hpp"

namespace vtrial::cli {

int merge_command(const std::vector<std::string>& args) {
  std::vector<std::string> shards;
  std::string output;
  bool missing = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << "usage: vtrial merge SHARD.h5... --output OUT.h5\n"
                   "       vtrial merge SHARD.h5... --missing\n\n"
                   "Joins the shard files of one run (vtrial run ... --shard K/N) into the file a single run\n"
                   "would have written, every dataset bit-identical. Refused, naming what differs, unless the\n"
                   "shards share the resolved scenario, seed, trials, program version and source revision,\n"
                   "file-format version and shard count and hold every shard exactly once. --missing lists\n"
                   "the shards still to run (exit 1 if any).\n";
      return 0;
    }
    if (a == "--output" || a == "-o") {
      if (i + 1 == args.size()) throw UsageError{a + " needs a file name"};
      if (!output.empty()) throw UsageError{"--output is given twice"};
      output = args[++i];
      if (output.empty()) throw UsageError{"--output is empty; give a file name"};
    } else if (a == "--missing") {
      if (missing) throw UsageError{"--missing is given twice"};
      missing = true;
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError{"unknown option '" + a + "'"};
    } else {
      shards.push_back(a);
    }
  }
  if (shards.empty()) throw UsageError{"no shard files given (vtrial merge SHARD.h5... --output OUT.h5)"};
  if (missing) {
    if (!output.empty()) throw UsageError{"--missing writes nothing; leave out --output"};
    const auto todo = missing_shards(shards);
    for (const Shard& s : todo) std::cout << "--shard " << shard_text(s) << "\n";
    if (todo.empty()) std::cout << "# no shard missing\n";
    return todo.empty() ? 0 : 1;
  }
  if (output.empty()) throw UsageError{"--output OUT.h5 is required"};
  const std::size_t trials = merge_shards(shards, output);
  std::cout << "merged " << shards.size() << " shards (" << trials << " trials) into " << output << "\n";
  return 0;
}

}  // namespace vtrial::cli
