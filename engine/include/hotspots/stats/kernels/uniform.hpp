// SPDX-License-Identifier: MIT
#pragma once

#include <numbers>
#include <string_view>

#include "hotspots/stats/kernels/kernel_trait.hpp"

namespace hotspots::kernels {

/// Uniform (disc) kernel K(u) = 1/π: every cell centre within h counts alike, so its grid sum
/// is a lattice-point count in a disc (Gauss's circle problem) and the worst sampled kernel.
struct Uniform {
  static constexpr std::string_view name = "uniform";
  static constexpr double constant = 1.0 / std::numbers::pi;
  static constexpr double mass() { return 1.0; }
  static double profile(double /*u*/) { return 1.0; }
  static constexpr SamplingError sampling_error{2.0e-2, 6.5e-3};

  /// 1, whatever the distance within the support.
  struct Terms {
    explicit constexpr Terms(double /*h2*/) {}
    static double column(double /*dx2*/, double /*dx2n*/) { return 0.0; }
    static double row(double /*dy2*/, double /*dy2n*/) { return 0.0; }
    static double add(double w, double /*row*/, double /*column*/) { return w; }
  };
  bool operator==(const Uniform&) const = default;
};

}  // namespace hotspots::kernels
