// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hotspots/core/dates.hpp"

// When incidents happen: the hour-of-week or month-of-year profile of a patrol place.

namespace hotspots {

enum class ProfileKind { hour_of_week, month, none };

/// When the incidents of a place happen.
struct TimeProfile {
  ProfileKind kind = ProfileKind::none;
  std::int64_t incidents = 0;  ///< incidents added
  std::int64_t timed = 0;      ///< of those, with a day and a time of day
  std::int64_t dated = 0;      ///< of those, with at least a month
  /// Σ weight by hour of the week: index = weekday · 24 + hour, Monday 00:00–01:00 first.
  /// Filled from the timed incidents whatever the kind.
  std::array<double, 168> hour_of_week{};
  /// Σ weight by calendar month (January first), from the dated incidents.
  std::array<double, 12> month{};
  /// hour_of_week: the circular window of peak_window_hours hours with the largest weight (ties:
  /// the earliest start from Monday 00:00); start hour of the week (0..167), −1 otherwise.
  int peak_start_hour = -1;
  int peak_window_hours = 0;
  double peak_window_weight = 0;
  std::vector<int> peak_days;    ///< hour_of_week: weekday(s) 0 = Mon..6 with the largest weight
  std::vector<int> peak_months;  ///< month: month(s) 1..12 with the largest weight
  /// For people: "Fri–Sat 22:00–01:00 (peak days Fri, Sat)", "peak months Jul, Aug", or "".
  std::string text;
};

/// Adds one incident of weight `w` dated `d` to a profile (counts, month and hour-of-week sums).
void add_to_profile(TimeProfile& p, const Date& d, double w);

/// Chooses a profile's kind and peak from what was added: hour_of_week when at least
/// `min_timed_share` (in [0, 1]) of its incidents carry a day and a time, else month when any is
/// dated, else none. hour_of_week: the circular window of `peak_window_hours` hours (1..168) with
/// the largest weight (ties: the earliest start from Monday 00:00), the peak day(s), and the text
/// "Fri 21:00–24:00 (peak day Fri)" or across midnight "Fri–Sat 22:00–01:00 (...)"; month: the
/// peak month(s), "peak months Jul, Dec". O(168 · peak_window_hours).
void finish_profile(TimeProfile& p, double min_timed_share, int peak_window_hours);

/// "hour_of_week", "month" or "none".
[[nodiscard]] std::string to_string(ProfileKind kind);

}  // namespace hotspots
