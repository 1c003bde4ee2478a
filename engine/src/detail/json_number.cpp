// SPDX-License-Identifier: MIT
#include "detail/json_number.hpp"

#include <ogr_p.h>

#include <charconv>
#include <cstring>
#include <string_view>

namespace hotspots::detail {

void append_json_coordinate(std::string& out, double value, int precision) {
  char buffer[75];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof buffer - 1, value, std::chars_format::fixed, precision);
  const auto size = static_cast<std::size_t>(r.ptr - buffer);
  if (r.ec != std::errc{} || size > 10) {
    // Long texts: GDAL's own rounding of 0 and 9 runs (intelliround) may change them.
    OGRFormatDouble(buffer, sizeof buffer, value, '.', precision, 'f');
    out += buffer;
    return;
  }
  std::string_view text(buffer, size);
  const std::size_t dot = text.find('.');
  if (dot != std::string_view::npos)
    while (text.size() > dot + 2 && text.back() == '0') text.remove_suffix(1);
  out += text;
}

void append_json_real(std::string& out, double value) {
  char buffer[75];
  std::size_t size = 0;
  const auto format = [&](int figures) {
    const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof buffer - 1, value,
                                                 std::chars_format::general, figures);
    size = static_cast<std::size_t>(r.ptr - buffer);
    buffer[size] = '\0';
  };
  const auto has_run = [&]() {
    const char* dot = std::strchr(buffer, '.');
    return dot != nullptr &&
           (std::strstr(dot, "999999") != nullptr || std::strstr(dot, "000000") != nullptr);
  };
  format(17);
  if (has_run()) {
    bool ok = false;
    for (int i = 1; i <= 3 && !ok; ++i) {
      format(17 - i);
      const char* dot = std::strchr(buffer, '.');
      ok = dot != nullptr && !has_run();
    }
    if (!ok) format(17);
  }
  out.append(buffer, size);
  if (!std::strchr(buffer, '.') && !std::strchr(buffer, 'e')) out += ".0";
}

}  // namespace hotspots::detail
