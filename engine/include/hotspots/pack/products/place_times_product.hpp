// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/core/dates.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/pack/products/product.hpp"
#include "hotspots/tables/patrol_places.hpp"

namespace hotspots {

/// When each patrol place's incidents happen, for data with times of day (force exports read
/// with a time field): places/P1_times.png, a day-of-week × hour heat chart of the place's
/// incidents in the period with totals by day and by hour, saying how many incidents had a time
/// of day (only those are counted), with the licence line. Months-only data (police.uk) write
/// no times chart: the product is enabled only when some incident of the study has a time.
struct PlaceTimesProduct {
  static constexpr std::string_view name = "place_times";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"places/{place}_times.png"};
  static constexpr std::array<ProductFigure, 1> figures{
      {{"places/{place}_times.png",
        "Incidents by day of week and hour at the place (those with a time of day)."}}};
  static bool enabled(const PackContents& pack);
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// A place's incidents by hour of the week.
struct PlaceWeekHours {
  /// Σ weight by hour of the week, index = weekday · 24 + hour (Monday 00:00–01:00 first), of
  /// the incidents with a day and a time of day.
  std::array<double, 168> weight{};
  double incidents = 0;  ///< Σ weight of the place's incidents in the period
  double timed = 0;      ///< of those, with a day and a time of day (Σ weight)
};

/// The incidents within `place.radius_m` of its centre (distance <= radius) whose month lies in
/// `period` (all dated and undated ones when `period` is not valid), tallied by weekday and hour
/// of the local clock time recorded. O(incidents).
[[nodiscard]] PlaceWeekHours place_week_hours(const PatrolPlace& place, const Incidents& incidents,
                                              const Period& period);

/// True when some incident carries a day and a time of day.
[[nodiscard]] bool incidents_have_times(const Incidents& incidents);

}  // namespace hotspots
