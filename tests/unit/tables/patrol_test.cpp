// SPDX-License-Identifier: MIT
// Patrol list: budget selection by hand, the hour-of-week peak of planted times (including the
// wrap from Sunday into Monday), the month fallback, and the zones an area touches.

#include "hotspots/tables/patrol.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

MultiPolygon square(double x0, double y0, double size) {
  return {
      Polygon{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}, {}}};
}

HotArea hot(int rank, double x0, double area_km2) {
  HotArea a;
  a.rank = rank;
  a.outline = square(x0, 0, 100);
  a.area_km2 = area_km2;  // not the outline's: the budget only reads area_km2
  a.incidents = 10.0 * rank;
  a.pai = 1.5 * rank;
  a.centroid = {x0 + 50, 50};
  return a;
}

// Given out of rank order on purpose; areas are 100 m squares at x0 = 0, 1000, 2000, 3000.
std::vector<HotArea> four_areas() {
  return {hot(3, 2000, 0.4), hot(1, 0, 0.5), hot(4, 3000, 0.3), hot(2, 1000, 2.0)};
}

std::vector<int> ranks_of(const PatrolList& list) {
  std::vector<int> r;
  for (const auto& i : list.items) r.push_back(i.hot_area_rank);
  return r;
}

Date at(int year, int month, int day, int hour, int minute = 0) {
  return Date{year * 12 + month - 1, static_cast<std::int8_t>(day),
              static_cast<std::int16_t>(hour * 60 + minute)};
}

void add(Incidents& inc, double x, double y, const Date& d, int times = 1) {
  for (int i = 0; i < times; ++i) inc.append(x, y, 1.0, d, -1, 0, 0);
}

TEST(Patrol, AreaBudgetSkipsWhatDoesNotFitAndContinues) {
  PatrolOptions o;
  o.max_area_km2 = 1.0;
  const auto list = plan_patrols(four_areas(), {}, {}, o);
  // 0.5 (rank 1) fits, 2.0 (rank 2) does not, 0.4 (rank 3) makes 0.9, 0.3 (rank 4) would be 1.2.
  EXPECT_THAT(ranks_of(list), ElementsAre(1, 3));
  EXPECT_EQ(list.skipped_over_budget, 2);
  EXPECT_DOUBLE_EQ(list.total_area_km2, 0.9);
  EXPECT_DOUBLE_EQ(list.total_incidents, 40);
  EXPECT_EQ(list.items[1].rank, 2);
  EXPECT_DOUBLE_EQ(list.items[1].pai, 4.5);
  EXPECT_EQ(list.items[1].centroid, (Point{2050, 50}));
}

TEST(Patrol, CountBudgetBothBudgetsAndNone) {
  PatrolOptions count;
  count.max_count = 2;
  EXPECT_THAT(ranks_of(plan_patrols(four_areas(), {}, {}, count)), ElementsAre(1, 2));
  PatrolOptions both;
  both.max_count = 3;
  both.max_area_km2 = 1.2;  // exactly 0.5 + 0.4 + 0.3
  EXPECT_THAT(ranks_of(plan_patrols(four_areas(), {}, {}, both)), ElementsAre(1, 3, 4));
  both.max_count = 1;
  EXPECT_THAT(ranks_of(plan_patrols(four_areas(), {}, {}, both)), ElementsAre(1));
  EXPECT_THAT(ranks_of(plan_patrols(four_areas(), {}, {}, {})), ElementsAre(1, 2, 3, 4));
  EXPECT_TRUE(plan_patrols({}, {}, {}, {}).items.empty());
}

TEST(Patrol, HourOfWeekPeakOfPlantedTimes) {
  Incidents inc;
  // In area rank 1 (x 0–100): Friday 15 March 2024 22:xx and 23:xx, Saturday 00:xx — the planted
  // peak — and a few Monday mornings.
  add(inc, 10, 10, at(2024, 3, 15, 22, 5), 5);
  add(inc, 20, 20, at(2024, 3, 15, 23, 59), 5);
  add(inc, 30, 30, at(2024, 3, 16, 0, 30), 4);
  add(inc, 40, 40, at(2024, 3, 11, 10), 3);
  add(inc, 100, 50, at(2024, 3, 11, 11));      // on the outline's edge: inside (closed polygon)
  add(inc, 500, 50, at(2024, 3, 15, 22), 50);  // between areas: in none
  Date month_only;
  month_only.month_index = 2024 * 12 + 2;
  add(inc, 50, 50, month_only, 2);  // no time: counted, not in the hour-of-week profile
  PatrolOptions o;
  o.max_count = 1;
  const auto list = plan_patrols(four_areas(), inc, {}, o);
  ASSERT_EQ(list.items.size(), 1u);
  const TimeProfile& p = list.items[0].profile;
  EXPECT_EQ(p.kind, ProfileKind::hour_of_week);
  EXPECT_EQ(p.incidents, 20);
  EXPECT_EQ(p.timed, 18);
  EXPECT_EQ(p.dated, 20);
  // 2024-03-15 is a Friday (weekday 4): hour of week 4·24 + 22 = 118.
  EXPECT_DOUBLE_EQ(p.hour_of_week[118], 5);
  EXPECT_DOUBLE_EQ(p.hour_of_week[119], 5);
  EXPECT_DOUBLE_EQ(p.hour_of_week[120], 4);
  EXPECT_DOUBLE_EQ(p.hour_of_week[10], 3);
  EXPECT_DOUBLE_EQ(p.hour_of_week[11], 1);
  double sum = 0;
  for (const double v : p.hour_of_week) sum += v;
  EXPECT_DOUBLE_EQ(sum, 18);
  EXPECT_EQ(p.peak_start_hour, 118);
  EXPECT_EQ(p.peak_window_hours, 3);
  EXPECT_DOUBLE_EQ(p.peak_window_weight, 14);
  EXPECT_THAT(p.peak_days, ElementsAre(4));  // Friday 10 > Saturday 4, Monday 4
  EXPECT_EQ(p.text, "Fri–Sat 22:00–01:00 (peak day Fri)");
  EXPECT_DOUBLE_EQ(p.month[2], 20);  // March, from every dated incident
}

TEST(Patrol, PeakWindowWrapsFromSundayIntoMonday) {
  Incidents inc;
  add(inc, 10, 10, at(2024, 3, 17, 23), 3);  // Sunday 23:00
  add(inc, 10, 10, at(2024, 3, 18, 0), 3);   // Monday 00:00
  add(inc, 10, 10, at(2024, 3, 18, 1), 3);   // Monday 01:00
  add(inc, 10, 10, at(2024, 3, 13, 12), 2);  // Wednesday noon
  PatrolOptions o;
  o.max_count = 1;
  const auto p = plan_patrols(four_areas(), inc, {}, o).items[0].profile;
  EXPECT_EQ(p.peak_start_hour, 167);
  EXPECT_EQ(p.text, "Sun–Mon 23:00–02:00 (peak day Mon)");
  o.peak_window_hours = 1;
  const auto q = plan_patrols(four_areas(), inc, {}, o).items[0].profile;
  EXPECT_EQ(q.peak_start_hour, 0);  // ties: the earliest start from Monday 00:00
  EXPECT_EQ(q.text, "Mon 00:00–01:00 (peak day Mon)");
}

TEST(Patrol, MonthProfileWhenTooFewIncidentsHaveTimes) {
  Incidents inc;
  auto month = [](int y, int m) {
    Date d;
    d.month_index = y * 12 + m - 1;
    return d;
  };
  add(inc, 1010, 10, month(2023, 7), 4);  // area rank 2
  add(inc, 1010, 10, month(2024, 7), 2);  // July again, another year: 6 in July
  add(inc, 1010, 10, month(2023, 12), 6);
  add(inc, 1010, 10, month(2024, 1), 1);
  add(inc, 1010, 10, at(2024, 2, 2, 20), 1);  // 1 of 14 timed: below the 50 % default
  add(inc, 2010, 10, Date{}, 3);              // area rank 3: no dates at all
  const auto list = plan_patrols(four_areas(), inc, {}, {});
  const TimeProfile& p = list.items[1].profile;
  EXPECT_EQ(p.kind, ProfileKind::month);
  EXPECT_EQ(p.timed, 1);
  EXPECT_DOUBLE_EQ(p.month[6], 6);
  EXPECT_DOUBLE_EQ(p.month[11], 6);
  EXPECT_THAT(p.peak_months, ElementsAre(7, 12));
  EXPECT_EQ(p.text, "peak months Jul, Dec");
  EXPECT_EQ(p.peak_start_hour, -1);
  const TimeProfile& none = list.items[2].profile;
  EXPECT_EQ(none.kind, ProfileKind::none);
  EXPECT_EQ(none.incidents, 3);
  EXPECT_EQ(none.text, "");
  EXPECT_EQ(list.items[0].profile.kind, ProfileKind::none);  // no incidents in it
  EXPECT_EQ(to_string(ProfileKind::month), "month");
  // With a lower threshold the single timed incident is enough.
  PatrolOptions o;
  o.min_timed_share = 0.05;
  EXPECT_EQ(plan_patrols(four_areas(), inc, {}, o).items[1].profile.kind,
            ProfileKind::hour_of_week);
}

TEST(Patrol, ZonesTouchedAreThoseOverlappingTheOutline) {
  auto zone = [](const std::string& id, const std::string& name, MultiPolygon g) {
    Zone z;
    z.id = id;
    z.name = name;
    z.geometry = std::move(g);
    return z;
  };
  // Area rank 1 is x 0–100, y 0–100. West overlaps it on x 0–50, East on x 50–100; Touching
  // shares only the corner (0, 0), so it is not listed; Far is elsewhere.
  const std::vector<Zone> zones = {
      zone("W", "West", {Polygon{{{-50, 0}, {50, 0}, {50, 100}, {-50, 100}, {-50, 0}}, {}}}),
      zone("T", "Touching", square(-100, -100, 100)), zone("E", "East", square(50, 0, 100)),
      zone("F", "Far", square(5000, 5000, 10))};
  PatrolOptions o;
  o.max_count = 2;
  const auto list = plan_patrols(four_areas(), {}, zones, o);
  EXPECT_THAT(list.items[0].zone_ids, ElementsAre("W", "E"));
  EXPECT_THAT(list.items[0].zone_names, ElementsAre("West", "East"));
  EXPECT_EQ(list.items[0].zones, "West; East");
  EXPECT_TRUE(list.items[1].zone_ids.empty());
  EXPECT_EQ(list.items[1].zones, "");
}

TEST(Patrol, ValidatesItsOptions) {
  auto fails = [](PatrolOptions o, const char* field) {
    EXPECT_THAT([&] { (void)plan_patrols({}, {}, {}, o); },
                ::testing::ThrowsMessage<InvalidArgument>(HasSubstr(field)));
  };
  PatrolOptions o;
  o.max_area_km2 = -1;
  fails(o, "max_area_km2");
  o = {};
  o.max_count = -2;
  fails(o, "max_count");
  o = {};
  o.min_timed_share = 1.5;
  fails(o, "min_timed_share");
  o = {};
  o.peak_window_hours = 0;
  fails(o, "peak_window_hours");
  Incidents ragged;
  ragged.x = {1, 2};
  ragged.y = {1, 2};
  ragged.weight = {1, 1};
  ragged.date.resize(1);
  EXPECT_THAT([&] { (void)plan_patrols({}, ragged, {}, {}); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("date 1")));
}

}  // namespace
}  // namespace hotspots
