// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "hotspots/core/grid.hpp"

namespace hotspots {

/// How hot cells are chosen from a surface (a KDE density, say). Under every rule a cell is hot
/// only if its value is > 0 and not NaN (an empty or out-of-study cell is never hot).
enum class HotRule {
  /// The top p % of the study area's (non-NaN) cells by value, p in (0, 100]: with m such cells,
  /// k = ⌈p·m/100⌉ (a product within 1e-9 of a whole number counts as that number) and the cut
  /// is the k-th largest value. Ties at the cut are all included (so more than k cells may be
  /// hot), and cells of value 0 never are (so fewer may be).
  top_percent,
  /// The top p % of the cells near data, i.e. of value > 0 (within one radius of an incident
  /// for a KDE surface), with the k and tie rules of top_percent. Unlike top_percent its meaning
  /// does not change as empty land is added around the data (a national rectangle is mostly
  /// cells no incident reaches: its top 5 % would be the cells near data and then some).
  top_percent_near_data,
  /// Value >= t (t finite).
  threshold,
  /// Value >= mean + k·SD, mean and population SD (divisor = count) of the non-zero non-NaN
  /// cells (Chainey's "mean plus k standard deviations" of the surface); k finite, may be < 0.
  mean_sd,
};

/// Hot cells of `surface` under `rule` with its `parameter` (p, t or k above): one byte per cell,
/// row-major like Raster, 1 = hot. Returns all zeros when no cell qualifies (e.g. an all-zero
/// surface). Cost: O(cells) (top_percent: a copy and std::nth_element, O(cells) expected).
/// Throws InvalidArgument for a parameter out of range (p not in (0, 100], t or k not finite) or
/// a raster whose values do not match its grid.
[[nodiscard]] std::vector<std::uint8_t> select_hot_cells(const Raster& surface, HotRule rule,
                                                         double parameter);

}  // namespace hotspots
