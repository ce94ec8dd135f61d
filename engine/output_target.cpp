#include "engine/output_target.hpp"

#include <H5Cpp.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vtrial {
namespace {

constexpr const char* kOwnFiletype = "vtrial.";

bool written_by_vtrial(const std::string& path) {
  try {
    if (H5Fis_hdf5(path.c_str()) <= 0) return false;
    H5::H5File file(path, H5F_ACC_RDONLY);
    if (!file.attrExists("filetype")) return false;
    const H5::Attribute attribute = file.openAttribute("filetype");
    std::string filetype;
    attribute.read(attribute.getStrType(), filetype);
    return filetype.rfind(kOwnFiletype, 0) == 0;
  } catch (const H5::Exception&) {
    return false;  // unreadable as HDF5: not ours
  }
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  std::string host(name);
  for (char& c : host)  // a name part of a file name: no separators
    if (c == '/' || c == '.') c = '_';
  return host;
}

std::string temporary_prefix(const std::string& path) {
  const std::filesystem::path target(path);
  return "." + target.filename().string() + ".tmp." + host_name() + ".";
}

// Empty (created, nothing written yet) or an HDF5 file: what a killed run leaves.
bool looks_like_a_killed_output(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  if (in.gcount() == 0) return true;
  return in.gcount() == 8 && std::string(head, 8) == std::string("\x89HDF\r\n\x1a\n", 8);
}

}  // namespace

std::string temporary_output_path(const std::string& path) {
  const std::filesystem::path target(path);
  return (target.parent_path() / (temporary_prefix(path) + std::to_string(getpid()))).string();
}

int remove_stale_temporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = temporary_prefix(path);
  std::error_code ec;
  int removed = 0;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    long pid = 0;
    const auto [ptr, parse] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
    if (parse != std::errc() || ptr != pid_text.data() + pid_text.size() || pid <= 0) continue;
    // ESRCH: no such process. EPERM means it exists (another user's): left alone.
    if (static_cast<pid_t>(pid) == getpid() || kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code type_ec;
    if (!fs::is_regular_file(fs::symlink_status(it->path(), type_ec)) || !looks_like_a_killed_output(it->path()))
      continue;
    if (fs::remove(it->path(), type_ec)) ++removed;
  }
  return removed;
}

void check_output_target(const std::string& path) {
  if (path.empty()) throw std::runtime_error("the output path is empty; give a file name such as result.h5");
  if (path == "-")
    throw std::runtime_error(
        "output '-': results are an HDF5 file, not a stream; give a file name "
        "(--json prints the summary on standard output)");
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (ec || status.type() == fs::file_type::not_found) return;  // absent: created by the rename
  const std::string refuse = "refusing to replace " + path + ": ";
  if (fs::is_symlink(status)) throw std::runtime_error(refuse + "it is a symbolic link");
  if (fs::is_directory(status)) throw std::runtime_error(refuse + "it is a directory");
  if (!fs::is_regular_file(status))
    throw std::runtime_error(refuse + "it is not a regular file (a device, pipe or socket)");
  if (!written_by_vtrial(path))
    throw std::runtime_error(refuse + "it is not a vtrial result file (remove it first, or choose another output)");
}

}  // namespace vtrial
