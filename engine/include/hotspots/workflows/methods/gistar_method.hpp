// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/workflows/methods/method.hpp"

namespace hotspots {

/// Getis-Ord Gi* z-score (gistar_grid) of the training window's cell counts; cells where S = 0
/// (NaN z) and islands (no other study-area cell in the band, NaN as in `hotspots gistar`) rank
/// last. Key: band (metres; default default_band_m(), kDefaultBandCells cell sizes).
/// Cost per fit: O(cells · band/C).
struct GistarMethod {
  static constexpr std::string_view name = "gistar";
  static constexpr std::string_view usage = "gistar[:band=M]";
  static constexpr std::string_view summary =
      "Gi* z-score of training counts; band default 5 cells";
  static constexpr std::string_view example = "gistar:band=500";
  static constexpr std::array<std::string_view, 1> keys{"band"};

  double band_m = 0;  ///< distance band; 0 = default_band_m() of the cell size

  void set(std::string_view key, std::string_view value, std::string_view where);
  void validate(std::string_view where) const;
  /// Refuses a band shorter than the cell size (no cell would have a neighbour).
  void check_grid(const GridSpec& grid, std::string_view where) const;
  /// "gistar", or "gistar:band=500".
  [[nodiscard]] std::string label() const;
  /// The hotspots command that makes this method's hot area for an analyst, for cells of
  /// `cell_size_m` (INPUT and BOUNDARY stand for the backtest's own inputs).
  [[nodiscard]] std::string command(double cell_size_m) const;
  [[nodiscard]] std::vector<double> scores(const MethodInput& input) const;
  bool operator==(const GistarMethod&) const = default;
};

}  // namespace hotspots
