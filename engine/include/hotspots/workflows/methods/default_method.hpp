// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/workflows/methods/method.hpp"

namespace hotspots {

/// Exactly what `hotspots analyse` ranks its KDE hotspots by when given no options, refitted on
/// each training window: the nearest-neighbour rule on the window's incidents (street_scale:
/// cell = 2 · max(mean, median) distance between distinct locations, outliers left out; radius
/// = 2 cells) gives analyse's grid (snapped to whole cells over the evaluation grid's extent,
/// as analyse snaps over the study area) and its quartic KDE radius; each study-area cell of the
/// evaluation grid scores the density of the analyse cell holding its centre. So at a given
/// share of the area the backtest takes analyse's hottest cells first (cells of one analyse
/// cell tie and go in grid order). Differences from a pack: the window's incidents outside the
/// study area are not smoothed in (the backtest keeps study-area incidents only), and the top-5 %
/// rule is replaced by the backtest's equal areas. No keys. Cost per fit: street_scale plus one
/// KDE on analyse's grid.
struct DefaultMethod {
  static constexpr std::string_view name = "default";
  static constexpr std::string_view usage = "default";
  static constexpr std::string_view summary =
      "what analyse ranks with no options: KDE with the nearest-neighbour radius on the "
      "nearest-neighbour grid of each training window";
  static constexpr std::string_view example = "default";
  static constexpr std::array<std::string_view, 0> keys{};

  /// Never called: no keys.
  void set(std::string_view /*key*/, std::string_view /*value*/, std::string_view /*where*/) {}
  void validate(std::string_view /*where*/) const {}
  [[nodiscard]] std::string label() const { return std::string(name); }
  /// The hotspots command that makes this method's hot area for an analyst, for cells of
  /// `cell_size_m` (INPUT and BOUNDARY stand for the backtest's own inputs).
  [[nodiscard]] std::string command(double cell_size_m) const;
  [[nodiscard]] std::vector<double> scores(const MethodInput& input) const;
  bool operator==(const DefaultMethod&) const = default;
};

}  // namespace hotspots
