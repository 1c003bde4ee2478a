// SPDX-License-Identifier: MIT
#include "hotspots/tables/time_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "hotspots/core/error.hpp"

namespace hotspots {

namespace {

constexpr std::array<const char*, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Indices of the largest values (all of them when tied), ascending. Exact comparison is right:
// tied sums of unit weights are equal integers.
template <std::size_t N>
std::vector<int> argmax_all(const std::array<double, N>& v) {
  const double best = *std::max_element(v.begin(), v.end());
  std::vector<int> out;
  if (!(best > 0)) return out;
  for (std::size_t i = 0; i < N; ++i)
    if (v[i] == best) out.push_back(static_cast<int>(i));
  return out;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
  return s;
}

// "Fri 21:00–24:00", or "Fri–Sat 22:00–01:00" when the window runs past midnight.
std::string window_text(int start, int hours) {
  const int first_day = start / 24;
  const int last_day = ((start + hours - 1) % 168) / 24;
  const int from = start % 24;
  const int to = (start + hours) % 24 == 0 ? 24 : (start + hours) % 24;
  if (first_day == last_day && hours <= 24)
    return fmt::format("{} {:02d}:00–{:02d}:00", kDays[static_cast<std::size_t>(first_day)], from,
                       to);
  return fmt::format("{}–{} {:02d}:00–{:02d}:00", kDays[static_cast<std::size_t>(first_day)],
                     kDays[static_cast<std::size_t>(last_day)], from, to);
}

}  // namespace

void add_to_profile(TimeProfile& p, const Date& d, double w) {
  ++p.incidents;
  if (d.has_month()) {
    ++p.dated;
    p.month[static_cast<std::size_t>(d.month() - 1)] += w;
  }
  if (d.has_day() && d.has_time()) {
    ++p.timed;
    p.hour_of_week[static_cast<std::size_t>(d.weekday() * 24 + d.minute_of_day / 60)] += w;
  }
}

void finish_profile(TimeProfile& p, double min_timed_share, int peak_window_hours) {
  if (p.incidents == 0) return;
  const double timed_share = static_cast<double>(p.timed) / static_cast<double>(p.incidents);
  if (p.timed > 0 && timed_share >= min_timed_share) {
    p.kind = ProfileKind::hour_of_week;
    p.peak_window_hours = peak_window_hours;
    // Circular: the week wraps from Sunday night into Monday morning.
    for (int s = 0; s < 168; ++s) {
      double w = 0;
      for (int j = 0; j < peak_window_hours; ++j)
        w += p.hour_of_week[static_cast<std::size_t>((s + j) % 168)];
      if (p.peak_start_hour < 0 || w > p.peak_window_weight) {
        p.peak_start_hour = s;
        p.peak_window_weight = w;
      }
    }
    std::array<double, 7> days{};
    for (std::size_t h = 0; h < 168; ++h) days[h / 24] += p.hour_of_week[h];
    p.peak_days = argmax_all(days);
    std::vector<std::string> names;
    for (const int d : p.peak_days) names.emplace_back(kDays[static_cast<std::size_t>(d)]);
    p.text = fmt::format("{} (peak day{} {})", window_text(p.peak_start_hour, peak_window_hours),
                         names.size() > 1 ? "s" : "", join(names, ", "));
  } else if (p.dated > 0) {
    p.kind = ProfileKind::month;
    std::vector<std::string> names;
    for (const int m : argmax_all(p.month)) {
      p.peak_months.push_back(m + 1);
      names.emplace_back(kMonths[static_cast<std::size_t>(m)]);
    }
    p.text = fmt::format("peak month{} {}", names.size() > 1 ? "s" : "", join(names, ", "));
  }
}

std::string to_string(ProfileKind kind) {
  switch (kind) {
    case ProfileKind::hour_of_week:
      return "hour_of_week";
    case ProfileKind::month:
      return "month";
    case ProfileKind::none:
      break;
  }
  return "none";
}

}  // namespace hotspots
