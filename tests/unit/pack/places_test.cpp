// SPDX-License-Identifier: MIT
// The figures of the patrol-place close-ups (places_product): incidents per month of a place.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

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
  options.min_incidents = 1;
  options.max_count = 3;
  const PatrolPlaces places = select_patrol_places(inc, 4, 10.0, options);
  ASSERT_FALSE(places.places.empty());
  for (const PatrolPlace& p : places.places) {
    const auto monthly = place_monthly_incidents(p, inc, Period{2024 * 12, 2024 * 12 + 3});
    const double dated = std::accumulate(monthly.begin(), monthly.end(), 0.0);
    // The selection counts the undated incidents at the centre too, when they are inside.
    double undated = 0;
    if (std::hypot(p.centre.x - 1000, p.centre.y - 1000) <= p.radius_m) undated = 2;
    EXPECT_EQ(dated + undated, p.incidents) << p.id;
  }
}

}  // namespace
}  // namespace hotspots
