// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
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

}  // namespace hotspots
