#include "engine/hdf5_verify.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "engine/random_stream.hpp"

namespace vtrial {
namespace {

// Chained SplitMix64 over 8-byte words: order-dependent, fast, and enough to tell two result
// files apart (no adversary).
class Digest {
 public:
  void bytes(const void* data, std::size_t n) {
    word(n);
    const auto* p = static_cast<const unsigned char*>(data);
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      word(w);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    word(tail);
  }
  void text(const std::string& s) { bytes(s.data(), s.size()); }
  void word(std::uint64_t w) { h_ = mix64(h_ ^ w); }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h_));
    return out;
  }

 private:
  std::uint64_t h_ = 0x76747269616c3031ULL;
};

// The innermost message of HDF5's error stack ("Fletcher32 checksum failed", "incorrect
// metadata checksum after all read attempts"): the cause a reader can act on.
std::string hdf5_cause() {
  std::string deepest;  // walking upward, error 0 is the most specific one
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
        if (n == 0) *static_cast<std::string*>(out) = e->desc ? e->desc : "";
        return 0;
      },
      &deepest);
  H5Eclear2(H5E_DEFAULT);
  return deepest;
}

// Closes an HDF5 identifier with the right call when it goes out of scope.
class Id {
 public:
  explicit Id(hid_t id = -1) : id_(id) {}
  ~Id() {
    if (id_ < 0) return;
    switch (H5Iget_type(id_)) {
      case H5I_FILE:
        H5Fclose(id_);
        break;
      case H5I_GROUP:
        H5Gclose(id_);
        break;
      case H5I_DATASET:
        H5Dclose(id_);
        break;
      case H5I_ATTR:
        H5Aclose(id_);
        break;
      case H5I_DATATYPE:
        H5Tclose(id_);
        break;
      case H5I_DATASPACE:
        H5Sclose(id_);
        break;
      case H5I_GENPROP_LST:
        H5Pclose(id_);
        break;
      default:
        H5Oclose(id_);
        break;
    }
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  operator hid_t() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
};

struct Checker {
  FileCheck result;
  Digest digest;

  void problem(const std::string& where, const std::string& what) {
    std::string cause = hdf5_cause();
    result.problems.push_back(where + ": " + what + (cause.empty() ? "" : " (" + cause + ")"));
  }

  // Reads `count` elements of `type` through `read(memory_type, buffer, first, n)` in slabs of
  // `slab` elements (a read that cannot select rows gets slab = count), hashing them; vlen
  // strings are hashed by their text. Other variable-length data (never vtrial's) is hashed by
  // its type only: its memory form holds pointers.
  template <class Read>
  bool read_values(hid_t type, hsize_t count, Read read, hsize_t slab = hsize_t(1) << 20) {
    if (H5Tis_variable_str(type) > 0) {
      std::vector<char*> strings(count, nullptr);
      Id memory(H5Tcopy(type));
      if (count > 0 && !read(static_cast<hid_t>(memory), strings.data(), 0, count)) return false;
      for (char* s : strings) digest.text(s ? s : "");
      Id space(H5Screate_simple(1, &count, nullptr));
      if (count > 0) H5Dvlen_reclaim(memory, space, H5P_DEFAULT, strings.data());
      return true;
    }
    if (H5Tdetect_class(type, H5T_VLEN) > 0) {
      digest.word(H5Tget_class(type));
      return true;
    }
    Id native(H5Tget_native_type(type, H5T_DIR_ASCEND));
    if (!native.ok()) return false;
    const std::size_t size = H5Tget_size(native);
    digest.word(H5Tget_class(native));
    digest.word(size);
    // Elements per read: memory stays flat in the file's size where rows can be selected.
    slab = std::max<hsize_t>(1, std::min(slab, count));
    std::vector<unsigned char> buffer(static_cast<std::size_t>(slab) * size);
    for (hsize_t first = 0; first < count; first += slab) {
      const hsize_t n = std::min(slab, count - first);
      if (!read(static_cast<hid_t>(native), buffer.data(), first, n)) return false;
      digest.bytes(buffer.data(), static_cast<std::size_t>(n) * size);
    }
    return true;
  }

  void check_dataset(hid_t object, const std::string& name) {
    ++result.datasets;
    Id type(H5Dget_type(object));
    Id space(H5Dget_space(object));
    if (!type.ok() || !space.ok()) return problem(name, "its description cannot be read");
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    digest.text(name);
    for (hsize_t d : dims) digest.word(d);
    const hsize_t count = static_cast<hsize_t>(H5Sget_simple_extent_npoints(space));
    const bool one_d = rank == 1;
    const bool ok = read_values(
        type, count,
        [&](hid_t memory, void* buffer, hsize_t first, hsize_t n) {
          if (!one_d) return H5Dread(object, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer) >= 0;
          Id file_space(H5Scopy(space));
          Id memory_space(H5Screate_simple(1, &n, nullptr));
          H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &first, nullptr, &n, nullptr);
          return H5Dread(object, memory, memory_space, file_space, H5P_DEFAULT, buffer) >= 0;
        },
        one_d ? hsize_t(1) << 20 : count);  // not 1-D (never vtrial's): read whole
    if (!ok) problem(name, "its data cannot be read back: the file changed after it was written");
  }

  void check_attributes(hid_t object, const std::string& name) {
    std::vector<std::string> names;
    const herr_t listed = H5Aiterate2(
        object, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* attribute, const H5A_info_t*, void* out) -> herr_t {
          static_cast<std::vector<std::string>*>(out)->push_back(attribute);
          return 0;
        },
        &names);
    if (listed < 0) return problem(name, "its attributes cannot be listed");
    if (name == "/") result.root_attributes = names;
    for (const auto& attribute : names) {
      ++result.attributes;
      const bool provenance = name == "/" && std::find(kProvenanceAttributes.begin(), kProvenanceAttributes.end(),
                                                       attribute) != kProvenanceAttributes.end();
      Id a(H5Aopen(object, attribute.c_str(), H5P_DEFAULT));
      if (!a.ok()) {
        problem(name, "attribute '" + attribute + "' cannot be opened");
        continue;
      }
      Id type(H5Aget_type(a));
      Id space(H5Aget_space(a));
      const hsize_t count = static_cast<hsize_t>(H5Sget_simple_extent_npoints(space));
      Digest kept = digest;
      digest.text(name + "@" + attribute);
      bool ok = true;
      if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) <= 0) {
        std::string text(H5Tget_size(type) * count, '\0');  // fixed-length text, read as it is
        ok = H5Aread(a, type, text.data()) >= 0;
        digest.text(text);
      } else {
        ok = read_values(
            type, count, [&](hid_t memory, void* buffer, hsize_t, hsize_t) { return H5Aread(a, memory, buffer) >= 0; },
            count);  // an attribute is read whole
      }
      if (!ok) problem(name, "attribute '" + attribute + "' cannot be read");
      if (attribute == "filetype" && name == "/" && ok) {
        char* value = nullptr;
        if (H5Tis_variable_str(type) > 0 && H5Aread(a, type, &value) >= 0 && value) {
          result.filetype = value;
          H5free_memory(value);
        }
      }
      if (provenance) digest = kept;  // read (and so checked), but not part of the content
    }
  }
};

std::mutex hdf5_error_mutex;  // the error-printing switch is process-wide

}  // namespace

FileCheck check_result_file(const std::string& path) {
  Checker c;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    c.result.problems.push_back(path + ": " +
                                (std::filesystem::exists(path, ec) ? "not a regular file" : "no such file"));
    return c.result;
  }
  std::lock_guard lock(hdf5_error_mutex);
  H5E_auto2_t old_func = nullptr;
  void* old_data = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &old_func, &old_data);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  {
    // Closing the file closes whatever a damaged object left open, so HDF5 has nothing to
    // complain about at exit ("infinite loop closing library").
    Id access(H5Pcreate(H5P_FILE_ACCESS));
    H5Pset_fclose_degree(access, H5F_CLOSE_STRONG);
    Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access));
    if (!file.ok()) {
      c.problem(path, "cannot be opened as HDF5: not an HDF5 file, or its superblock is damaged");
    } else {
      std::vector<std::string> names{"/"};
      const herr_t visited = H5Lvisit(
          file, H5_INDEX_NAME, H5_ITER_INC,
          [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
            static_cast<std::vector<std::string>*>(out)->push_back(std::string("/") + name);
            return 0;
          },
          &names);
      if (visited < 0) c.problem(path, "its groups cannot be listed: the file's structure is damaged");
      c.result.objects.assign(names.begin() + 1, names.end());
      for (const auto& name : names) {
        Id object(H5Oopen(file, name.c_str(), H5P_DEFAULT));
        if (!object.ok()) {
          c.problem(name, "cannot be opened: its object header is damaged");
          continue;
        }
        if (H5Iget_type(object) == H5I_DATASET) c.check_dataset(object, name);
        c.check_attributes(object, name);
      }
    }
  }
  H5Eset_auto2(H5E_DEFAULT, old_func, old_data);
  c.result.digest = c.digest.hex();
  return c.result;
}

}  // namespace vtrial
