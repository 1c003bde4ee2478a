// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/gistar_method.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/gistar.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

void GistarMethod::set(std::string_view key, std::string_view value, std::string_view where) {
  band_m = parse_positive_metres(where, key, value);
}

void GistarMethod::validate(std::string_view where) const {
  if (!(band_m >= 0 && std::isfinite(band_m)))
    throw InvalidArgument(fmt::format("{}: band must be positive", where));
}

void GistarMethod::check_grid(const GridSpec& grid, std::string_view where) const {
  if (band_m > 0 && band_m < grid.cell_size_m)
    throw InvalidArgument(fmt::format(
        "{}: the band is shorter than the cell size {} m, so no cell would have a neighbour", where,
        grid.cell_size_m));
}

std::string GistarMethod::label() const {
  return band_m > 0 ? fmt::format("gistar:band={}", method_number(band_m)) : "gistar";
}

std::vector<double> GistarMethod::scores(const MethodInput& input) const {
  Raster counts(input.grid, Raster::nodata());
  for (std::size_t p = 0; p < input.cells.size(); ++p)
    counts.values[static_cast<std::size_t>(input.cells[p])] = input.train_counts[p];
  const double band = band_m > 0 ? band_m : default_band_m(input.grid.cell_size_m);
  const GiStarResult gi = gistar_grid(counts, band);
  std::vector<double> scores(input.cells.size());
  for (std::size_t p = 0; p < scores.size(); ++p) {
    const auto i = static_cast<std::size_t>(input.cells[p]);
    // An island (no other study-area cell in its band) has no local statistic, as in
    // `hotspots gistar` and the pack: NaN, ranked last.
    scores[p] = gi.n_neighbors[i] == 1 ? std::numeric_limits<double>::quiet_NaN() : gi.z[i];
  }
  return scores;
}

std::string GistarMethod::command(double cell_size_m) const {
  return fmt::format(
      "hotspots gistar INPUT --boundary BOUNDARY --cell-size {} --distance-band {} --cells "
      "cells.csv (cells ranked by gi_z)",
      method_number(cell_size_m), method_number(band_m > 0 ? band_m : default_band_m(cell_size_m)));
}

}  // namespace hotspots
