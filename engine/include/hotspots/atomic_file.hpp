// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace hotspots {

/// A file written under a temporary name beside its destination and renamed into place by
/// commit(), so that readers never see a half-written output and a failed run leaves no file
/// that looks complete. Destruction without commit() removes the temporary file.
class AtomicFile {
 public:
  /// Throws IoError when `overwrite` is false and `path` exists, or when the folder is missing.
  AtomicFile(std::string path, bool overwrite);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where to write (same folder and extension as the destination, so GDAL picks the driver).
  const std::string& temp_path() const { return temp_; }
  const std::string& path() const { return path_; }
  /// Renames the temporary file to the destination. Throws IoError on failure.
  void commit();

 private:
  std::string path_;
  std::string temp_;
  bool committed_ = false;
};

}  // namespace hotspots
