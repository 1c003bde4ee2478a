// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotspots {

/// A civil date as precise as the input gave it: police.uk gives only the month, force exports
/// usually the day and the time of day. No time zone arithmetic is done: times are local clock
/// times as recorded.
struct Date {
  std::int32_t month_index = -1;    ///< year·12 + (month − 1); −1 = unknown
  std::int8_t day = 0;              ///< 1..31; 0 = unknown
  std::int16_t minute_of_day = -1;  ///< 0..1439; −1 = unknown

  bool has_month() const { return month_index >= 0; }
  bool has_day() const { return day > 0; }
  bool has_time() const { return minute_of_day >= 0; }
  int year() const { return month_index / 12; }
  int month() const { return month_index % 12 + 1; }
  /// Days since 1970-01-01 (requires has_day()).
  std::int32_t days_since_epoch() const;
  /// 0 = Monday .. 6 = Sunday (requires has_day()).
  int weekday() const;
  /// "2024-03", "2024-03-14" or "2024-03-14T22:35" depending on precision.
  std::string to_string() const;
  friend bool operator==(const Date&, const Date&) = default;
};

/// Parses ISO 8601 dates and date-times ("2024-03", "2024-03-14", "2024-03-14T22:35[:00][Z]",
/// "2024-03-14 22:35") and the UK day-first form ("14/03/2024", "14/03/2024 22:35[:00]").
/// Returns nullopt when the text is none of these or names an impossible date.
[[nodiscard]] std::optional<Date> parse_date(std::string_view text);

/// Month index of "YYYY-MM" (police.uk's Month), or −1.
[[nodiscard]] std::int32_t parse_year_month(std::string_view text);

/// True when `d` lies within [from, to], comparing at the precision both have: a row known only
/// to the month is within the range when its month is within [month(from), month(to)].
[[nodiscard]] bool date_within(const Date& d, const std::optional<Date>& from,
                               const std::optional<Date>& to);

/// Formats a month index as "YYYY-MM".
[[nodiscard]] std::string month_to_string(std::int32_t month_index);

}  // namespace hotspots
