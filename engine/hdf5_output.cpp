#include "engine/hdf5_output.hpp"

#include <H5Cpp.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <span>
#include <stdexcept>

#include "engine/output_target.hpp"

namespace vtrial {

struct Hdf5Output::File {
  H5::H5File h5;
  int open_streams = 0;           // a dataset still open keeps the file open past close(): see commit()
  bool broken = false;            // an HDF5 call failed: the file is abandoned, never closed (see ~Hdf5Output)
  bool unfinished_table = false;  // a table stream ended without finish(): the file is incomplete
};

namespace {

H5::Group open_or_create_group(H5::H5File& file, const std::string& name) {
  const std::string path = name.front() == '/' ? name : "/" + name;
  // A nested group ("uncertainty/priors") needs its parents first: H5Lexists fails below a
  // missing link.
  if (const auto slash = path.rfind('/'); slash > 0) open_or_create_group(file, path.substr(0, slash));
  if (H5Lexists(file.getId(), path.c_str(), H5P_DEFAULT) > 0) return file.openGroup(path);
  // Without creation times, so two runs of the same scenario and seed give the same bytes.
  H5::PropList group_properties(H5Pcreate(H5P_GROUP_CREATE));
  H5Pset_obj_track_times(group_properties.getId(), false);
  const hid_t id = H5Gcreate2(file.getId(), path.c_str(), H5P_DEFAULT, group_properties.getId(), H5P_DEFAULT);
  if (id < 0) throw H5::GroupIException("open_or_create_group", "H5Gcreate2 failed for " + path);
  H5::Group group(id);
  H5Idec_ref(id);  // the Group holds its own reference
  return group;
}

// Whether a large column is worth deflating, judged from its first block. Counts, flags and
// columns of one repeated value (NaN where an endpoint does not apply) shrink 30-200x, and
// deflate runs fast on them. Continuous values (p-values, estimates, days) shrink by only
// 10-20 % with shuffle + deflate, and deflating them took a fifth of a single-threaded
// parametric run, so they are stored as they are.
bool worth_compressing(ColumnType type, std::span<const double> first_block) {
  if (type == ColumnType::integer) return true;
  return std::all_of(first_block.begin(), first_block.end(),
                     [](double x) { return std::isnan(x) || (std::isfinite(x) && std::trunc(x) == x); });
}

// Every dataset with rows is chunked with a Fletcher-32 checksum per chunk, so HDF5 itself
// (vtrial verify, h5py, R) refuses to read a chunk whose bytes changed instead of returning
// wrong numbers; large compressible columns (1e6 trials) are also shuffled and deflated.
H5::DSetCreatPropList column_properties(hsize_t rows, bool compress) {
  H5::DSetCreatPropList props;
  H5Pset_obj_track_times(props.getId(), false);  // no creation times: identical runs give identical files
  if (rows == 0) return props;                   // nothing to check, and a chunk cannot be empty
  const hsize_t chunk = Hdf5Output::kChunkRows < rows ? Hdf5Output::kChunkRows : rows;
  props.setChunk(1, &chunk);
  if (rows >= 4096 && compress) {
    props.setShuffle();
    props.setDeflate(1);  // level 1 compresses these columns nearly as well, several times faster
  }
  props.setFletcher32();
  return props;
}

// Object headers and the superblock in the 1.8 format and later carry checksums of their own,
// so a changed byte in the file's structure or an attribute is detected too (readable by HDF5
// 1.8 and later; Debian has 1.10).
H5::FileAccPropList checksummed_metadata() {
  H5::FileAccPropList access;
  H5Pset_libver_bounds(access.getId(), H5F_LIBVER_V18, H5F_LIBVER_V110);
  return access;
}

// That format's object headers hold times unless told not to; the root group is made with
// the file, so its creation list says so (identical runs give identical bytes).
H5::FileCreatPropList untimed_root() {
  H5::FileCreatPropList creation;
  H5Pset_obj_track_times(creation.getId(), false);
  return creation;
}

void write_string_attribute(H5::H5Object& object, const std::string& name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  H5::Attribute attr = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  const char* text = value.c_str();
  attr.write(type, &text);
}

// Temporary paths of open outputs, readable from a signal handler: fixed storage, a slot is
// published (release) only after its path is written.
struct PendingOutput {
  std::atomic<bool> used{false};
  std::atomic<bool> ready{false};
  char path[4096] = {};
};
// Slots are never reused, so there is one per output of a process's life: a checkpointed run
// writes one output per block (up to 1,526 for 1e8 trials) and its joined file; 4,096 slots
// cover every run vtrial accepts. Untouched slots are zero pages that are never made resident.
std::array<PendingOutput, 4096> pending_outputs;

// A slot is used once per process, never reused: a handler reading a path while a later
// output wrote a new one into the same slot could otherwise see a mix of both.
int register_pending(const std::string& path) {
  if (path.size() >= sizeof(PendingOutput::path)) return -1;
  for (std::size_t i = 0; i < pending_outputs.size(); ++i) {
    bool expected = false;
    if (pending_outputs[i].used.compare_exchange_strong(expected, true)) {
      std::memcpy(pending_outputs[i].path, path.c_str(), path.size() + 1);
      pending_outputs[i].ready.store(true, std::memory_order_release);
      return static_cast<int>(i);
    }
  }
  return -1;  // more than 4,096 outputs in one process (a long Python session): not cleaned up on a signal
}

void unregister_pending(int slot) {
  if (slot < 0) return;
  pending_outputs[static_cast<std::size_t>(slot)].ready.store(false, std::memory_order_release);
}

// HDF5's C++ exceptions do not derive from std::exception: every call into HDF5 goes through
// here, so a failed write (disk full, file size limit) reaches the caller as a
// std::runtime_error naming the file, and the temporary file is removed by the destructor.
// HDF5 prints its error stack per thread unless told not to, and blocks may be written from a
// worker thread, so printing is switched off on the calling thread each time.
template <class F>
auto guarded(const std::string& path, const char* what, bool& broken, F f) {
  H5::Exception::dontPrint();
  try {
    return f();
  } catch (const H5::Exception& e) {
    broken = true;
    throw std::runtime_error(std::string("cannot write ") + what + " to " + path + ": " + e.getDetailMsg());
  }
}

// Runs before HDF5's own exit handler (exit handlers run in reverse order of registration, and
// the HDF5 C++ library registers its clean-up when it is loaded, before any file can break): flushes C stdio
// and ends the process with the status it was exiting with, so HDF5 never tries to close the
// abandoned file (which crashes inside H5F__close_cb: a segfault at exit, status 139, after
// a caught write failure in a Python session). Skipped with it: HDF5's closing of files the
// program left open, which the crash would have prevented too.
void exit_past_hdf5_cleanup(int status, void*) {
  std::fflush(nullptr);
  std::_Exit(status);
}

void skip_hdf5_cleanup_at_exit() {
  static std::once_flag registered;
  std::call_once(registered, [] { ::on_exit(exit_past_hdf5_cleanup, nullptr); });
}

}  // namespace

void remove_uncommitted_outputs() noexcept {
  for (auto& pending : pending_outputs)
    if (pending.ready.load(std::memory_order_acquire)) unlink(pending.path);
}

Hdf5Output::Hdf5Output(std::string final_path) : final_path_(std::move(final_path)) {
  H5::Exception::dontPrint();
  check_output_target(final_path_);
  remove_stale_temporaries(final_path_);
  temp_path_ = temporary_output_path(final_path_);
  H5::Exception::dontPrint();
  signal_slot_ = register_pending(temp_path_);
  // Created first by hand, so a failure says why (HDF5's own message names no cause): no such
  // directory, permission denied, read-only file system, no space.
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    const int cause = errno;
    unregister_pending(signal_slot_);
    throw std::runtime_error("cannot create output file " + temp_path_ + " (for " + final_path_ +
                             "): " + std::strerror(cause));
  }
  ::close(fd);
  try {
    file_ = std::make_unique<File>(File{H5::H5File(temp_path_, H5F_ACC_TRUNC, untimed_root(), checksummed_metadata())});
  } catch (const H5::Exception& e) {
    unregister_pending(signal_slot_);
    std::remove(temp_path_.c_str());
    throw std::runtime_error("cannot create output file " + temp_path_ + " (for " + final_path_ +
                             "): " + e.getDetailMsg());
  }
}

Hdf5Output::~Hdf5Output() {
  if (committed_) return;
  // After a failed write HDF5 1.10 can crash inside H5Fclose, so a broken file is abandoned
  // open (its descriptor leaks) and only unlinked. The library's own clean-up at exit would
  // close it too and crash, so from then on the process leaves without it (see
  // exit_past_hdf5_cleanup; the CLI also ends with std::_Exit after an error).
  if (file_ && file_->broken) {
    static_cast<void>(file_.release());
    skip_hdf5_cleanup_at_exit();
  }
  file_.reset();
  std::remove(temp_path_.c_str());
  unregister_pending(signal_slot_);
}

void Hdf5Output::root_attribute(const std::string& name, const std::string& value) {
  guarded(temp_path_, "an attribute", file_->broken, [&] {
    H5::Group root = file_->h5.openGroup("/");
    write_string_attribute(root, name, value);
  });
}

void Hdf5Output::root_attribute(const std::string& name, double value) {
  guarded(temp_path_, "an attribute", file_->broken, [&] {
    H5::Group root = file_->h5.openGroup("/");
    root.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
        .write(H5::PredType::NATIVE_DOUBLE, &value);
  });
}

void Hdf5Output::root_attribute(const std::string& name, std::int64_t value) {
  guarded(temp_path_, "an attribute", file_->broken, [&] {
    H5::Group root = file_->h5.openGroup("/");
    root.createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR))
        .write(H5::PredType::NATIVE_INT64, &value);
  });
}

void Hdf5Output::group_attribute(const std::string& group, const std::string& name, const std::string& value) {
  guarded(temp_path_, "an attribute", file_->broken, [&] {
    H5::Group g = open_or_create_group(file_->h5, group);
    write_string_attribute(g, name, value);
  });
}

struct Hdf5Output::TableStream::Datasets {
  std::vector<ColumnSpec> specs;
  std::vector<H5::DataSet> columns;  // created by the first write (or finish), see create()
  std::string group;
  hsize_t rows = 0;
  std::vector<std::int64_t> ints;  // conversion buffer for integer columns
  std::string path;                // for error messages
  Hdf5Output::File* file = nullptr;
  bool created = false;
  // The columns' storage is chosen from the first block written (see worth_compressing), so
  // the datasets are made then; a table with no rows gets plain ones.
  void create(const ResultTable* first_block, std::size_t block_rows) {
    // After a failed call the file is abandoned; a half-made set of datasets is never retried.
    if (file->broken) throw std::runtime_error("cannot write a table to " + path + ": an earlier write failed");
    H5::Group g = open_or_create_group(file->h5, group);
    H5::DataSpace space(1, &rows);
    for (std::size_t c = 0; c < specs.size(); ++c) {
      const auto& spec = specs[c];
      const bool compress =
          first_block && worth_compressing(spec.type, std::span(first_block->column(c)).first(block_rows));
      const auto& type = spec.type == ColumnType::integer ? H5::PredType::NATIVE_INT64 : H5::PredType::NATIVE_DOUBLE;
      columns.push_back(g.createDataSet(spec.name, type, space, column_properties(rows, compress)));
    }
    created = true;
  }
  // Closing a dataset is where HDF5 writes its cached chunks, so this is where a full disk
  // shows; H5Cpp's destructors would only print the failure.
  void close_all(bool report) {
    H5::Exception::dontPrint();
    std::string failure;
    for (auto& column : columns) {
      try {
        column.close();
      } catch (const H5::Exception& e) {
        file->broken = true;
        if (failure.empty()) failure = e.getDetailMsg();
      }
    }
    columns.clear();
    if (report && !failure.empty()) throw std::runtime_error("cannot write a table to " + path + ": " + failure);
  }
  bool finished = false;
  ~Datasets() {
    close_all(false);
    if (!finished) file->unfinished_table = true;
    --file->open_streams;
  }
};

Hdf5Output::TableStream::TableStream(std::unique_ptr<Datasets> datasets) : datasets_(std::move(datasets)) {}
Hdf5Output::TableStream::TableStream(TableStream&&) noexcept = default;
Hdf5Output::TableStream::~TableStream() = default;

void Hdf5Output::TableStream::finish() {
  Datasets& d = *datasets_;
  if (!d.created) guarded(d.path, "a table", d.file->broken, [&] { d.create(nullptr, 0); });
  d.close_all(true);
  d.finished = true;
}

void Hdf5Output::TableStream::write(const ResultTable& block, std::size_t first_row, std::size_t rows) {
  Datasets& d = *datasets_;
  if (rows == 0) return;
  if (block.columns() != d.specs.size() || rows > block.rows() || first_row + rows > d.rows)
    throw std::logic_error("TableStream::write: block does not fit the table");
  guarded(d.path, "table rows", d.file->broken, [&] {
    if (!d.created) d.create(&block, rows);
    const hsize_t start = first_row, count = rows;
    H5::DataSpace memory(1, &count);
    for (std::size_t c = 0; c < d.columns.size(); ++c) {
      H5::DataSpace file = d.columns[c].getSpace();
      file.selectHyperslab(H5S_SELECT_SET, &count, &start);
      const auto& data = block.column(c);
      if (d.specs[c].type == ColumnType::integer) {
        d.ints.resize(rows);
        for (std::size_t i = 0; i < rows; ++i) d.ints[i] = static_cast<std::int64_t>(data[i]);
        d.columns[c].write(d.ints.data(), H5::PredType::NATIVE_INT64, memory, file);
      } else {
        d.columns[c].write(data.data(), H5::PredType::NATIVE_DOUBLE, memory, file);
      }
    }
  });
}

Hdf5Output::TableStream Hdf5Output::stream_table(const std::string& group, const std::vector<ColumnSpec>& columns,
                                                 std::size_t rows) {
  auto d = std::make_unique<TableStream::Datasets>();
  d->specs = columns;
  d->rows = rows;
  d->path = temp_path_;
  d->file = file_.get();
  ++file_->open_streams;
  d->group = group;
  guarded(temp_path_, "a table", file_->broken, [&] { open_or_create_group(file_->h5, group); });
  return TableStream(std::move(d));
}

void Hdf5Output::write_table(const std::string& group, const ResultTable& table) {
  TableStream stream = stream_table(group, table.specs(), table.rows());
  stream.write(table, 0, table.rows());
  stream.finish();
}

void Hdf5Output::write_strings(const std::string& group, const std::string& name,
                               const std::vector<std::string>& values) {
  guarded(temp_path_, "a table", file_->broken, [&] {
    H5::Group g = open_or_create_group(file_->h5, group);
    const hsize_t rows = values.size();
    H5::DataSpace space(1, &rows);
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    // Variable-length strings live in HDF5's global heap, which has no checksum (a filter
    // would cover only the heap references): names, not numbers; docs/reliability.md says so.
    H5::DSetCreatPropList props;
    H5Pset_obj_track_times(props.getId(), false);
    H5::DataSet ds = g.createDataSet(name, type, space, props);
    if (rows > 0) ds.write(pointers.data(), type);
  });
}

void Hdf5Output::commit() {
  // HDF5 defers closing a file until its last open object closes, so renaming it with a
  // stream alive could publish an unfinished file.
  if (file_->open_streams != 0) throw std::logic_error("Hdf5Output::commit: a table stream is still open");
  if (file_->broken) throw std::runtime_error("cannot finish writing " + temp_path_ + ": an earlier write failed");
  // A stream ended without finish() (an exception between its writes) left its table short.
  if (file_->unfinished_table) throw std::logic_error("Hdf5Output::commit: a table stream ended without finish()");
  try {
    file_->h5.close();
  } catch (const H5::Exception& e) {
    file_->broken = true;
    throw std::runtime_error("cannot finish writing " + temp_path_ + ": " + e.getDetailMsg());
  }
  // On disk before it is published: after a power cut the final name holds the whole file or
  // the earlier one, never an empty or partial file (the rename is then made durable too).
  const auto sync = [](const std::string& p, int flags) {
    const int fd = ::open(p.c_str(), flags);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
  };
  if (!sync(temp_path_, O_RDONLY))
    throw std::runtime_error("cannot finish writing " + temp_path_ + ": fsync failed: " + std::strerror(errno));
  std::error_code ec;
  check_output_target(final_path_);  // again: something may have appeared there during the run
  std::filesystem::rename(temp_path_, final_path_, ec);
  if (ec) throw std::runtime_error("cannot rename " + temp_path_ + " to " + final_path_ + ": " + ec.message());
  const std::filesystem::path parent = std::filesystem::path(final_path_).parent_path();
  sync(parent.empty() ? std::string(".") : parent.string(), O_RDONLY | O_DIRECTORY);
  committed_ = true;
  unregister_pending(signal_slot_);
}

}  // namespace vtrial
