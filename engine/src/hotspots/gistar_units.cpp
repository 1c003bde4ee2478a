// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/gistar_units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/hot_areas.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/stats/fdr.hpp"
#include "hotspots/stats/local_moran.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

void validate_unit_neighbours(double distance_band_m, int knn, double contiguity_snap_m) {
  if (distance_band_m != 0 && (!(distance_band_m > 0) || !std::isfinite(distance_band_m)))
    throw InvalidArgument(
        fmt::format("distance_band_m {}: must be a positive number", distance_band_m));
  if (knn < 0) throw InvalidArgument(fmt::format("knn {}: must be >= 0", knn));
  if (distance_band_m > 0 && knn > 0)
    throw InvalidArgument("distance_band_m and knn: give at most one");
  if (!(contiguity_snap_m >= 0) || !std::isfinite(contiguity_snap_m))
    throw InvalidArgument(
        fmt::format("contiguity_snap_m {}: must be 0 or a positive number", contiguity_snap_m));
}

void GiStarUnitsOptions::validate() const {
  validate_unit_neighbours(distance_band_m, knn, contiguity_snap_m);
  validate_local();
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The steps after Gi*, whatever its neighbours: FDR bins, then the local statistics of
// LocalStatisticList on `contiguity` (nullptr: none asked for).
void add_fdr_and_lisa(const std::vector<double>& values, const Neighbours* contiguity,
                      const GiStarUnitsOptions& options, GiStarUnits& out,
                      const Progress& progress = {}) {
  if (options.fdr) out.gi.bin = fdr_bins(out.gi.z, out.gi.p);
  if (contiguity) compute_local_statistics(values, *contiguity, options, out, progress);
}

// Gi* on neighbour lists with the island rule, then FDR and local Moran's I.
GiStarUnits statistics_on_lists(const std::vector<double>& values, const Neighbours& gi_nb,
                                const Neighbours* contiguity, const GiStarUnitsOptions& options,
                                const Progress& progress = {}) {
  GiStarUnits out;
  out.gi = progress_phase(progress, "Gi*", [&] { return gistar(values, gi_nb); });
  for (std::size_t i = 0; i < values.size(); ++i)
    if (gi_nb.lists[i].empty()) {
      out.islands.push_back(static_cast<std::int32_t>(i));
      out.gi.z[i] = out.gi.p[i] = kNaN;
      out.gi.bin[i] = 0;
    }
  add_fdr_and_lisa(values, contiguity, options, out, progress);
  return out;
}

std::string_view plural(UnitShape shape) {
  switch (shape) {
    case UnitShape::square:
      return "cells";
    case UnitShape::hexagon:
      return "hexagons";
    case UnitShape::zone:
      break;
  }
  return "zones";
}

void check_level(int level) {
  if (level < 1 || level > 3)
    throw InvalidArgument(
        fmt::format("cluster level {}: expected 1, 2 or 3 (90, 95, 99 % confidence)", level));
}

}  // namespace

GiStarUnits compute_gistar_units(const std::vector<double>& values, const std::vector<double>& cx,
                                 const std::vector<double>& cy, const Neighbours& contiguity,
                                 const GiStarUnitsOptions& options,
                                 const Neighbours* gi_neighbours) {
  options.validate();
  if (gi_neighbours && (options.distance_band_m > 0 || options.knn > 0))
    throw InvalidArgument(
        "compute_gistar_units: give Gi* neighbours or distance_band_m/knn, not both");
  if (cx.size() != values.size() || cy.size() != values.size())
    throw InvalidArgument("compute_gistar_units: values and centres differ in length");
  if (values.size() < 2)
    throw InvalidArgument("compute_gistar_units: fewer than two units of analysis");
  contiguity.validate(values.size());
  Neighbours built;
  if (options.distance_band_m > 0)
    built = distance_band_neighbours(cx, cy, options.distance_band_m * (1 + 1e-9));
  else if (options.knn > 0)
    built = knn_neighbours(cx, cy, options.knn);
  if (gi_neighbours) gi_neighbours->validate(values.size());
  const Neighbours& gi_nb = gi_neighbours                                    ? *gi_neighbours
                            : options.distance_band_m > 0 || options.knn > 0 ? built
                                                                             : contiguity;

  return statistics_on_lists(values, gi_nb, &contiguity, options);
}

GiStarClusters gistar_unit_clusters(const std::vector<double>& values, const GiStarResult& gi,
                                    const Neighbours& adjacency,
                                    const std::vector<MultiPolygon>& polygons,
                                    const std::vector<double>& area_m2, int level, bool cold) {
  check_level(level);
  const std::size_t n = values.size();
  if (gi.bin.size() != n || gi.z.size() != n || adjacency.lists.size() != n ||
      polygons.size() != n || area_m2.size() != n)
    throw InvalidArgument("gistar_unit_clusters: inputs differ in length");
  double total_incidents = 0;
  double total_area = 0;
  for (std::size_t i = 0; i < n; ++i) total_incidents += values[i], total_area += area_m2[i];

  const auto components = [&](int sign) {
    std::vector<GiStarCluster> out;
    std::vector<std::uint8_t> seen(n, 0);
    const auto selected = [&](std::size_t i) {
      return sign > 0 ? gi.bin[i] >= level : gi.bin[i] <= -level;
    };
    std::vector<std::int32_t> stack;
    for (std::size_t s = 0; s < n; ++s) {
      if (seen[s] || !selected(s)) continue;
      GiStarCluster c;
      seen[s] = 1;
      stack.assign(1, static_cast<std::int32_t>(s));
      while (!stack.empty()) {
        const std::int32_t i = stack.back();
        stack.pop_back();
        c.members.push_back(i);
        for (const std::int32_t j : adjacency.lists[static_cast<std::size_t>(i)]) {
          const auto uj = static_cast<std::size_t>(j);
          if (!seen[uj] && selected(uj)) seen[uj] = 1, stack.push_back(j);
        }
      }
      std::sort(c.members.begin(), c.members.end());
      double area = 0;
      double zsum = 0;
      std::vector<const MultiPolygon*> parts;
      for (const std::int32_t i : c.members) {
        const auto ui = static_cast<std::size_t>(i);
        c.incidents += values[ui];
        area += area_m2[ui];
        zsum += gi.z[ui];
        parts.push_back(&polygons[ui]);
      }
      c.area_km2 = area / 1e6;
      c.mean_z = zsum / static_cast<double>(c.members.size());
      c.pai = total_incidents > 0 && area > 0
                  ? (c.incidents / total_incidents) / (area / total_area)
                  : std::numeric_limits<double>::quiet_NaN();
      c.outline = dissolve(parts, 0.0);
      out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [&](const GiStarCluster& a, const GiStarCluster& b) {
      if (sign > 0) {
        if (a.incidents != b.incidents) return a.incidents > b.incidents;
        if (a.mean_z != b.mean_z) return a.mean_z > b.mean_z;
      } else {
        if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
        if (a.mean_z != b.mean_z) return a.mean_z < b.mean_z;
      }
      return a.members.front() < b.members.front();
    });
    for (std::size_t k = 0; k < out.size(); ++k) out[k].rank = static_cast<int>(k + 1);
    return out;
  };
  GiStarClusters result;
  result.hot = components(+1);
  if (cold) result.cold = components(-1);
  return result;
}

GiStarAnalysis analyse_gistar(const Units& units, const std::vector<double>& x,
                              const std::vector<double>& y, const std::vector<double>& weight,
                              const GiStarUnitsOptions& options, const Progress& progress) {
  options.validate();
  UnitCounts counts = progress_phase(progress, "counting incidents",
                                     [&] { return count_incidents(units, x, y, weight); });
  GiStarAnalysis a = analyse_gistar_values(units, counts.values, options, progress);
  a.counts.counted_weight = counts.counted_weight;
  a.counts.uncounted_weight = counts.uncounted_weight;
  return a;
}

GiStarAnalysis analyse_gistar_values(const Units& units, const std::vector<double>& values,
                                     const GiStarUnitsOptions& options, const Progress& progress) {
  options.validate();
  const std::size_t n = units.size();
  const bool square = units.shape() == UnitShape::square;
  if (values.size() != n)
    throw InvalidArgument(
        fmt::format("Gi*: {} values for {} {}", values.size(), n, plural(units.shape())));
  GiStarAnalysis a;
  a.counts.values = values;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(values[i]))
      throw InvalidArgument(fmt::format(
          "Gi*: the value of unit '{}' is {}: expected a finite number", units.id(i), values[i]));
    a.counts.counted_weight += values[i];
  }
  if (n < 2)
    throw InvalidArgument(
        square
            ? fmt::format(
                  "Gi* needs at least 2 cells in the study area, got {}; use a smaller cell size",
                  n)
            : fmt::format("Gi* needs at least two {}, got {}", plural(units.shape()), n));

  // Neighbours: the options', else the grid policy's band on grids, contiguity on zones.
  double band = options.distance_band_m;
  if (!(band > 0) && options.knn <= 0 && units.is_grid()) {
    band = default_band_m(units.cell_size_m());
    a.band_default = true;
  }
  a.distance_band_m = band;
  a.knn = band > 0 ? 0 : options.knn;
  const double cell = units.cell_size_m();
  if (units.is_grid() && band > 0 && band < cell)
    throw InvalidArgument(fmt::format(
        "distance_band_m {} m is shorter than the {} {} m: no {} would have a neighbour; give at "
        "least the cell size",
        band, square ? "cell size" : "hexagon spacing", cell, square ? "cell" : "hexagon"));
  if (options.knn > 0 && static_cast<std::size_t>(options.knn) >= n)
    throw InvalidArgument(fmt::format("knn {}: must be below the number of {} ({})", options.knn,
                                      plural(units.shape()), n));
  // Squares need contiguity only for local Moran's I (their clusters follow cell edges).
  const bool lisa = any_local_statistic(options);
  if (lisa || !square)
    a.contiguity = progress_phase(progress, "contiguity", [&] {
      return units.contiguity(options.contiguity, options.contiguity_snap_m);
    });
  const Neighbours* contiguity = lisa ? &a.contiguity : nullptr;

  if (square && band > 0) {
    // The lattice stencil: prefix sums over the fishnet, no neighbour lists.
    Raster counts = units.square_raster(std::move(a.counts.values));
    GiStarResult gi = progress_phase(progress, "Gi*", [&] { return gistar_grid(counts, band); });
    if (static_cast<std::int64_t>(n) == counts.grid.cell_count()) {
      a.counts.values = std::move(counts.values);
      a.stats.gi = std::move(gi);
    } else {
      a.counts.values.resize(n);
      GiStarResult& out = a.stats.gi;
      out.z.resize(n);
      out.p.resize(n);
      out.bin.resize(n);
      out.n_neighbors.resize(n);
      for (std::size_t k = 0; k < n; ++k) {
        const auto i = static_cast<std::size_t>(units.cell(k));
        a.counts.values[k] = counts.values[i];
        out.z[k] = gi.z[i];
        out.p[k] = gi.p[i];
        out.bin[k] = gi.bin[i];
        out.n_neighbors[k] = gi.n_neighbors[i];
      }
    }
    // The window-sized arrays are copied out: release them before local Moran's I.
    counts = Raster{};
    gi = GiStarResult{};
    // A study-area cell whose band holds no other study-area cell is an island, as on
    // hexagons and zones: its Gi* would be its own standardised count, not a local statistic.
    GiStarResult& gi_out = a.stats.gi;
    for (std::size_t k = 0; k < n; ++k)
      if (gi_out.n_neighbors[k] == 1) {
        a.stats.islands.push_back(static_cast<std::int32_t>(k));
        gi_out.z[k] = gi_out.p[k] = kNaN;
        gi_out.bin[k] = 0;
      }
    add_fdr_and_lisa(a.counts.values, contiguity, options, a.stats, progress);
    return a;
  }
  Neighbours built;
  if (band > 0 || options.knn > 0)
    built = progress_phase(progress, "neighbours", [&] {
      return band > 0 ? units.distance_band(band) : units.nearest(options.knn);
    });
  const Neighbours& gi_nb = band > 0 || options.knn > 0 ? built : a.contiguity;
  a.stats = statistics_on_lists(a.counts.values, gi_nb, contiguity, options, progress);
  return a;
}

GiStarClusters square_gistar_clusters(
    const Raster& z, const std::vector<int>& bin, std::int64_t study_cells, double counted_weight,
    const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& weight,
    const GiStarClusterOptions& options,
    const std::function<std::int32_t(std::int64_t)>& unit_of_cell) {
  check_level(options.level);
  const GridSpec& g = z.grid;
  if (bin.size() != z.values.size())
    throw InvalidArgument("square Gi* clusters: bins and z-scores differ in length");
  const auto summarise = [&](bool hot) {
    std::vector<std::uint8_t> selected(bin.size(), 0);
    for (std::size_t i = 0; i < selected.size(); ++i)
      selected[i] = hot ? bin[i] >= options.level : bin[i] <= -options.level;
    const CellRegions regions = label_regions(g, selected, options.connectivity);
    return summarise_hot_areas(z, regions, x, y, weight, study_cells, counted_weight);
  };
  const auto convert = [&](std::vector<HotArea>& areas) {
    std::vector<GiStarCluster> out;
    out.reserve(areas.size());
    for (HotArea& a : areas) {
      GiStarCluster c;
      c.rank = a.rank;
      c.members.reserve(a.cell_indices.size());
      for (const std::int64_t cell : a.cell_indices) c.members.push_back(unit_of_cell(cell));
      c.outline = std::move(a.outline);
      c.incidents = a.incidents;
      c.area_km2 = a.area_km2;
      c.mean_z = a.mean_value;
      c.pai = a.pai;
      out.push_back(std::move(c));
    }
    return out;
  };
  GiStarClusters out;
  std::vector<HotArea> hot = summarise(true);
  out.hot = convert(hot);
  if (options.cold) {
    std::vector<HotArea> cold = summarise(false);
    std::stable_sort(cold.begin(), cold.end(), [](const HotArea& a, const HotArea& b) {
      return std::make_tuple(-a.cells, a.mean_value, a.region) <
             std::make_tuple(-b.cells, b.mean_value, b.region);
    });
    for (std::size_t i = 0; i < cold.size(); ++i) cold[i].rank = static_cast<int>(i + 1);
    out.cold = convert(cold);
  }
  return out;
}

GiStarClusters gistar_clusters(const Units& units, const GiStarAnalysis& analysis,
                               const std::vector<double>& x, const std::vector<double>& y,
                               const std::vector<double>& weight,
                               const GiStarClusterOptions& options) {
  check_level(options.level);
  const std::size_t n = units.size();
  if (analysis.stats.gi.z.size() != n || analysis.counts.values.size() != n)
    throw InvalidArgument("Gi* clusters: the analysis is not of these units");
  if (units.shape() == UnitShape::square) {
    const GridSpec& g = units.square_grid();
    const Raster z = units.square_raster(analysis.stats.gi.z);
    std::vector<int> scattered;
    if (static_cast<std::int64_t>(n) != g.cell_count()) {
      scattered.assign(static_cast<std::size_t>(g.cell_count()), 0);
      for (std::size_t k = 0; k < n; ++k)
        scattered[static_cast<std::size_t>(units.cell(k))] = analysis.stats.gi.bin[k];
    }
    return square_gistar_clusters(z, scattered.empty() ? analysis.stats.gi.bin : scattered,
                                  static_cast<std::int64_t>(n), analysis.counts.counted_weight, x,
                                  y, weight, options,
                                  [&](std::int64_t cell) { return units.unit_of_cell(cell); });
  }
  std::vector<MultiPolygon> polygons;
  std::vector<double> areas;
  polygons.reserve(n);
  areas.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    polygons.push_back(units.polygon(i));
    areas.push_back(units.area_m2(i));
  }
  return gistar_unit_clusters(analysis.counts.values, analysis.stats.gi, analysis.contiguity,
                              polygons, areas, options.level, options.cold);
}

}  // namespace hotspots
