#pragma once
// What an output path may be: absent, or a result file this program wrote (an HDF5 file whose
// root attribute `filetype` starts with "vtrial."). Anything else at the path, a device such
// as /dev/null, a directory, a pipe, a symbolic link, the scenario itself or any other file,
// is never replaced: the run is refused before it simulates, naming the path and why.
#include <string>

namespace vtrial {

// Throws std::runtime_error when `path` must not be replaced by a result file.
void check_output_target(const std::string& path);

}  // namespace vtrial
