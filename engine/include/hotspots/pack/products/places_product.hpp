// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/io/incidents.hpp"
#include "hotspots/pack/products/product.hpp"
#include "hotspots/tables/patrol_places.hpp"

namespace hotspots {

/// A close-up of each patrol place, for the officers who walk it: places/P1.png, a street-scale
/// map (kPlaceWindowM around the place) with the place's outline, the group's incidents at their
/// map points (circle area ∝ incidents at the point), the top "On or near" names labelled at
/// their busiest point, the other places and the KDE hotspots near it; and places/P1_months.png,
/// its incidents per month of the period, with a plain note when the data give months only
/// (police.uk: no day of week or hour to show).
struct PlacesProduct {
  static constexpr std::string_view name = "places";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 2> files{"places/{place}.png",
                                                         "places/{place}_months.png"};
  static constexpr std::array<ProductFigure, 2> figures{
      {{"places/{place}.png",
        "Close-up: the place's outline, its incidents at their map points and its busiest "
        "names."},
       {"places/{place}_months.png", "Incidents per month at the place."}}};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// Half the side of a close-up's window around a place's centre, metres (street scale).
inline constexpr double kPlaceWindowM = 450.0;

/// Σ weight per month of `period` of the incidents within `place.radius_m` of its centre
/// (distance <= radius, as select_patrol_places counts them). Incidents without a month are
/// left out. O(incidents).
[[nodiscard]] std::vector<double> place_monthly_incidents(const PatrolPlace& place,
                                                          const Incidents& incidents,
                                                          const Period& period);

}  // namespace hotspots
