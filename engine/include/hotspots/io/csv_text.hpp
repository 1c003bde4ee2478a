// SPDX-License-Identifier: MIT
#pragma once

// How the CSV tables people open in Excel write their values (README "Tables"): UTF-8 with a byte
// order mark (so Excel reads names with accents and the en-dashes of time windows as written),
// values rounded to what the figure means, units and "_pct" (0-100) in the column names.

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace hotspots {

/// The UTF-8 byte order mark that starts every CSV table of a pack.
inline constexpr const char* kCsvBom = "\xEF\xBB\xBF";

/// `v` rounded to `decimals` decimals, written as the shortest text that reads back to the
/// rounded value ("16.67", "3", "-0.5"); "" for NaN or infinity. Never 16-digit noise, and a
/// spreadsheet that keeps 15 significant digits reads the same number.
[[nodiscard]] inline std::string csv_rounded(double v, int decimals) {
  if (!std::isfinite(v)) return {};
  const double scale = std::pow(10.0, decimals);
  double r = std::round(v * scale) / scale;
  if (r == 0) r = 0;  // no "-0"
  return fmt::format("{}", r);
}

/// A fraction (0.1234) as a percentage rounded to `decimals` ("12.34"); "" for NaN.
[[nodiscard]] inline std::string csv_percent(double fraction, int decimals = 2) {
  return csv_rounded(100.0 * fraction, decimals);
}

/// `v` to `digits` significant digits (p-values: "0.0123", "1.2e-07"); "" for NaN.
[[nodiscard]] inline std::string csv_significant(double v, int digits = 4) {
  if (!std::isfinite(v)) return {};
  const double r = std::stod(fmt::format("{:.{}g}", v, digits));
  return fmt::format("{}", r == 0 ? 0.0 : r);
}

}  // namespace hotspots
