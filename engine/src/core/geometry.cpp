// SPDX-License-Identifier: MIT
#include "hotspots/core/geometry.hpp"

#include <cmath>

namespace hotspots {

double signed_area(const Ring& ring) {
  if (ring.size() < 4) return 0.0;
  // Shift to the first vertex so that large projected coordinates do not cancel digits.
  const double x0 = ring[0].x;
  const double y0 = ring[0].y;
  double twice = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += (ring[i].x - x0) * (ring[i + 1].y - y0) - (ring[i + 1].x - x0) * (ring[i].y - y0);
  }
  return 0.5 * twice;
}

double area(const MultiPolygon& polygons) {
  double total = 0.0;
  for (const auto& polygon : polygons) {
    total += std::abs(signed_area(polygon.exterior));
    for (const auto& hole : polygon.holes) total -= std::abs(signed_area(hole));
  }
  return total;
}

Extent extent_of(const MultiPolygon& polygons) {
  Extent e;
  for (const auto& polygon : polygons)
    for (const auto& p : polygon.exterior) e.include(p.x, p.y);
  return e;
}

}  // namespace hotspots
