#pragma once
// Writes one run's results to HDF5 without ever leaving a half-written file under the final
// name: everything goes to a temporary file beside it, renamed over the target only by
// commit(). If the run fails (or commit() is never called), the temporary file is removed and
// any existing file at the target is untouched. Raw HDF5 calls stay in hdf5_output.cpp.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

// For a SIGINT/SIGTERM handler: removes the temporary file of every Hdf5Output not yet
// committed, so an interrupted run leaves nothing behind (the final path is never touched).
// Async-signal-safe: unlink(2) on paths recorded in advance.
void remove_uncommitted_outputs() noexcept;

class Hdf5Output {
 public:
  explicit Hdf5Output(std::string final_path);
  ~Hdf5Output();
  Hdf5Output(const Hdf5Output&) = delete;
  Hdf5Output& operator=(const Hdf5Output&) = delete;

  void root_attribute(const std::string& name, const std::string& value);
  void root_attribute(const std::string& name, double value);
  void root_attribute(const std::string& name, std::int64_t value);
  // One 1-D dataset per column under /group (created if absent); integer columns as int64.
  void write_table(const std::string& group, const ResultTable& table);
  void write_strings(const std::string& group, const std::string& name, const std::vector<std::string>& values);
  void group_attribute(const std::string& group, const std::string& name, const std::string& value);

  // A table written block by block: its datasets are created, with their final length, by the
  // first write() (which picks each column's storage from that block: deflate for integer and
  // whole-number columns, plain for continuous ones) or by finish() if nothing was written.
  // Each write() fills the rows [first_row, first_row + rows) from rows [0, rows) of a block.
  // finish() it, then destroy it, before commit(): commit() refuses while one lives, and after
  // one that ended without finish().
  class TableStream {
   public:
    TableStream(TableStream&&) noexcept;
    ~TableStream();
    void write(const ResultTable& block, std::size_t first_row, std::size_t rows);
    // Closes the datasets (HDF5 writes its cached chunks then); a failure throws. Without it
    // the destructor closes them and can only mark the file broken.
    void finish();

   private:
    friend class Hdf5Output;
    struct Datasets;
    explicit TableStream(std::unique_ptr<Datasets> datasets);
    std::unique_ptr<Datasets> datasets_;
  };
  TableStream stream_table(const std::string& group, const std::vector<ColumnSpec>& columns, std::size_t rows);
  static constexpr std::size_t kChunkRows = 65536;

  // Closes the file and atomically renames it to the final path.
  void commit();
  const std::string& temporary_path() const { return temp_path_; }

 private:
  struct File;
  std::string final_path_;
  std::string temp_path_;
  std::unique_ptr<File> file_;
  bool committed_ = false;
  int signal_slot_ = -1;  // where remove_uncommitted_outputs() finds temp_path_
};

}  // namespace vtrial
