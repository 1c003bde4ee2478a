// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/tables/patrol_places.hpp"
#include "hotspots/workflows/methods/method.hpp"

namespace hotspots {

/// The patrol places of the training window (select_patrol_places with the pack's rules and no
/// budget), scored per study-area cell, then every other cell by its training count (so at a
/// larger area the backtest goes on as `counts` does). shape=circle: the cells whose centres lie
/// in place P1 first, then P2's and so on (the cell holding a place's centre always counts to
/// it), each place's cells by their training counts: at a small area the backtest takes exactly
/// the patrol places in their order. shape=cells: the grid cells holding the places' cell
/// centres first, by their training counts: the order in which the rule walks them, so a share
/// of the area takes what an area budget of that size would. Keys: shape (cells or circle,
/// default cells), cell (metres, default 100), radius (metres, default 150), spacing (metres,
/// default 300), min_per_month (incidents a month of a place, default 3),
/// cell_min_per_month (of each cell, shape cells, default 1). Cost per fit: that
/// of select_patrol_places over the training locations, plus O(cells + Σ cells per place).
struct PatrolMethod {
  static constexpr std::string_view name = "patrol";
  static constexpr std::string_view usage =
      "patrol[:shape=cells|circle][:cell=M][:radius=M][:spacing=M][:min_per_month=N]"
      "[:cell_min_per_month=N]";
  static constexpr std::string_view summary =
      "patrol places of the training incidents (the pack's rules), then training counts";
  static constexpr std::string_view example =
      "patrol:shape=circle:cell=50:radius=200:spacing=500:min_per_month=2:cell_min_per_month=0.5";
  static constexpr std::array<std::string_view, 6> keys{
      "shape", "cell", "radius", "spacing", "min_per_month", "cell_min_per_month"};

  PatrolShape shape = PatrolPlaceOptions{}.shape;
  double cell_size_m = PatrolPlaceOptions{}.cell_size_m;
  double radius_m = PatrolPlaceOptions{}.radius_m;
  double spacing_m = PatrolPlaceOptions{}.min_spacing_m;
  double min_per_month = PatrolPlaceOptions{}.min_incidents_per_month;
  double cell_min_per_month = PatrolPlaceOptions{}.min_cell_incidents_per_month;

  void set(std::string_view key, std::string_view value, std::string_view where);
  void validate(std::string_view where) const;
  /// "patrol", with each key whose value differs from its default ("patrol:radius=200").
  [[nodiscard]] std::string label() const;
  /// The hotspots command that makes this method's hot area for an analyst, for cells of
  /// `cell_size_m` (INPUT and BOUNDARY stand for the backtest's own inputs).
  [[nodiscard]] std::string command(double cell_size_m) const;
  [[nodiscard]] std::vector<double> scores(const MethodInput& input) const;
  bool operator==(const PatrolMethod&) const = default;
};

}  // namespace hotspots
