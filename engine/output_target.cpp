#include "engine/output_target.hpp"

#include <H5Cpp.h>

#include <filesystem>
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

}  // namespace

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
