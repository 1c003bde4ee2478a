// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "hotspots/core/memory_estimate.hpp"
#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

/// What an `emerging` run holds, for estimate_emerging_memory (emerging_memory_input fills it).
struct EmergingMemoryInput {
  std::size_t incidents = 0;   ///< incidents kept
  std::int64_t rows_read = 0;  ///< rows read, rejected ones included (reading_memory())
  double units = 0;            ///< units of analysis given (grid cells in the study area, zones)
  double cube_units = 0;       ///< units in the cube: with an incident of the span, or all
  std::int64_t steps = 0;      ///< time steps of the asked cube
  std::int64_t months = 0;     ///< months of the span (the 1-month sensitivity cube's steps)
  bool sensitivity = true;     ///< the sensitivity table's eight more cubes, one at a time
  bool fdr = true;             ///< FDR bins over the cube (a sorted copy of its p-values)
  double mean_neighbours = 0;  ///< spatial neighbours of a cube unit (band: π b² / unit area)
};

/// Estimated peak resident memory of an `emerging` run, once its units exist and before the cube
/// is allocated:
///
///   program (kProgramBytes) + incidents · (kBytesPerIncidentRead + 8 (month, unit))
///   + units · 12 (unit list and the cube's position of each)
///   + the asked cube: cube_units · steps · 32 B (counts, z, p, bin, n) + 120 B a unit (trends,
///     class) + its neighbour lists (24 + 4 k̄ + 16 + 48 B a unit)
///   + with the sensitivity table, the largest other cube held beside it while it is computed:
///     cube_units · months · 48 B (its bins and the spatial sums) + its lists; else the asked
///     cube's spatial sums while computed (8 B a bin); with FDR, 16 B a bin of the largest cube
///     (the sorted p-values and the sort's buffer);
///   or the reading phase's peak (reading_memory(rows_read)) when larger.
///
/// Measured peak RSS against it: benchmarks/README.md ("Memory estimates"). O(1).
[[nodiscard]] MemoryEstimate estimate_emerging_memory(const EmergingMemoryInput& in);

/// The input of an `emerging` run of `units`: locates the incidents (Units::locate, O(points))
/// and counts the units with an incident of the span (every unit with options.all_units); the
/// span is options.span or the incidents' first to last month, in whole steps of
/// options.time_step_months. Allocates 4 bytes an incident and one a unit; the cube is not
/// built. rows_read is left 0 (the caller knows it). Throws InvalidArgument if the columns differ
/// in length.
[[nodiscard]] EmergingMemoryInput emerging_memory_input(const Units& units,
                                                        std::span<const double> x,
                                                        std::span<const double> y,
                                                        std::span<const std::int32_t> month,
                                                        const EmergingOptions& options);

}  // namespace hotspots
