// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace hotspots::detail {

/// Appends `value` as GDAL's GeoJSON writer prints a coordinate with `precision` decimals
/// (OGR_json_double_with_precision_to_string → OGRFormatDouble(…, precision, 'f')): printf's
/// "%.*f", trailing zeros after the first decimal dropped. Texts of at most 10 characters before
/// that trimming (every lon/lat of 7 decimals between -10 and 100) are made with std::to_chars,
/// which the C++ standard defines as printf's conversion; longer ones, where GDAL's rounding of
/// runs of 0s and 9s may apply, by OGRFormatDouble itself. Byte-identical to OGRFormatDouble for
/// precision 0..9 (tests/unit/io/json_number_test.cpp compares the two on 2 million values and
/// on runs of 0s and 9s). |value| <= 1e50. O(1), no allocation.
void append_json_coordinate(std::string& out, double value, int precision);

/// Appends a finite `value` as GDAL's GeoJSON writer prints a real property
/// (OGR_json_double_with_significant_figures_to_string with its default 17 figures): "%.17g",
/// or 16..14 figures when the digits after the point show a 999999 or 000000 run, ".0" added to
/// a whole number. Made with std::to_chars (printf's "%.*g" by the standard's definition). O(1).
void append_json_real(std::string& out, double value);

}  // namespace hotspots::detail
