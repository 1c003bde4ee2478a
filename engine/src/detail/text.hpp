// SPDX-License-Identifier: MIT
#pragma once

#include "hotspots/io/text_encoding.hpp"

// Small text helpers shared by the readers: ASCII case folding (names are matched
// case-insensitively), UTF-8 validation and decoding of Windows-1252 / Latin-1 text, and short
// excerpts of user text for messages.

#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace hotspots::detail {

/// `s` with the five characters markup gives meaning to (& < > " ') as entities: XML (QGIS
/// styles and projects) and HTML (the report) alike.
inline std::string markup_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// Without leading and trailing blanks, tabs and carriage returns.
// Always inlined: called for every field of every row, and most fields have nothing to trim.
[[gnu::always_inline]] inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

/// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no surrogates,
/// nothing above U+10FFFF), or 0 when the bytes there are not one.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const std::size_t left = s.size() - i;
  const auto cont = [&](std::size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

/// Offset of the first byte that does not start a valid UTF-8 sequence, or npos.
inline std::size_t first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

inline bool is_valid_utf8(std::string_view s) {
  return first_invalid_utf8(s) == std::string_view::npos;
}

inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Code point of a Windows-1252 byte (WHATWG encoding standard's table: the five bytes the code
/// page leaves undefined map to the C1 controls of the same value, as browsers do).
inline std::uint32_t windows1252_code_point(unsigned char c) {
  static constexpr std::uint16_t k80[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  if (c >= 0x80 && c < 0xA0) return k80[c - 0x80];
  return c;
}

/// Text in a single-byte encoding (Windows-1252, or Latin-1 = ISO 8859-1) as UTF-8.
inline void append_single_byte_as_utf8(std::string& out, std::string_view s, bool latin1) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    append_utf8(out, latin1 ? c : windows1252_code_point(c));
  }
}

/// `s` as valid UTF-8: every byte that does not start a valid sequence becomes U+FFFD. For
/// showing text of unknown encoding (file names) in output that must be UTF-8.
inline std::string utf8_or_replacement(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

/// A field that is not valid UTF-8 decoded as Windows-1252 (the rule for input text, see the
/// README's Inputs section); `decoded` is set when it was.
inline std::string utf8_or_windows1252(std::string_view s, bool& decoded) {
  decoded = !is_valid_utf8(s);
  if (!decoded) return std::string(s);
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  append_single_byte_as_utf8(out, s, false);
  return out;
}

using hotspots::excerpt;

}  // namespace hotspots::detail
