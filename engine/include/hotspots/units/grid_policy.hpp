// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/stats/nearest_neighbour.hpp"

namespace hotspots {

// The grid policy: the ONE place that decides how large cells are when nobody says, where grid
// edges fall, which hexagon stands in for a square, and how far Gi* looks by default. Every
// command, workflow and help text takes these from here, so they cannot drift apart.

/// The default cell size divides the shorter side of the study extent into this many cells
/// (ArcGIS's default output cell size for Kernel Density and fishnets).
inline constexpr double kDefaultCellsAcrossShorterSide = 250;

/// The default KDE radius of analyse and kde, in default cells: h = 2 cells = 4 · max(mean,
/// median) nearest-neighbour distance (street_scale). Two cells so that the kernel's disc spans
/// about 13 cells: smooth enough to be a surface, local enough to stay at street scale.
inline constexpr double kDefaultRadiusCells = 2;

/// The neighbourhood scale, km²: a KDE hotspot polygon larger than this is reported (stderr,
/// summary, manifest) as larger than a neighbourhood: about an urban police neighbourhood or two
/// or three LSOAs, and ~14 patrol places of 150 m radius. A tasking meeting cannot patrol it
/// as one place.
inline constexpr double kNeighbourhoodScaleKm2 = 1.0;

/// The street-scale defaults of kde and analyse, from the incidents' own spacing rather than
/// from the size of the boundary (ArcGIS Optimized Hot Spot Analysis's nearest-neighbour rule):
/// cell = 2 · max(mean, median) distance from each distinct location to its nearest other
/// distinct location, locational outliers (> mean + 3 SD) removed (nearest_neighbour_scale);
/// radius = kDefaultRadiusCells · cell.
struct StreetScale {
  NearestNeighbourScale nn;
  double cell_size_m = 0;
  double radius_m = 0;
};

/// StreetScale of the points (metres). Throws InvalidArgument as nearest_neighbour_scale (fewer
/// than 2 distinct locations). Cost: nearest_neighbour_scale's.
[[nodiscard]] StreetScale street_scale(std::span<const double> x, std::span<const double> y);

/// Every figure of the decision in one line, for -v: "nearest-neighbour rule: 8,123 distinct
/// locations, 12 locational outliers (nearest neighbour > 812.3 m = mean + 3 SD) left out; mean
/// 61.2 m, median 48.0 m -> cell 2 x 61.2 = 122.4 m, radius 2 cells = 244.8 m".
/// Without `with_radius` the line ends at the cell size (a pack's shared grid, whose radius is
/// each group's own).
[[nodiscard]] std::string describe(const StreetScale& scale, bool with_radius = true);

/// The default Gi* distance band, in cells (squares) or centre spacings (hexagons): 5 cells is a
/// disc of 81 square cells, local enough to find street-scale clusters and wide enough that Gi*
/// is more than the cell's own count (ArcGIS's "at least one neighbour" default is 1 cell on a
/// fishnet).
inline constexpr double kDefaultBandCells = 5;

/// ArcGIS's default output cell size: the shorter side of the study extent divided by
/// kDefaultCellsAcrossShorterSide, metres. Throws InvalidArgument if the extent is empty or its
/// shorter side is 0. O(1).
[[nodiscard]] double default_cell_size(const Extent& study_extent);

/// The default Gi* distance band for cells of `cell_size_m` metres (squares: the side; hexagons:
/// the centre spacing): kDefaultBandCells · cell_size_m, metres. O(1).
[[nodiscard]] constexpr double default_band_m(double cell_size_m) {
  return kDefaultBandCells * cell_size_m;
}

/// Builds the grid that covers `extent` with cells of `cell_size_m`, its edges snapped outward
/// to whole multiples of the cell size so that grids made from different inputs line up.
/// Throws InvalidArgument for a non-positive cell size or one above kMaxDistanceM, an empty
/// extent, or a grid of more than `max_cells` cells. O(1).
GridSpec snapped_grid(const Extent& extent, double cell_size_m,
                      std::int64_t max_cells = 400'000'000);

/// The square fishnet over a set of incidents when no boundary is given: the points' bounding
/// box with its west and north edges snapped down/up to whole multiples of `cell_size_m`, grown
/// east and south by whole cells until every point lies in a cell by GridSpec's edge rule (a
/// point on the east or south edge of snapped_grid()'s box would fall outside it). So every
/// incident is counted, and grids made from different inputs line up.
/// Throws InvalidArgument if the sizes differ, there is no point, a coordinate is not finite or
/// the cell size is not positive (as snapped_grid). Cost: O(points).
[[nodiscard]] GridSpec grid_over_points(std::span<const double> x, std::span<const double> y,
                                        double cell_size_m);

/// Hexagon cell size with the same AREA as a square cell of side square_cell_m:
/// w = square_cell_m · sqrt(2/√3) ≈ 1.0746 · square_cell_m. O(1).
[[nodiscard]] double hex_cell_size_for_square_area(double square_cell_m);

}  // namespace hotspots
