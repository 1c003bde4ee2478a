// SPDX-License-Identifier: MIT
#include "hotspots/io/path_guard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace fs = std::filesystem;
namespace {

// "/vsizip//data/x.zip/inner.csv" and "/vsizip/data/x.zip" name the zip file on disk.
std::string strip_gdal_prefix(const std::string& path) {
  for (const char* prefix : {"/vsizip/", "/vsigzip/", "/vsitar/"}) {
    const std::string p(prefix);
    if (path.rfind(p, 0) != 0) continue;
    std::string rest = path.substr(p.size());
    // The archive is the longest leading part that exists as a file.
    for (fs::path candidate(rest); !candidate.empty(); candidate = candidate.parent_path()) {
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec)) return candidate.string();
      if (candidate == candidate.parent_path()) break;
    }
    return rest;
  }
  return path;
}

bool is_within(const fs::path& inner, const fs::path& outer) {
  const auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

bool same_file(const fs::path& a, const fs::path& b) {
  if (a == b) return true;
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

void check_existing_output(const std::string& path, bool folder, bool overwrite) {
  std::error_code ec;
  if (!folder) {
    const fs::path p(path);
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
      throw IoError(fmt::format("{}: the folder {} does not exist", path, dir.string()));
  }
  const fs::file_status s = fs::status(path, ec);  // follows a link to what it names
  if (ec || !fs::exists(s)) return;
  if (const std::string kind = special_file_kind(s); !kind.empty())
    throw IoError(fmt::format("{}: is {}, not a regular file; outputs are never written onto it",
                              path, kind));
  if (folder && !fs::is_directory(s))
    throw IoError(fmt::format("{}: exists and is not a folder", path));
  if (!folder) {
    if (fs::is_directory(s)) throw IoError(fmt::format("{}: is a folder; give a file name", path));
    if (!overwrite)
      throw IoError(fmt::format("{}: already exists; use --overwrite to replace it", path));
  }
}

}  // namespace

std::string special_file_kind(const std::filesystem::file_status& status) {
  switch (status.type()) {
    case fs::file_type::fifo:
      return "a FIFO (named pipe)";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::unknown:
      return "a special file";
    default:  // a regular file, a folder, or nothing there
      return "";
  }
}

std::string resolved_path(const std::string& path) {
  std::error_code ec;
  const fs::path p = strip_gdal_prefix(path);
  fs::path absolute = fs::absolute(p, ec);
  if (ec) absolute = p;
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  if (ec) canonical = absolute.lexically_normal();
  std::string s = canonical.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

void check_run_paths(const RunPaths& paths, bool overwrite) {
  struct Resolved {
    std::string given;
    fs::path path;
    bool folder;
  };
  std::vector<Resolved> inputs;
  for (const auto& in : paths.inputs) {
    if (in.empty()) continue;
    std::error_code ec;
    const fs::path p = resolved_path(in);
    inputs.push_back({in, p, fs::is_directory(p, ec)});
  }
  std::vector<Resolved> outputs;
  for (const auto& out : paths.output_files)
    if (!out.empty()) outputs.push_back({out, resolved_path(out), false});
  for (const auto& out : paths.output_folders)
    if (!out.empty()) outputs.push_back({out, resolved_path(out), true});

  std::set<fs::path> seen;
  for (const Resolved& out : outputs) {
    if (!seen.insert(out.path).second)
      throw IoError(
          fmt::format("{}: is given as two outputs; give each output its own name", out.given));
    for (const Resolved& in : inputs) {
      if (same_file(out.path, in.path))
        throw IoError(
            fmt::format("{}: is also an input ({}); outputs are never written onto inputs",
                        out.given, in.given));
      if (out.folder && is_within(in.path, out.path))
        throw IoError(fmt::format("{}: holds the input {}; write the output folder somewhere else",
                                  out.given, in.given));
    }
    check_existing_output(out.given, out.folder, overwrite);
  }
}

}  // namespace hotspots
