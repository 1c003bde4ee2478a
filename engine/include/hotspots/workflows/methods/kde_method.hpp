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
/// own locations, count output), scored per study-area cell. Keys: radius (required, metres),
/// kernel (a KernelList name, default quartic). Cost per fit: O(locations · (h/C)² + cells).
struct KdeMethod {
  static constexpr std::string_view name = "kde";
  static constexpr std::string_view usage = "kde:radius=M[:kernel=K]";
  static constexpr std::string_view summary = "exact KDE of the training incidents";
  static constexpr std::string_view example = "kde:radius=250:kernel=epanechnikov";
  static constexpr std::array<std::string_view, 2> keys{"radius", "kernel"};

  double radius_m = 0;  ///< bandwidth h (> 0)
  Kernel kernel = KdeOptions{}.kernel;

  void set(std::string_view key, std::string_view value, std::string_view where);
  void validate(std::string_view where) const;
  /// "kde:radius=150", with ":kernel=K" unless the kernel is the KDE's default.
  [[nodiscard]] std::string label() const;
  [[nodiscard]] std::vector<double> scores(const MethodInput& input) const;
  bool operator==(const KdeMethod&) const = default;
};

}  // namespace hotspots
