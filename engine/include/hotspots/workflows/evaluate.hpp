// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/core/period.hpp"
#include "hotspots/core/progress.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/workflows/methods/method_list.hpp"

namespace hotspots {

/// One backtest method and its parameters, as parsed from a --methods entry: one of MethodList
/// (workflows/methods/method_list.hpp: kde, gistar, counts, last, patrol, default; one file pair
/// per method).
struct MethodSpec {
  Method method = CountsMethod{};
  /// Canonical label used in every output: "kde:radius=150", "kde:radius=150:kernel=uniform",
  /// "gistar", "gistar:band=500", "counts", "last".
  [[nodiscard]] std::string label() const;
  bool operator==(const MethodSpec&) const = default;
};

/// Parses one method: NAME[:KEY=VALUE]... with NAME one of MethodList's names and each KEY one
/// of that method's keys, given at most once (kde: radius, required, and kernel; gistar: band,
/// metres; counts and last: none). Examples: "kde:radius=150",
/// "kde:radius=300:kernel=epanechnikov", "gistar:band=500", "counts".
/// Throws InvalidArgument starting "method '<text>'" and naming the bad part (unknown method or
/// key, a repeated key, a value that is not a positive finite number, kde without radius).
/// O(length).
[[nodiscard]] MethodSpec parse_method_spec(std::string_view text);

/// Parses a comma-separated list of methods (see parse_method_spec); errors name the field
/// `methods` and the entry ("methods[2] 'kde:radius=0': ..."). Throws InvalidArgument for an
/// empty list or entry, or a method given twice (same label).
[[nodiscard]] std::vector<MethodSpec> parse_method_specs(std::string_view text);

/// "kde, gistar, counts, last or patrol": the method names of MethodList, for messages.
[[nodiscard]] std::string method_names();

/// The months one origin trains and tests on (month indices as Date::month_index, inclusive).
struct Origin {
  std::int32_t origin = 0;  ///< first test month
  std::int32_t train_first = 0;
  std::int32_t train_last = 0;
  std::int32_t test_first = 0;
  std::int32_t test_last = 0;
  [[nodiscard]] Period train() const { return {train_first, train_last}; }
  [[nodiscard]] Period test() const { return {test_first, test_last}; }
  friend bool operator==(const Origin&, const Origin&) = default;
};

/// Rolling origins over the months [first_month, last_month]: the first origin is
/// first_month + train_months (its training window starts at first_month), then every
/// `step_months`, while the test window [origin, origin + test_months − 1] ends by last_month.
/// For origin o: train = [o − train_months, o − 1], test = [o, o + test_months − 1].
/// Empty when the months are too few. Throws InvalidArgument (naming `train_months`,
/// `test_months` or `step_months`) unless train, test and step are >= 1. O(origins).
[[nodiscard]] std::vector<Origin> rolling_origins(std::int32_t first_month, std::int32_t last_month,
                                                  int train_months, int test_months,
                                                  int step_months);

/// Number of hot cells for an area share: round half up of percent/100 · study_cells, and at
/// least 1 (on a coarse grid a tiny share still means one cell; the actual share is reported).
/// Throws InvalidArgument (naming `area_percent`) unless 0 < percent <= 100 and study_cells >= 1.
[[nodiscard]] std::int64_t hot_cell_count(double area_percent, std::int64_t study_cells);

/// Cell order of a hotspot map: by score descending, ties by position ascending (the row-major
/// cell index for study-area cells), NaN scores last. Returns positions into `scores`.
/// O(n log n).
[[nodiscard]] std::vector<std::int64_t> rank_cells(const std::vector<double>& scores);

/// The scores of one hot area (the top `hot_cells` of a ranking) against the test window.
/// With n = test incidents in the hot area, N = test incidents in the study area, a/A = the
/// hot area's share of the study area's cells:
///
///   hit rate = n / N
///   PAI = (n / N) / (a / A)                      (Chainey, Tompson & Uhlig 2008)
///   PEI = n / n*, n* = the most test incidents any `hot_cells` cells hold
///         (= PAI / PAI*, Hunt 2016, PAI* the best PAI reachable with the same area)
///   RRI = (n / n_train) / (N / N_train)           (Levine's Recapture Rate Index, CrimeStat IV,
///         Levine 2008; n_train, N_train = training-window incidents in the hot and whole area)
///
/// Undefined values (N = 0, n* = 0, n_train = 0 or N_train = 0) are NaN.
struct AreaScore {
  double area_percent = 0;  ///< as asked
  std::int64_t hot_cells = 0;
  double test_hits = 0;   ///< n
  double best_hits = 0;   ///< n*
  double train_hits = 0;  ///< n_train
  double hit_rate = 0;
  double pai = 0;
  double pei = 0;
  double rri = 0;
};

/// Scores the ranking of `scores` (one value per study-area cell) at each area share against
/// the per-cell incident counts of the test and training windows (same length as scores).
/// Throws InvalidArgument if the lengths differ or there is no cell, or an area share is out of
/// (0, 100]. O(n + k log k) per call, k = the largest hot area's cells.
[[nodiscard]] std::vector<AreaScore> score_hot_areas(const std::vector<double>& scores,
                                                     const std::vector<double>& test_counts,
                                                     const std::vector<double>& train_counts,
                                                     const std::vector<double>& area_percents);

/// Options of evaluate_methods().
struct EvaluateOptions {
  std::vector<MethodSpec> methods;
  int train_months = 12;
  int test_months = 1;
  int step_months = 1;
  std::vector<double> area_percents{0.5, 1, 2, 5};

  /// Throws InvalidArgument naming the field (`methods[i]`, `train_months`, `test_months`,
  /// `step_months`, `area_percents[i]`): no methods, train/test/step < 1, an area share out of
  /// (0, 100] or repeated, a bad method parameter.
  void validate() const;
};

/// One origin × method × area share.
struct ScoreRow {
  std::size_t origin = 0;  ///< index into EvaluateResult::origins
  std::size_t method = 0;  ///< index into EvaluateOptions::methods
  double test_incidents = 0;
  double train_incidents = 0;
  AreaScore score;
};

struct EvaluateResult {
  std::int64_t study_cells = 0;
  std::int32_t first_month = 0;  ///< months spanned by the dated incidents
  std::int32_t last_month = 0;
  std::vector<Origin> origins;  ///< scored
  /// Origins skipped because a month of their windows holds no incident (a gap in the data,
  /// or a test window without incidents, where no score is defined).
  std::vector<Origin> skipped;
  std::vector<ScoreRow> rows;  ///< origin-major, then method, then area share
  double undated_weight = 0;   ///< incidents without a month (not used)
  double outside_weight = 0;   ///< incidents outside the grid or in cells outside the mask
};

/// Rolling-origin backtest of hotspot methods. Every method is fitted on each origin's training
/// window and scored (score_hot_areas) on its test window, on the cells of `grid` inside `mask`
/// (every cell without a mask).
///
/// Incidents are used when they carry a month and fall in a study-area cell; each incident
/// counts with its weight. Work shared: every month is binned once into a sparse list of
/// (cell, weight) and a list of distinct locations with summed weights; a window's counts are
/// the sum of its months' sparse lists and its KDE input the concatenation of their location
/// lists (estimate_density merges identical locations, so KDE is exact at the incidents' own
/// points: police.uk snaps incidents to map points, and smoothing from cell centres would move
/// them). Gi* is gistar_grid on the window's counts (band default default_band_m()), scoring z
/// (cells where S = 0 and islands without another study-area cell in the band are NaN, as in
/// `hotspots gistar`, and rank last). "counts" scores the training counts, "last" the counts of
/// [max(origin − test_months, train.first), origin − 1].
///
/// Parallel over origins with TBB (an origin's window counts are formed once and shared by its
/// methods; KDE and Gi* are parallel inside); each fit writes its own rows and every kernel used
/// is thread-count independent, so the result is identical for any number of threads.
/// Scoring selects only the largest hot area's cells (nth_element), not a full sort.
/// Cost per (origin, method): O(cells + window incidents) plus the method: KDE
/// O(locations · (h/C)²), Gi* O(cells · band/C). Memory O(threads · cells + incidents).
/// Throws InvalidArgument for invalid options or a mask on another grid; Error when no incident
/// carries a month or no origin fits in the months spanned. `progress` hears the phase
/// "fitting and scoring" with one step per (origin, method) fit, from any thread, one call at a
/// time.
[[nodiscard]] EvaluateResult evaluate_methods(const Incidents& incidents, const GridSpec& grid,
                                              const CellMask* mask, const EvaluateOptions& options,
                                              const Progress& progress = {});

/// Mean and spread of one score over the origins, per method and area share.
struct ScoreSummary {
  std::size_t method = 0;
  double area_percent = 0;
  std::size_t origins = 0;  ///< origins with a defined PAI
  double mean_hit_rate = 0;
  double mean_pai = 0;
  double sd_pai = 0;  ///< sample SD over origins (n − 1); NaN with one origin
  double min_pai = 0;
  double max_pai = 0;
  double mean_pei = 0;
  double mean_rri = 0;   ///< over origins where RRI is defined
  std::size_t wins = 0;  ///< origins where this method had the highest PAI (ties: first listed)
};

/// Per method and area share (method-major), from a result. NaN scores are left out of means.
[[nodiscard]] std::vector<ScoreSummary> summarise_scores(const EvaluateResult& result,
                                                         std::size_t method_count,
                                                         const std::vector<double>& area_percents);

}  // namespace hotspots
