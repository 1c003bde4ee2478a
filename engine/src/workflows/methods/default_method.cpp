// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/default_method.hpp"

#include <fmt/format.h>

#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

std::vector<double> DefaultMethod::scores(const MethodInput& input) const {
  const WeightedPoints points = input.months.points(input.train);
  const StreetScale scale = street_scale(points.x, points.y);
  KdeOptions kde;  // analyse's defaults: quartic, density per km²
  kde.radius_m = scale.radius_m;
  const GridSpec grid = analyse_grid_over(input.grid, scale.cell_size_m);
  return sample_at_positions(input, estimate_density(points, grid, kde, nullptr));
}

std::string DefaultMethod::command(double /*cell_size_m*/) const {
  return "hotspots analyse INPUT --boundary BOUNDARY -o pack (its KDE hotspots, no options)";
}

}  // namespace hotspots
