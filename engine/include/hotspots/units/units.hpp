// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/stats/gistar.hpp"
#include "hotspots/stats/local_moran.hpp"
#include "hotspots/units/hex_grid.hpp"

namespace hotspots {

/// What the units of analysis are: square cells of a fishnet, hexagons, or user zones.
enum class UnitShape { square, hexagon, zone };

/// "square", "hexagon", "zone".
[[nodiscard]] std::string_view to_string(UnitShape shape);

/// The units of analysis of an area statistic (Gi*, local Moran's I, clusters): the study-area
/// cells of a square grid, the study-area hexagons of a hexagon window, or user zones. Each unit
/// has an id, a centre, an area and a polygon; units can locate points and give their
/// neighbours. Units are numbered 0 .. size() − 1: grid cells in row-major order (row 0 north),
/// zones in layer order. Grids keep only their lattice (a 4000 x 4000 fishnet costs no memory
/// per cell); ids, centres and polygons of grid cells are computed when asked.
class Units {
 public:
  /// The cells of `grid` inside `mask` (every cell when mask is nullptr), row-major.
  /// Throws InvalidArgument if the mask does not match the grid or 2^31 or more cells are in.
  [[nodiscard]] static Units squares(const GridSpec& grid, const CellMask* mask);
  /// The listed cells of a hexagon window (local row-major indices, strictly ascending).
  /// Throws InvalidArgument if an index is out of the window or the list is not ascending.
  [[nodiscard]] static Units hexagons(const HexGridSpec& grid, std::vector<std::int64_t> cells);
  /// Zones with these ids and polygons (analysis CRS), in this order; centres are the
  /// area-weighted centroids. Throws InvalidArgument if the sizes differ, or (naming the zone) a
  /// zone has no area.
  [[nodiscard]] static Units zones(std::vector<std::string> ids,
                                   std::vector<MultiPolygon> polygons);

  [[nodiscard]] UnitShape shape() const { return shape_; }
  [[nodiscard]] bool is_grid() const { return shape_ != UnitShape::zone; }
  [[nodiscard]] std::size_t size() const;
  /// Square side or hexagon centre spacing, metres; 0 for zones.
  [[nodiscard]] double cell_size_m() const;
  /// The square grid; throws InvalidArgument unless shape() is square.
  [[nodiscard]] const GridSpec& square_grid() const;
  /// The hexagon window; throws InvalidArgument unless shape() is hexagon.
  [[nodiscard]] const HexGridSpec& hex_grid() const;

  /// Grid cells: "r{row}c{col}" (local row and column, row 0 north); zones: the zone id.
  [[nodiscard]] std::string id(std::size_t unit) const;
  /// Row and column of a grid cell; −1 for zones.
  [[nodiscard]] std::int64_t row(std::size_t unit) const;
  [[nodiscard]] std::int64_t col(std::size_t unit) const;
  /// Row-major index of a grid cell in its grid or window (unit index for zones).
  [[nodiscard]] std::int64_t cell(std::size_t unit) const;
  /// The unit that is grid cell `cell` (row-major), or −1 (zones: the unit `cell` if in range).
  /// O(log units).
  [[nodiscard]] std::int32_t unit_of_cell(std::int64_t cell) const;
  [[nodiscard]] double centre_x(std::size_t unit) const;
  [[nodiscard]] double centre_y(std::size_t unit) const;
  /// Every centre, in unit order. O(units).
  [[nodiscard]] std::vector<double> centres_x() const;
  [[nodiscard]] std::vector<double> centres_y() const;
  [[nodiscard]] double area_m2(std::size_t unit) const;
  /// The unit's polygon, counter-clockwise exterior (RFC 7946 right-hand rule) for grid cells.
  [[nodiscard]] MultiPolygon polygon(std::size_t unit) const;

  /// For each point, the unit it falls in, or −1: squares by GridSpec's edge rule, hexagons by
  /// the nearest centre (HexGridSpec::locate), zones by the first zone in order whose closed
  /// polygon covers the point (ZoneIndex). Cost: O(points) for grids (plus O(grid cells) for a
  /// masked grid), O(points log zones) for zones.
  [[nodiscard]] std::vector<std::int32_t> locate(std::span<const double> x,
                                                 std::span<const double> y) const;

  /// Contiguity among the units (lists exclude the unit itself, sorted ascending): squares by
  /// `contiguity` (grid_contiguity_neighbours: queen 8, rook 4); hexagons share edges whatever
  /// `contiguity` says (hex_edge_neighbours); zones by polygon_contiguity(contiguity, snap_m).
  [[nodiscard]] Neighbours contiguity(Contiguity contiguity, double snap_m) const;
  /// Units whose centres are at most band_m · (1 + 1e-9) apart (the tolerance counts exact
  /// lattice distances as inside): hexagons by a lattice stencil (hex_band_neighbours), squares
  /// and zones by distance_band_neighbours(). Squares are faster still without lists: see
  /// compute_gistar() in hotspots/gistar_units.hpp.
  [[nodiscard]] Neighbours distance_band(double band_m) const;
  /// The k nearest unit centres (ties included; knn_neighbours()).
  [[nodiscard]] Neighbours nearest(int k) const;

  /// The values of square units on their grid, NaN on the cells that are no unit (outside the
  /// study area). Throws InvalidArgument unless square, or if values.size() != size().
  [[nodiscard]] Raster square_raster(std::vector<double> values) const;

 private:
  UnitShape shape_ = UnitShape::square;
  GridSpec square_;
  HexGridSpec hex_;
  /// Grid cells that are units, ascending; unused when every_cell_ (a square grid without mask:
  /// unit i is cell i, so a large fishnet needs no index list).
  std::vector<std::int64_t> cells_;
  bool every_cell_ = false;
  std::vector<std::string> ids_;  // zones
  std::vector<MultiPolygon> polygons_;
  std::vector<double> cx_, cy_, area_m2_;
};

/// Incidents counted per unit.
struct UnitCounts {
  /// Σ weight of the incidents in each unit (a plain count when every weight is 1).
  std::vector<double> values;
  /// Σ values (in unit order), and the Σ weight of the incidents in no unit (total − counted).
  double counted_weight = 0;
  double uncounted_weight = 0;
};

/// Σ weight (empty: 1 each) of the incidents per unit (Units::locate), adding in point order.
/// Throws InvalidArgument if x, y and weight (when given) differ in length. Cost: as locate().
[[nodiscard]] UnitCounts count_incidents(const Units& units, std::span<const double> x,
                                         std::span<const double> y, std::span<const double> weight);

/// How the grid of a grid analysis is laid out (the rules of `hotspots gistar`).
struct GridUnitsOptions {
  /// square or hexagon (InvalidArgument for zone).
  UnitShape shape = UnitShape::square;
  /// > 0: the cell size (square side, hexagon centre spacing), metres; <= 0: the grid policy's
  /// default_cell_size() of the extent (hexagons: the hexagon of that square's area).
  double cell_size_m = 0;
  /// Given: the grid covers this extent (snapped outward to whole cells).
  std::optional<Extent> extent;
  /// > 0: refuse a hexagon grid whose construction needs more than this many MB (its window's
  /// centres, study-area flags and cell list: kHexBuildBytesPerCell a hexagon), naming the
  /// estimate and a cell size that fits, before anything is allocated. 0: no check.
  double max_memory_mb = 0;
};

/// Bytes a hexagon of the grid's window costs while grid_units builds hexagon units: x and y of
/// its centre (16), the study-area flag (1), the boundary lookup's zone index (4) and the kept
/// cell's index (8).
inline constexpr double kHexBuildBytesPerCell = 29;

/// The grid that grid_units() lays out, before anything per cell is allocated: for memory
/// estimates and refusals. expected_units is the study-area units to expect: every cell of the
/// window without a study area, else min(window, study area / cell area) (exact up to the cells
/// along the boundary).
struct GridUnitsLayout {
  UnitShape shape = UnitShape::square;
  GridSpec square;  ///< shape square
  HexGridSpec hex;  ///< shape hexagon
  double cell_size_m = 0;
  std::int64_t window_cells = 0;
  double expected_units = 0;
};

/// The layout grid_units(options, study_area, x, y) uses (same rules, same throws for bad
/// options); allocates nothing per cell. Cost: O(points) without a study area or extent, else
/// O(study area vertices).
[[nodiscard]] GridUnitsLayout grid_units_layout(const GridUnitsOptions& options,
                                                const MultiPolygon& study_area,
                                                std::span<const double> x,
                                                std::span<const double> y);

/// The grid units of a study: over `study_area` when it is not empty (the cells whose CENTRE
/// lies inside: GDAL's rasterisation rule), else over `extent` when given (squares: every cell
/// of the snapped extent; hexagons: those whose centre is inside it), else over the incidents'
/// bounding box (every cell of the smallest snapped grid holding every incident:
/// grid_over_points, hex_grid_over_points). The grid's extent is the given extent when there
/// is one (it overrides the study area's: `--extent` with `--boundary`), else the study area's,
/// else the incidents'. Throws InvalidArgument for a bad option or grid (see
/// snapped_grid), Error if fewer than two hexagons lie in the study area. Cost: O(points +
/// grid cells), plus one point-in-polygon test per cell when a study area is given.
[[nodiscard]] Units grid_units(const GridUnitsOptions& options, const MultiPolygon& study_area,
                               std::span<const double> x, std::span<const double> y);

/// The zones of a layer as units (ids and polygons as read). Throws InputError naming the layer's
/// path when it holds fewer than two zones (an area statistic compares units), or naming the id
/// field when a zone has no area or two zones share an id (require_unique_zone_ids).
[[nodiscard]] Units zone_units(const ZoneLayer& layer);

}  // namespace hotspots
