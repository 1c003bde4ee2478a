// SPDX-License-Identifier: MIT
// Time profiles of patrol places (formerly tested through the KDE patrol list): the hour-of-week
// peak of planted times, the wrap from Sunday into Monday, the month fallback, no profile without
// dates, and a place's profile holding exactly its own incidents.

#include "hotspots/tables/time_profile.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hotspots/tables/patrol_places.hpp"

namespace hotspots {
namespace {

using ::testing::ElementsAre;

Date at(int year, int month, int day, int hour, int minute = 0) {
  return Date{year * 12 + month - 1, static_cast<std::int8_t>(day),
              static_cast<std::int16_t>(hour * 60 + minute)};
}

Date month_of(int y, int m) {
  Date d;
  d.month_index = y * 12 + m - 1;
  return d;
}

void add(TimeProfile& p, const Date& d, int times) {
  for (int i = 0; i < times; ++i) add_to_profile(p, d, 1.0);
}

TEST(TimeProfile, HourOfWeekPeakOfPlantedTimes) {
  TimeProfile p;
  // Friday 15 March 2024 22:xx and 23:xx, Saturday 00:xx (the planted peak), Monday mornings.
  add(p, at(2024, 3, 15, 22, 5), 5);
  add(p, at(2024, 3, 15, 23, 59), 5);
  add(p, at(2024, 3, 16, 0, 30), 4);
  add(p, at(2024, 3, 11, 10), 3);
  add(p, at(2024, 3, 11, 11), 1);
  add(p, month_of(2024, 3), 2);  // no time: counted, not in the hour-of-week profile
  finish_profile(p, 0.5, 3);
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
  EXPECT_EQ(p.peak_start_hour, 118);
  EXPECT_EQ(p.peak_window_hours, 3);
  EXPECT_DOUBLE_EQ(p.peak_window_weight, 14);
  EXPECT_THAT(p.peak_days, ElementsAre(4));  // Friday 10 > Saturday 4, Monday 4
  EXPECT_EQ(p.text, "Fri–Sat 22:00–01:00 (peak day Fri)");
  EXPECT_DOUBLE_EQ(p.month[2], 20);  // March, from every dated incident
}

TEST(TimeProfile, PeakWindowWrapsFromSundayIntoMonday) {
  TimeProfile p;
  add(p, at(2024, 3, 17, 23), 3);  // Sunday 23:00
  add(p, at(2024, 3, 18, 0), 3);   // Monday 00:00
  add(p, at(2024, 3, 18, 1), 3);   // Monday 01:00
  add(p, at(2024, 3, 13, 12), 2);  // Wednesday noon
  TimeProfile q = p;
  finish_profile(p, 0.5, 3);
  EXPECT_EQ(p.peak_start_hour, 167);
  EXPECT_EQ(p.text, "Sun–Mon 23:00–02:00 (peak day Mon)");
  finish_profile(q, 0.5, 1);
  EXPECT_EQ(q.peak_start_hour, 0);  // ties: the earliest start from Monday 00:00
  EXPECT_EQ(q.text, "Mon 00:00–01:00 (peak day Mon)");
}

TEST(TimeProfile, MonthProfileWhenTooFewIncidentsHaveTimes) {
  TimeProfile p;
  add(p, month_of(2023, 7), 4);
  add(p, month_of(2024, 7), 2);  // July again, another year: 6 in July
  add(p, month_of(2023, 12), 6);
  add(p, month_of(2024, 1), 1);
  add(p, at(2024, 2, 2, 20), 1);  // 1 of 14 timed: below the 50 % default
  TimeProfile low = p;
  finish_profile(p, 0.5, 3);
  EXPECT_EQ(p.kind, ProfileKind::month);
  EXPECT_EQ(p.timed, 1);
  EXPECT_DOUBLE_EQ(p.month[6], 6);
  EXPECT_DOUBLE_EQ(p.month[11], 6);
  EXPECT_THAT(p.peak_months, ElementsAre(7, 12));
  EXPECT_EQ(p.text, "peak months Jul, Dec");
  EXPECT_EQ(p.peak_start_hour, -1);
  // With a lower threshold the single timed incident is enough.
  finish_profile(low, 0.05, 3);
  EXPECT_EQ(low.kind, ProfileKind::hour_of_week);
  TimeProfile none;
  add(none, Date{}, 3);
  finish_profile(none, 0.5, 3);
  EXPECT_EQ(none.kind, ProfileKind::none);
  EXPECT_EQ(none.incidents, 3);
  EXPECT_EQ(none.text, "");
  EXPECT_EQ(to_string(ProfileKind::month), "month");
}

TEST(TimeProfile, EachPatrolPlaceProfilesItsOwnIncidents) {
  Incidents inc;
  for (int i = 0; i < 40; ++i) inc.append(0, 0, 1.0, at(2024, 3, 15, 22), -1, 0, 0);  // Fri
  for (int i = 0; i < 40; ++i) inc.append(5000, 0, 1.0, month_of(2024, 8), -1, 0, 0);
  for (int i = 0; i < 5; ++i) inc.append(120, 0, 1.0, at(2024, 3, 11, 9), -1, 0, 0);  // in P1
  for (int i = 0; i < 9; ++i) inc.append(400, 0, 1.0, at(2024, 3, 12, 9), -1, 0, 0);  // none
  PatrolPlaceOptions o;
  o.shape = PatrolShape::circle;  // the 150 m circle takes the 5 incidents 120 m away
  o.peak_window_hours = 1;
  const PatrolPlaces r = select_patrol_places(inc, 12, 0.0, o);
  ASSERT_EQ(r.places.size(), 2u);
  EXPECT_EQ(r.places[0].profile.incidents, 45);
  EXPECT_EQ(r.places[0].profile.text, "Fri 22:00–23:00 (peak day Fri)");
  EXPECT_EQ(r.places[1].profile.kind, ProfileKind::month);
  EXPECT_EQ(r.places[1].profile.text, "peak month Aug");
}

}  // namespace
}  // namespace hotspots
