#include "engine/hdf5_output.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <H5Cpp.h>

namespace vtrial {

struct Hdf5Output::File {
  H5::H5File h5;
};

namespace {

H5::Group open_or_create_group(H5::H5File& file, const std::string& name) {
  const std::string path = name.front() == '/' ? name : "/" + name;
  if (H5Lexists(file.getId(), path.c_str(), H5P_DEFAULT) > 0) return file.openGroup(path);
  return file.createGroup(path);
}

// Chunked and compressed for large columns (1e6 trials), plain for small ones.
H5::DSetCreatPropList column_properties(hsize_t rows) {
  H5::DSetCreatPropList props;
  if (rows >= 4096) {
    const hsize_t chunk = 65536 < rows ? 65536 : rows;
    props.setChunk(1, &chunk);
    props.setShuffle();
    props.setDeflate(1);  // level 1 compresses these columns nearly as well, several times faster
  }
  return props;
}

void write_string_attribute(H5::H5Object& object, const std::string& name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  H5::Attribute attr = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  const char* text = value.c_str();
  attr.write(type, &text);
}

}  // namespace

Hdf5Output::Hdf5Output(std::string final_path) : final_path_(std::move(final_path)) {
  const std::filesystem::path target(final_path_);
  temp_path_ = (target.parent_path() / ("." + target.filename().string() + ".tmp." + std::to_string(getpid()))).string();
  H5::Exception::dontPrint();
  try {
    file_ = std::make_unique<File>(File{H5::H5File(temp_path_, H5F_ACC_TRUNC)});
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot create output file " + temp_path_ + " (for " + final_path_ + "): " +
                             e.getDetailMsg());
  }
}

Hdf5Output::~Hdf5Output() {
  if (committed_) return;
  file_.reset();
  std::remove(temp_path_.c_str());
}

void Hdf5Output::root_attribute(const std::string& name, const std::string& value) {
  H5::Group root = file_->h5.openGroup("/");
  write_string_attribute(root, name, value);
}

void Hdf5Output::root_attribute(const std::string& name, double value) {
  H5::Group root = file_->h5.openGroup("/");
  root.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}

void Hdf5Output::root_attribute(const std::string& name, std::int64_t value) {
  H5::Group root = file_->h5.openGroup("/");
  root.createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_INT64, &value);
}

void Hdf5Output::group_attribute(const std::string& group, const std::string& name, const std::string& value) {
  H5::Group g = open_or_create_group(file_->h5, group);
  write_string_attribute(g, name, value);
}

void Hdf5Output::write_table(const std::string& group, const ResultTable& table) {
  H5::Group g = open_or_create_group(file_->h5, group);
  const hsize_t rows = table.rows();
  H5::DataSpace space(1, &rows);
  const auto props = column_properties(rows);
  std::vector<std::int64_t> ints;
  for (std::size_t c = 0; c < table.columns(); ++c) {
    const auto& spec = table.spec(c);
    const auto& data = table.column(c);
    if (spec.type == ColumnType::integer) {
      ints.assign(data.size(), 0);
      for (std::size_t i = 0; i < data.size(); ++i) ints[i] = static_cast<std::int64_t>(data[i]);
      H5::DataSet ds = g.createDataSet(spec.name, H5::PredType::NATIVE_INT64, space, props);
      if (rows > 0) ds.write(ints.data(), H5::PredType::NATIVE_INT64);
    } else {
      H5::DataSet ds = g.createDataSet(spec.name, H5::PredType::NATIVE_DOUBLE, space, props);
      if (rows > 0) ds.write(data.data(), H5::PredType::NATIVE_DOUBLE);
    }
  }
}

void Hdf5Output::write_strings(const std::string& group, const std::string& name,
                               const std::vector<std::string>& values) {
  H5::Group g = open_or_create_group(file_->h5, group);
  const hsize_t rows = values.size();
  H5::DataSpace space(1, &rows);
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  H5::DataSet ds = g.createDataSet(name, type, space);
  if (rows > 0) ds.write(pointers.data(), type);
}

void Hdf5Output::commit() {
  try {
    file_->h5.close();
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot finish writing " + temp_path_ + ": " + e.getDetailMsg());
  }
  std::error_code ec;
  std::filesystem::rename(temp_path_, final_path_, ec);
  if (ec) throw std::runtime_error("cannot rename " + temp_path_ + " to " + final_path_ + ": " + ec.message());
  committed_ = true;
}

}  // namespace vtrial
