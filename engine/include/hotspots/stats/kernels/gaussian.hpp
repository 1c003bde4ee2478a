// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <numbers>
#include <string_view>

#include "hotspots/stats/kernels/kernel_trait.hpp"

namespace hotspots::kernels {

/// Gaussian kernel cut at the radius, as GRASS v.kernel: K = h²/(2πσ²) exp(−d²/2σ²) with
/// σ = h/4, so K(u) = 8/π exp(−8u²) for d <= h = 4σ. The mass beyond the cut, e⁻⁸ ≈ 0.000335,
/// is lost (not renormalised, like GRASS).
struct Gaussian {
  static constexpr std::string_view name = "gaussian";
  static constexpr double constant = 8.0 / std::numbers::pi;  // h²/(2πσ²) with σ = h/4
  static double mass() { return 1.0 - std::exp(-8.0); }
  static double profile(double u) { return std::exp(-8.0 * u * u); }
  static constexpr SamplingError sampling_error{5.7e-5, 1.9e-5};

  /// exp(−d²/2σ²) = exp(−dy²/2σ²) · exp(−dx²/2σ²): one exp per row and per column, none per
  /// cell.
  struct Terms {
    double inv_2s2;  ///< 1/(2σ²) = 8/h²
    explicit Terms(double h2) : inv_2s2(8.0 / h2) {}
    double column(double dx2, double /*dx2n*/) const { return std::exp(-dx2 * inv_2s2); }
    double row(double dy2, double /*dy2n*/) const { return std::exp(-dy2 * inv_2s2); }
    static double add(double w, double row, double column) { return (w * row) * column; }
  };
  bool operator==(const Gaussian&) const = default;
};

}  // namespace hotspots::kernels
