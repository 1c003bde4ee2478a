// SPDX-License-Identifier: MIT
#include "hotspots/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
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

AtomicDirectory::AtomicDirectory(std::string path, bool overwrite)
    : path_(std::move(path)), overwrite_(overwrite) {
  namespace fs = std::filesystem;
  fs::path p = fs::path(path_).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "out/" -> "out"
  std::error_code ec;
  if (p.empty()) throw IoError("the output folder's name is empty");
  // Replacing the working folder or one that holds it would fail only after all the work (or
  // pull the ground from under the run): refuse it now.
  const fs::path target = fs::weakly_canonical(fs::absolute(p, ec), ec);
  const fs::path cwd = fs::current_path(ec);
  const auto mismatch = std::mismatch(target.begin(), target.end(), cwd.begin(), cwd.end());
  if (mismatch.first == target.end())
    throw IoError(fmt::format("{}: is the current folder or holds it; give a new folder", path_));
  if (fs::exists(p, ec)) {
    if (!overwrite)
      throw IoError(fmt::format("{}: already exists; use --overwrite to replace it", path_));
    if (!fs::is_directory(p, ec))
      throw IoError(fmt::format("{}: exists and is not a folder", path_));
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw IoError(fmt::format("{}: the folder {} does not exist", path_, dir.string()));
  temp_ = (dir / fmt::format(".{}.partial-{}", p.filename().string(), ::getpid())).string();
  fs::remove_all(temp_, ec);
  if (!fs::create_directory(temp_, ec))
    throw IoError(fmt::format("{}: cannot create {}: {}", path_, temp_, ec.message()));
  path_ = p.string();
}

AtomicDirectory::~AtomicDirectory() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove_all(temp_, ec);
  }
}

void AtomicDirectory::commit() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string aside;
  if (fs::exists(path_, ec)) {
    if (!overwrite_)
      throw IoError(fmt::format("{}: appeared while the run was writing; not replaced", path_));
    aside = temp_ + ".old";
    fs::rename(path_, aside, ec);
    if (ec)
      throw IoError(fmt::format("{}: cannot move the old folder aside: {}", path_, ec.message()));
  }
  fs::rename(temp_, path_, ec);
  if (ec) {
    if (!aside.empty()) fs::rename(aside, path_, ec);
    throw IoError(
        fmt::format("{}: cannot move the finished folder into place: {}", path_, ec.message()));
  }
  committed_ = true;
  if (!aside.empty()) fs::remove_all(aside, ec);
}

}  // namespace hotspots
