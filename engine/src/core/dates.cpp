// SPDX-License-Identifier: MIT
#include "hotspots/core/dates.hpp"

#include "detail/text.hpp"

#include <fmt/format.h>

#include <chrono>

namespace hotspots {
namespace {

using detail::trim;

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool valid_ymd(int y, int m, int d) {
  using namespace std::chrono;
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
      .ok();
}

// Parses "HH:MM[:SS[.fff]][Z|±hh:mm]" at `pos`; the offset is ignored (local clock time).
bool parse_time(std::string_view s, std::size_t pos, int& minute_of_day) {
  int hh = 0;
  int mm = 0;
  if (!digits(s, pos, 2, hh) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !digits(s, pos + 3, 2, mm))
    return false;
  if (hh > 23 || mm > 59) return false;
  std::size_t p = pos + 5;
  if (p < s.size() && s[p] == ':') {
    int ss = 0;
    if (!digits(s, p + 1, 2, ss) || ss > 60) return false;
    p += 3;
    if (p < s.size() && s[p] == '.') {
      ++p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    }
  }
  if (p < s.size()) {
    const std::string_view rest = s.substr(p);
    const bool zulu = rest == "Z";
    const bool offset = (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':');
    if (!zulu && !offset) return false;
  }
  minute_of_day = hh * 60 + mm;
  return true;
}

}  // namespace

std::int32_t Date::days_since_epoch() const {
  using namespace std::chrono;
  const sys_days days{year_month_day{std::chrono::year{year()},
                                     std::chrono::month{static_cast<unsigned>(month())},
                                     std::chrono::day{static_cast<unsigned>(day)}}};
  return static_cast<std::int32_t>(days.time_since_epoch().count());
}

int Date::weekday() const {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  const int d = days_since_epoch();
  return ((d % 7) + 7 + 3) % 7;
}

std::string Date::to_string() const {
  if (!has_month()) return "";
  std::string s = month_to_string(month_index);
  if (has_day()) s += fmt::format("-{:02d}", static_cast<int>(day));
  if (has_time()) s += fmt::format("T{:02d}:{:02d}", minute_of_day / 60, minute_of_day % 60);
  return s;
}

std::int32_t parse_year_month(std::string_view s) {
  int y = 0;
  int m = 0;
  if (s.size() != 7 || s[4] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) || m < 1 || m > 12)
    return -1;
  return y * 12 + (m - 1);
}

std::optional<Date> parse_date(std::string_view text) {
  const std::string_view s = trim(text);
  Date d;
  int y = 0;
  int m = 0;
  int day = 0;
  std::size_t time_pos = std::string_view::npos;
  if (s.size() >= 7 && s[4] == '-') {
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m)) return std::nullopt;
    if (s.size() == 7) {
      if (m < 1 || m > 12) return std::nullopt;
      d.month_index = y * 12 + m - 1;
      return d;
    }
    if (s.size() < 10 || s[7] != '-' || !digits(s, 8, 2, day)) return std::nullopt;
    if (s.size() > 10) {
      if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
      time_pos = 11;
    }
  } else if (s.size() >= 10 && s[2] == '/' && s[5] == '/') {
    if (!digits(s, 0, 2, day) || !digits(s, 3, 2, m) || !digits(s, 6, 4, y)) return std::nullopt;
    if (s.size() > 10) {
      if (s[10] != ' ') return std::nullopt;
      time_pos = 11;
    }
  } else {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || !valid_ymd(y, m, day)) return std::nullopt;
  d.month_index = y * 12 + m - 1;
  d.day = static_cast<std::int8_t>(day);
  if (time_pos != std::string_view::npos) {
    int minute = 0;
    if (!parse_time(s, time_pos, minute)) return std::nullopt;
    d.minute_of_day = static_cast<std::int16_t>(minute);
  }
  return d;
}

bool date_within(const Date& d, const std::optional<Date>& from, const std::optional<Date>& to) {
  if (!from && !to) return true;
  if (!d.has_month()) return false;
  // Compare (month, day) at the precision both sides have.
  auto before = [](const Date& a, const Date& b) {  // a < b
    if (a.month_index != b.month_index) return a.month_index < b.month_index;
    if (a.has_day() && b.has_day()) return a.day < b.day;
    return false;
  };
  if (from && before(d, *from)) return false;
  if (to && before(*to, d)) return false;
  return true;
}

std::string month_to_string(std::int32_t month_index) {
  if (month_index < 0) return "";
  return fmt::format("{:04d}-{:02d}", month_index / 12, month_index % 12 + 1);
}

}  // namespace hotspots
