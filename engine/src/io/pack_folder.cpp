// SPDX-License-Identifier: MIT
#include "hotspots/io/pack_folder.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hotspots/core/error.hpp"

namespace hotspots {

std::vector<std::string> existing_pack_files(const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path manifest_path = fs::path(dir) / "manifest.json";
  std::ifstream in(manifest_path, std::ios::binary);
  const auto not_a_pack = [&](const std::string& why) {
    return IoError(
        fmt::format("{}: exists and is not a hotspots pack ({}); not replaced", dir, why));
  };
  if (!in) throw not_a_pack("no manifest.json");
  nlohmann::json manifest = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object() || manifest.value("tool", "") != "hotspots")
    throw not_a_pack("manifest.json is not a hotspots manifest");
  std::vector<std::string> files = {"manifest.json"};
  const auto outputs = manifest.find("outputs");
  if (outputs == manifest.end() || !outputs->is_array())
    throw not_a_pack("manifest.json lists no outputs");
  for (const auto& o : *outputs) {
    if (!o.is_object() || !o.contains("path") || !o["path"].is_string())
      throw not_a_pack("an output of manifest.json has no path");
    const fs::path rel = fs::path(o["path"].get<std::string>()).lexically_normal();
    // A manifest naming a path outside its folder is not one hotspots wrote.
    if (rel.empty() || rel.is_absolute() || *rel.begin() == "..")
      throw not_a_pack(fmt::format("manifest.json lists '{}'", rel.string()));
    files.push_back(rel.string());
  }
  return files;
}

}  // namespace hotspots
