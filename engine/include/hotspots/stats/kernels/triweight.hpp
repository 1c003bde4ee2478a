// SPDX-License-Identifier: MIT
#pragma once

#include <numbers>
#include <string_view>

#include "hotspots/stats/kernels/kernel_trait.hpp"

namespace hotspots::kernels {

/// Triweight kernel K(u) = 4/π (1 − u²)³ (GRASS v.kernel, QGIS Heatmap). The smoothest of the
/// polynomial kernels at u = 1, and the best sampled by the grid.
struct Triweight {
  static constexpr std::string_view name = "triweight";
  static constexpr double constant = 4.0 / std::numbers::pi;
  static constexpr double mass() { return 1.0; }
  static double profile(double u) {
    const double t = 1 - u * u;
    return t * t * t;
  }
  static constexpr SamplingError sampling_error{1.0e-5, 4.0e-6};

  /// (1 − u²)³ as ((1 − dy²/h²) − dx²/h²)³.
  struct Terms {
    explicit constexpr Terms(double /*h2*/) {}
    static double column(double /*dx2*/, double dx2n) { return dx2n; }
    static double row(double /*dy2*/, double dy2n) { return 1.0 - dy2n; }
    static double add(double w, double row, double column) {
      const double t = row - column;
      return w * (t * t * t);
    }
  };
  bool operator==(const Triweight&) const = default;
};

}  // namespace hotspots::kernels
