// SPDX-License-Identifier: MIT
#pragma once

// Decoding input text to UTF-8 by the rule of TextEncoding (README, Inputs: "Text encoding").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/io/text_encoding.hpp"

namespace hotspots::detail {

/// 1-based line holding byte `offset` of `text`; LF, CRLF and a lone CR end a line, as
/// CsvReader counts them.
[[nodiscard]] std::int64_t line_at(std::string_view text, std::size_t offset);

/// Decodes a whole CSV file in place. utf8: invalid bytes are an InputError naming path:line;
/// windows1252/latin1: every byte is decoded in that code page; auto_detect: lines that are
/// valid UTF-8 are kept, each other line is decoded as Windows-1252 and one warning (count and
/// first line) is appended to `warnings`.
void decode_csv_text(std::string& text, const std::string& path, TextEncoding encoding,
                     std::vector<std::string>& warnings);

/// Decodes attribute values of a vector layer (GDAL already recodes the formats that declare
/// an encoding, so values that are valid UTF-8 are kept whatever `encoding` says; the others are
/// decoded in the forced single-byte code page, or as Windows-1252 with one warning per file).
class FieldDecoder {
 public:
  FieldDecoder(std::string path, TextEncoding encoding)
      : path_(std::move(path)), encoding_(encoding) {}
  /// `value` as UTF-8; `where` is the feature id, for the warning and the error.
  [[nodiscard]] std::string operator()(std::string_view value, std::int64_t where);
  /// Appends the warning, if any value was decoded as Windows-1252.
  void report(std::vector<std::string>& warnings) const;

 private:
  std::string path_;
  TextEncoding encoding_;
  std::int64_t decoded_ = 0;
  std::int64_t first_ = 0;
};

}  // namespace hotspots::detail
