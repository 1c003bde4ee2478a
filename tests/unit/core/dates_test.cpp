// SPDX-License-Identifier: MIT
// Dates as police.uk and force exports write them: parsing, weekday, range tests at the
// precision the data has.

#include "hotspots/core/dates.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace hotspots {
namespace {

// month_index = year * 12 + (month - 1), as documented in dates.hpp.
constexpr std::int32_t month_index(int year, int month) {
  return year * 12 + month - 1;
}

TEST(Dates, ParsesIsoDate) {
  const auto d = parse_date("2024-03-14");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->month_index, month_index(2024, 3));
  EXPECT_EQ(d->year(), 2024);
  EXPECT_EQ(d->month(), 3);
  EXPECT_EQ(d->day, 14);
  EXPECT_FALSE(d->has_time());
  EXPECT_EQ(d->to_string(), "2024-03-14");
}

TEST(Dates, ParsesIsoDateTimesWithTOrSpaceSecondsAndZone) {
  // 22:35 is minute 22 * 60 + 35 = 1355 of the day.
  for (const char* text :
       {"2024-03-14T22:35", "2024-03-14 22:35", "2024-03-14T22:35:59", "2024-03-14T22:35:00Z",
        "2024-03-14T22:35:00.250+01:00", "  2024-03-14T22:35  "}) {
    SCOPED_TRACE(text);
    const auto d = parse_date(text);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->month_index, month_index(2024, 3));
    EXPECT_EQ(d->day, 14);
    EXPECT_EQ(d->minute_of_day, 1355);
    EXPECT_EQ(d->to_string(), "2024-03-14T22:35");
  }
}

TEST(Dates, ParsesYearMonthAsMonthPrecision) {
  const auto d = parse_date("2019-02");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->month_index, month_index(2019, 2));
  EXPECT_FALSE(d->has_day());
  EXPECT_FALSE(d->has_time());
  EXPECT_EQ(d->to_string(), "2019-02");
  EXPECT_EQ(parse_year_month("2019-02"), month_index(2019, 2));
  EXPECT_EQ(parse_year_month("2019-13"), -1);
  EXPECT_EQ(parse_year_month("2019-2"), -1);
  EXPECT_EQ(parse_year_month("2019-02-01"), -1);
  EXPECT_EQ(month_to_string(month_index(2022, 10)), "2022-10");
}

TEST(Dates, ParsesUkDayFirstWithAndWithoutTime) {
  const auto d = parse_date("14/03/2024");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->month_index, month_index(2024, 3));
  EXPECT_EQ(d->day, 14);
  EXPECT_FALSE(d->has_time());

  const auto t = parse_date("01/12/2021 07:05");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->month_index, month_index(2021, 12));
  EXPECT_EQ(t->day, 1);
  EXPECT_EQ(t->minute_of_day, 7 * 60 + 5);

  const auto s = parse_date("01/12/2021 07:05:30");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->minute_of_day, 7 * 60 + 5);
}

TEST(Dates, RejectsImpossibleDates) {
  // 2023 is not a leap year; 2024 is (divisible by 4, not by 100).
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("1900-02-29"));  // divisible by 100, not by 400
  EXPECT_TRUE(parse_date("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(parse_date("2024-04-31"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("2024-00-10"));
  EXPECT_FALSE(parse_date("2024-01-00"));
  EXPECT_FALSE(parse_date("2024-13"));
  EXPECT_FALSE(parse_date("2024-00"));
  EXPECT_FALSE(parse_date("29/02/2023"));
  EXPECT_FALSE(parse_date("31/06/2024"));
  EXPECT_FALSE(parse_date("2024-03-14T24:00"));
  EXPECT_FALSE(parse_date("2024-03-14T12:60"));
}

TEST(Dates, RejectsJunk) {
  for (const char* text :
       {"", " ", "junk", "2024", "2024-3-14", "2024/03/14", "14-03-2024", "3/14/2024",
        "2024-03-14T", "2024-03-14T22", "2024-03-14X22:35", "2024-03-14T22:35 junk",
        "2024-03-14T22:35+1", "14/03/2024T22:35", "abcd-ef", "2024-03-1a"}) {
    SCOPED_TRACE(std::string("'") + text + "'");
    EXPECT_FALSE(parse_date(text));
  }
}

TEST(Dates, WeekdayOfKnownDates) {
  // Reference: GNU coreutils `date -u -d DATE +%u` (1 = Monday) and `+%s / 86400`.
  struct Case {
    const char* text;
    int weekday;  // 0 = Monday
    std::int32_t days;
  };
  for (const Case& c :
       {Case{"1970-01-01", 3, 0}, Case{"1969-12-31", 2, -1}, Case{"2000-01-01", 5, 10957},
        Case{"2019-02-01", 4, 17928}, Case{"2023-12-25", 0, 19716}, Case{"2024-02-29", 3, 19782},
        Case{"2024-03-14", 3, 19796}}) {
    SCOPED_TRACE(c.text);
    const auto d = parse_date(c.text);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->weekday(), c.weekday);
    EXPECT_EQ(d->days_since_epoch(), c.days);
  }
}

TEST(Dates, WithinAtMonthPrecision) {
  const auto from = parse_date("2019-01");
  const auto to = parse_date("2019-03");
  EXPECT_FALSE(date_within(*parse_date("2018-12"), from, to));
  EXPECT_TRUE(date_within(*parse_date("2019-01"), from, to));
  EXPECT_TRUE(date_within(*parse_date("2019-03"), from, to));
  EXPECT_FALSE(date_within(*parse_date("2019-04"), from, to));
  // A day-precise row inside a month-precise bound counts by its month.
  EXPECT_TRUE(date_within(*parse_date("2019-03-31T23:59"), from, to));
  EXPECT_FALSE(date_within(*parse_date("2019-04-01T00:00"), from, to));
  // Open ends.
  EXPECT_TRUE(date_within(*parse_date("1990-01"), std::nullopt, to));
  EXPECT_TRUE(date_within(*parse_date("2090-01"), from, std::nullopt));
  EXPECT_TRUE(date_within(Date{}, std::nullopt, std::nullopt));
  // An undated row is outside any bounded range.
  EXPECT_FALSE(date_within(Date{}, from, to));
}

TEST(Dates, WithinAtDayPrecision) {
  const auto from = parse_date("2024-03-10");
  const auto to = parse_date("2024-03-20");
  EXPECT_FALSE(date_within(*parse_date("2024-03-09"), from, to));
  EXPECT_TRUE(date_within(*parse_date("2024-03-10"), from, to));
  EXPECT_TRUE(date_within(*parse_date("2024-03-20 23:59"), from, to));
  EXPECT_FALSE(date_within(*parse_date("2024-03-21"), from, to));
  EXPECT_FALSE(date_within(*parse_date("2024-02-28"), from, to));
  // A row known only to the month compares at month precision: 2024-03 overlaps the range.
  EXPECT_TRUE(date_within(*parse_date("2024-03"), from, to));
  EXPECT_FALSE(date_within(*parse_date("2024-04"), from, to));
}

}  // namespace
}  // namespace hotspots
