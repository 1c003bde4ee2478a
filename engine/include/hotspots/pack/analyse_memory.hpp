// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

#include "hotspots/core/memory_estimate.hpp"

namespace hotspots {

/// What an `analyse` run (run_pack) holds, for estimate_analyse_memory.
struct AnalyseMemoryInput {
  std::size_t incidents = 0;    ///< incidents held: the period, the previous period, edge ones
  std::int64_t rows_read = 0;   ///< rows read, rejected ones included (reading_memory())
  std::int64_t grid_cells = 0;  ///< cells of the pack's grid (every group uses it)
  int permutations = 0;         ///< local Moran's I on the cells (0: not computed)
  int groups_at_once = 1;       ///< groups analysed and written side by side (run_pack)
};

/// Bytes a grid cell costs while one group is analysed and written, local Moran's I left out:
/// the mask, the KDE surface with its hot-cell ranking and region labels, Gi* counts, z, p, bin,
/// n and the clusters' rasters, the change section's second surface with its difference and
/// ratio, and the maps' and GeoTIFF writers' copies. Fitted with kAnalyseLocalMoranBytesPerCell
/// and kAnalyseBaseBytes to the peak RSS of the real Leicestershire pack (40 months, 3 groups,
/// 99 permutations) at 100 and 50 m cells: 316 and 530 MB, 138 B a cell together
/// (benchmarks/memory_estimates.sh; benchmarks/README.md "Memory estimates").
inline constexpr double kAnalyseBytesPerCell = 100;

/// Bytes a grid cell costs for local Moran's I on the cells: its working arrays and results and
/// the cells' contiguity (84 + 72 B a study-area cell, about half the grid's cells of a force).
inline constexpr double kAnalyseLocalMoranBytesPerCell = 38;

/// Bytes the group phase keeps besides incidents and cells: the program and libraries, zones,
/// the group results kept for the summary and report, the maps' images (cairo). Fitted (above).
inline constexpr double kAnalyseBaseBytes = 213e6;

/// What a second group analysed and written beside the first costs a cell, and in all: less than
/// a group alone (the two are seldom at their peaks together). Fitted to the peak RSS of the real
/// Leicestershire pack with two groups at once against one at a time, at 100 and 50 m cells
/// (+53 and +181 MB; benchmarks/memory_estimates.sh). Raised from 83 when a group's KDE, Gi*
/// and patrol steps began to run side by side (analyse_group): two groups at once then peaked at
/// 637-705 MB at 50 m cells (5 runs, under load), above the 700 MB that 83 gave.
inline constexpr double kAnalyseExtraGroupBytesPerCell = 95;
inline constexpr double kAnalyseExtraGroupBytes = 10e6;

/// The pack-wide products' phase (zone table, report PDF and HTML with every map, workbook,
/// manifest) besides incidents: fitted to the same pack at 200 m cells (296 MB, where the
/// cells no longer decide the peak).
inline constexpr double kAnalyseProductsBytes = 265e6;

/// Estimated peak resident memory of an `analyse` run, once the incidents are read and before the
/// grid is allocated: `groups_at_once` groups are analysed side by side and each releases its
/// surfaces once written, so the peak is that many groups',
///
///   kAnalyseBaseBytes + incidents · 2 · kBytesPerIncidentRead (read, then sliced to the period)
///   + cells · (kAnalyseBytesPerCell + kAnalyseLocalMoranBytesPerCell when permutations > 0)
///   + (groups_at_once − 1) · (kAnalyseExtraGroupBytes + cells · kAnalyseExtraGroupBytesPerCell),
///
/// or the products' phase (kAnalyseProductsBytes + the incidents) or the reading phase
/// (reading_memory(rows_read)) when either is larger.
/// O(1).
[[nodiscard]] MemoryEstimate estimate_analyse_memory(const AnalyseMemoryInput& in);

/// The smallest whole-metre cell size whose grid over the same area (cells · (c0/c)²) keeps
/// estimate_analyse_memory within `budget_bytes`, at least `cell_size_m`; infinity when the
/// incidents alone do not fit. O(1).
[[nodiscard]] double analyse_cell_size_that_fits(const AnalyseMemoryInput& in, double cell_size_m,
                                                 double budget_bytes);

}  // namespace hotspots
