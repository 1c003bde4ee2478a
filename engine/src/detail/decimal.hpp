// SPDX-License-Identifier: MIT
#pragma once

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace hotspots::detail {

/// The double nearest to the decimal `text` when it is in the plain form of coordinates and
/// weights, `[-]digits[.digits]` with at most 15 significant digits and 22 decimals (e.g.
/// "458875.49", "-1.139469", "1"); false for any other text (the caller then asks fast_float).
/// Clinger's fast path (Clinger 1990, "How to read floating point numbers accurately"): the
/// digits m < 10^15 < 2^53 and 10^d (d <= 22) are exact doubles, and one IEEE division m / 10^d
/// is correctly rounded (to nearest, ties to even), so the result is the correctly rounded value
/// of the decimal: the one fast_float and strtod give, bit for bit. It does in ~5 ns per value
/// what fast_float's general path (exponents, long mantissas) did in ~20.
inline bool parse_plain_decimal(std::string_view text, double& out) {
  static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::uint64_t m = 0;
  int digits = 0;  // digits read (leading zeros included: at most 15 in all keeps m < 10^15)
  const char* const int_begin = p;
  for (; p != end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits)
    m = m * 10 + static_cast<unsigned>(*p - '0');
  if (p == int_begin) return false;  // no digit before the point ("", "-", ".5")
  int decimals = 0;
  if (p != end && *p == '.') {
    const char* const frac_begin = ++p;
    for (; p != end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits)
      m = m * 10 + static_cast<unsigned>(*p - '0');
    decimals = static_cast<int>(p - frac_begin);
    if (decimals == 0) return false;  // "1." is fast_float's to judge
  }
  if (p != end || digits > 15 || decimals > 22) return false;
  const double v = static_cast<double>(m) / kPowers[decimals];
  out = negative ? -v : v;
  return true;
}

/// Parses a whole number field (no blanks around it; a leading '+' allowed) as a finite double:
/// the plain form by parse_plain_decimal, anything else (exponents, more digits) by fast_float.
/// False for text that is not entirely one finite number ("1.2x3", "", "inf", "1e999").
inline bool parse_finite_double(std::string_view text, double& out) {
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  if (parse_plain_decimal(text, out)) return true;
  const auto r = fast_float::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() && std::isfinite(out);
}

}  // namespace hotspots::detail
