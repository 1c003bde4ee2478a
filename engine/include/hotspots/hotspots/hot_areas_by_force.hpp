// SPDX-License-Identifier: MIT
#pragma once

// KDE hotspots of a national extent, force by force. The top p % of a national rectangle means
// nothing (most of it is land no incident reaches), and one national ranking hands every hotspot
// to the busiest cities; a force tasks its own patrols from its own top list. So each force gets
// its own window of the whole grid, its own ranked cells (those within one radius of its own
// incidents) and its own ranked hot areas, with the density over those cells smoothing every
// incident within reach (a neighbouring force's too: no edge loss at force borders), exactly as
// the whole-grid surface reads there. Memory follows the largest force, not the nation.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/core/progress.hpp"
#include "hotspots/hotspots/cell_regions.hpp"
#include "hotspots/hotspots/hot_areas.hpp"
#include "hotspots/hotspots/hot_cells.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/stats/kde.hpp"

namespace hotspots {

struct ForceHotAreasOptions {
  KdeOptions kde;  ///< radius_m > 0, output density
  /// The hot-cell rule over each force's ranked cells (top_percent ranks the force's cells near
  /// its incidents; top_percent_near_data is the same here) and its parameter.
  HotRule rule = HotRule::top_percent;
  double parameter = 5;
  Connectivity connectivity = Connectivity::queen;
};

/// One force's hot areas.
struct ForceHotAreas {
  std::string force;  ///< force key ("leicestershire"); "unknown" for incidents without a force
  /// The force's incidents fall into this many groups more than 4 radii apart (a few incidents
  /// mapped far from the force are groups of their own); each is held on its own window.
  std::int64_t groups = 0;
  std::int64_t window_cells = 0;    ///< Σ cells of the groups' windows (what was held)
  std::int64_t ranked_cells = 0;    ///< cells within one radius of the force's own incidents
  std::int64_t incidents = 0;       ///< the force's incidents (the areas count only these)
  double weight = 0;                ///< their Σ weight
  std::int64_t edge_incidents = 0;  ///< other forces' incidents smoothed over the ranked cells
  std::int64_t hot_cells = 0;
  std::vector<HotArea> areas;  ///< ranked within the force (rank 1 = most of its incidents)
};

/// Hot areas per force of `incidents` (Incidents::force; all incidents are one force "unknown"
/// when none has a force) on windows of `whole`: f's incidents are split into groups with no two
/// incidents of different groups within 4 radii, each group's window covers its incidents grown
/// by the radius; the ranked cells are those within the radius of one of f's incidents
/// (estimate_density of f's incidents > 0); the surface there is the density of f's incidents
/// plus every other incident within reach of a ranked cell (within_reach_of_cells), so it equals
/// the whole grid's surface on those cells; the rule selects hot cells among all f's ranked cells,
/// regions are labelled with `connectivity` and summarised with f's incidents only (shares and
/// PAI of f's ranked cells). Forces in force_keys order, "unknown" last; a force whose window
/// falls outside `whole` is skipped. `progress` (may be empty) reports the phase "hotspots force
/// by force" by incidents done; areas are ranked as summarise_hot_areas ranks them (incidents, peak
/// value, then the first cell in the whole grid's row-major order). Throws InvalidArgument for bad
/// options or a radius not larger than a cell.
/// Cost: per force, two density estimates over its groups' windows: O(n_f·(h/C)² + window
/// cells), plus the other forces' incidents in the buckets around each window.
[[nodiscard]] std::vector<ForceHotAreas> hot_areas_by_force(const Incidents& incidents,
                                                            const GridSpec& whole,
                                                            const ForceHotAreasOptions& options,
                                                            const Progress& progress = {});

/// The number of distinct forces among `incidents` (0 when none has a force).
[[nodiscard]] std::size_t forces_present(const Incidents& incidents);

}  // namespace hotspots
