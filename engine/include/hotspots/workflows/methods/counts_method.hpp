// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/workflows/methods/method.hpp"

namespace hotspots {

/// Incidents per cell over the training window, no smoothing. No keys. O(cells) per fit.
struct CountsMethod {
  static constexpr std::string_view name = "counts";
  static constexpr std::string_view usage = "counts";
  static constexpr std::string_view summary = "training counts per cell";
  static constexpr std::string_view example = "counts";
  static constexpr std::array<std::string_view, 0> keys{};

  /// Never called: no keys.
  void set(std::string_view /*key*/, std::string_view /*value*/, std::string_view /*where*/) {}
  void validate(std::string_view /*where*/) const {}
  [[nodiscard]] std::string label() const { return std::string(name); }
  /// The hotspots command that makes this method's hot area for an analyst, for cells of
  /// `cell_size_m` (INPUT and BOUNDARY stand for the backtest's own inputs).
  [[nodiscard]] std::string command(double cell_size_m) const;
  [[nodiscard]] std::vector<double> scores(const MethodInput& input) const;
  bool operator==(const CountsMethod&) const = default;
};

}  // namespace hotspots
