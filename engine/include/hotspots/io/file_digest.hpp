// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace hotspots {

/// SHA-256 of `bytes` as 64 lower-case hex digits (OpenSSL EVP).
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// SHA-256 of a file's contents as 64 lower-case hex digits, read in 1 MiB blocks, so that a
/// manifest can prove which inputs a result came from. Throws IoError naming the path when the
/// file cannot be opened or read. Cost: O(file size), ~0.5–1 GB/s.
[[nodiscard]] std::string sha256_file(const std::string& path);

}  // namespace hotspots
