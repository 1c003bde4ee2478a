// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/kde_method.hpp"

#include "hotspots/units/grid_policy.hpp"

#include <fmt/format.h>

#include <cmath>

#include "hotspots/core/error.hpp"

namespace hotspots {

void KdeMethod::set(std::string_view key, std::string_view value, std::string_view where) {
  if (key == "radius") {
    auto_radius = value == "auto";
    if (!auto_radius) radius_m = parse_positive_metres(where, key, value);
    return;
  }
  try {
    kernel = parse_kernel(value);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(fmt::format("{}: {}", where, e.what()));
  }
}

void KdeMethod::validate(std::string_view where) const {
  if (!auto_radius && !(radius_m > 0 && std::isfinite(radius_m)))
    throw InvalidArgument(fmt::format("{}: kde needs a radius, e.g. kde:radius=250", where));
}

std::string KdeMethod::label() const {
  const std::string radius = auto_radius ? "auto" : method_number(radius_m);
  if (kernel == KdeOptions{}.kernel) return fmt::format("kde:radius={}", radius);
  return fmt::format("kde:radius={}:kernel={}", radius, to_string(kernel));
}

std::vector<double> KdeMethod::scores(const MethodInput& input) const {
  KdeOptions kde;
  kde.kernel = kernel;
  kde.output = OutputValue::count;
  const WeightedPoints points = input.months.points(input.train);
  kde.radius_m = auto_radius ? street_scale(points.x, points.y).radius_m : radius_m;
  const Raster surface = estimate_density(points, input.grid, kde, input.mask);
  std::vector<double> scores(input.cells.size());
  for (std::size_t p = 0; p < scores.size(); ++p)
    scores[p] = surface.values[static_cast<std::size_t>(input.cells[p])];
  return scores;
}

std::string KdeMethod::command(double cell_size_m) const {
  return fmt::format(
      "hotspots kde INPUT --boundary BOUNDARY --cell-size {}{}{} --hotspots hot.geojson "
      "--top-percent P",
      method_number(cell_size_m),
      auto_radius ? std::string(" (no --radius: the nearest-neighbour rule)")
                  : " --radius " + method_number(radius_m),
      kernel == KdeOptions{}.kernel ? std::string()
                                    : " --kernel " + std::string(to_string(kernel)));
}

}  // namespace hotspots
