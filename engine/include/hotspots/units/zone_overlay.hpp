// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots {

/// For each area, the zones whose polygons intersect it with a positive area of overlap (zones
/// that only share an edge or a corner with the area are not listed), in zone order.
/// Complexity: areas × zones bounding-box tests plus GEOS overlay for the overlapping pairs.
[[nodiscard]] std::vector<std::vector<std::int32_t>> zones_overlapping(
    const std::vector<Zone>& zones, const std::vector<const MultiPolygon*>& areas);

}  // namespace hotspots
