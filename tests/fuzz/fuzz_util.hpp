// SPDX-License-Identifier: MIT
#pragma once
// Shared by the libFuzzer targets: one scratch file per process that each input is written to
// (the readers take paths, as the commands do).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace hotspots::fuzz {

/// `name` inside a folder of this process under the temporary directory (created once).
inline std::string scratch_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hotspots-fuzz-" + std::to_string(static_cast<long>(::getpid())));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

/// Replaces the file at `path` with the fuzzer's bytes.
inline void write_input(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) std::abort();  // the harness itself failed, not the reader
}

}  // namespace hotspots::fuzz
