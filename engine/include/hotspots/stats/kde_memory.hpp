// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

#include "hotspots/core/grid.hpp"
#include "hotspots/core/memory_estimate.hpp"

namespace hotspots {

/// What a `kde` run holds, for estimate_kde_memory.
struct KdeMemoryInput {
  GridSpec grid;
  std::size_t incidents = 0;      ///< incidents read (kept in memory for the whole run)
  double radius_m = 0;            ///< kernel radius h
  bool whole_surface = true;      ///< estimate_density (held) rather than for_each_density_tile
  bool mask = false;              ///< a boundary mask (one byte a cell) is built
  bool hotspots = false;          ///< hot cells and their region labels are built (whole surface)
  std::int64_t tile_cells = 256;  ///< tile side when streamed
};

/// Bytes a run keeps besides what scales with the grid or the incidents (kProgramBytes).
inline constexpr double kKdeBaseBytes = kProgramBytes;

/// Bytes per incident read and held through a run besides the 56 of the KDE's own copies
/// (coordinates, weights, dates, categories, sources, lines, police.uk locations), fitted to the
/// peak RSS of `kde --sparse` on the national year (7.05 M rows, 25 m cells: 848 MB measured,
/// 865 MB estimated; benchmarks/README.md).
inline constexpr double kKdeBytesPerIncident = kBytesPerIncidentRead;

/// Estimated peak resident memory of a `kde` run in bytes, before anything is allocated:
///
///   base + incidents · (kKdeBytesPerIncident + 56 (points and merged locations))
///   + cells · (8 surface [whole] + 2.5 mask [boundary: 1 byte a cell and its construction,
///     measured] + 9 [hotspots]: the copy ranked for
///     --top-percent with the hot flags, later the flags with int32 region labels)
///   + streamed: two strips of tiles (tile_cells rows across the grid, 8 bytes a cell, the
///     computed strip and its tile lists) + 8 blocks of 4 bytes a cell in GDAL's compressors.
///
/// An upper bound in the sense that the streamed strip is counted as if every tile of it were
/// near data. Measured peak RSS against it (benchmarks/README.md): streamed national year
/// 848 MB (estimate +0 %), one force 85 MB (+15 %), one force at 10 m with its boundary 225 MB
/// (+4 %); held with hotspots: national 50 m 3.19 GB (+33 %), one force at 10 m 805 MB (+34 %).
/// O(1).
[[nodiscard]] double estimate_kde_memory(const KdeMemoryInput& in);

/// The smallest cell size (metres, rounded up to a whole metre, at least the input's) whose grid
/// over the same extent keeps estimate_kde_memory within `budget_bytes`; returns infinity if
/// none does (the incidents alone do not fit). O(log).
[[nodiscard]] double cell_size_that_fits(const KdeMemoryInput& in, double budget_bytes);

}  // namespace hotspots
