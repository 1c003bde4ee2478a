// SPDX-License-Identifier: MIT
#include "hotspots/core/error.hpp"

#include <fmt/format.h>

namespace hotspots {
namespace {

std::string located(const std::string& path, std::int64_t line, const std::string& column,
                    const std::string& message) {
  std::string where = path;
  if (line > 0) where += fmt::format(":{}", line);
  if (!column.empty()) return fmt::format("{}: column '{}': {}", where, column, message);
  return fmt::format("{}: {}", where, message);
}

}  // namespace

InputError::InputError(std::string path, std::int64_t line, std::string column,
                       const std::string& message)
    : Error(located(path, line, column, message)),
      path_(std::move(path)),
      line_(line),
      column_(std::move(column)) {}

}  // namespace hotspots
