// SPDX-License-Identifier: MIT
// The figures of the patrol-place close-ups (places_product): incidents per month of a place.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "hotspots/pack/products/place_times_product.hpp"
#include "hotspots/pack/products/places_product.hpp"

namespace hotspots {
namespace {

// Incidents in rings around (1000, 1000) over four months: at 0, 100, 149.9, 150 (on the edge,
// counted) and 151 m (outside), month m holding m + 1 incidents at each distance; plus two
// undated incidents at the centre (never counted).
Incidents ringed() {
  Incidents inc;
  std::int64_t line = 0;
  for (int m = 0; m < 4; ++m)
    for (double d : {0.0, 100.0, 149.9, 150.0, 151.0})
      for (int k = 0; k <= m; ++k) {
        Date date;
        date.month_index = 2024 * 12 + m;
        // East, north, west, south in turn: exact distances.
        const double dx[4] = {d, 0, -d, 0}, dy[4] = {0, d, 0, -d};
        inc.append(1000 + dx[k % 4], 1000 + dy[k % 4], 1.0, date, -1, 0, ++line);
      }
  inc.append(1000, 1000, 1.0, Date{}, -1, 0, ++line);
  inc.append(1000, 1000, 1.0, Date{}, -1, 0, ++line);
  return inc;
}

TEST(Places, MonthlyIncidentsCountTheCircleEdgeIncludedByMonth) {
  PatrolPlace place;
  place.id = "P1";
  place.centre = {1000, 1000};
  place.radius_m = 150;
  const Incidents inc = ringed();
  // Worked by hand: month m has (m + 1) incidents at each of the 4 distances <= 150 m.
  EXPECT_EQ(place_monthly_incidents(place, inc, Period{2024 * 12, 2024 * 12 + 3}),
            (std::vector<double>{4, 8, 12, 16}));
  // A period starting later: months outside it are left out.
  EXPECT_EQ(place_monthly_incidents(place, inc, Period{2024 * 12 + 2, 2024 * 12 + 4}),
            (std::vector<double>{12, 16, 0}));
}

TEST(Places, MonthlyIncidentsAddUpToWhatThePlaceSelectionCounted) {
  const Incidents inc = ringed();
  PatrolPlaceOptions options;
  for (const PatrolShape shape : {PatrolShape::cells, PatrolShape::circle}) {
    options.shape = shape;
    options.min_incidents = 1;
    options.max_count = 3;
    const PatrolPlaces places = select_patrol_places(inc, 4, 10.0, options);
    ASSERT_FALSE(places.places.empty());
    for (const PatrolPlace& p : places.places) {
      const auto monthly = place_monthly_incidents(p, inc, Period{2024 * 12, 2024 * 12 + 3});
      const double dated = std::accumulate(monthly.begin(), monthly.end(), 0.0);
      // The selection counts the undated incidents at the centre too, when they are inside.
      double undated = 0;
      if (patrol_place_contains(p, 1000, 1000)) undated = 2;
      EXPECT_EQ(dated + undated, p.incidents) << p.id << " " << to_string(shape);
    }
  }
}

// 3000 seeded incidents around (5000, 5000) in 2024-2025: half with a day and a time, some with a
// day only, some with a month only, a few undated; weights 1 or 2. The tally by weekday and hour
// is checked against a brute-force count using std::chrono's calendar for the weekday (an
// implementation independent of Date::weekday).
TEST(PlaceTimes, WeekHourCountsEqualAnIndependentTallyOfThePlacesIncidents) {
  std::mt19937 rng(12);
  std::uniform_real_distribution<double> coord(4700, 5300);
  std::uniform_int_distribution<int> month(2024 * 12, 2025 * 12 + 11), day(1, 28), minute(0, 1439),
      kind(0, 9), weight(1, 2);
  Incidents inc;
  for (std::int64_t line = 1; line <= 3000; ++line) {
    Date d;
    const int k = kind(rng);
    if (k > 0) d.month_index = month(rng);
    if (k > 2) d.day = static_cast<std::int8_t>(day(rng));
    if (k > 4) d.minute_of_day = static_cast<std::int16_t>(minute(rng));
    inc.append(coord(rng), coord(rng), weight(rng), d, -1, 0, line);
  }
  PatrolPlace place;
  place.id = "P1";
  place.centre = {5000, 5000};
  place.radius_m = 200;
  const Period period{2024 * 12 + 3, 2025 * 12 + 2};
  const PlaceWeekHours got = place_week_hours(place, inc, period);

  std::array<double, 168> want{};
  double in_place = 0, timed = 0;
  for (std::size_t i = 0; i < inc.size(); ++i) {
    const double dx = inc.x[i] - 5000, dy = inc.y[i] - 5000;
    if (dx * dx + dy * dy > 200.0 * 200.0) continue;
    const Date& d = inc.date[i];
    if (d.month_index < period.first || d.month_index > period.last) continue;  // undated: -1
    in_place += inc.weight[i];
    if (d.day == 0 || d.minute_of_day < 0) continue;
    timed += inc.weight[i];
    const std::chrono::year_month_day ymd{std::chrono::year{d.month_index / 12},
                                          std::chrono::month{unsigned(d.month_index % 12 + 1)},
                                          std::chrono::day{unsigned(d.day)}};
    const unsigned monday_first =
        (std::chrono::weekday{std::chrono::sys_days{ymd}}.c_encoding() + 6) % 7;
    want[monday_first * 24 + static_cast<unsigned>(d.minute_of_day / 60)] += inc.weight[i];
  }
  ASSERT_GT(timed, 50);        // the place holds enough timed incidents to test anything
  ASSERT_LT(timed, in_place);  // and some without a time, which must not be counted
  EXPECT_EQ(got.incidents, in_place);
  EXPECT_EQ(got.timed, timed);
  EXPECT_EQ(got.weight, want);
  EXPECT_TRUE(incidents_have_times(inc));
}

TEST(PlaceTimes, MonthsOnlyIncidentsHaveNoTimes) {
  const Incidents inc = ringed();
  EXPECT_FALSE(incidents_have_times(inc));
  PatrolPlace place;
  place.centre = {1000, 1000};
  place.radius_m = 150;
  const PlaceWeekHours got = place_week_hours(place, inc, Period{2024 * 12, 2024 * 12 + 3});
  EXPECT_EQ(got.incidents, 40);  // 4 + 8 + 12 + 16, as the monthly test worked out
  EXPECT_EQ(got.timed, 0);
}

}  // namespace
}  // namespace hotspots
