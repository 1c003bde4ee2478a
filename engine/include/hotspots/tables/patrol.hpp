// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/hotspots/hot_areas.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots {

struct PatrolOptions {
  /// Area budget: total km² of the areas listed; 0 = no area budget.
  double max_area_km2 = 0;
  /// Count budget: at most this many areas; 0 = no count budget.
  std::int64_t max_count = 0;
  /// The hour-of-week profile is used when at least this fraction of an area's incidents carry a
  /// day and a time of day; otherwise the month profile. In [0, 1].
  double min_timed_share = 0.5;
  /// Length of the peak window of the week, in hours, in [1, 168].
  int peak_window_hours = 3;

  /// Throws InvalidArgument naming the field that is out of range.
  void validate() const;
};

enum class ProfileKind { hour_of_week, month, none };

/// When an area's incidents happen.
struct TimeProfile {
  ProfileKind kind = ProfileKind::none;
  std::int64_t incidents = 0;  ///< incidents inside the area's outline
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

struct PatrolItem {
  int rank = 0;           ///< 1.. in patrol order
  int hot_area_rank = 0;  ///< HotArea::rank of the area
  Point centroid;         ///< HotArea::centroid, analysis CRS
  double area_km2 = 0;
  double incidents = 0;  ///< HotArea::incidents (cell rule, as in the hotspot layer)
  double pai = 0;
  std::vector<std::string> zone_ids;    ///< zones overlapping the outline (zones_overlapping)
  std::vector<std::string> zone_names;  ///< in zone order
  std::string zones;                    ///< zone_names joined with "; "
  TimeProfile profile;
};

struct PatrolList {
  std::vector<PatrolItem> items;
  double total_area_km2 = 0;
  double total_incidents = 0;
  /// Areas passed over because they did not fit what was left of the area budget.
  std::int64_t skipped_over_budget = 0;
};

/// The patrol list: KDE hot areas (the hotspot polygons, which are places a patrol can walk; Gi*
/// clusters are reported in the cells layer) taken in rank order within the budget. With an area
/// budget, an area larger than what is left is skipped and smaller ones further down are still
/// taken (counted in skipped_over_budget); with a count budget the list stops at max_count; with
/// both, both hold; with neither, every area is listed.
/// An area's incidents for its time profile are those whose point its closed outline covers
/// (GEOS prepared geometry); the profile sums incident weights (1 unless weighted).
/// Peak text: the window "Fri 21:00–24:00" or across midnight "Fri–Sat 22:00–01:00".
/// Throws InvalidArgument from options.validate() or if the incidents' x, y, weight and date
/// columns differ in length; Error if GEOS fails.
/// Cost: O(areas · incidents in their bounding boxes) prepared point tests, plus
/// zones_overlapping for the listed areas.
[[nodiscard]] PatrolList plan_patrols(const std::vector<HotArea>& areas, const Incidents& incidents,
                                      const std::vector<Zone>& zones, const PatrolOptions& options);

/// Adds one incident of weight `w` dated `d` to a profile (counts, month and hour-of-week sums).
void add_to_profile(TimeProfile& p, const Date& d, double w);

/// Chooses a profile's kind and peak from what was added: hour_of_week when at least
/// `min_timed_share` of its incidents carry a day and a time, else month, else none (see
/// plan_patrols for the peak rules and text).
void finish_profile(TimeProfile& p, double min_timed_share, int peak_window_hours);

/// "hour_of_week", "month" or "none".
[[nodiscard]] std::string to_string(ProfileKind kind);

}  // namespace hotspots
