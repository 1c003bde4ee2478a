// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotspots {

/// Bytes a run keeps besides what scales with its data: the program, GDAL, PROJ, GEOS and TBB
/// (measured: `hotspots kde` on 10 incidents peaks at ~45 MB).
inline constexpr double kProgramBytes = 60e6;

/// Bytes per incident read and held through a run (coordinates, weights, dates, categories,
/// sources, lines, police.uk locations), fitted to the peak RSS of `kde --sparse` on the national
/// year (benchmarks/README.md).
inline constexpr double kBytesPerIncidentRead = 45;

/// Peak bytes per row while incidents are read: the columns of every row read (rejected rows
/// included) as they grow across files. Measured with `hotspots info` (peak RSS): 19,403 /
/// 88,908 / 344,693 police.uk rows peak at 65 / 73 / 107 MB, 111–131 B a row above the program.
inline constexpr double kBytesPerRowWhileReading = 120;

/// One named share of an estimated peak ("Gi* arrays", 41.2e6).
struct MemoryPart {
  std::string name;
  double bytes = 0;
};

/// An estimated peak resident memory and what it is made of, for refusing a run before it
/// allocates (estimate_gistar_memory, estimate_emerging_memory, estimate_analyse_memory).
struct MemoryEstimate {
  double bytes = 0;               ///< the peak: Σ parts
  std::string peak_phase;         ///< the step at which the peak is reached
  std::vector<MemoryPart> parts;  ///< what is held at that step, in the order added

  /// Adds a part (nothing when bytes <= 0) and its bytes to the total.
  void add(std::string name, double bytes);
  /// "incidents 315 MB, Gi* arrays 41 MB, ..." (parts of at least 0.5 MB, largest first).
  [[nodiscard]] std::string breakdown() const;
};

/// The peak while `rows` rows are read: kProgramBytes + rows · kBytesPerRowWhileReading, phase
/// "reading". O(1).
[[nodiscard]] MemoryEstimate reading_memory(std::int64_t rows);

/// The larger of two estimates of different phases of one run (its peak). O(parts).
[[nodiscard]] MemoryEstimate larger_of(MemoryEstimate a, MemoryEstimate b);

}  // namespace hotspots
