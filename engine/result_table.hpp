#pragma once
// Column-major table of per-trial (or per-patient) results. Each trial writes its own row, so
// the content never depends on which thread ran it or when.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace vtrial {

enum class ColumnType : std::uint8_t { real, integer };

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::real;
};

// Position of the column called `name` in `columns`; throws std::out_of_range if absent.
inline std::size_t column_index(const std::vector<ColumnSpec>& columns, const std::string& name) {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].name == name) return c;
  throw std::out_of_range("no column named '" + name + "'");
}

class ResultTable {
 public:
  ResultTable() = default;
  ResultTable(std::vector<ColumnSpec> columns, std::size_t rows)
      : specs_(std::move(columns)), data_(specs_.size(), std::vector<double>(rows, 0.0)), rows_(rows) {}

  std::size_t rows() const noexcept { return rows_; }
  std::size_t columns() const noexcept { return specs_.size(); }
  const ColumnSpec& spec(std::size_t c) const { return specs_[c]; }
  const std::vector<ColumnSpec>& specs() const noexcept { return specs_; }

  double& at(std::size_t column, std::size_t row) { return data_[column][row]; }
  double at(std::size_t column, std::size_t row) const { return data_[column][row]; }
  const std::vector<double>& column(std::size_t c) const { return data_[c]; }

  std::size_t index_of(const std::string& name) const { return column_index(specs_, name); }
  const std::vector<double>& column(const std::string& name) const { return data_[index_of(name)]; }

  // Appends the rows of `other` (same columns) below this table's.
  void append(const ResultTable& other) {
    if (specs_.empty()) specs_ = other.specs_, data_.assign(specs_.size(), {});
    for (std::size_t c = 0; c < specs_.size(); ++c)
      data_[c].insert(data_[c].end(), other.data_[c].begin(), other.data_[c].end());
    rows_ += other.rows_;
  }

 private:
  std::vector<ColumnSpec> specs_;
  std::vector<std::vector<double>> data_;
  std::size_t rows_ = 0;
};

}  // namespace vtrial
