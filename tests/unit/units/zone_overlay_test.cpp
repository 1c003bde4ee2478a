// SPDX-License-Identifier: MIT
// zones_overlapping against a brute force on rectangles and L shapes with whole-metre corners
// (so that many pairs only share an edge or a corner): a zone overlaps an area when one of the
// area's rectangles and the zone's rectangle overlap with a positive area. Covers the quick test
// (a vertex of the area inside the zone) and the pairs it cannot settle (a zone inside the area,
// pairs that only touch).
#include "hotspots/units/zone_overlay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace hotspots {
namespace {

struct Box {
  double x0, y0, x1, y1;
};

Ring ring(const Box& b) {
  return {{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}, {b.x0, b.y0}};
}

bool overlap(const Box& a, const Box& b) {
  return std::min(a.x1, b.x1) > std::max(a.x0, b.x0) && std::min(a.y1, b.y1) > std::max(a.y0, b.y0);
}

TEST(ZonesOverlapping, RectanglesAndLShapesAgainstBruteForce) {
  std::mt19937 rng(15);
  std::uniform_int_distribution<int> corner(0, 12);
  std::uniform_int_distribution<int> side(1, 6);
  const auto random_box = [&] {
    const double x = corner(rng), y = corner(rng);
    return Box{x, y, x + side(rng), y + side(rng)};
  };
  std::vector<Zone> zones;
  std::vector<Box> zone_boxes;
  for (int i = 0; i < 40; ++i) {
    zone_boxes.push_back(random_box());
    Zone z;
    z.id = std::to_string(i);
    z.geometry = {Polygon{ring(zone_boxes.back()), {}}};
    zones.push_back(std::move(z));
  }
  // A zone strictly inside a large area: no vertex of the area is inside it.
  zone_boxes.push_back({30.5, 30.5, 31.5, 31.5});
  zones.push_back(Zone{0, "inner", "inner", {Polygon{ring(zone_boxes.back()), {}}}, 0, {}, 0, {}});

  std::vector<MultiPolygon> areas;
  std::vector<std::vector<Box>> area_parts;
  for (int i = 0; i < 60; ++i) {
    const Box a = random_box();
    if (i % 2 == 0) {
      areas.push_back({Polygon{ring(a), {}}});
      area_parts.push_back({a});
    } else {
      // An L: `a` plus the rectangle to its right along its lower half-side or more.
      const double w = side(rng);
      const double h = std::max(1.0, std::floor((a.y1 - a.y0) / 2));
      const Box b{a.x1, a.y0, a.x1 + w, a.y0 + h};
      areas.push_back({Polygon{{{a.x0, a.y0},
                                {b.x1, b.y0},
                                {b.x1, b.y1},
                                {a.x1, b.y1},
                                {a.x1, a.y1},
                                {a.x0, a.y1},
                                {a.x0, a.y0}},
                               {}}});
      area_parts.push_back({a, b});
    }
  }
  areas.push_back({Polygon{ring({28, 28, 34, 34}), {}}});
  area_parts.push_back({{28, 28, 34, 34}});

  std::vector<const MultiPolygon*> pointers;
  for (const MultiPolygon& a : areas) pointers.push_back(&a);
  const auto got = zones_overlapping(zones, pointers);
  ASSERT_EQ(got.size(), areas.size());
  std::size_t listed = 0, touching_only = 0;
  for (std::size_t a = 0; a < areas.size(); ++a) {
    std::vector<std::int32_t> expected;
    for (std::size_t z = 0; z < zones.size(); ++z) {
      const bool any = std::any_of(area_parts[a].begin(), area_parts[a].end(),
                                   [&](const Box& part) { return overlap(part, zone_boxes[z]); });
      if (any) expected.push_back(static_cast<std::int32_t>(z));
      const Box& zb = zone_boxes[z];
      const bool meets = std::any_of(area_parts[a].begin(), area_parts[a].end(), [&](const Box& p) {
        return std::min(p.x1, zb.x1) >= std::max(p.x0, zb.x0) &&
               std::min(p.y1, zb.y1) >= std::max(p.y0, zb.y0);
      });
      if (meets && !any) ++touching_only;
    }
    EXPECT_EQ(got[a], expected) << "area " << a;
    listed += expected.size();
  }
  // The fixture exercises both answers and the pairs that only touch.
  EXPECT_GT(listed, 100U);
  EXPECT_GT(touching_only, 20U);
  EXPECT_EQ(got.back(), std::vector<std::int32_t>{static_cast<std::int32_t>(zones.size() - 1)});
}

}  // namespace
}  // namespace hotspots
