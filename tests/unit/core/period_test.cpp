// SPDX-License-Identifier: MIT
// Period and time_slices: the month arithmetic shared by analyse, evaluate and space-time,
// checked against months counted by hand.

#include "hotspots/core/period.hpp"

#include <gtest/gtest.h>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

std::int32_t m(const char* text) {
  return parse_year_month(text);
}

TEST(Period, LengthLabelAndPrevious) {
  const Period p{m("2024-07"), m("2024-12")};
  EXPECT_EQ(p.months(), 6);
  EXPECT_EQ(p.label(), "2024-07 to 2024-12");
  EXPECT_EQ(p.previous(), (Period{m("2024-01"), m("2024-06")}));
  EXPECT_EQ((Period{m("2024-01"), m("2024-01")}).label(), "2024-01");
  // Across a year end: 2023-11..2024-02 is 4 months; the previous 4 are 2023-07..2023-10.
  const Period winter{m("2023-11"), m("2024-02")};
  EXPECT_EQ(winter.months(), 4);
  EXPECT_EQ(winter.previous(), (Period{m("2023-07"), m("2023-10")}));
  EXPECT_TRUE(winter.contains(m("2024-01")));
  EXPECT_FALSE(winter.contains(m("2024-03")));
  EXPECT_EQ(Period{}.label(), "undated incidents");
  EXPECT_EQ(Period{}.months(), 0);
  EXPECT_FALSE(Period{}.contains(0));
}

TEST(Period, TimeSlicesCoverTheSpanInSteps) {
  const Period span{m("2024-01"), m("2024-07")};
  const auto months = time_slices(span, 1);
  ASSERT_EQ(months.size(), 7u);
  EXPECT_EQ(months.front(), (Period{m("2024-01"), m("2024-01")}));
  const auto quarters = time_slices(span, 3);
  ASSERT_EQ(quarters.size(), 3u);
  EXPECT_EQ(quarters[1], (Period{m("2024-04"), m("2024-06")}));
  EXPECT_EQ(quarters[2], (Period{m("2024-07"), m("2024-07")}));  // the short last step
  EXPECT_THROW((void)time_slices(span, 0), InvalidArgument);
  EXPECT_EQ(month_list({m("2024-01"), m("2024-03")}), "2024-01, 2024-03");
  EXPECT_EQ(month_list({1, 2, 3, 4, 5, 6, 7, 8}).substr(0, 7), "0000-02");
  EXPECT_NE(month_list({1, 2, 3, 4, 5, 6, 7, 8}).find("and 2 more"), std::string::npos);
}

}  // namespace
}  // namespace hotspots
