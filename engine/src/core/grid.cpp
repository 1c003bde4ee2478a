// SPDX-License-Identifier: MIT
#include "hotspots/core/grid.hpp"

#include <algorithm>

namespace hotspots {

std::int64_t CellMask::count_inside() const {
  return std::count(inside.begin(), inside.end(), std::uint8_t{1});
}

}  // namespace hotspots
