// SPDX-License-Identifier: MIT
// Polygon contiguity on hand-built fixtures whose answers are worked out by hand: a 3 x 3 block
// of squares (queen 8 vs rook 4 for the centre), a corner-touching pair, a T-junction without a
// shared vertex, sliver gaps inside and outside the snap tolerance, an island; and centroids.

#include "hotspots/units/polygon_contiguity.hpp"

#include <gtest/gtest.h>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

MultiPolygon box(double x0, double y0, double x1, double y1) {
  return {Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
}

// 3 x 3 squares of 100 m, row-major from the south-west; square 4 is the centre.
std::vector<MultiPolygon> three_by_three() {
  std::vector<MultiPolygon> out;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      out.push_back(box(c * 100.0, r * 100.0, c * 100.0 + 100, r * 100.0 + 100));
  return out;
}

using List = std::vector<std::int32_t>;

TEST(PolygonContiguity, ThreeByThreeQueenAndRook) {
  const auto squares = three_by_three();
  const Neighbours queen = polygon_contiguity(squares, Contiguity::queen, 0.001);
  const Neighbours rook = polygon_contiguity(squares, Contiguity::rook, 0.001);
  EXPECT_EQ(queen.lists[4], (List{0, 1, 2, 3, 5, 6, 7, 8}));
  EXPECT_EQ(rook.lists[4], (List{1, 3, 5, 7}));
  EXPECT_EQ(queen.lists[0], (List{1, 3, 4}));
  EXPECT_EQ(rook.lists[0], (List{1, 3}));
  EXPECT_EQ(rook.lists[8], (List{5, 7}));
  queen.validate(9);
  rook.validate(9);
}

TEST(PolygonContiguity, CornerTouchIsQueenOnly) {
  const std::vector<MultiPolygon> p = {box(0, 0, 10, 10), box(10, 10, 20, 20)};
  EXPECT_EQ(polygon_contiguity(p, Contiguity::queen, 0.0).lists[0], (List{1}));
  EXPECT_EQ(polygon_contiguity(p, Contiguity::rook, 0.0).lists[0], List{});
}

TEST(PolygonContiguity, SharedEdgeWithoutSharedVertexIsRook) {
  // A spans x 0..20 along y = 10 with no vertex at (10, 10); B and C sit on top of it. spdep's
  // vertex-based rook would call A-B and A-C single-vertex (queen) contacts; we see the edges.
  const std::vector<MultiPolygon> p = {box(0, 0, 20, 10), box(0, 10, 10, 20), box(10, 10, 20, 20)};
  const Neighbours rook = polygon_contiguity(p, Contiguity::rook, 0.0);
  EXPECT_EQ(rook.lists[0], (List{1, 2}));
  EXPECT_EQ(rook.lists[1], (List{0, 2}));
}

TEST(PolygonContiguity, SliverGapWithinSnapTouchesOutsideDoesNot) {
  const std::vector<MultiPolygon> near = {box(0, 0, 10, 10), box(10.0005, 0, 20, 10)};
  const std::vector<MultiPolygon> far = {box(0, 0, 10, 10), box(10.002, 0, 20, 10)};
  for (const Contiguity c : {Contiguity::queen, Contiguity::rook}) {
    EXPECT_EQ(polygon_contiguity(near, c, 0.001).lists[0], (List{1}));
    EXPECT_EQ(polygon_contiguity(far, c, 0.001).lists[0], List{});
    EXPECT_EQ(polygon_contiguity(near, c, 0.0).lists[0], List{});
  }
}

TEST(PolygonContiguity, IslandHasNoNeighbours) {
  auto p = three_by_three();
  p.push_back(box(1000, 1000, 1100, 1100));
  const Neighbours queen = polygon_contiguity(p, Contiguity::queen, 0.001);
  EXPECT_TRUE(queen.lists[9].empty());
  EXPECT_EQ(queen.lists[8], (List{4, 5, 7}));
}

TEST(PolygonContiguity, BadSnapIsRejected) {
  EXPECT_THROW((void)polygon_contiguity(three_by_three(), Contiguity::queen, -1.0),
               InvalidArgument);
}

TEST(PolygonCentroid, LShapeAndHole) {
  // L of the unit squares (0,0), (1,0), (0,1): centroid (5/6, 5/6) by hand (three unit squares
  // with centres (0.5,0.5), (1.5,0.5), (0.5,1.5)).
  const MultiPolygon l = {Polygon{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}, {}}};
  const Point c = polygon_centroid(l);
  EXPECT_NEAR(c.x, 5.0 / 6, 1e-12);
  EXPECT_NEAR(c.y, 5.0 / 6, 1e-12);
  // A 4 x 4 square with a 1 x 1 hole at its south-west corner cell (clockwise, as stored):
  // (16·(2,2) − 1·(0.5,0.5)) / 15.
  const MultiPolygon holed = {Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
                                      {{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}}};
  const Point h = polygon_centroid(holed);
  EXPECT_NEAR(h.x, (32 - 0.5) / 15, 1e-12);
  EXPECT_NEAR(h.y, (32 - 0.5) / 15, 1e-12);
}

}  // namespace
}  // namespace hotspots
