#pragma once
// Reads back what hdf5_output.hpp wrote: root attributes and 1-D columns, by name, in ranges of
// rows (so a merge reads a large file block by block). Raw HDF5 calls stay in hdf5_input.cpp.
// Every failure is a std::runtime_error naming the file and the object.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

class Hdf5Input {
 public:
  explicit Hdf5Input(const std::string& path);
  ~Hdf5Input();
  Hdf5Input(const Hdf5Input&) = delete;
  Hdf5Input& operator=(const Hdf5Input&) = delete;

  const std::string& path() const { return path_; }
  std::optional<std::string> text_attribute(const std::string& name) const;
  std::optional<std::int64_t> integer_attribute(const std::string& name) const;
  bool has(const std::string& object) const;  // "/trials", "/trials/x"
  std::size_t rows(const std::string& dataset) const;
  // Rows [first, first + count) of a 1-D numeric dataset, converted to double (as ResultTable
  // holds them; int64 columns hold integers far below 2^53).
  std::vector<double> read(const std::string& dataset, std::size_t first, std::size_t count) const;
  // Rows [first, first + count) of the columns `specs` of `group` as a table.
  ResultTable read_table(const std::string& group, const std::vector<ColumnSpec>& specs, std::size_t first,
                         std::size_t count) const;

 private:
  struct File;
  std::string path_;
  std::unique_ptr<File> file_;
};

}  // namespace vtrial
