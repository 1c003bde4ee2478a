// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/emerging_memory.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

MemoryEstimate estimate_emerging_memory(const EmergingMemoryInput& in) {
  const double n = static_cast<double>(in.incidents);
  const double u = in.cube_units;
  const auto steps = static_cast<double>(in.steps);
  const auto months = static_cast<double>(in.months);
  const double lists = u * (24 + 4 * in.mean_neighbours + 16 + 48);
  MemoryEstimate e;
  e.add("program and libraries", kProgramBytes);
  e.add("incidents", n * (kBytesPerIncidentRead + 8));
  e.add("units", 12 * in.units);
  e.add("cube", u * steps * 32 + 120 * u + lists);
  if (in.sensitivity) {
    e.peak_phase = "the sensitivity table's 1-month cube";
    e.add("sensitivity cube", u * months * 48 + 120 * u + lists);
    if (in.fdr) e.add("FDR", u * months * 16);
  } else {
    e.peak_phase = "space-time Gi*";
    e.add("space-time Gi* sums", u * steps * 8);
    if (in.fdr) e.add("FDR", u * steps * 16);
  }
  return larger_of(std::move(e), reading_memory(in.rows_read));
}

EmergingMemoryInput emerging_memory_input(const Units& units, std::span<const double> x,
                                          std::span<const double> y,
                                          std::span<const std::int32_t> month,
                                          const EmergingOptions& options) {
  if (y.size() != x.size() || month.size() != x.size())
    throw InvalidArgument("emerging memory: x, y and month differ in length");
  EmergingMemoryInput in;
  in.incidents = x.size();
  in.units = static_cast<double>(units.size());
  in.sensitivity = options.sensitivity;
  in.fdr = options.gi.fdr;
  std::int32_t first = std::numeric_limits<std::int32_t>::max();
  std::int32_t last = -1;
  for (const std::int32_t m : month)
    if (m >= 0) first = std::min(first, m), last = std::max(last, m);
  const Period span = options.span.valid() ? options.span : Period{first, std::max(first, last)};
  in.months = last < 0 ? 0 : span.months();
  in.steps = in.months / std::max(options.time_step_months, 1);
  if (options.all_units) {
    in.cube_units = in.units;
  } else {
    const std::vector<std::int32_t> unit_of = units.locate(x, y);
    std::vector<std::uint8_t> seen(units.size(), 0);
    for (std::size_t p = 0; p < unit_of.size(); ++p)
      if (unit_of[p] >= 0 && span.contains(month[p]))
        seen[static_cast<std::size_t>(unit_of[p])] = 1;
    in.cube_units = static_cast<double>(std::count(seen.begin(), seen.end(), 1));
  }
  // Neighbours of a cube unit: k, the band's lattice count (an upper bound among the cube's
  // units), or ~6 contiguous zones.
  double band = options.distance_band_m;
  if (!(band > 0) && options.knn <= 0 && units.is_grid())
    band = default_band_m(units.cell_size_m());
  const double cell = units.cell_size_m();
  if (options.knn > 0)
    in.mean_neighbours = options.knn;
  else if (band > 0 && units.is_grid())
    in.mean_neighbours =
        std::numbers::pi * band * band /
        (units.shape() == UnitShape::hexagon ? std::sqrt(3.0) / 2 * cell * cell : cell * cell);
  else
    in.mean_neighbours = 6;
  return in;
}

}  // namespace hotspots
