// SPDX-License-Identifier: MIT
#pragma once

#include <numbers>
#include <string_view>

#include "hotspots/stats/kernels/kernel_trait.hpp"

namespace hotspots::kernels {

/// Epanechnikov kernel K(u) = 2/π (1 − u²) (Silverman 1986 eq. 4.4, bivariate). Has a kink at
/// u = 1, so the grid samples it less well than the quartic.
struct Epanechnikov {
  static constexpr std::string_view name = "epanechnikov";
  static constexpr double constant = 2.0 / std::numbers::pi;
  static constexpr double mass() { return 1.0; }
  static double profile(double u) { return 1 - u * u; }
  static constexpr SamplingError sampling_error{1.2e-3, 3.5e-4};

  /// 1 − u² as (1 − dy²/h²) − dx²/h².
  struct Terms {
    explicit constexpr Terms(double /*h2*/) {}
    static double column(double /*dx2*/, double dx2n) { return dx2n; }
    static double row(double /*dy2*/, double dy2n) { return 1.0 - dy2n; }
    static double add(double w, double row, double column) { return w * (row - column); }
  };
  bool operator==(const Epanechnikov&) const = default;
};

}  // namespace hotspots::kernels
