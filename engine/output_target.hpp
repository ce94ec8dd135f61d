#pragma once
// What an output path may be: absent, or a result file this program wrote (an HDF5 file whose
// root attribute `filetype` starts with "vtrial."). Anything else at the path, a device such
// as /dev/null, a directory, a pipe, a symbolic link, the scenario itself or any other file,
// is never replaced: the run is refused before it simulates, naming the path and why.
#include <string>

namespace vtrial {

// Throws std::runtime_error when `path` must not be replaced by a result file.
void check_output_target(const std::string& path);

// Where the result for `path` is written before it is renamed there: ".NAME.tmp.HOST.PID" in the
// same directory (the rename must not cross file systems).
std::string temporary_output_path(const std::string& path);

// A run killed by SIGKILL (or a power cut) cannot remove its temporary file. This removes
// those left for `path` by processes of this host that no longer exist, and only files that
// are empty or start with the HDF5 signature; a live run's file and other hosts' files (a
// shared file system) stay. Returns how many it removed.
int remove_stale_temporaries(const std::string& path);

}  // namespace vtrial
