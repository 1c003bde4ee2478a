// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

#include "hotspots/core/memory_estimate.hpp"
#include "hotspots/stats/local_moran.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

/// What a `gistar` run holds, for estimate_gistar_memory (known before the units are built:
/// grid_units_layout gives the window and the expected units).
struct GiStarMemoryInput {
  UnitShape shape = UnitShape::square;
  /// Cells of the square grid or of the hexagon window (0 for zones).
  std::int64_t window_cells = 0;
  /// Units of analysis (GridUnitsLayout::expected_units; zones: their number).
  double units = 0;
  /// Squares: a study area cuts the grid (a mask and a unit list).
  bool masked = false;
  /// Incidents kept (0 when the zones' own values are analysed).
  std::size_t incidents = 0;
  /// Rows read, rejected ones included (the reading phase's peak, reading_memory()).
  std::int64_t rows_read = 0;
  /// Square side or hexagon spacing, metres (0 for zones).
  double cell_size_m = 0;
  /// The Gi* band in metres (0 with knn or contiguity).
  double distance_band_m = 0;
  /// The band is the grid policy's default (a number of cells): it follows the cell size when
  /// gistar_memory_fit tries other cell sizes; a given band stays.
  bool band_follows_cell = false;
  /// k of the k nearest neighbours (0 otherwise).
  int knn = 0;
  /// Zones with a band: their total area, m² (the mean number of neighbours follows from it).
  double zones_area_m2 = 0;
  /// Contiguity of local Moran's I on squares (queen: 8 neighbours, rook: 4).
  Contiguity contiguity = Contiguity::queen;
  /// Local Moran's I permutations; 0: not computed.
  int permutations = 0;
  bool clusters = false;  ///< --clusters
  bool zscores = false;   ///< --zscores (squares)
};

/// Estimated peak resident memory of a `gistar` run, before the units are built:
///
///   program (kProgramBytes) + incidents · (kBytesPerIncidentRead + 4 (the unit of each))
///   + held through the run: units (8 B a study-area unit when masked or hexagons), the analysis
///     (counts twice, Gi* z, p, bin, n: 40 B a unit), contiguity lists when local Moran's I runs or
///     the units are hexagons or zones (24 + 4 k + 16 B a unit: k = 8 queen / 4 rook squares, 6
///     hexagons and zones), local Moran's I results (20 B a unit)
///   + the largest of the steps' temporaries: building the units (squares: 1 B a window cell for
///     the mask; hexagons kHexBuildBytesPerCell a window cell); Gi* on a square band (the count
///     raster and the window-sized Gi* arrays: 32 B a window cell); Gi* neighbour lists (hexagons
///     with a band, k nearest, zones with a band: 24 + 4 k̄ + 16 B a unit plus 48 for the R-tree,
///     k̄ = π b² / unit area, or k) together with local Moran's I (64 B a unit and the shared
///     draws: 40 B · permutations · Σ k over neighbour counts); clusters (squares 20 B a window
///     cell; hexagons and zones 300 B a unit of polygons); the z-score raster (8 B a window cell).
///
/// The result is the larger of that and the reading phase's peak (reading_memory(rows_read)).
/// Zone geometries and GDAL's writers are not counted (zones are read before the estimate).
/// Measured peak RSS against it: benchmarks/README.md ("Memory estimates"). O(1).
[[nodiscard]] MemoryEstimate estimate_gistar_memory(const GiStarMemoryInput& in);

/// What would bring a `gistar` run within a budget, each on its own (0 or false: does not help
/// or does not apply).
struct GiStarMemoryFit {
  /// Grids: the smallest whole-metre cell size whose run fits (the same extent); infinity when
  /// none does; 0 for zones.
  double cell_size_m = 0;
  /// Local Moran's I left out (permutations 0) fits.
  bool without_local_moran = false;
  /// With a band on hexagons or zones: the largest whole-metre band that fits (0: none).
  double distance_band_m = 0;
  /// With k nearest: the largest k that fits (0: none).
  int knn = 0;
};

/// The changes of GiStarMemoryFit that keep estimate_gistar_memory within `budget_bytes`.
/// O(log) estimates.
[[nodiscard]] GiStarMemoryFit gistar_memory_fit(const GiStarMemoryInput& in, double budget_bytes);

}  // namespace hotspots
