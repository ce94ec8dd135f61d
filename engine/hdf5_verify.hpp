#pragma once
// Reads a result file back in full, so that HDF5 checks every checksum it holds: the Fletcher-32
// of each dataset chunk and the checksums of the superblock and object headers (the formats
// hdf5_output.cpp writes). A changed byte in any of them is reported with the object it hit.
// It also computes a digest of the file's content (every dataset and attribute, in name
// order, but the provenance attributes), so that two files holding the same results have the
// same digest whatever their byte layout (thread count, HDF5 chunk order) or their command.
#include <cstddef>
#include <string>
#include <vector>

namespace vtrial {

struct FileCheck {
  std::vector<std::string> problems;  // empty: every checksum matched and every object read
  std::string filetype;               // root attribute `filetype` ("" if absent)
  std::size_t datasets = 0;
  std::size_t attributes = 0;
  std::string digest;                        // 16 hex digits; not cryptographic (it detects change, not tampering)
  std::vector<std::string> objects;          // every group and dataset, "/trials/x"
  std::vector<std::string> root_attributes;  // by name
};

// Root attributes left out of the digest: what made the file, not what it holds.
inline const std::vector<std::string> kProvenanceAttributes = {"command", "source_revision", "version"};

FileCheck check_result_file(const std::string& path);

}  // namespace vtrial
