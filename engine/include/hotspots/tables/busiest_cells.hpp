// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "hotspots/core/grid.hpp"

namespace hotspots {

/// The cell size of the pack's busiest cells, metres: the backtests' cell (evaluate
/// --cell-size default), at which ranking cells by their incidents caught the most of the next
/// months' incidents at every share of the area tried (README, evaluate). The pack's own grid
/// (the nearest-neighbour cell, 132-214 m force-wide) predicted much worse: 8.9 % against 15.1 %
/// of next month's ASB in 0.05 % of the area.
inline constexpr double kBusiestCellSizeM = 100;

/// One cell of the busiest-cells table, with the running totals of the cells ranked above it.
struct BusiestCell {
  std::int64_t rank = 0;  ///< 1-based
  std::int64_t row = 0;
  std::int64_t col = 0;
  double count = 0;               ///< incidents (Σ weight) in the cell
  double cum_area_km2 = 0;        ///< area of cells 1..rank
  double cum_area_share = 0;      ///< of the study area, 0..1
  double cum_incident_share = 0;  ///< of the study area's incidents, 0..1
  double pai = 0;                 ///< cum_incident_share / cum_area_share (Chainey et al. 2008)
};

/// The busiest cells of a count grid, best first.
struct BusiestCells {
  std::vector<BusiestCell> cells;
  std::int64_t study_cells = 0;  ///< non-NaN cells
  double incidents = 0;          ///< Σ counts over them
  double cell_area_km2 = 0;
};

/// The study-area cells (non-NaN) of `counts` holding incidents (count > 0), ranked by count,
/// largest first, ties in row-major order (north-west first), as far as the first
/// k = ⌈max_area_percent · study cells / 100⌉ cells (fewer when fewer cells hold incidents).
/// This is the hot area that predicted next month's incidents best in the Leicestershire
/// backtests (README, evaluate `counts`): at a given share of the area, the k cells with most
/// incidents. Throws InvalidArgument if max_area_percent is not in (0, 100] or the raster does
/// not match its grid. Cost: O(cells + k log k).
[[nodiscard]] BusiestCells rank_busiest_cells(const Raster& counts, double max_area_percent);

}  // namespace hotspots
