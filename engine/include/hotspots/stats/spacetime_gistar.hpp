// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hotspots/stats/gistar.hpp"

namespace hotspots {

/// A space-time cube: one value (typically an incident count) per unit per time step, stored
/// slice by slice: values[t · unit_count + i] is unit i at step t (0 = earliest). Empty bins are
/// zeros, not NaN: every bin of the cube is analysed.
struct SpaceTimeCube {
  std::size_t unit_count = 0;
  std::size_t step_count = 0;
  std::vector<double> values;

  /// Value of unit i at step t. No bounds check.
  [[nodiscard]] double at(std::size_t i, std::size_t t) const { return values[t * unit_count + i]; }
  /// Checks unit_count >= 2, step_count >= 1, values.size() == unit_count · step_count and every
  /// value finite. Throws InvalidArgument naming the field (and the first bad bin).
  void validate() const;
};

/// Which bins give the global mean x̄ and standard deviation S that each local sum is compared
/// with.
enum class GlobalWindow {
  /// The whole cube: N = units · steps bins, one x̄ and S for all (ArcGIS Emerging Hot Spot
  /// Analysis, "Define Global Window" = Entire cube, its default).
  cube,
  /// The time slice of the bin alone: n = units, x̄_t and S_t of slice t, even though the
  /// neighbourhood reaches into earlier slices. This is what sfdep's code does
  /// (`local_g_spt_calc` is applied to each slice's values with neighbour values drawn from the
  /// whole cube), whatever its documentation says.
  slice,
};

/// Options of space-time Gi*.
struct SpaceTimeGiStarOptions {
  /// K, the number of earlier steps in the neighbourhood (ArcGIS "Neighborhood Time Step",
  /// sfdep `k`; both default to 1). 0 gives purely spatial neighbourhoods.
  int time_lags = 1;
  GlobalWindow global_window = GlobalWindow::cube;
  /// Replace the bins by fdr_bins() over all bins of the cube (Benjamini–Hochberg as ArcGIS
  /// Hot Spot Analysis applies it; ArcGIS Pro's Emerging Hot Spot Analysis always applies it,
  /// sfdep never does). z and p stay uncorrected.
  bool fdr = false;

  /// Throws InvalidArgument naming `time_lags` if it is negative.
  void validate() const;
};

/// Per-bin output of space-time Gi*, indexed like SpaceTimeCube::values (t · unit_count + i).
struct SpaceTimeGiStarResult {
  std::size_t unit_count = 0;
  std::size_t step_count = 0;
  /// Gi* z-score; NaN where undefined (S = 0: all values of the window equal; or the weight
  /// variance n·W − W² is not positive: the neighbourhood is the whole window).
  std::vector<double> z;
  /// Two-sided normal p-value erfc(|z| / √2); NaN where z is NaN.
  std::vector<double> p;
  /// ±3/2/1 at 99/95/90 % confidence (ArcGIS Gi_Bin), FDR-corrected when options.fdr; 0 when not
  /// significant or NaN.
  std::vector<int> bin;
  /// Size W of the space-time neighbourhood, the bin itself included.
  std::vector<std::int32_t> n_neighbors;
};

/// Space-time Getis-Ord Gi* (Ord & Getis 1995, on the bins of a space-time cube, as ArcGIS
/// Emerging Hot Spot Analysis and sfdep `emerging_hotspot_analysis` compute it) with binary
/// weights. The neighbourhood of bin (i, t) is unit i and its spatial neighbours N_i
/// (`neighbours`, self excluded from the lists as everywhere in hotspots), each at steps
/// t, t − 1, …, t − K (K = time_lags): w = 1 inside, 0 outside. At the first K steps the earlier
/// steps do not exist and the neighbourhood simply has fewer bins (W = (|N_i| + 1) ·
/// (min(t, K) + 1)); ArcGIS documents the neighbourhood as "the bins at the same location in the
/// previous N time steps" and states nothing more for the first steps, and sfdep drops the
/// missing lags the same way (`spt_nb`). Nothing is padded or wrapped.
///
/// With m the number of bins of the global window (m = units · steps for GlobalWindow::cube, m =
/// units for GlobalWindow::slice), x̄ and S = sqrt(Σ(x − x̄)² / m) its mean and population SD
/// (two passes), L_it = Σ_{(j,u) in the neighbourhood} x_ju and W_it its size:
///
///   Gi*_it = (L_it − x̄ W_it) / (S · sqrt((m W_it − W_it²) / (m − 1)))
///
/// For GlobalWindow::slice with lags, W can exceed what the slice alone could hold; the formula
/// is still sfdep's (it can even leave m W − W² <= 0, then z is NaN).
/// Throws InvalidArgument if the cube or options are invalid (see their validate()), or the
/// neighbours do not fit the units (Neighbours::validate), or a neighbourhood has 2^31 or more
/// bins.
/// Cost: O(units · steps · (|N| + K)) time — spatial sums once per slice, then K + 1 of them per
/// bin — and O(units · steps) memory besides the result; no weights matrix. Parallel over slices
/// and units (TBB); each sum is formed in a fixed order, so results do not depend on the number
/// of threads.
[[nodiscard]] SpaceTimeGiStarResult spacetime_gistar(const SpaceTimeCube& cube,
                                                     const Neighbours& neighbours,
                                                     const SpaceTimeGiStarOptions& options = {});

}  // namespace hotspots
