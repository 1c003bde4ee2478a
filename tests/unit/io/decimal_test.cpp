// SPDX-License-Identifier: MIT
// detail::parse_plain_decimal (Clinger's fast path) against fast_float and strtod: the same
// double, bit for bit, for every text it takes; and parse_finite_double accepts and refuses what
// the reader accepted and refused before it (fast_float alone, after a leading '+').

#include <fast_float/fast_float.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "detail/decimal.hpp"

namespace hotspots {
namespace {

std::uint64_t bits_of(double v) {
  std::uint64_t u = 0;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

/// What the reader did before the fast path: fast_float over the whole text, finite only.
bool reference(std::string_view text, double& out) {
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  const auto r = fast_float::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() && std::isfinite(out);
}

void expect_same(const std::string& text) {
  double got = -7;
  double want = -7;
  const bool ok = detail::parse_finite_double(text, got);
  ASSERT_EQ(ok, reference(text, want)) << "'" << text << "'";
  if (!ok) return;
  ASSERT_EQ(bits_of(got), bits_of(want)) << "'" << text << "': " << got << " vs " << want;
  double plain = 0;
  if (detail::parse_plain_decimal(text, plain)) {
    // strtod (glibc: correctly rounded) as a second, independent reference.
    ASSERT_EQ(bits_of(plain), bits_of(std::strtod(text.c_str(), nullptr))) << "'" << text << "'";
  }
}

TEST(Decimal, PlainDecimalsAreTheDoubleFastFloatAndStrtodGive) {
  // Random coordinates and weights in every plain shape: 1..18 integer digits (more than 15 in
  // all falls back), 0..25 decimals (more than 22 falls back), signs, leading zeros.
  std::mt19937_64 rng(20261208);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> int_digits(1, 18);
  std::uniform_int_distribution<int> frac_digits(0, 25);
  std::uniform_int_distribution<int> sign(0, 3);
  int fast = 0;
  for (int k = 0; k < 2'000'000; ++k) {
    std::string t;
    const int s = sign(rng);
    if (s == 0) t += '-';
    if (s == 1) t += '+';
    const int n = int_digits(rng) % (k % 2 ? 7 : 19);  // many short ones (coordinates)
    for (int i = 0; i < std::max(n, 1); ++i) t += static_cast<char>('0' + digit(rng));
    const int d = frac_digits(rng) % (k % 3 ? 8 : 26);
    if (d > 0 || k % 7 == 0) t += '.';
    for (int i = 0; i < d; ++i) t += static_cast<char>('0' + digit(rng));
    double v = 0;
    fast += detail::parse_plain_decimal(t[0] == '+' ? t.substr(1) : t, v);
    expect_same(t);
  }
  EXPECT_GT(fast, 1'000'000);  // the fast path is taken for most of them
}

TEST(Decimal, EdgesAndFormsTheFastPathLeavesToFastFloat) {
  for (const char* t : {"0",
                        "-0",
                        "-0.0",
                        "0.0",
                        "+0",
                        "1",
                        "-1",
                        "458875.49",
                        "304536.07",
                        "-1.139469",
                        "52.636",
                        "999999999999999",
                        "9999999999999999",
                        "9007199254740992",
                        "9007199254740993",
                        "0.0000000000000000000001",
                        "0.00000000000000000000001",
                        "1.7976931348623157",
                        "123456789012345.6",
                        "00000000000000000001.5",
                        "1e5",
                        "1E-3",
                        "-2.5e+10",
                        "1.",
                        ".5",
                        "-.5",
                        "1.2.3",
                        "1..2",
                        "12x",
                        "x12",
                        "",
                        "-",
                        "+",
                        "+-5",
                        "++5",
                        "-+5",
                        "--5",
                        "inf",
                        "-inf",
                        "nan",
                        "infinity",
                        "1e999",
                        "-1e999",
                        "0x10",
                        " 1",
                        "1 ",
                        "1,5",
                        "1_000",
                        "١٢٣"})
    expect_same(t);
  double v = 0;
  EXPECT_TRUE(detail::parse_finite_double("+-5", v));  // as before: '+' dropped, then "-5"
  EXPECT_EQ(v, -5.0);
  EXPECT_FALSE(detail::parse_finite_double("1e999", v));
  EXPECT_TRUE(std::signbit((detail::parse_finite_double("-0", v), v)));
}

}  // namespace
}  // namespace hotspots
