#include "engine/hdf5_input.hpp"

#include <H5Cpp.h>

#include <stdexcept>

namespace vtrial {

struct Hdf5Input::File {
  H5::H5File h5;
};

namespace {

template <class F>
auto guarded(const std::string& path, const std::string& what, F f) {
  H5::Exception::dontPrint();
  try {
    return f();
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot read " + what + " of " + path + ": " + e.getDetailMsg());
  }
}

}  // namespace

Hdf5Input::Hdf5Input(const std::string& path) : path_(path) {
  H5::Exception::dontPrint();
  if (H5Fis_hdf5(path.c_str()) <= 0) throw std::runtime_error(path + ": not an HDF5 file (or no such file)");
  file_ = guarded(path, "the file", [&] { return std::make_unique<File>(File{H5::H5File(path, H5F_ACC_RDONLY)}); });
}

Hdf5Input::~Hdf5Input() = default;

std::optional<std::string> Hdf5Input::text_attribute(const std::string& name) const {
  return guarded(path_, "attribute " + name, [&]() -> std::optional<std::string> {
    if (!file_->h5.attrExists(name)) return std::nullopt;
    const H5::Attribute attribute = file_->h5.openAttribute(name);
    if (attribute.getTypeClass() != H5T_STRING || attribute.getSpace().getSimpleExtentNpoints() != 1)
      return std::nullopt;  // a scalar text, as vtrial writes it; anything else is not one
    std::string value;
    attribute.read(attribute.getStrType(), value);
    return value;
  });
}

std::optional<std::int64_t> Hdf5Input::integer_attribute(const std::string& name) const {
  return guarded(path_, "attribute " + name, [&]() -> std::optional<std::int64_t> {
    if (!file_->h5.attrExists(name)) return std::nullopt;
    const H5::Attribute attribute = file_->h5.openAttribute(name);
    if (attribute.getTypeClass() != H5T_INTEGER || attribute.getSpace().getSimpleExtentNpoints() != 1)
      return std::nullopt;
    std::int64_t value = 0;
    attribute.read(H5::PredType::NATIVE_INT64, &value);
    return value;
  });
}

bool Hdf5Input::has(const std::string& object) const {
  return guarded(path_, object, [&] {
    // Each link on the way must exist before the next is asked about.
    for (std::size_t slash = object.find('/', 1);; slash = object.find('/', slash + 1)) {
      const std::string prefix = object.substr(0, slash);
      if (H5Lexists(file_->h5.getId(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
      if (slash == std::string::npos) return true;
    }
  });
}

std::size_t Hdf5Input::rows(const std::string& dataset) const {
  return guarded(path_, dataset, [&] {
    const H5::DataSpace space = file_->h5.openDataSet(dataset).getSpace();
    if (space.getSimpleExtentNdims() != 1) throw std::runtime_error(path_ + ": " + dataset + " is not 1-D");
    hsize_t n = 0;
    space.getSimpleExtentDims(&n);
    return static_cast<std::size_t>(n);
  });
}

std::vector<double> Hdf5Input::read(const std::string& dataset, std::size_t first, std::size_t count) const {
  const std::size_t total = rows(dataset);
  if (first > total || count > total - first)
    throw std::runtime_error(path_ + ": " + dataset + " has " + std::to_string(total) + " rows, not " +
                             std::to_string(first + count));
  return guarded(path_, dataset, [&] {
    std::vector<double> values(count);
    if (count == 0) return values;
    const H5::DataSet ds = file_->h5.openDataSet(dataset);
    H5::DataSpace file_space = ds.getSpace();
    const hsize_t start = first, n = count;
    file_space.selectHyperslab(H5S_SELECT_SET, &n, &start);
    const H5::DataSpace memory(1, &n);
    ds.read(values.data(), H5::PredType::NATIVE_DOUBLE, memory, file_space);
    return values;
  });
}

ResultTable Hdf5Input::read_table(const std::string& group, const std::vector<ColumnSpec>& specs, std::size_t first,
                                  std::size_t count) const {
  ResultTable table(specs, count);
  for (std::size_t c = 0; c < specs.size(); ++c) {
    const std::string name = group + "/" + specs[c].name;
    if (!has(name)) throw std::runtime_error(path_ + ": has no dataset " + name);
    const std::vector<double> values = read(name, first, count);
    for (std::size_t r = 0; r < count; ++r) table.at(c, r) = values[r];
  }
  return table;
}

}  // namespace vtrial
