// SPDX-License-Identifier: MIT
#pragma once

#include <numbers>
#include <string_view>

#include "hotspots/stats/kernels/kernel_trait.hpp"

namespace hotspots::kernels {

/// Quartic (biweight) kernel K(u) = 3/π (1 − u²)²: Silverman (1986) eq. 4.5; the default of
/// ArcGIS Kernel Density and QGIS Heatmap. Vanishes with zero slope at u = 1.
struct Quartic {
  static constexpr std::string_view name = "quartic";
  static constexpr double constant = 3.0 / std::numbers::pi;
  static constexpr double mass() { return 1.0; }
  static double profile(double u) {
    const double t = 1 - u * u;
    return t * t;
  }
  static constexpr SamplingError sampling_error{4.4e-5, 2.6e-5};

  /// (1 − u²)² as ((1 − dy²/h²) − dx²/h²)².
  struct Terms {
    explicit constexpr Terms(double /*h2*/) {}
    static double column(double /*dx2*/, double dx2n) { return dx2n; }
    static double row(double /*dy2*/, double dy2n) { return 1.0 - dy2n; }
    static double add(double w, double row, double column) {
      const double t = row - column;
      return w * (t * t);
    }
  };
  bool operator==(const Quartic&) const = default;
};

}  // namespace hotspots::kernels
