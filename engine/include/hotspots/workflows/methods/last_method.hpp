// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/workflows/methods/method.hpp"

namespace hotspots {

/// Incidents per cell over the last test-length window before the origin,
/// [max(origin − test_months, train.first), origin − 1] (all of the training window when the
/// test is longer: earlier months may not exist). No keys. O(cells + incidents) per fit.
struct LastMethod {
  static constexpr std::string_view name = "last";
  static constexpr std::string_view usage = "last";
  static constexpr std::string_view summary =
      "counts of the last test_months months before the origin";
  static constexpr std::string_view example = "last";
  static constexpr std::array<std::string_view, 0> keys{};

  /// Never called: no keys.
  void set(std::string_view /*key*/, std::string_view /*value*/, std::string_view /*where*/) {}
  void validate(std::string_view /*where*/) const {}
  [[nodiscard]] std::string label() const { return std::string(name); }
  /// The hotspots command that makes this method's hot area for an analyst, for cells of
  /// `cell_size_m` (INPUT and BOUNDARY stand for the backtest's own inputs).
  [[nodiscard]] std::string command(double cell_size_m) const;
  [[nodiscard]] std::vector<double> scores(const MethodInput& input) const;
  bool operator==(const LastMethod&) const = default;
};

}  // namespace hotspots
