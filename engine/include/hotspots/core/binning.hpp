// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include "hotspots/core/grid.hpp"

namespace hotspots {

/// Sums point weights per cell (a point on a shared edge goes to the cell east / south of it,
/// see GridSpec). Points outside the grid are ignored. With a mask, cells outside the study
/// area are NaN and points falling in them are not counted. Complexity O(points + cells).
[[nodiscard]] Raster bin_points(const GridSpec& grid, const std::vector<double>& x,
                                const std::vector<double>& y, const std::vector<double>& weight,
                                const CellMask* mask = nullptr);

}  // namespace hotspots
