// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hotspots {

/// How input text is decoded. Input text is UTF-8; with `auto_detect` a line (CSV) or field
/// (OGR) that is not valid UTF-8 is decoded as Windows-1252, the code page of Excel and most
/// Windows exports, and ReadResult::warnings says so once per file with a count and the first
/// line. The other values force one encoding for every file (`utf8`: invalid bytes are an error).
enum class TextEncoding : std::uint8_t { auto_detect, utf8, windows1252, latin1 };

/// "utf-8", "windows-1252" or "latin-1" (also "cp1252", "iso-8859-1", case-insensitive);
/// throws InvalidArgument naming --encoding otherwise.
[[nodiscard]] TextEncoding parse_text_encoding(std::string_view name);

/// User text quoted in a message, cut to about `max_bytes` (at a UTF-8 boundary) with a note of
/// the full length, so that a 10 MB header is not echoed whole to stderr.
[[nodiscard]] inline std::string excerpt(std::string_view s, std::size_t max_bytes = 200) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "... (" + std::to_string(s.size()) + " bytes)";
}

}  // namespace hotspots
