// SPDX-License-Identifier: MIT
#include "hotspots/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "hotspots/error.hpp"

namespace hotspots {

AtomicFile::AtomicFile(std::string path, bool overwrite) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  const fs::path p(path_);
  std::error_code ec;
  if (!overwrite && fs::exists(p, ec))
    throw IoError(fmt::format("{}: already exists; use --overwrite to replace it", path_));
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw IoError(fmt::format("{}: the folder {} does not exist", path_, dir.string()));
  // ".name.tmp-PID.ext": hidden, unique per process, keeps the extension for GDAL.
  temp_ = (dir / fmt::format(".{}.tmp-{}{}", p.stem().string(), ::getpid(), p.extension().string()))
              .string();
  fs::remove(temp_, ec);
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec)
    throw IoError(
        fmt::format("{}: cannot move the finished file into place: {}", path_, ec.message()));
  committed_ = true;
}

}  // namespace hotspots
