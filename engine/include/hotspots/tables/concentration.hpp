// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "hotspots/core/grid.hpp"

namespace hotspots {

struct ConcentrationOptions {
  /// The "top p % of cells" to report, each in (0, 100].
  std::vector<double> top_percent = {1.0, 5.0, 10.0};
  /// Fraction of incidents for the smallest-area figure (the law of crime concentration uses
  /// 0.5), in (0, 1].
  double target_share = 0.5;

  /// Throws InvalidArgument naming the field (`top_percent`, `target_share`) that is out of range.
  void validate() const;
};

/// Incidents held by the top cells.
struct TopCells {
  double percent = 0;          ///< as asked, e.g. 5
  std::int64_t cells = 0;      ///< ceil(percent / 100 · study cells)
  double share_cells = 0;      ///< cells / study cells (slightly above percent / 100 by ceil)
  double incidents = 0;        ///< sum of the `cells` largest counts
  double share_incidents = 0;  ///< incidents / all incidents (NaN when there are none)
};

/// How concentrated incidents are on the grid (Weisburd 2015, "The law of crime concentration").
/// Cells are the study-area cells; all cells are the same size, so a share of cells is a share
/// of the study area.
struct Concentration {
  std::int64_t cells = 0;  ///< study-area cells (not NaN, and inside the mask when given)
  double cell_area_km2 = 0;
  double incidents = 0;       ///< sum of the counts over those cells
  std::vector<TopCells> top;  ///< one per ConcentrationOptions::top_percent, in that order
  double target_share = 0.5;
  /// Smallest number of cells holding at least target_share of the incidents: counts sorted
  /// descending and cumulated until the target is reached. 0 when there are no incidents.
  std::int64_t cells_for_target = 0;
  double share_cells_for_target = 0;  ///< cells_for_target / cells (NaN when no incidents)
  double area_km2_for_target = 0;
  std::int64_t cells_with_incidents = 0;  ///< cells with a count > 0
  double share_cells_with_incidents = 0;  ///< cells_with_incidents / cells (NaN when cells = 0)
};

/// Concentration figures from per-cell counts (e.g. bin_points; weighted counts are fine).
/// Cells with NaN, and cells outside `mask` when it is given, are not part of the study area.
/// The number of top cells for p % is ceil(p/100 · cells), so a small study area still has at
/// least one top cell; ties at the cut do not change the sum, since it is the sum of the k
/// largest counts whichever tied cells are taken.
/// Throws InvalidArgument from options.validate(), for a negative or infinite count, or a mask
/// whose grid differs from the raster's.
/// Cost: O(cells log cells) time (one sort), O(cells) memory.
[[nodiscard]] Concentration compute_concentration(const Raster& counts,
                                                  const ConcentrationOptions& options,
                                                  const CellMask* mask = nullptr);

}  // namespace hotspots
