// SPDX-License-Identifier: MIT
// Zone table: counts against a brute-force point-in-square test, rates and ranks by hand, the
// change test against closed forms and R, hotspot shares of squares with known overlap.

#include "hotspots/tables/zone_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

MultiPolygon square(double x0, double y0, double size) {
  return {
      Polygon{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}, {}}};
}

Zone zone(const std::string& id, const std::string& name, MultiPolygon g) {
  Zone z;
  z.id = id;
  z.name = name;
  z.area_m2 = area(g);
  z.geometry = std::move(g);
  return z;
}

// Three 100 m squares in a row (A, B, C share edges x = 100 and x = 200) and D apart.
std::vector<Zone> four_zones() {
  return {zone("A", "Alpha", square(0, 0, 100)), zone("B", "Beta", square(100, 0, 100)),
          zone("C", "Gamma", square(200, 0, 100)), zone("D", "Delta", square(1000, 1000, 100))};
}

struct Pts {
  std::vector<double> x, y;
  void add(double px, double py, int times = 1) {
    for (int i = 0; i < times; ++i) {
      x.push_back(px);
      y.push_back(py);
    }
  }
  PointColumns cols() const { return {x, y}; }
};

// First zone in order whose closed square covers the point (the ZoneIndex rule), by hand.
std::int32_t brute_zone(const std::vector<Zone>& zones, double x, double y) {
  for (std::size_t z = 0; z < zones.size(); ++z) {
    const Extent e = extent_of(zones[z].geometry);
    if (x >= e.xmin && x <= e.xmax && y >= e.ymin && y <= e.ymax)
      return static_cast<std::int32_t>(z);
  }
  return -1;
}

TEST(ZoneTable, CountsMatchBruteForcePointInPolygon) {
  const auto zones = four_zones();
  testing::TestRng rng(42);
  Pts now, before;
  for (int i = 0; i < 3000; ++i) now.add(rng.uniform(-50, 350), rng.uniform(-50, 150));
  for (int i = 0; i < 500; ++i) before.add(rng.uniform(950, 1150), rng.uniform(950, 1150));
  // On the shared edges: A before B, B before C (first zone in layer order).
  now.add(100, 50, 3);
  now.add(200, 0, 2);
  std::vector<std::int64_t> expect(zones.size(), 0), expect_prev(zones.size(), 0);
  std::int64_t outside = 0, outside_prev = 0;
  for (std::size_t i = 0; i < now.x.size(); ++i) {
    const auto z = brute_zone(zones, now.x[i], now.y[i]);
    z < 0 ? ++outside : ++expect[static_cast<std::size_t>(z)];
  }
  for (std::size_t i = 0; i < before.x.size(); ++i) {
    const auto z = brute_zone(zones, before.x[i], before.y[i]);
    z < 0 ? ++outside_prev : ++expect_prev[static_cast<std::size_t>(z)];
  }
  const auto t = compute_zone_table(zones, {}, now.cols(), before.cols(), {}, {});
  ASSERT_EQ(t.rows.size(), 4u);
  for (std::size_t z = 0; z < zones.size(); ++z) {
    EXPECT_EQ(t.rows[z].incidents, expect[z]) << zones[z].id;
    EXPECT_EQ(t.rows[z].previous, expect_prev[z]) << zones[z].id;
    EXPECT_EQ(t.rows[z].zone, static_cast<std::int32_t>(z));
    EXPECT_EQ(t.rows[z].id, zones[z].id);
    EXPECT_EQ(t.rows[z].name, zones[z].name);
  }
  EXPECT_EQ(t.outside, outside);
  EXPECT_EQ(t.outside_previous, outside_prev);
  EXPECT_GT(outside, 0);  // the fixture does put incidents outside every zone
  EXPECT_EQ(t.total, static_cast<std::int64_t>(now.x.size()));
  EXPECT_EQ(t.total_previous, static_cast<std::int64_t>(before.x.size()));
  // Every incident is in exactly one zone or outside: shares plus the outside share make 1.
  double share_sum = static_cast<double>(t.outside) / static_cast<double>(t.total);
  for (const auto& r : t.rows) share_sum += r.share;
  EXPECT_NEAR(share_sum, 1.0, 1e-12);
}

TEST(ZoneTable, RatesRanksSharesAndChangeByHand) {
  const auto zones = four_zones();
  Pts now, before;
  now.add(50, 50, 5);    // A: 5 now, 0 before
  now.add(150, 50, 5);   // B: 5 now, 10 before
  now.add(250, 50, 2);   // C: 2 now, 2 before
  now.add(-10, -10, 3);  // outside
  before.add(150, 50, 10);
  before.add(250, 50, 2);
  before.add(1050, 1050, 4);  // D: 0 now, 4 before
  const std::vector<double> population = {2000, 500, std::nan(""), 0};
  const auto t = compute_zone_table(zones, population, now.cols(), before.cols(), {}, {});
  ASSERT_TRUE(t.has_population);
  const auto& a = t.rows[0];
  const auto& b = t.rows[1];
  const auto& c = t.rows[2];
  const auto& d = t.rows[3];
  EXPECT_DOUBLE_EQ(a.area_km2, 0.01);
  EXPECT_DOUBLE_EQ(a.per_km2, 500.0);  // 5 / 0.01 km²
  EXPECT_DOUBLE_EQ(c.per_km2, 200.0);
  EXPECT_DOUBLE_EQ(a.per_1000, 2.5);  // 1000 · 5 / 2000
  EXPECT_DOUBLE_EQ(b.per_1000, 10.0);
  EXPECT_TRUE(std::isnan(c.per_1000));  // unknown population
  EXPECT_TRUE(std::isnan(d.per_1000));  // zero population
  // Competition ranking "1134": A and B tie at 5.
  EXPECT_EQ(a.rank, 1);
  EXPECT_EQ(b.rank, 1);
  EXPECT_EQ(c.rank, 3);
  EXPECT_EQ(d.rank, 4);
  EXPECT_DOUBLE_EQ(a.share, 5.0 / 15.0);  // of all 15 incidents, 3 of them outside
  EXPECT_EQ(t.outside, 3);
  // Changes.
  EXPECT_EQ(a.change, 5);
  EXPECT_TRUE(std::isnan(a.change_pct));  // previous = 0
  EXPECT_EQ(b.change, -5);
  EXPECT_DOUBLE_EQ(b.change_pct, -50.0);
  EXPECT_DOUBLE_EQ(c.change_pct, 0.0);
  EXPECT_DOUBLE_EQ(d.change_pct, -100.0);
  // (0 → 5): 2 · (1/2)^5; (10 → 5): R binom.test(5, 15)$p.value = 0.30175781250000006.
  EXPECT_DOUBLE_EQ(a.change_p, 0.0625);
  EXPECT_NEAR(b.change_p, 0.30175781250000006, 1e-15);
  EXPECT_DOUBLE_EQ(c.change_p, 1.0);
  EXPECT_DOUBLE_EQ(d.change_p, 0.125);                                // 2 · (1/2)^4
  for (const auto& r : t.rows) EXPECT_EQ(r.change_flag, "") << r.id;  // none below 0.05
  const auto q = bh_adjust({a.change_p, b.change_p, c.change_p, d.change_p});
  for (std::size_t z = 0; z < 4; ++z) EXPECT_DOUBLE_EQ(t.rows[z].change_q, q[z]);
}

TEST(ZoneTable, FlagsUpAndDownAtAlphaRawAndAdjusted) {
  const auto zones = four_zones();
  Pts now, before;
  now.add(50, 50, 12);     // A: 0 → 12, p = 2/4096
  before.add(150, 50, 9);  // B: 9 → 1, p = 2 · 11/1024 = 0.021484375
  now.add(150, 50, 1);
  now.add(250, 50, 3);  // C: 3 → 3
  before.add(250, 50, 3);
  const auto t = compute_zone_table(zones, {}, now.cols(), before.cols(), {}, {});
  EXPECT_FALSE(t.has_population);
  EXPECT_TRUE(std::isnan(t.rows[0].population));
  EXPECT_DOUBLE_EQ(t.rows[0].change_p, 2.0 / 4096.0);
  EXPECT_DOUBLE_EQ(t.rows[1].change_p, 22.0 / 1024.0);
  EXPECT_EQ(t.rows[0].change_flag, "up");
  EXPECT_EQ(t.rows[1].change_flag, "down");
  EXPECT_EQ(t.rows[2].change_flag, "");
  EXPECT_EQ(t.rows[3].change_flag, "");
  // BH over m = 4: B's q = min(4/2 · 0.0215, …) = 0.04296875 < 0.05 still; A's q = 4 · p_A.
  EXPECT_DOUBLE_EQ(t.rows[0].change_q, 4 * 2.0 / 4096.0);
  EXPECT_DOUBLE_EQ(t.rows[1].change_q, 2 * 22.0 / 1024.0);
  EXPECT_EQ(t.rows[0].change_flag_fdr, "up");
  EXPECT_EQ(t.rows[1].change_flag_fdr, "down");
  // A stricter alpha keeps A only.
  ZoneTableOptions strict;
  strict.alpha = 0.01;
  const auto s = compute_zone_table(zones, {}, now.cols(), before.cols(), {}, strict);
  EXPECT_EQ(s.rows[0].change_flag, "up");
  EXPECT_EQ(s.rows[1].change_flag, "");
  EXPECT_EQ(s.rows[1].change_flag_fdr, "");
}

TEST(ZoneTable, ChangeTestMatchesClosedFormAndR) {
  // Closed forms: P(X = 0) = 2^-n on each side.
  EXPECT_DOUBLE_EQ(change_test_p(0, 5), 0.0625);
  EXPECT_DOUBLE_EQ(change_test_p(5, 0), 0.0625);
  EXPECT_DOUBLE_EQ(change_test_p(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(change_test_p(2, 0), 0.5);
  EXPECT_DOUBLE_EQ(change_test_p(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(change_test_p(7, 7), 1.0);
  // 3 vs 10: 2 · (1 + 13 + 78 + 286) / 8192.
  EXPECT_DOUBLE_EQ(change_test_p(3, 10), 2.0 * 378.0 / 8192.0);
  // R 4.x: binom.test(n2, n1 + n2, 0.5)$p.value (= poisson.test(c(n2, n1))$p.value) with
  // options(digits = 17).
  struct Case {
    std::int64_t n1, n2;
    double p;
  };
  for (const Case& c :
       {Case{20, 35, 0.058064146792409337}, Case{100, 130, 0.055613577781392365},
        Case{1000, 1100, 0.030720707864242414}, Case{50000, 51000, 0.0016696304559915567},
        // Either side of n = 10,000, where the method changes.
        Case{4900, 5100, 0.046585527704947359}, Case{4900, 5101, 0.045505663375514024}}) {
    EXPECT_NEAR(change_test_p(c.n1, c.n2), c.p, 1e-9 * c.p) << c.n1 << " vs " << c.n2;
    EXPECT_DOUBLE_EQ(change_test_p(c.n1, c.n2), change_test_p(c.n2, c.n1));
  }
}

TEST(ZoneTable, ChangeTestIsAProbabilityForHugeCounts) {
  EXPECT_DOUBLE_EQ(change_test_p(5'000'000, 5'000'000), 1.0);
  const double tiny = change_test_p(0, 5000);  // 2^-4999 underflows to 0, not NaN
  EXPECT_GE(tiny, 0.0);
  EXPECT_LT(tiny, 1e-300);
  const double near = change_test_p(1'000'000, 1'000'500);
  EXPECT_GT(near, 0.7);  // z = 500 / sqrt(2000500) ≈ 0.35, two-sided p ≈ 0.72
  EXPECT_LT(near, 0.75);
}

TEST(ZoneTable, HotspotShareOfSquaresWithKnownOverlap) {
  const auto zones = four_zones();
  // Hot 1 covers the east half of A and the west half of B; hot 2 lies inside hot 1 (the union
  // must not count it twice) and hot 3 covers all of D and more.
  const MultiPolygon hot1 = square(50, 0, 100);
  const MultiPolygon hot2 = square(60, 10, 20);
  const MultiPolygon hot3 = square(990, 990, 200);
  const auto t = compute_zone_table(zones, {}, {}, {}, {&hot1, &hot2, &hot3}, {});
  EXPECT_NEAR(t.rows[0].hotspot_share, 0.5, 1e-12);
  EXPECT_NEAR(t.rows[1].hotspot_share, 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(t.rows[2].hotspot_share, 0.0);  // C (x 200–300) is clear of hot 1 (x 50–150)
  EXPECT_NEAR(t.rows[3].hotspot_share, 1.0, 1e-12);
  const auto none = compute_zone_table(zones, {}, {}, {}, {}, {});
  for (const auto& r : none.rows) EXPECT_DOUBLE_EQ(r.hotspot_share, 0.0);
}

TEST(ZoneTable, HotspotShareRespectsHolesAndTouchingEdges) {
  // A 300 m zone with a 100 m hole; the hotspot is the 100 m square east of the hole (inside the
  // zone) plus the hole itself, and a square that only touches the zone's west edge.
  MultiPolygon holed = square(0, 0, 300);
  holed[0].holes.push_back({{100, 100}, {100, 200}, {200, 200}, {200, 100}, {100, 100}});
  const std::vector<Zone> zones = {zone("H", "Holed", holed)};
  const MultiPolygon east = square(200, 100, 100);
  const MultiPolygon in_hole = square(100, 100, 100);
  const MultiPolygon touching = square(-100, 0, 100);
  const auto t = compute_zone_table(zones, {}, {}, {}, {&east, &in_hole, &touching}, {});
  EXPECT_NEAR(t.rows[0].hotspot_share, 10000.0 / 80000.0, 1e-12);
  EXPECT_DOUBLE_EQ(t.rows[0].area_km2, 0.08);
}

TEST(ZoneTable, HotspotShareOfAZoneAmongManyHotspotsCountsOnlyThoseItCovers) {
  // 100 hotspots of 10 m, 30 m apart; the zone (0..95 x 0..100 m) holds 3 x 4 of them whole and
  // the west half of 4 more: (12 · 100 + 4 · 50) / 9500 m². The overlay takes only the hotspots
  // whose boxes meet the zone's; those far off must change nothing.
  std::vector<MultiPolygon> spots;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) spots.push_back(square(30.0 * i, 30.0 * j, 10));
  std::vector<const MultiPolygon*> hot;
  for (const MultiPolygon& m : spots) hot.push_back(&m);
  MultiPolygon box(1);
  box[0].exterior = {{0, 0}, {95, 0}, {95, 100}, {0, 100}, {0, 0}};
  const std::vector<Zone> zones = {zone("Z", "Zone", box), zone("F", "Far", square(1000, 0, 50))};
  const auto t = compute_zone_table(zones, {}, {}, {}, hot, {});
  EXPECT_NEAR(t.rows[0].hotspot_share, 1400.0 / 9500.0, 1e-12);
  EXPECT_DOUBLE_EQ(t.rows[1].hotspot_share, 0.0);
}

TEST(ZoneTable, ValidatesItsInputs) {
  const auto zones = four_zones();
  ZoneTableOptions bad;
  bad.alpha = 1.0;
  EXPECT_THAT([&] { (void)compute_zone_table(zones, {}, {}, {}, {}, bad); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("alpha")));
  EXPECT_THAT(
      [&] {
        (void)compute_zone_table(zones, {1.0, 2.0}, {}, {}, {}, {});
      },
      ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("2 population values for 4")));
  const std::vector<double> x = {1, 2}, y = {1};
  EXPECT_THAT(
      [&] {
        (void)compute_zone_table(zones, {}, {x, y}, {}, {}, {});
      },
      ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("current incidents")));
  EXPECT_THAT([] { (void)change_test_p(-1, 3); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr(">= 0")));
}

TEST(ZoneTable, NoIncidentsGivesNaNSharesAndUnitPValues) {
  const auto t = compute_zone_table(four_zones(), {}, {}, {}, {}, {});
  for (const auto& r : t.rows) {
    EXPECT_EQ(r.incidents, 0);
    EXPECT_EQ(r.rank, 1);  // all tied
    EXPECT_TRUE(std::isnan(r.share));
    EXPECT_DOUBLE_EQ(r.change_p, 1.0);
    EXPECT_DOUBLE_EQ(r.change_q, 1.0);
  }
}

}  // namespace
}  // namespace hotspots
