// SPDX-License-Identifier: MIT
// Layers (tests/README.md): (a) properties of label_regions/region_outline on random masks —
// area = cells × C², orientation, closed simple rings, and every cell centre inside the outline
// exactly when its cell is in the region; (b) hand-made masks with the expected labels and rings
// written out (rook vs queen, a hole, a hole touching the exterior at a corner).
#include "hotspots/hotspots/cell_regions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

// Mask from text rows, 'X' = selected, top row = row 0 (north).
std::vector<std::uint8_t> mask_of(const std::vector<std::string>& rows) {
  std::vector<std::uint8_t> m;
  for (const auto& r : rows)
    for (char ch : r) m.push_back(ch == 'X' ? 1 : 0);
  return m;
}

GridSpec grid_for(const std::vector<std::string>& rows, double cell = 1.0) {
  return GridSpec{0.0, static_cast<double>(rows.size()) * cell, cell,
                  static_cast<std::int64_t>(rows.front().size()),
                  static_cast<std::int64_t>(rows.size())};
}

// Crossing-number test; cell centres never lie on a ring (rings run along cell edges).
bool in_ring(const Ring& ring, double x, double y) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 2; i + 1 < ring.size(); j = i++) {
    const Point& a = ring[i];
    const Point& b = ring[j];
    if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

// Even-odd over every ring of every polygon: for a valid MultiPolygon this is "inside".
bool covers(const MultiPolygon& mp, double x, double y) {
  bool inside = false;
  for (const Polygon& p : mp) {
    if (in_ring(p.exterior, x, y)) inside = !inside;
    for (const Ring& h : p.holes)
      if (in_ring(h, x, y)) inside = !inside;
  }
  return inside;
}

// Closed, at least a triangle, no vertex twice (so the ring never touches itself), and no three
// consecutive vertices on one line (every vertex is a corner).
void expect_clean_ring(const Ring& ring) {
  ASSERT_GE(ring.size(), 5u);  // an axis-parallel ring has at least 4 corners
  EXPECT_EQ(ring.front(), ring.back());
  std::set<std::pair<double, double>> seen;
  const std::size_t n = ring.size() - 1;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(seen.insert({ring[i].x, ring[i].y}).second)
        << "vertex (" << ring[i].x << ", " << ring[i].y << ") repeated";
    const Point& a = ring[(i + n - 1) % n];
    const Point& b = ring[i];
    const Point& c = ring[(i + 1) % n];
    const double cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    EXPECT_NE(cross, 0.0) << "collinear vertex (" << b.x << ", " << b.y << ")";
  }
}

void expect_valid_outline(const GridSpec& g, const CellRegions& regions, std::int32_t region,
                          const MultiPolygon& mp) {
  std::int64_t cells = 0;
  for (std::int32_t l : regions.label) cells += l == region ? 1 : 0;
  for (const Polygon& p : mp) {
    expect_clean_ring(p.exterior);
    EXPECT_GT(signed_area(p.exterior), 0.0) << "exterior not counter-clockwise";
    for (const Ring& h : p.holes) {
      expect_clean_ring(h);
      EXPECT_LT(signed_area(h), 0.0) << "hole not clockwise";
    }
  }
  // Vertices are whole multiples of C from the origin, so the shoelace sums are exact.
  EXPECT_EQ(area(mp), static_cast<double>(cells) * g.cell_size_m * g.cell_size_m);
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c)
      EXPECT_EQ(covers(mp, g.centre_x(c), g.centre_y(r)),
                regions.label[static_cast<std::size_t>(g.index(r, c))] == region)
          << "cell (" << r << ", " << c << ") of region " << region;
}

TEST(CellRegions, RookSeparatesCornerContactsQueenJoinsThem) {
  const std::vector<std::string> rows = {
      "X.X",
      ".X.",
      "..X",
  };
  const GridSpec g = grid_for(rows);
  const CellRegions rook = label_regions(g, mask_of(rows), Connectivity::rook);
  EXPECT_EQ(rook.count, 4);
  EXPECT_EQ(rook.label, (std::vector<std::int32_t>{0, -1, 1, -1, 2, -1, -1, -1, 3}));
  const CellRegions queen = label_regions(g, mask_of(rows), Connectivity::queen);
  EXPECT_EQ(queen.count, 1);
  EXPECT_EQ(queen.label, (std::vector<std::int32_t>{0, -1, 0, -1, 0, -1, -1, -1, 0}));
}

TEST(CellRegions, LabelsFollowTheRasterScanOrderOfFirstCells) {
  // The U's first cell (0,0) comes before the lone cell (0,4), which comes before (2,4), although
  // the U's right arm (0,2) is scanned after... nothing: it belongs to the U already.
  const std::vector<std::string> rows = {
      "X.X.X",
      "X.X..",
      "XXX.X",
  };
  const CellRegions r = label_regions(grid_for(rows), mask_of(rows), Connectivity::rook);
  EXPECT_EQ(r.count, 3);
  EXPECT_EQ(r.label, (std::vector<std::int32_t>{0, -1, 0, -1, 1,   //
                                                0, -1, 0, -1, -1,  //
                                                0, 0, 0, -1, 2}));
  ASSERT_EQ(r.boxes.size(), 3u);
  EXPECT_EQ(r.boxes[0].row_min, 0);
  EXPECT_EQ(r.boxes[0].row_max, 2);
  EXPECT_EQ(r.boxes[0].col_min, 0);
  EXPECT_EQ(r.boxes[0].col_max, 2);
  // Deterministic: labelling again gives the same labels.
  EXPECT_EQ(label_regions(grid_for(rows), mask_of(rows), Connectivity::rook).label, r.label);
}

TEST(CellRegions, QueenRegionGivesOnePolygonPerRookPart) {
  const std::vector<std::string> rows = {
      "X.",
      ".X",
  };
  const GridSpec g = grid_for(rows, 10.0);  // xmin 0, ymax 20
  const CellRegions r = label_regions(g, mask_of(rows), Connectivity::queen);
  ASSERT_EQ(r.count, 1);
  const MultiPolygon mp = region_outline(g, r, 0);
  ASSERT_EQ(mp.size(), 2u);
  // North-west cell first (scan order), counter-clockwise from its north-west corner.
  EXPECT_EQ(mp[0].exterior, (Ring{{0, 20}, {0, 10}, {10, 10}, {10, 20}, {0, 20}}));
  EXPECT_EQ(mp[1].exterior, (Ring{{10, 10}, {10, 0}, {20, 0}, {20, 10}, {10, 10}}));
  EXPECT_TRUE(mp[0].holes.empty());
  EXPECT_TRUE(mp[1].holes.empty());
  expect_valid_outline(g, r, 0, mp);
}

TEST(CellRegions, RingOfCellsHasAHole) {
  const std::vector<std::string> rows = {
      ".....", ".XXX.", ".X.X.", ".XXX.", ".....",
  };
  const GridSpec g{440000.0, 285050.0, 10.0, 5, 5};
  for (Connectivity c : {Connectivity::rook, Connectivity::queen}) {
    const CellRegions r = label_regions(g, mask_of(rows), c);
    ASSERT_EQ(r.count, 1);
    const MultiPolygon mp = region_outline(g, r, 0);
    ASSERT_EQ(mp.size(), 1u);
    EXPECT_EQ(mp[0].exterior, (Ring{{440010, 285040},
                                    {440010, 285010},
                                    {440040, 285010},
                                    {440040, 285040},
                                    {440010, 285040}}));
    ASSERT_EQ(mp[0].holes.size(), 1u);
    EXPECT_EQ(mp[0].holes[0].size(), 5u);
    EXPECT_DOUBLE_EQ(signed_area(mp[0].holes[0]), -100.0);
    EXPECT_DOUBLE_EQ(area(mp), 800.0);
    expect_valid_outline(g, r, 0, mp);
  }
}

TEST(CellRegions, CornerContactWithinOnePartMakesAHoleTouchingTheExterior) {
  // (0,1) and (1,0) touch at a corner and are joined the long way round: the empty centre is a
  // hole that touches the exterior at that corner, (1, 2) in map units; no ring passes it twice.
  const std::vector<std::string> rows = {
      ".XX",
      "X.X",
      "XXX",
  };
  const GridSpec g = grid_for(rows);  // ymax = 3
  const CellRegions r = label_regions(g, mask_of(rows), Connectivity::rook);
  ASSERT_EQ(r.count, 1);
  const MultiPolygon mp = region_outline(g, r, 0);
  ASSERT_EQ(mp.size(), 1u);
  EXPECT_EQ(mp[0].exterior, (Ring{{1, 3}, {1, 2}, {0, 2}, {0, 0}, {3, 0}, {3, 3}, {1, 3}}));
  ASSERT_EQ(mp[0].holes.size(), 1u);
  EXPECT_EQ(mp[0].holes[0], (Ring{{1, 2}, {2, 2}, {2, 1}, {1, 1}, {1, 2}}));
  expect_valid_outline(g, r, 0, mp);
}

TEST(CellRegions, PartInsideAnotherPartsHoleTouchingAtACorner) {
  // Queen joins the centre cell to the frame through its corner contact with (1,1): two
  // polygons, the centre inside the frame's hole, touching it at one corner.
  const std::vector<std::string> rows = {
      "XXXXX", "XX..X", "X.X.X", "X...X", "XXXXX",
  };
  const GridSpec g = grid_for(rows, 2.0);
  const CellRegions queen = label_regions(g, mask_of(rows), Connectivity::queen);
  ASSERT_EQ(queen.count, 1);
  const MultiPolygon mp = region_outline(g, queen, 0);
  ASSERT_EQ(mp.size(), 2u);
  EXPECT_EQ(mp[0].holes.size(), 1u);
  EXPECT_EQ(mp[1].exterior, (Ring{{4, 6}, {4, 4}, {6, 4}, {6, 6}, {4, 6}}));
  expect_valid_outline(g, queen, 0, mp);
  EXPECT_EQ(label_regions(g, mask_of(rows), Connectivity::rook).count, 2);
}

TEST(CellRegions, FrameOfCornerJoinedPartsLeavesItsInsideUncovered) {
  // Under queen the frame is one region of three rook parts joined at corners; no part encloses
  // the inside on its own, so there is no hole ring and the inside stays uncovered.
  const std::vector<std::string> rows = {
      "XXXX.", "X...X", "X...X", "X...X", ".XXX.",
  };
  const GridSpec g = grid_for(rows, 2.0);
  const CellRegions queen = label_regions(g, mask_of(rows), Connectivity::queen);
  ASSERT_EQ(queen.count, 1);
  const MultiPolygon mp = region_outline(g, queen, 0);
  ASSERT_EQ(mp.size(), 3u);
  for (const Polygon& p : mp) EXPECT_TRUE(p.holes.empty());
  expect_valid_outline(g, queen, 0, mp);
}

TEST(CellRegions, OutlinesReproduceTheCellsOfRandomMasks) {
  // SplitMix64 masks of several densities on an odd-sized, offset grid.
  std::uint64_t state = 17;
  const auto next = [&] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  const GridSpec g{451230.0, 301770.0, 25.0, 23, 19};
  for (int percent : {20, 45, 60, 80}) {
    std::vector<std::uint8_t> m(static_cast<std::size_t>(g.cell_count()));
    for (auto& v : m) v = next() % 100 < static_cast<std::uint64_t>(percent) ? 1 : 0;
    for (Connectivity c : {Connectivity::rook, Connectivity::queen}) {
      const CellRegions r = label_regions(g, m, c);
      double total = 0;
      for (std::int32_t i = 0; i < r.count; ++i) {
        const MultiPolygon mp = region_outline(g, r, i);
        if (c == Connectivity::rook) {
          EXPECT_EQ(mp.size(), 1u);
        }
        expect_valid_outline(g, r, i, mp);
        total += area(mp);
      }
      double selected = 0;
      for (auto v : m) selected += v;
      EXPECT_EQ(total, selected * 25.0 * 25.0) << percent << "% " << to_string(c);
    }
  }
}

TEST(CellRegions, OutlineOfHandMadeRegionsWithoutBoxes) {
  const std::vector<std::string> rows = {
      "XX.",
      "X.X",
  };
  const GridSpec g = grid_for(rows, 5.0);
  const CellRegions with_boxes = label_regions(g, mask_of(rows), Connectivity::rook);
  const CellRegions bare{with_boxes.label, with_boxes.count};
  for (std::int32_t i = 0; i < bare.count; ++i) {
    const MultiPolygon a = region_outline(g, with_boxes, i);
    const MultiPolygon b = region_outline(g, bare, i);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].exterior, b[k].exterior);
  }
}

TEST(CellRegions, RejectsMismatchedInputs) {
  const GridSpec g{0.0, 2.0, 1.0, 2, 2};
  try {
    (void)label_regions(g, {1, 0, 1}, Connectivity::rook);
    ADD_FAILURE() << "3 mask values for 4 cells accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("3 mask values for a 2 x 2 grid"));
  }
  const CellRegions r = label_regions(g, {1, 0, 0, 1}, Connectivity::rook);
  EXPECT_THROW((void)region_outline(g, r, 2), InvalidArgument);
  EXPECT_THROW((void)region_outline(g, r, -1), InvalidArgument);
  EXPECT_THROW((void)region_outline(GridSpec{0.0, 2.0, 1.0, 3, 2}, r, 0), InvalidArgument);
  EXPECT_EQ(parse_connectivity("queen"), Connectivity::queen);
  EXPECT_EQ(parse_connectivity(to_string(Connectivity::rook)), Connectivity::rook);
  try {
    (void)parse_connectivity("bishop");
    ADD_FAILURE() << "bishop accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown connectivity 'bishop'; valid connectivities: rook, "
                                    "queen"));
  }
}

}  // namespace
}  // namespace hotspots
