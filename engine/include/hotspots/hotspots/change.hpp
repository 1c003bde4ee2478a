// SPDX-License-Identifier: MIT
#pragma once

// Two-period change and persistence of hotspots: the KDE change surface (difference and ratio)
// between a period A ("before") and a period B ("after") on one grid and radius, the incidents of
// each cell before and after with the exact test of equal rates, which patrol places of A persist,
// are new or have ceased in B (matched by overlap), and how many consecutive refreshes each place
// of B stayed in the top list. Pure: no I/O (change_layers.hpp writes the files).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/core/period.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/tables/patrol_places.hpp"
#include "hotspots/tables/zone_table.hpp"

namespace hotspots {

/// The KDE change surface between two density surfaces on the same grid.
struct ChangeSurfaces {
  /// after − before, incidents per km² (NaN where either is NaN: outside the study area).
  Raster difference;
  /// after / before where before > 0; NaN (nodata) where before = 0 or either is NaN. sfhotspot's
  /// hotspot_dual_kde(method = "ratio") divides the same way and leaves R's Inf (after > 0) and
  /// NaN (0 / 0) there; we write nodata for both and count the first kind in `new_ground_cells`.
  Raster ratio;
  /// Cells with before = 0 and after > 0 (the ratio is undefined there; the difference is not).
  std::int64_t new_ground_cells = 0;
};

/// Difference and ratio of two density surfaces cell by cell (see ChangeSurfaces). Throws
/// InvalidArgument when the two grids differ. O(cells).
[[nodiscard]] ChangeSurfaces kde_change(const Raster& before, const Raster& after);

/// One cell's incidents before and after and the test of the change.
struct CellChange {
  std::int64_t row = 0;
  std::int64_t col = 0;
  std::int64_t before = 0;  ///< incidents of period A in the cell (each counts 1)
  std::int64_t after = 0;   ///< incidents of period B
  double change_pct = 0;    ///< 100 · (after − before) / before; NaN when before = 0
  double change_p = 1;      ///< change_test_p(before, after): exact conditional binomial
  double change_q = 1;      ///< change_p adjusted over the listed cells (Benjamini–Hochberg)
  std::string flag;         ///< "up" / "down" when change_q < alpha, else ""
};

/// The cells of `grid` (inside `mask` when given) holding an incident in either period, in
/// row-major order, with their counts and change_test_p (the zone table's test,
/// tables/zone_table.hpp), its Benjamini–Hochberg adjustment over these cells (a cell without
/// incidents cannot show change and is not a test) and the flag at `alpha`. Points outside the grid
/// or mask are not counted. Throws InvalidArgument when x and y differ in length or alpha is not in
/// (0, 1). Cost: O(n + c log c) for n incidents and c listed cells.
[[nodiscard]] std::vector<CellChange> cell_changes(const GridSpec& grid, const CellMask* mask,
                                                   PointColumns before, PointColumns after,
                                                   double alpha);

/// What became of a hotspot between two periods.
enum class HotspotFate { persists, new_in_after, ceased };

/// "persists", "new", "ceased".
[[nodiscard]] std::string_view to_string(HotspotFate fate);

/// Hotspots of A and B matched by overlap. The rule: a polygon a of A and a polygon b of B match
/// when area(a ∩ b) >= min_overlap_share · min(area(a), area(b)) (and the intersection is not
/// empty). A hotspot of A that matches some hotspot of B persists, else it has ceased; one of B
/// that matches some hotspot of A persists, else it is new. Matches may be many-to-many (a place
/// that split or merged still persists). `*_match` is the partner with the largest intersection
/// (the lower index on ties), −1 when none; `*_overlap` its intersection area over the smaller
/// area, 0 when none.
struct HotspotMatch {
  std::vector<HotspotFate> before_fate;
  std::vector<HotspotFate> after_fate;
  std::vector<int> before_match;
  std::vector<int> after_match;
  std::vector<double> before_overlap;
  std::vector<double> after_overlap;
};

/// Matches the hotspots of two periods by the rule of HotspotMatch. Polygons of zero area match
/// nothing. Throws InvalidArgument when min_overlap_share is not in (0, 1]; Error when GEOS fails.
/// Cost: one GEOS intersection per pair whose bounding boxes meet (O(a · b) box tests).
[[nodiscard]] HotspotMatch match_hotspots(const std::vector<MultiPolygon>& before,
                                          const std::vector<MultiPolygon>& after,
                                          double min_overlap_share);

/// How long a hotspot of the latest period stayed in the top list.
struct Persistence {
  int periods = 0;  ///< of the N periods, those whose top list holds a match (latest included)
  int streak = 0;   ///< consecutive periods with a match, counted back from the latest
};

/// The persistence score over N consecutive refreshes: `periods[k]` holds the hotspots of period
/// k (oldest first, the latest last); for each hotspot of the latest period, in how many periods
/// a hotspot matched it (match_hotspots' rule against that hotspot's own polygon) and for how many
/// consecutive periods ending with the latest. Throws InvalidArgument when `periods` is empty.
[[nodiscard]] std::vector<Persistence> hotspot_persistence(
    const std::vector<std::vector<MultiPolygon>>& periods, double min_overlap_share);

struct ChangeOptions {
  /// The surface's kernel and radius (radius_m > 0: the caller resolves a default; the same for
  /// both periods, as a fair comparison needs). Output value must be density.
  KdeOptions kde;
  /// Level of the cell change test's flag, in (0, 1).
  double alpha = 0.05;
  /// The top list of each period: patrol places (tables/patrol_places.hpp) chosen by these rules.
  PatrolPlaceOptions places;
  /// Overlap rule of match_hotspots, in (0, 1].
  double min_overlap_share = 0.5;
  /// N of the persistence score: the after period and the N − 1 periods of equal length before
  /// it; >= 1.
  int persistence_periods = 4;

  /// Throws InvalidArgument naming the field out of range (kde.radius_m, alpha, ...).
  void validate() const;
};

/// A top-list place of one period with what became of it.
struct ChangePlace {
  PatrolPlace place;
  HotspotFate fate = HotspotFate::persists;
  std::string matched_id;   ///< id of the best match in the other period ("" when none)
  double overlap = 0;       ///< HotspotMatch's overlap share of that match
  Persistence persistence;  ///< places of B only (zero for A's places)
};

struct ChangeResult {
  Period before;
  Period after;
  std::int64_t before_incidents = 0;
  std::int64_t after_incidents = 0;
  Raster before_density;  ///< incidents per km²
  Raster after_density;
  ChangeSurfaces surfaces;
  std::vector<CellChange> cells;
  std::vector<ChangePlace> before_places;
  std::vector<ChangePlace> after_places;
  std::vector<Period> persistence_periods;  ///< oldest first, the after period last
  std::int64_t persists = 0;                ///< places of A that persist in B
  std::int64_t ceased = 0;                  ///< places of A with no match in B
  std::int64_t new_places = 0;              ///< places of B with no match in A
};

/// The whole two-period comparison: incidents of `before` and of `after` (selected by `month`,
/// one month index per incident), their densities on `grid` (estimate_density, `mask` hiding cells
/// outside the study area), kde_change, cell_changes over every cell of the grid (unmasked: the
/// incidents are already inside the study area, and a boundary cell whose centre lies outside it
/// still holds some; so the cells' counts add up to the periods' incidents), the patrol places of
/// both periods (select_patrol_places, study_area_km2 for PAI) matched with match_hotspots, and the
/// persistence of B's places over options.persistence_periods periods ending with B (their patrol
/// places chosen the same way; periods before the data hold no place). Throws InvalidArgument from
/// options.validate(), when the periods are not valid, differ in length or overlap, or the columns
/// differ in length. Cost: two KDEs, O(n) counting, (N + 1) patrol place selections and the
/// matching.
[[nodiscard]] ChangeResult analyse_change(const Incidents& incidents,
                                          std::span<const std::int32_t> month, const Period& before,
                                          const Period& after, const GridSpec& grid,
                                          const CellMask* mask, double study_area_km2,
                                          const ChangeOptions& options);

}  // namespace hotspots
