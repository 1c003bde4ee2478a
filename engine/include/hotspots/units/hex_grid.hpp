// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/stats/gistar.hpp"

namespace hotspots {

/// A window of a regular hexagonal lattice, POINTY-TOPPED (a vertex at the top and bottom, flat
/// sides east and west, rows running west-east): the layout of R sf::st_make_grid(square =
/// FALSE) (its default flat_topped = FALSE) and of ArcGIS Generate Tessellation
/// "TRANSVERSE_HEXAGON".
///
/// cell_size_m is the distance between the centres of two adjacent hexagons, which equals the
/// flat-to-flat width of a hexagon (sf's `cellsize` for hexagons). With w = cell_size_m, the
/// circumradius is w/√3, the area (√3/2)·w², and rows are w·√3/2 apart.
///
/// The lattice is anchored at the CRS origin so that grids built from different inputs line up:
/// global row R (increasing SOUTHWARDS, like raster rows) has centres at y = −R·w√3/2 and global
/// column C at x = C·w, plus w/2 on odd rows R ("odd-r" offset). The window holds global rows
/// row0 .. row0 + rows − 1 (row0 even, so local and global row parity agree) and columns col0 ..
/// col0 + cols − 1; local cell (r, c) has the row-major index r·cols + c (r = 0 is the northern
/// row, c = 0 the western column). Coordinates are computed as integer multiples of w/2 (x) and
/// w/(2√3) (y), so neighbouring hexagons share bit-identical vertices.
struct HexGridSpec {
  double cell_size_m = 0;
  std::int64_t row0 = 0;
  std::int64_t col0 = 0;
  std::int64_t rows = 0;
  std::int64_t cols = 0;

  [[nodiscard]] std::int64_t cell_count() const { return rows * cols; }
  [[nodiscard]] std::int64_t index(std::int64_t row, std::int64_t col) const {
    return row * cols + col;
  }
  [[nodiscard]] double centre_x(std::int64_t row, std::int64_t col) const;
  [[nodiscard]] double centre_y(std::int64_t row) const;
  /// Area of one hexagon, m² ((√3/2)·w²).
  [[nodiscard]] double cell_area_m2() const;
  /// The hexagon of local cell (row, col): closed ring of 7 points, counter-clockwise
  /// (RFC 7946 right-hand rule), starting at the top vertex.
  [[nodiscard]] Ring polygon(std::int64_t row, std::int64_t col) const;
  /// Local index of the hexagon whose centre is nearest to (x, y), or −1 when that hexagon lies
  /// outside the window. Ties (a point on a shared edge or vertex, up to the rounding of the
  /// squared distances) go to the hexagon with the smaller global (row, col), i.e. the northern
  /// one, then the western one. O(1): 12 candidate centres around the point.
  [[nodiscard]] std::int64_t locate(double x, double y) const;
  /// Throws InvalidArgument unless cell_size_m is positive and finite, rows and cols are
  /// positive, row0 is even and the window has fewer than 2^31 cells.
  void validate() const;
};

/// The smallest window over an extent such that every point of the extent (edges included) has
/// its nearest lattice centre inside the window, padded by one row and column on each side.
/// Throws InvalidArgument if the extent is empty or not finite or the cell size is not positive.
/// O(1).
[[nodiscard]] HexGridSpec hex_grid_over_extent(const Extent& extent, double cell_size_m);

/// The smallest window holding the nearest hexagon of every point (row0 snapped to even), so
/// every point is counted. Throws InvalidArgument if there is no point, sizes differ, a
/// coordinate is not finite or the cell size is not positive. O(points).
[[nodiscard]] HexGridSpec hex_grid_over_points(std::span<const double> x, std::span<const double> y,
                                               double cell_size_m);

/// The edge neighbours (at most 6) of each listed cell among the listed cells. cells holds local
/// row-major indices, ascending and distinct; location k of the result is cells[k], and the
/// lists hold location numbers k, sorted ascending. O(cells · log cells).
/// Throws InvalidArgument if an index is out of the window or cells are not strictly ascending.
[[nodiscard]] Neighbours hex_edge_neighbours(const HexGridSpec& grid,
                                             const std::vector<std::int64_t>& cells);

/// Distance-band neighbours between the centres of the listed cells: j is a neighbour of k when
/// j != k and their centres are at most band_m · (1 + 1e-9) apart (the tolerance makes exact
/// lattice distances count as inside, as distance_band_neighbours() is used with elsewhere).
/// cells as for hex_edge_neighbours(); lists sorted ascending.
/// Method: the band is a fixed stencil of lattice offsets (one per row parity), decided in exact
/// integer arithmetic: with w the cell size, offsets (dr, dc) are inside when
/// (2·dc + Δparity)² + 3·dr² <= 4 (band/w)² (1 + 1e-9)². Each cell visits the stencil through a
/// dense cell → location table, so no R-tree and no distance computations.
/// Cost: O(window cells + cells · stencil) time, O(window cells) extra memory besides the lists.
/// Throws InvalidArgument if band_m is not positive and finite, or as hex_edge_neighbours().
[[nodiscard]] Neighbours hex_band_neighbours(const HexGridSpec& grid,
                                             const std::vector<std::int64_t>& cells, double band_m);

}  // namespace hotspots
