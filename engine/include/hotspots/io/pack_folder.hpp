// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace hotspots {

/// The files a hotspots pack in `dir` was written with: "manifest.json" and every output its
/// manifest lists (paths relative to `dir`). These, and only these, a new pack replaces.
/// Throws IoError naming `dir` when it holds no hotspots manifest.json (a folder of inputs or
/// anything else is never replaced) or the manifest cannot be read.
[[nodiscard]] std::vector<std::string> existing_pack_files(const std::string& dir);

}  // namespace hotspots
