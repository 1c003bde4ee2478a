// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/optimized_gistar.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {

void OptimizedGiStarOptions::validate() const {
  try {
    isa.validate();
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(fmt::format("isa.{}", e.what()));
  }
  if (min_incidents_bounded < 4)
    throw InvalidArgument(
        fmt::format("min_incidents_bounded must be >= 4, got {}", min_incidents_bounded));
  if (min_incidents_unbounded < 4)
    throw InvalidArgument(
        fmt::format("min_incidents_unbounded must be >= 4, got {}", min_incidents_unbounded));
  if (min_cells < 4)
    throw InvalidArgument(fmt::format("min_cells must be >= 4, got {}", min_cells));
}

GiStarUnitsOptions OptimizedGiStarPlan::gistar_options(const LocalStatisticOptions& local) const {
  GiStarUnitsOptions o;
  static_cast<LocalStatisticOptions&>(o) = local;
  o.distance_band_m = distance_band_m;
  o.fdr = true;
  return o;
}

OptimizedGiStarPlan plan_optimized_gistar(std::span<const double> x, std::span<const double> y,
                                          std::span<const double> weight,
                                          const MultiPolygon& study_area,
                                          const OptimizedGiStarOptions& options) {
  options.validate();
  OptimizedGiStarPlan plan;
  plan.incidents = static_cast<std::int64_t>(x.size());
  plan.bounded = !study_area.empty();
  const std::int64_t min_incidents =
      plan.bounded ? options.min_incidents_bounded : options.min_incidents_unbounded;
  if (plan.incidents < min_incidents)
    throw Error(fmt::format(
        "optimized hot spots: {} incidents; Optimized Hot Spot Analysis needs at least {} {}",
        plan.incidents, min_incidents,
        plan.bounded ? "with a boundary" : "without a boundary (twice the bounded minimum)"));

  // 1-2. Cell size from the incidents' spacing; the fishnet and its kept cells.
  plan.scale = street_scale(x, y);
  GridUnitsOptions grid;
  grid.shape = UnitShape::square;
  grid.cell_size_m = plan.scale.cell_size_m;
  Units all = grid_units(grid, study_area, x, y);
  plan.grid_cells = all.square_grid().cell_count();
  if (plan.bounded) {
    plan.units = std::move(all);
  } else {
    const UnitCounts points = count_incidents(all, x, y, {});
    CellMask mask{all.square_grid(), std::vector<std::uint8_t>(points.values.size(), 0)};
    for (std::size_t c = 0; c < points.values.size(); ++c) {
      mask.inside[c] = points.values[c] > 0 ? 1 : 0;
      if (points.values[c] <= 0) ++plan.empty_dropped;
    }
    plan.units = Units::squares(all.square_grid(), &mask);
  }
  const auto cells = static_cast<std::int64_t>(plan.units.size());
  if (cells < options.min_cells)
    throw Error(fmt::format(
        "optimized hot spots: {} cells of {:.1f} m {}; at least {} are needed (give a larger "
        "area or more incidents)",
        cells, plan.scale.cell_size_m, plan.bounded ? "lie in the study area" : "hold incidents",
        options.min_cells));
  plan.counts = count_incidents(plan.units, x, y, weight).values;
  bool varies = false;
  for (const double v : plan.counts) varies = varies || v != plan.counts.front();
  if (!varies)
    throw Error(fmt::format(
        "optimized hot spots: every one of the {} cells holds {} incidents; with no variation "
        "there are no hot or cold spots",
        cells, plan.counts.front()));

  // 3-4. The scale of analysis.
  const std::vector<double> cx = plan.units.centres_x();
  const std::vector<double> cy = plan.units.centres_y();
  plan.isa = incremental_autocorrelation(plan.counts, cx, cy, options.isa);
  if (plan.isa.first_peak >= 0) {
    plan.source = OptimizedBandSource::first_peak;
    plan.distance_band_m =
        plan.isa.series[static_cast<std::size_t>(plan.isa.first_peak)].distance_m;
  } else {
    plan.source = OptimizedBandSource::knn_fallback;
    plan.knn = knn_fallback_distance(cx, cy);
    plan.distance_band_m = plan.knn.distance_m;
  }
  return plan;
}

std::vector<std::string> describe(const OptimizedGiStarPlan& p) {
  std::vector<std::string> lines;
  const NearestNeighbourScale& nn = p.scale.nn;
  lines.push_back(
      fmt::format("optimized: {} incidents at {} distinct locations", p.incidents, nn.locations));
  lines.push_back(fmt::format(
      "optimized: {} locational outlier{} (nearest neighbour > {:.1f} m = mean + 3 SD) left out "
      "of the scale",
      nn.outliers, nn.outliers == 1 ? "" : "s", nn.outlier_cut_m));
  lines.push_back(fmt::format(
      "optimized: cell size 2 x max(mean {:.1f} m, median {:.1f} m) nearest-neighbour distance "
      "= {:.1f} m",
      nn.mean_m, nn.median_m, p.scale.cell_size_m));
  const GridSpec& g = p.units.square_grid();
  lines.push_back(
      p.bounded
          ? fmt::format("optimized: fishnet {} x {} = {} cells; {} cells in the study area kept "
                        "(empty cells included)",
                        g.cols, g.rows, p.grid_cells, p.units.size())
          : fmt::format("optimized: fishnet {} x {} = {} cells over the incidents; {} cells "
                        "holding incidents kept, {} empty cells removed (no boundary)",
                        g.cols, g.rows, p.grid_cells, p.units.size(), p.empty_dropped));
  const IncrementalAutocorrelation& a = p.isa;
  lines.push_back(fmt::format(
      "optimized: incremental spatial autocorrelation of the counts over {} cells: {}; start "
      "{:.1f} m ({}), increment {:.1f} m ({}); one standard distance {:.1f} m{}",
      a.features,
      std::isfinite(a.outlier_cut_m)
          ? fmt::format("{} cell outlier{} (nearest cell > {:.1f} m = mean + 3 SD)", a.outliers,
                        a.outliers == 1 ? "" : "s", a.outlier_cut_m)
          : std::string("no cell outliers (every nearest-cell distance is the same)"),
      a.start_m, a.start_given ? "given" : "every cell but outliers has a neighbour", a.increment_m,
      a.increment_given ? "given"
      : a.capped        ? "capped: the bands end below one standard distance"
                        : "mean nearest-cell distance",
      a.standard_distance_m, a.capped ? " (cap applied)" : ""));
  for (std::size_t c = 0; c < a.series.size(); ++c) {
    const MoranAtDistance& m = a.series[c];
    lines.push_back(
        fmt::format("optimized:   distance {:9.1f} m  Moran's I {:9.6f}  z {:8.3f}  p {:.4g}{}{}",
                    m.distance_m, m.moran.i, m.moran.z, m.moran.p,
                    m.moran.no_neighbours > 0
                        ? fmt::format("  ({} cells without neighbours)", m.moran.no_neighbours)
                        : "",
                    static_cast<int>(c) == a.first_peak ? "  <- first peak" : ""));
  }
  if (p.source == OptimizedBandSource::first_peak)
    lines.push_back(
        fmt::format("optimized: distance band {:.1f} m: the first peak of z above 1.65 (z {:.3f})",
                    p.distance_band_m, a.series[static_cast<std::size_t>(a.first_peak)].moran.z));
  else
    lines.push_back(fmt::format(
        "optimized: no peak of z above 1.65; distance band {:.1f} m = {} (mean distance to the "
        "{}th nearest cell {:.1f} m; k = 5 % of the cells within 3..30)",
        p.distance_band_m,
        p.knn.capped ? "one standard distance (the kNN distance exceeds it)" : "the kNN distance",
        p.knn.k, p.knn.mean_m));
  lines.push_back(
      "optimized: Gi* with that band, self included; bins corrected for multiple testing and "
      "spatial dependence by the False Discovery Rate");
  return lines;
}

std::vector<std::pair<std::string, std::string>> optimized_metadata(const OptimizedGiStarPlan& p) {
  const IncrementalAutocorrelation& a = p.isa;
  std::string series;
  for (const MoranAtDistance& m : a.series)
    series += fmt::format("{}{:.3f}:{:.6f}:{:.6f}", series.empty() ? "" : ";", m.distance_m,
                          m.moran.i, m.moran.z);
  return {
      {"OPTIMIZED", "ArcGIS Optimized Hot Spot Analysis rules (COUNT_INCIDENTS_WITHIN_FISHNET)"},
      {"OPTIMIZED_INCIDENTS", fmt::format("{}", p.incidents)},
      {"OPTIMIZED_LOCATIONS", fmt::format("{}", p.scale.nn.locations)},
      {"OPTIMIZED_LOCATIONAL_OUTLIERS", fmt::format("{}", p.scale.nn.outliers)},
      {"OPTIMIZED_NN_MEAN_M", fmt::format("{:.3f}", p.scale.nn.mean_m)},
      {"OPTIMIZED_NN_MEDIAN_M", fmt::format("{:.3f}", p.scale.nn.median_m)},
      {"OPTIMIZED_CELL_SIZE_M", fmt::format("{:.3f}", p.scale.cell_size_m)},
      {"OPTIMIZED_CELLS_KEPT", fmt::format("{}", p.units.size())},
      {"OPTIMIZED_CELLS_RULE",
       p.bounded ? "centre in the study area, empty cells included" : "cells holding incidents"},
      {"OPTIMIZED_ISA_START_M", fmt::format("{:.3f}", a.start_m)},
      {"OPTIMIZED_ISA_INCREMENT_M", fmt::format("{:.3f}", a.increment_m)},
      {"OPTIMIZED_ISA_STANDARD_DISTANCE_M", fmt::format("{:.3f}", a.standard_distance_m)},
      {"OPTIMIZED_ISA_CAPPED", a.capped ? "yes" : "no"},
      {"OPTIMIZED_ISA_SERIES_DISTANCE_I_Z", series},
      {"OPTIMIZED_BAND_SOURCE", p.source == OptimizedBandSource::first_peak
                                    ? "first peak of z > 1.65"
                                    : fmt::format("kNN fallback, k = {}", p.knn.k)},
      {"OPTIMIZED_DISTANCE_BAND_M", fmt::format("{:.3f}", p.distance_band_m)},
      {"OPTIMIZED_FDR", "yes"}};
}

std::string isa_table_csv(const IncrementalAutocorrelation& isa) {
  std::string text = "Distance,MoransI,ExpectedI,Variance,z_score,p_value,no_neighbours,peak\n";
  for (std::size_t c = 0; c < isa.series.size(); ++c) {
    const MoranAtDistance& m = isa.series[c];
    const bool first = static_cast<int>(c) == isa.first_peak;
    const bool max = static_cast<int>(c) == isa.max_peak;
    text += fmt::format("{:.17g},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g},{},{}\n", m.distance_m,
                        m.moran.i, m.moran.expected_i, m.moran.variance, m.moran.z, m.moran.p,
                        m.moran.no_neighbours,
                        first && max ? "first max"
                        : first      ? "first"
                        : max        ? "max"
                                     : "");
  }
  return text;
}

void write_isa_table(const std::string& path, const IncrementalAutocorrelation& isa,
                     bool overwrite) {
  const std::string text = isa_table_csv(isa);
  write_file_atomically(path, text, overwrite);
}

}  // namespace hotspots
