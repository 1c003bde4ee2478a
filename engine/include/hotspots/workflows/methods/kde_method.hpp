// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/stats/kde.hpp"
#include "hotspots/workflows/methods/method.hpp"

namespace hotspots {

/// Kernel density of the training window, evaluated exactly (estimate_density at the incidents'
/// own locations, count output), scored per study-area cell. Keys: radius (required: metres, or
/// `auto` for the nearest-neighbour rule on each training window's incidents (street_scale in
/// units/grid_policy.hpp: 2 cells of 2 · max(mean, median) nearest-neighbour distance), which is
/// what `hotspots analyse` and `hotspots kde` use when no --radius is given), kernel (a
/// KernelList name, default quartic). Cost per fit: O(locations · (h/C)² + cells).
struct KdeMethod {
  static constexpr std::string_view name = "kde";
  static constexpr std::string_view usage = "kde:radius=M|auto[:kernel=K]";
  static constexpr std::string_view summary =
      "exact KDE of the training incidents; radius=auto: the nearest-neighbour rule per window, as "
      "analyse "
      "without --radius";
  static constexpr std::string_view example = "kde:radius=250:kernel=epanechnikov";
  static constexpr std::array<std::string_view, 2> keys{"radius", "kernel"};

  double radius_m = 0;       ///< bandwidth h (> 0), unless auto_radius
  bool auto_radius = false;  ///< h = street_scale().radius_m of each training window
  Kernel kernel = KdeOptions{}.kernel;

  void set(std::string_view key, std::string_view value, std::string_view where);
  void validate(std::string_view where) const;
  /// "kde:radius=150", with ":kernel=K" unless the kernel is the KDE's default.
  [[nodiscard]] std::string label() const;
  /// The hotspots command that makes this method's hot area for an analyst, for cells of
  /// `cell_size_m` (INPUT and BOUNDARY stand for the backtest's own inputs).
  [[nodiscard]] std::string command(double cell_size_m) const;
  [[nodiscard]] std::vector<double> scores(const MethodInput& input) const;
  bool operator==(const KdeMethod&) const = default;
};

}  // namespace hotspots
