// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace hotspots {

/// Base of every error the engine throws. The CLI maps InvalidArgument to exit code 2 and
/// every other Error to exit code 1.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An option or argument value that cannot be used (bad radius, unknown kernel...). The message
/// names the option.
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// Bad content in an input file. Carries where: path, 1-based line (0 if not applicable) and the
/// column or field name (empty if not applicable). what() already includes them.
class InputError : public Error {
 public:
  InputError(std::string path, std::int64_t line, std::string column, const std::string& message);
  const std::string& path() const { return path_; }
  std::int64_t line() const { return line_; }
  const std::string& column() const { return column_; }

 private:
  std::string path_;
  std::int64_t line_;
  std::string column_;
};

/// A file that cannot be opened, read or written; the message carries GDAL's own words.
class IoError : public Error {
 public:
  using Error::Error;
};

/// A coordinate reference system that is missing, unknown, unsuitable (geographic for analysis)
/// or plainly contradicted by the coordinates.
class CrsError : public Error {
 public:
  using Error::Error;
};

}  // namespace hotspots
