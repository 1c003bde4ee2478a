// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "hotspots/core/geometry.hpp"

namespace hotspots {

/// Largest distance accepted as a radius, a cell size or a distance band: 1,000 km, longer than
/// Great Britain. Larger values are typing errors (1e300 gave a one-cell grid and a flat
/// surface), refused with InvalidArgument naming the field.
inline constexpr double kMaxDistanceM = 1'000'000;

/// A north-up regular grid in a projected CRS (metres).
///
/// Conventions (the same as GDAL and the peer harness): column c runs west to east, row r runs
/// north to south (row 0 is the northern edge), cell (r, c) covers
/// [xmin + c·size, xmin + (c+1)·size) × (ymax − (r+1)·size, ymax − r·size] and its value is
/// evaluated at its centre (xmin + (c+½)·size, ymax − (r+½)·size). GDAL geotransform:
/// (xmin, size, 0, ymax, 0, −size).
struct GridSpec {
  double xmin = 0;
  double ymax = 0;
  double cell_size_m = 1;
  std::int64_t cols = 0;
  std::int64_t rows = 0;

  std::int64_t cell_count() const { return cols * rows; }
  double xmax() const { return xmin + static_cast<double>(cols) * cell_size_m; }
  double ymin() const { return ymax - static_cast<double>(rows) * cell_size_m; }
  Extent extent() const { return {xmin, ymin(), xmax(), ymax}; }
  double centre_x(std::int64_t col) const {
    return xmin + (static_cast<double>(col) + 0.5) * cell_size_m;
  }
  double centre_y(std::int64_t row) const {
    return ymax - (static_cast<double>(row) + 0.5) * cell_size_m;
  }
  /// Column holding x (may be outside [0, cols)). A point on the edge between two columns
  /// belongs to the eastern one.
  std::int64_t col_of(double x) const {
    return static_cast<std::int64_t>(std::floor((x - xmin) / cell_size_m));
  }
  /// Row holding y (may be outside [0, rows)). A point on the edge between two rows belongs to
  /// the southern one.
  std::int64_t row_of(double y) const {
    return static_cast<std::int64_t>(std::floor((ymax - y) / cell_size_m));
  }
  bool contains_cell(std::int64_t row, std::int64_t col) const {
    return row >= 0 && row < rows && col >= 0 && col < cols;
  }
  std::int64_t index(std::int64_t row, std::int64_t col) const { return row * cols + col; }
  friend bool operator==(const GridSpec&, const GridSpec&) = default;
};

/// Values on a GridSpec, row-major (index = row·cols + col). NaN marks nodata (outside the study
/// area).
struct Raster {
  GridSpec grid;
  std::vector<double> values;

  Raster() = default;
  explicit Raster(const GridSpec& g, double fill = 0.0)
      : grid(g), values(static_cast<std::size_t>(g.cell_count()), fill) {}
  double& at(std::int64_t row, std::int64_t col) { return values[grid.index(row, col)]; }
  double at(std::int64_t row, std::int64_t col) const { return values[grid.index(row, col)]; }
  static bool is_nodata(double v) { return std::isnan(v); }
  static constexpr double nodata() { return std::numeric_limits<double>::quiet_NaN(); }
};

/// Which cells of a grid belong to the study area (1) or not (0), row-major like Raster.
struct CellMask {
  GridSpec grid;
  std::vector<std::uint8_t> inside;

  std::int64_t count_inside() const;
};

}  // namespace hotspots
