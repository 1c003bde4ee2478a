// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "hotspots/core/period.hpp"
#include "hotspots/core/progress.hpp"
#include "hotspots/stats/ehsa_classes.hpp"
#include "hotspots/stats/local_moran.hpp"
#include "hotspots/stats/mann_kendall.hpp"
#include "hotspots/stats/spacetime_gistar.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

// Emerging Hot Spot Analysis over Units (ArcGIS Pro "Emerging Hot Spot Analysis"; sfdep
// `emerging_hotspot_analysis`): the space-time cube of incident counts, space-time Gi* per bin,
// Mann-Kendall trends and the 17 categories. Pure of I/O: the layers are written by
// hotspots/emerging_layers.

/// Number of EHSA classes (EhsaClass values 0 .. 16).
inline constexpr std::size_t kEhsaClassCount = 17;

/// Options of analyse_emerging().
struct EmergingOptions {
  /// Months per time step of the cube (ArcGIS "Time Step Interval"). Steps are whole and aligned
  /// to the last month of the span (ArcGIS's default "End time" alignment): leading months that
  /// do not fill a step are left out of the cube and reported (EmergingResult::dropped_months).
  int time_step_months = 1;
  /// Space-time Gi*: time_lags (K), global_window, fdr.
  SpaceTimeGiStarOptions gi;
  /// The classification rules (compat, levels).
  EhsaClassOptions classes;
  /// > 0: spatial neighbours are the units whose centres lie within this many metres.
  double distance_band_m = 0;
  /// > 0: spatial neighbours are the k nearest unit centres of the cube's units (ties included).
  int knn = 0;
  /// Zones without band or knn: neighbours by this contiguity (queen or rook) with
  /// `contiguity_snap_m`. Grids without band or knn use the grid policy's default band.
  Contiguity contiguity = Contiguity::queen;
  double contiguity_snap_m = 0.001;
  /// false (ArcGIS): the cube holds the units with at least one incident in it; true: every unit
  /// given (every unit of the study area), empty ones as zeros.
  bool all_units = false;
  /// A month of the span without one incident is an Error naming the months unless this is set
  /// (then it is a step of zeros, reported in EmergingResult::gap_months).
  bool allow_gaps = false;
  /// The months to analyse; not valid() (the default): the first to the last incident's month.
  Period span;
  /// Also compute sensitivity(): class counts over time steps 1, 2, 3 months x lags 1, 2, 3.
  bool sensitivity = true;

  /// Throws InvalidArgument naming the field: time_step_months < 1, time_lags < 0 (gi),
  /// distance_band_m negative or not finite, knn < 0, both band and knn, contiguity_snap_m
  /// negative, a span given but not valid, and the class options (EhsaClassOptions::validate).
  void validate() const;
};

/// One row of the sensitivity table: the class counts of the same analysis with another time
/// step and number of time lags.
struct EmergingSensitivityRow {
  int time_step_months = 1;
  int time_lags = 1;
  std::size_t steps = 0;  ///< time steps of that cube
  std::size_t units = 0;  ///< units of that cube
  /// Units per class, indexed by EhsaClass.
  std::array<std::int64_t, kEhsaClassCount> counts{};
};

/// Everything an emerging hot spot analysis found.
struct EmergingResult {
  /// The months of the cube (after leading months that do not fill a step were dropped).
  Period span;
  /// The time steps, earliest first (time_slices(span, time_step_months)).
  std::vector<Period> steps;
  /// Months before `span` left out because they do not fill a whole step (fewer than
  /// time_step_months of them).
  std::vector<std::int32_t> dropped_months;
  /// Months of the span without any incident (only with allow_gaps: otherwise an Error).
  std::vector<std::int32_t> gap_months;
  /// The units of the cube: indices into the Units given, ascending. Row i of the cube is
  /// unit `units[i]`.
  std::vector<std::int32_t> units;
  /// Incident counts (Σ weight) per unit per step: cube.at(i, t).
  SpaceTimeCube cube;
  /// Space-time Gi* per bin (z, two-sided p, bin, neighbourhood size W).
  SpaceTimeGiStarResult gi;
  /// Class of each unit and the Mann-Kendall trend of its z series.
  EhsaResult classes;
  /// Mann-Kendall trend of each unit's count series.
  std::vector<MannKendallResult> count_trends;
  /// Σ counts per step (over the cube's units) and its Mann-Kendall trend: the cube's overall
  /// trend (ArcGIS "overall trend" of Create Space Time Cube).
  std::vector<double> step_totals;
  MannKendallResult overall_trend;
  /// Σ weight counted in the cube, and Σ weight of the dated incidents of the span that fall in
  /// no unit (outside the grid or study area).
  double counted_weight = 0;
  double uncounted_weight = 0;
  /// Incidents outside the span (before it, after it, or in dropped months): not counted.
  std::int64_t outside_span = 0;
  /// The neighbours used: band in metres (0 for knn or contiguity) and whether it was the grid
  /// policy's default; k for knn (0 otherwise); units of the cube without a spatial neighbour.
  double distance_band_m = 0;
  bool band_default = false;
  int knn = 0;
  std::size_t islands = 0;
  /// Units per class, indexed by EhsaClass.
  std::array<std::int64_t, kEhsaClassCount> class_counts{};
  /// The sensitivity table (empty unless options.sensitivity): time steps 1, 2, 3 x lags 1, 2, 3,
  /// step-major.
  std::vector<EmergingSensitivityRow> sensitivity;
};

/// ArcGIS's CATEGORY code of a class: 1 new, 2 consecutive, 3 intensifying, 4 persistent,
/// 5 diminishing, 6 sporadic, 7 oscillating, 8 historical hot spot; the negatives for the cold
/// ones; 0 no pattern.
[[nodiscard]] int ehsa_category_code(EhsaClass c);

/// Emerging Hot Spot Analysis of dated incidents over `units`:
///  1. the span (options.span, else the first to the last incident month); whole steps of
///     time_step_months aligned to its last month (leading months left out, reported); a month
///     of the span without an incident is an Error naming the months unless allow_gaps;
///  2. the cube: each incident of the span located in a unit (Units::locate) and added (its
///     weight, 1 when `weight` is empty) to its step; the units with at least one incident in
///     the cube, or every unit with all_units; empty bins are zeros;
///  3. spatial neighbours among the cube's units only (a fine fishnet of mostly empty cells costs
///     nothing): the band (hexagons by their lattice stencil), the k nearest, or neither: the grid
///     policy's default band on grids, contiguity on zones (built over every zone, then
///     restricted to the cube's);
///  4. space-time Gi* per bin (spacetime_gistar: K lags, the global window, FDR when asked);
///  5. Mann-Kendall of each unit's z series and count series, and of the per-step totals;
///  6. the class of each unit (classify_emerging_cube);
///  7. when options.sensitivity: steps 2-6 again for every time step in {1, 2, 3} months and
///     time_lags in {1, 2, 3} (the unit set is that of each cube).
/// `month` is each incident's month index (Date::month_index; −1 undated).
/// Throws InvalidArgument from options.validate(), if the columns differ in length, knn is not
/// below the number of units in the cube, or a grid's band is shorter than its cell; Error if an
/// incident is undated, no incident lies in the span, the span is shorter than one step, fewer
/// than two units are in the cube, or (without allow_gaps) months have no incident (the message
/// names them). A sensitivity row whose time step is longer than the span has 0 steps.
/// Cost: O(points · log) to locate, then O(points + units given + units · steps · (neighbours +
/// K)) per cube, and nine cubes with the sensitivity table (the asked one reused); memory
/// O(units given + units · steps). Deterministic for any number of threads. `progress` hears the
/// phases "locating incidents", "neighbours", "space-time Gi*" and, with the sensitivity table,
/// "sensitivity" (one step per cube).
[[nodiscard]] EmergingResult analyse_emerging(const Units& units, std::span<const double> x,
                                              std::span<const double> y,
                                              std::span<const double> weight,
                                              std::span<const std::int32_t> month,
                                              const EmergingOptions& options,
                                              const Progress& progress = {});

/// Emerging hot spot analysis of given values (rates, residuals, changes: negative allowed)
/// instead of counted incidents: `values[t][i]` is unit i's value in month span.first + t. Every
/// unit is in the cube (a value has no "empty bin" to leave out), one time step per month; then
/// as analyse_emerging: space-time Gi* over the same neighbours, Mann-Kendall of each unit's z
/// series (and of its values, in count_trends), the classes, and the sensitivity table over lags
/// 1-3 (its rows of 2- and 3-month steps stay empty: summing rates over months means nothing).
/// counted_weight is Σ values. Throws InvalidArgument when options.time_step_months is not 1,
/// the span is not valid or values is not span.months() × units.size() (naming which), or a
/// value is not finite (naming the unit and the month); Error with fewer than two units.
/// Cost: as analyse_emerging without the counting.
[[nodiscard]] EmergingResult analyse_emerging_values(const Units& units,
                                                     const std::vector<std::vector<double>>& values,
                                                     const Period& span,
                                                     const EmergingOptions& options);

}  // namespace hotspots
