// SPDX-License-Identifier: MIT
#include "hotspots/io/text_encoding.hpp"

#include <fmt/format.h>

#include "detail/text.hpp"
#include "detail/text_decode.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {

TextEncoding parse_text_encoding(std::string_view name) {
  const std::string key = detail::lower(detail::trim(name));
  if (key.empty() || key == "auto") return TextEncoding::auto_detect;
  if (key == "utf-8" || key == "utf8") return TextEncoding::utf8;
  if (key == "windows-1252" || key == "cp1252" || key == "windows1252")
    return TextEncoding::windows1252;
  if (key == "latin-1" || key == "latin1" || key == "iso-8859-1" || key == "iso8859-1")
    return TextEncoding::latin1;
  throw InvalidArgument(fmt::format(
      "--encoding '{}': expected utf-8, windows-1252 or latin-1 (default: UTF-8, with lines "
      "that are not valid UTF-8 read as Windows-1252)",
      detail::excerpt(name, 40)));
}

namespace detail {
namespace {

bool is_break(std::string_view text, std::size_t i) {
  return text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'));
}

std::string invalid_message(std::string_view text, std::size_t offset) {
  return fmt::format(
      "byte 0x{:02X} is not valid UTF-8 (--encoding utf-8); give the file's encoding with "
      "--encoding windows-1252 or --encoding latin-1",
      static_cast<unsigned>(static_cast<unsigned char>(text[offset])));
}

}  // namespace

std::int64_t line_at(std::string_view text, std::size_t offset) {
  std::int64_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (is_break(text, i)) ++line;
  return line;
}

void decode_csv_text(std::string& text, const std::string& path, TextEncoding encoding,
                     std::vector<std::string>& warnings) {
  const std::size_t bad = first_invalid_utf8(text);
  if (bad == std::string::npos) return;
  if (encoding == TextEncoding::utf8)
    throw InputError(path, line_at(text, bad), "", invalid_message(text, bad));
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  if (encoding != TextEncoding::auto_detect) {
    std::string_view rest = text;
    if (rest.substr(0, 3) == "\xEF\xBB\xBF") {
      out += rest.substr(0, 3);
      rest.remove_prefix(3);
    }
    append_single_byte_as_utf8(out, rest, encoding == TextEncoding::latin1);
    text = std::move(out);
    return;
  }
  // Lines before the first invalid byte are valid: copy them, then decide line by line.
  std::size_t start = bad;
  while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r') --start;
  const std::int64_t first_line = line_at(text, start);
  out.append(text, 0, start);
  std::int64_t decoded = 0;
  const std::string_view all = text;
  for (std::size_t i = start; i < all.size();) {
    std::size_t end = all.find_first_of("\r\n", i);
    end = end == std::string_view::npos ? all.size() : end + 1;
    const std::string_view line = all.substr(i, end - i);
    if (is_valid_utf8(line)) {
      out.append(line);
    } else {
      ++decoded;
      append_single_byte_as_utf8(out, line, false);
    }
    i = end;
  }
  text = std::move(out);
  warnings.push_back(fmt::format(
      "{}: {} line{} not valid UTF-8, read as Windows-1252 (first: line {}); give --encoding "
      "to choose the file's encoding",
      utf8_or_replacement(path), decoded, decoded == 1 ? " is" : "s are", first_line));
}

std::string FieldDecoder::operator()(std::string_view value, std::int64_t where) {
  if (is_valid_utf8(value)) return std::string(value);
  if (encoding_ == TextEncoding::utf8)
    throw InputError(path_, where, "",
                     invalid_message(value, first_invalid_utf8(value)) + " (feature id)");
  std::string out;
  append_single_byte_as_utf8(out, value, encoding_ == TextEncoding::latin1);
  if (encoding_ == TextEncoding::auto_detect && decoded_++ == 0) first_ = where;
  return out;
}

void FieldDecoder::report(std::vector<std::string>& warnings) const {
  if (decoded_ == 0) return;
  warnings.push_back(fmt::format(
      "{}: {} attribute value{} not valid UTF-8, read as Windows-1252 (first: feature id {}); "
      "give --encoding to choose the encoding",
      utf8_or_replacement(path_), decoded_, decoded_ == 1 ? " is" : "s are", first_));
}

}  // namespace detail
}  // namespace hotspots
