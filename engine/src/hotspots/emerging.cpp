// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/emerging.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

void EmergingOptions::validate() const {
  if (time_step_months < 1)
    throw InvalidArgument(fmt::format("time_step_months {}: must be at least 1", time_step_months));
  gi.validate();
  classes.validate();
  validate_unit_neighbours(distance_band_m, knn, contiguity_snap_m);
  if (span.first != -1 || span.last != -1)
    if (!span.valid())
      throw InvalidArgument(
          fmt::format("span {}..{}: the last month is before the first", span.first, span.last));
}

int ehsa_category_code(EhsaClass c) {
  const int k = static_cast<int>(c);
  if (k == 0) return 0;
  return k <= 8 ? k : -(k - 8);
}

namespace {

// How the spatial neighbours are chosen; the lists themselves are built per cube over the cube's
// units (cube_neighbours), except zone contiguity, built once over every zone.
struct SpatialNeighbours {
  Neighbours contiguity;  // over every unit given; only when neither band nor knn
  double band_m = 0;
  bool band_default = false;
  int knn = 0;
};

SpatialNeighbours spatial_neighbours(const Units& units, const EmergingOptions& o) {
  SpatialNeighbours s;
  double band = o.distance_band_m;
  if (!(band > 0) && o.knn <= 0 && units.is_grid()) {
    band = default_band_m(units.cell_size_m());
    s.band_default = true;
  }
  s.band_m = band;
  s.knn = band > 0 ? 0 : o.knn;
  const double cell = units.cell_size_m();
  if (units.is_grid() && band > 0 && band < cell)
    throw InvalidArgument(
        fmt::format("distance_band_m {} m is shorter than the cell size {} m: no unit would have a "
                    "neighbour; give at least the cell size",
                    band, cell));
  if (band <= 0 && s.knn == 0) s.contiguity = units.contiguity(o.contiguity, o.contiguity_snap_m);
  return s;
}

// The lists of `all` restricted to the selected units (ascending indices into `all`), renumbered
// to the selection's order.
Neighbours restrict_neighbours(const Neighbours& all, const std::vector<std::int32_t>& selected) {
  std::vector<std::int32_t> position(all.lists.size(), -1);
  for (std::size_t k = 0; k < selected.size(); ++k)
    position[static_cast<std::size_t>(selected[k])] = static_cast<std::int32_t>(k);
  Neighbours out;
  out.lists.resize(selected.size());
  for (std::size_t k = 0; k < selected.size(); ++k)
    for (const std::int32_t j : all.lists[static_cast<std::size_t>(selected[k])])
      if (const std::int32_t p = position[static_cast<std::size_t>(j)]; p >= 0)
        out.lists[k].push_back(p);
  return out;
}

// The spatial neighbours among the cube's units (`selected`, ascending), numbered in their order.
// Only the cube's units are looked at, so a fine fishnet of mostly empty cells costs nothing:
// hexagons by their lattice stencil, squares and zones by the centres' band (the tolerance of
// Units::distance_band) or k nearest; zone contiguity restricted from the lists of every zone.
Neighbours cube_neighbours(const Units& units, const SpatialNeighbours& s,
                           const std::vector<std::int32_t>& selected) {
  const std::size_t n = selected.size();
  if (s.band_m <= 0 && s.knn == 0) return restrict_neighbours(s.contiguity, selected);
  if (s.band_m > 0 && units.shape() == UnitShape::hexagon) {
    std::vector<std::int64_t> cells(n);
    for (std::size_t i = 0; i < n; ++i)
      cells[i] = units.cell(static_cast<std::size_t>(selected[i]));
    return Units::hexagons(units.hex_grid(), std::move(cells)).distance_band(s.band_m);
  }
  std::vector<double> cx(n), cy(n);
  for (std::size_t i = 0; i < n; ++i) {
    cx[i] = units.centre_x(static_cast<std::size_t>(selected[i]));
    cy[i] = units.centre_y(static_cast<std::size_t>(selected[i]));
  }
  if (s.band_m > 0) return distance_band_neighbours(cx, cy, s.band_m * (1 + 1e-9));
  if (static_cast<std::size_t>(s.knn) >= n)
    throw InvalidArgument(
        fmt::format("knn {}: must be below the number of units in the cube ({})", s.knn, n));
  return knn_neighbours(cx, cy, s.knn);
}

// What one cube needs that does not change with its time step and lags.
struct Inputs {
  const Units& units;
  const std::vector<std::int32_t>& unit_of;  // per incident, −1 outside every unit
  std::span<const double> weight;
  std::span<const std::int32_t> month;
  Period span;  // the requested span (before whole steps)
  const SpatialNeighbours& spatial;
};

void finish_cube(EmergingResult& r, const Units& units, const SpatialNeighbours& spatial,
                 const EmergingOptions& o, int lags);

// Steps 2-6 of analyse_emerging for one time step and lag count.
EmergingResult run_cube(const Inputs& in, const EmergingOptions& o, int step_months, int lags) {
  EmergingResult r;
  const std::int32_t months = in.span.months();
  const std::int32_t whole = months / step_months;
  if (whole < 1)
    throw Error(fmt::format(
        "the span {} has {} month(s), fewer than one time step of {} months (time_step_months)",
        in.span.label(), months, step_months));
  r.span = {in.span.last - whole * step_months + 1, in.span.last};
  for (std::int32_t m = in.span.first; m < r.span.first; ++m) r.dropped_months.push_back(m);
  r.steps = time_slices(r.span, step_months);
  const std::size_t steps = r.steps.size();

  // The cube's units: those with an incident of the span (or all), ascending; then the counts,
  // adding in incident order. Memory O(units given + cube), not units given x steps.
  const std::size_t n_all = in.units.size();
  std::vector<std::int32_t> position(n_all, o.all_units ? 0 : -1);
  for (std::size_t p = 0; p < in.unit_of.size(); ++p)
    if (in.unit_of[p] >= 0 && r.span.contains(in.month[p]) &&
        (in.weight.empty() || in.weight[p] != 0))
      position[static_cast<std::size_t>(in.unit_of[p])] = 0;
  for (std::size_t i = 0; i < n_all; ++i)
    if (position[i] == 0) {
      position[i] = static_cast<std::int32_t>(r.units.size());
      r.units.push_back(static_cast<std::int32_t>(i));
    }
  const std::size_t n = r.units.size();
  r.cube.values.assign(n * steps, 0.0);
  for (std::size_t p = 0; p < in.unit_of.size(); ++p) {
    const std::int32_t m = in.month[p];
    const double w = in.weight.empty() ? 1.0 : in.weight[p];
    if (!r.span.contains(m)) {
      ++r.outside_span;
      continue;
    }
    if (in.unit_of[p] < 0) {
      r.uncounted_weight += w;
      continue;
    }
    const auto t = static_cast<std::size_t>((m - r.span.first) / step_months);
    r.cube.values[t * n +
                  static_cast<std::size_t>(position[static_cast<std::size_t>(in.unit_of[p])])] += w;
  }
  if (n < 2)
    throw Error(fmt::format(
        "{} unit(s) with an incident in the cube {}: space-time Gi* compares at least two", n,
        r.span.label()));
  r.cube.unit_count = n;
  r.cube.step_count = steps;
  finish_cube(r, in.units, in.spatial, o, lags);
  return r;
}

// The cube's totals, neighbours, space-time Gi*, trends and classes: r.units, r.steps and
// r.cube set.
void finish_cube(EmergingResult& r, const Units& units, const SpatialNeighbours& spatial,
                 const EmergingOptions& o, int lags) {
  const std::size_t n = r.units.size();
  const std::size_t steps = r.steps.size();
  r.step_totals.assign(steps, 0.0);
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t i = 0; i < n; ++i) {
      r.step_totals[t] += r.cube.values[t * n + i];
      r.counted_weight += r.cube.values[t * n + i];
    }

  // Spatial neighbours among the cube's units.
  const Neighbours nb = cube_neighbours(units, spatial, r.units);
  for (const auto& list : nb.lists) r.islands += list.empty() ? 1 : 0;
  r.distance_band_m = spatial.band_m;
  r.band_default = spatial.band_default;
  r.knn = spatial.knn;

  SpaceTimeGiStarOptions gi = o.gi;
  gi.time_lags = lags;
  r.gi = spacetime_gistar(r.cube, nb, gi);
  r.classes = classify_emerging_cube(r.gi, o.classes);
  r.count_trends.resize(n);
  std::vector<double> series(steps);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t t = 0; t < steps; ++t) series[t] = r.cube.at(i, t);
    r.count_trends[i] = mann_kendall(series);
  }
  r.overall_trend = mann_kendall(r.step_totals);
  for (const EhsaClass c : r.classes.classes) ++r.class_counts[static_cast<std::size_t>(c)];
}

}  // namespace

EmergingResult analyse_emerging(const Units& units, std::span<const double> x,
                                std::span<const double> y, std::span<const double> weight,
                                std::span<const std::int32_t> month, const EmergingOptions& options,
                                const Progress& progress) {
  options.validate();
  if (y.size() != x.size() || month.size() != x.size() ||
      (!weight.empty() && weight.size() != x.size()))
    throw InvalidArgument("analyse_emerging: x, y, weight and month differ in length");
  std::size_t undated = 0;
  std::int32_t first = std::numeric_limits<std::int32_t>::max();
  std::int32_t last = -1;
  for (const std::int32_t m : month) {
    if (m < 0) {
      ++undated;
      continue;
    }
    first = std::min(first, m);
    last = std::max(last, m);
  }
  if (undated > 0)
    throw Error(fmt::format(
        "{} incident(s) have no month: a space-time cube needs every incident dated", undated));
  if (last < 0) throw Error("no incident to analyse");
  const Period span = options.span.valid() ? options.span : Period{first, last};

  // Months of the span without one incident.
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(span.months()), 0);
  bool any_in_span = false;
  for (const std::int32_t m : month)
    if (span.contains(m)) seen[static_cast<std::size_t>(m - span.first)] = 1, any_in_span = true;
  if (!any_in_span) throw Error(fmt::format("no incident in {}", span.label()));
  std::vector<std::int32_t> gaps;
  for (std::size_t k = 0; k < seen.size(); ++k)
    if (!seen[k]) gaps.push_back(span.first + static_cast<std::int32_t>(k));
  if (!gaps.empty() && !options.allow_gaps)
    throw Error(fmt::format(
        "{} month(s) of {} have no incident: {} (a gap in the data would read as a cold spell); "
        "give allow_gaps to analyse them as zeros",
        gaps.size(), span.label(), month_list(gaps)));

  const std::vector<std::int32_t> unit_of =
      progress_phase(progress, "locating incidents", [&] { return units.locate(x, y); });
  const SpatialNeighbours spatial =
      progress_phase(progress, "neighbours", [&] { return spatial_neighbours(units, options); });
  const Inputs in{units, unit_of, weight, month, span, spatial};
  EmergingResult result = progress_phase(progress, "space-time Gi*", [&] {
    return run_cube(in, options, options.time_step_months, options.gi.time_lags);
  });
  result.gap_months = gaps;
  if (options.sensitivity) {
    ProgressPhase phase(progress, "sensitivity", 9);
    std::size_t done = 0;
    for (int step = 1; step <= 3; ++step)
      for (int lags = 1; lags <= 3; ++lags) {
        EmergingSensitivityRow row;
        row.time_step_months = step;
        row.time_lags = lags;
        // A span shorter than the step has no cube: the row stays empty (0 steps).
        if (span.months() >= step) {
          const bool same = step == options.time_step_months && lags == options.gi.time_lags;
          EmergingResult other;
          if (!same) other = run_cube(in, options, step, lags);
          const EmergingResult& s = same ? result : other;
          row.steps = s.steps.size();
          row.units = s.units.size();
          row.counts = s.class_counts;
        }
        result.sensitivity.push_back(row);
        phase.advance(++done);
      }
  }
  return result;
}

EmergingResult analyse_emerging_values(const Units& units,
                                       const std::vector<std::vector<double>>& values,
                                       const Period& span, const EmergingOptions& options) {
  options.validate();
  if (options.time_step_months != 1)
    throw InvalidArgument(fmt::format(
        "time_step_months {}: values come one per month, and adding rates over months means "
        "nothing; give 1",
        options.time_step_months));
  if (!span.valid()) throw InvalidArgument("analyse_emerging_values: the span is not valid");
  const std::size_t n = units.size();
  const auto steps = static_cast<std::size_t>(span.months());
  if (values.size() != steps)
    throw InvalidArgument(
        fmt::format("analyse_emerging_values: {} months of values for the {} "
                    "months of {}",
                    values.size(), steps, span.label()));
  for (std::size_t t = 0; t < steps; ++t) {
    if (values[t].size() != n)
      throw InvalidArgument(
          fmt::format("analyse_emerging_values: {} values in month {} for {} "
                      "units",
                      values[t].size(), t, n));
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(values[t][i]))
        throw InvalidArgument(fmt::format("the value of unit {} in {} is not a finite number",
                                          units.id(i),
                                          Period{span.first + static_cast<std::int32_t>(t),
                                                 span.first + static_cast<std::int32_t>(t)}
                                              .label()));
  }
  if (n < 2) throw Error(fmt::format("{} unit(s): space-time Gi* compares at least two", n));
  const SpatialNeighbours spatial = spatial_neighbours(units, options);
  const auto run = [&](int lags) {
    EmergingResult r;
    r.span = span;
    r.steps = time_slices(span, 1);
    r.units.resize(n);
    for (std::size_t i = 0; i < n; ++i) r.units[i] = static_cast<std::int32_t>(i);
    r.cube.unit_count = n;
    r.cube.step_count = steps;
    r.cube.values.resize(n * steps);
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t i = 0; i < n; ++i) r.cube.values[t * n + i] = values[t][i];
    finish_cube(r, units, spatial, options, lags);
    return r;
  };
  EmergingResult result = run(options.gi.time_lags);
  if (options.sensitivity)
    for (int step = 1; step <= 3; ++step)
      for (int lags = 1; lags <= 3; ++lags) {
        EmergingSensitivityRow row;
        row.time_step_months = step;
        row.time_lags = lags;
        if (step == 1) {  // monthly only: the rows of longer steps stay empty
          const bool same = lags == options.gi.time_lags;
          EmergingResult other;
          if (!same) other = run(lags);
          const EmergingResult& s2 = same ? result : other;
          row.steps = s2.steps.size();
          row.units = s2.units.size();
          row.counts = s2.class_counts;
        }
        result.sensitivity.push_back(row);
      }
  return result;
}

}  // namespace hotspots
