// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <numbers>
#include <string_view>

#include "hotspots/stats/kernels/kernel_trait.hpp"

namespace hotspots::kernels {

/// Triangular (cone) kernel K(u) = 3/π (1 − u) (GRASS v.kernel, QGIS Heatmap). One square root
/// per cell: not separable in x and y.
struct Triangular {
  static constexpr std::string_view name = "triangular";
  static constexpr double constant = 3.0 / std::numbers::pi;
  static constexpr double mass() { return 1.0; }
  static double profile(double u) { return 1 - u; }
  static constexpr SamplingError sampling_error{7.2e-4, 2.2e-4};

  /// 1 − u as 1 − √(dx²/h² + dy²/h²).
  struct Terms {
    explicit constexpr Terms(double /*h2*/) {}
    static double column(double /*dx2*/, double dx2n) { return dx2n; }
    static double row(double /*dy2*/, double dy2n) { return dy2n; }
    static double add(double w, double row, double column) {
      return w * (1.0 - std::sqrt(column + row));
    }
  };
  bool operator==(const Triangular&) const = default;
};

}  // namespace hotspots::kernels
