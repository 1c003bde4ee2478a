// SPDX-License-Identifier: MIT
#include "hotspots/workflows/evaluate.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <tuple>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/gistar.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Gi* distance band when none is given, in cells (as `hotspots gistar`).
constexpr double kDefaultBandCells = 5.0;

std::string format_number(double v) {
  return fmt::format("{}", v);
}

double parse_positive(std::string_view method, std::string_view key, std::string_view value) {
  double v = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v) || !(v > 0))
    throw InvalidArgument(fmt::format("--methods '{}': {}={} is not a positive number in metres",
                                      method, key, value));
  return v;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

/// A month's incidents in study-area cells: per-cell weights (sorted by cell position) and
/// distinct locations with summed weights (sorted by x, y).
struct MonthBins {
  std::vector<std::pair<std::int64_t, double>> cells;
  std::vector<double> x, y, w;
  std::int64_t incidents = 0;
};

std::vector<double> window_counts(const std::vector<MonthBins>& months, std::int32_t first_month,
                                  std::int32_t from, std::int32_t to, std::size_t n) {
  std::vector<double> counts(n, 0.0);
  for (std::int32_t m = from; m <= to; ++m)
    for (const auto& [pos, w] : months[static_cast<std::size_t>(m - first_month)].cells)
      counts[static_cast<std::size_t>(pos)] += w;
  return counts;
}

double sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

std::string MethodSpec::label() const {
  switch (kind) {
    case MethodKind::kde:
      return std::holds_alternative<kernels::Quartic>(kernel)
                 ? fmt::format("kde:radius={}", format_number(radius_m))
                 : fmt::format("kde:radius={}:kernel={}", format_number(radius_m),
                               to_string(kernel));
    case MethodKind::gistar:
      return band_m > 0 ? fmt::format("gistar:band={}", format_number(band_m)) : "gistar";
    case MethodKind::counts:
      return "counts";
    case MethodKind::last:
      return "last";
  }
  return "";
}

MethodSpec parse_method_spec(std::string_view text) {
  const auto parts = split(text, ':');
  MethodSpec spec;
  const std::string_view name = parts[0];
  if (name == "kde")
    spec.kind = MethodKind::kde;
  else if (name == "gistar")
    spec.kind = MethodKind::gistar;
  else if (name == "counts")
    spec.kind = MethodKind::counts;
  else if (name == "last")
    spec.kind = MethodKind::last;
  else
    throw InvalidArgument(fmt::format(
        "--methods '{}': unknown method '{}'; expected kde, gistar, counts or last", text, name));
  bool has_radius = false;
  bool has_kernel = false;
  bool has_band = false;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::size_t eq = parts[i].find('=');
    if (eq == std::string_view::npos || eq == 0)
      throw InvalidArgument(fmt::format("--methods '{}': '{}' is not KEY=VALUE", text, parts[i]));
    const std::string_view key = parts[i].substr(0, eq);
    const std::string_view value = parts[i].substr(eq + 1);
    bool* seen = nullptr;
    if (spec.kind == MethodKind::kde && key == "radius") {
      seen = &has_radius;
      spec.radius_m = parse_positive(text, key, value);
    } else if (spec.kind == MethodKind::kde && key == "kernel") {
      seen = &has_kernel;
      try {
        spec.kernel = parse_kernel(value);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(fmt::format("--methods '{}': {}", text, e.what()));
      }
    } else if (spec.kind == MethodKind::gistar && key == "band") {
      seen = &has_band;
      spec.band_m = parse_positive(text, key, value);
    } else {
      const char* keys = spec.kind == MethodKind::kde      ? "radius and kernel"
                         : spec.kind == MethodKind::gistar ? "band"
                                                           : "none";
      throw InvalidArgument(
          fmt::format("--methods '{}': unknown key '{}' for {} (keys: {})", text, key, name, keys));
    }
    if (*seen) throw InvalidArgument(fmt::format("--methods '{}': '{}' given twice", text, key));
    *seen = true;
  }
  if (spec.kind == MethodKind::kde && !has_radius)
    throw InvalidArgument(
        fmt::format("--methods '{}': kde needs a radius, e.g. kde:radius=250", text));
  return spec;
}

std::vector<MethodSpec> parse_method_specs(std::string_view text) {
  std::vector<MethodSpec> specs;
  for (const std::string_view part : split(text, ',')) {
    if (part.empty())
      throw InvalidArgument(fmt::format("--methods '{}': empty method in the list", text));
    specs.push_back(parse_method_spec(part));
    for (std::size_t i = 0; i + 1 < specs.size(); ++i)
      if (specs[i].label() == specs.back().label())
        throw InvalidArgument(fmt::format("--methods: '{}' is given twice", specs.back().label()));
  }
  return specs;
}

std::vector<Origin> rolling_origins(std::int32_t first_month, std::int32_t last_month,
                                    int train_months, int test_months, int step_months) {
  if (train_months < 1) throw InvalidArgument("--train must be at least 1 month");
  if (test_months < 1) throw InvalidArgument("--test must be at least 1 month");
  if (step_months < 1) throw InvalidArgument("--step must be at least 1 month");
  std::vector<Origin> origins;
  for (std::int32_t o = first_month + train_months; o + test_months - 1 <= last_month;
       o += step_months)
    origins.push_back({o, o - train_months, o - 1, o, o + test_months - 1});
  return origins;
}

std::int64_t hot_cell_count(double area_percent, std::int64_t study_cells) {
  if (!(area_percent > 0 && area_percent <= 100))
    throw InvalidArgument(
        fmt::format("--area-percent {}: must be above 0 and at most 100", area_percent));
  if (study_cells < 1) throw InvalidArgument("the study area holds no cell");
  const auto k = static_cast<std::int64_t>(
      std::floor(area_percent / 100.0 * static_cast<double>(study_cells) + 0.5));
  return std::clamp<std::int64_t>(k, 1, study_cells);
}

namespace {

/// The order of rank_cells(): score descending, NaN last, ties by position. A strict total order,
/// so partial sorts give the same first k as a full sort.
struct ScoreOrder {
  const std::vector<double>& scores;
  bool operator()(std::int64_t a, std::int64_t b) const {
    const double sa = scores[static_cast<std::size_t>(a)];
    const double sb = scores[static_cast<std::size_t>(b)];
    const bool na = std::isnan(sa);
    const bool nb = std::isnan(sb);
    if (na != nb) return nb;  // NaN last
    if (!na && sa != sb) return sa > sb;
    return a < b;
  }
};

/// The first k positions of rank_cells(scores), in order: O(n + k log k) instead of a full sort
/// (the hot areas are a few per cent of the cells).
std::vector<std::int64_t> top_cells(const std::vector<double>& scores, std::int64_t k) {
  std::vector<std::int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::int64_t{0});
  const ScoreOrder less{scores};
  const auto kth = order.begin() + k;
  if (kth != order.end()) std::nth_element(order.begin(), kth, order.end(), less);
  order.resize(static_cast<std::size_t>(k));
  std::sort(order.begin(), order.end(), less);
  return order;
}

}  // namespace

std::vector<std::int64_t> rank_cells(const std::vector<double>& scores) {
  return top_cells(scores, static_cast<std::int64_t>(scores.size()));
}

std::vector<AreaScore> score_hot_areas(const std::vector<double>& scores,
                                       const std::vector<double>& test_counts,
                                       const std::vector<double>& train_counts,
                                       const std::vector<double>& area_percents) {
  const std::size_t n = scores.size();
  if (test_counts.size() != n || train_counts.size() != n)
    throw InvalidArgument(fmt::format("score_hot_areas: {} scores, {} test and {} train counts", n,
                                      test_counts.size(), train_counts.size()));
  if (n == 0) throw InvalidArgument("score_hot_areas: no cell");
  const auto cells = static_cast<std::int64_t>(n);
  std::int64_t k_max = 1;
  for (const double p : area_percents) k_max = std::max(k_max, hot_cell_count(p, cells));
  const auto order = top_cells(scores, k_max);
  // The best possible hot area of k cells holds the k largest test counts.
  std::vector<double> best = test_counts;
  const auto kth = best.begin() + k_max;
  if (kth != best.end()) std::nth_element(best.begin(), kth, best.end(), std::greater<>());
  std::sort(best.begin(), kth, std::greater<>());
  const double total_test = sum(test_counts);
  const double total_train = sum(train_counts);

  std::vector<AreaScore> out;
  for (const double p : area_percents) {
    AreaScore s;
    s.area_percent = p;
    s.hot_cells = hot_cell_count(p, cells);
    for (std::int64_t i = 0; i < s.hot_cells; ++i) {
      const auto c = static_cast<std::size_t>(order[static_cast<std::size_t>(i)]);
      s.test_hits += test_counts[c];
      s.train_hits += train_counts[c];
      s.best_hits += best[static_cast<std::size_t>(i)];
    }
    const double share = static_cast<double>(s.hot_cells) / static_cast<double>(cells);
    s.hit_rate = total_test > 0 ? s.test_hits / total_test : kNaN;
    s.pai = s.hit_rate / share;
    s.pei = s.best_hits > 0 ? s.test_hits / s.best_hits : kNaN;
    s.rri = s.train_hits > 0 && total_train > 0 && total_test > 0
                ? (s.test_hits / s.train_hits) / (total_test / total_train)
                : kNaN;
    out.push_back(s);
  }
  return out;
}

void EvaluateOptions::validate() const {
  if (methods.empty()) throw InvalidArgument("--methods: give at least one method");
  std::ignore = rolling_origins(0, 0, train_months, test_months, step_months);
  if (area_percents.empty()) throw InvalidArgument("--area-percent: give at least one share");
  for (std::size_t i = 0; i < area_percents.size(); ++i) {
    std::ignore = hot_cell_count(area_percents[i], 1);
    for (std::size_t j = 0; j < i; ++j)
      if (area_percents[j] == area_percents[i])
        throw InvalidArgument(fmt::format("--area-percent {} is given twice", area_percents[i]));
  }
  for (const auto& m : methods) {
    if (m.kind == MethodKind::kde && !(m.radius_m > 0 && std::isfinite(m.radius_m)))
      throw InvalidArgument(fmt::format("--methods {}: radius must be positive", m.label()));
    if (m.kind == MethodKind::gistar && !(m.band_m >= 0 && std::isfinite(m.band_m)))
      throw InvalidArgument(fmt::format("--methods {}: band must be positive", m.label()));
  }
}

EvaluateResult evaluate_methods(const Incidents& incidents, const GridSpec& grid,
                                const CellMask* mask, const EvaluateOptions& options,
                                const EvaluateProgress& progress) {
  options.validate();
  if (mask != nullptr &&
      (mask->grid != grid || mask->inside.size() != static_cast<std::size_t>(grid.cell_count())))
    throw InvalidArgument("evaluate: the mask is on another grid");
  for (const auto& m : options.methods)
    if (m.kind == MethodKind::gistar && m.band_m > 0 && m.band_m < grid.cell_size_m)
      throw InvalidArgument(fmt::format(
          "--methods {}: the band is shorter than the cell size {} m, so no cell would have a "
          "neighbour",
          m.label(), grid.cell_size_m));

  // Study-area cells, in row-major order: position p ↔ grid cell cells[p].
  std::vector<std::int64_t> cells;
  std::vector<std::int64_t> position(static_cast<std::size_t>(grid.cell_count()), -1);
  for (std::int64_t i = 0; i < grid.cell_count(); ++i)
    if (mask == nullptr || mask->inside[static_cast<std::size_t>(i)] != 0) {
      position[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(cells.size());
      cells.push_back(i);
    }
  EvaluateResult result;
  result.study_cells = static_cast<std::int64_t>(cells.size());
  if (cells.size() < 2) throw Error("evaluate: the study area holds fewer than 2 cells");

  // Which incidents are used, and the months they span.
  std::int32_t first = std::numeric_limits<std::int32_t>::max();
  std::int32_t last = std::numeric_limits<std::int32_t>::min();
  std::vector<std::int64_t> pos_of(incidents.size(), -1);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    if (!incidents.date[i].has_month()) {
      result.undated_weight += incidents.weight[i];
      continue;
    }
    const std::int64_t r = grid.row_of(incidents.y[i]);
    const std::int64_t c = grid.col_of(incidents.x[i]);
    const std::int64_t p =
        grid.contains_cell(r, c) ? position[static_cast<std::size_t>(grid.index(r, c))] : -1;
    if (p < 0) {
      result.outside_weight += incidents.weight[i];
      continue;
    }
    pos_of[i] = p;
    first = std::min(first, incidents.date[i].month_index);
    last = std::max(last, incidents.date[i].month_index);
  }
  if (first > last) throw Error("evaluate: no incident with a month lies in the study area");
  result.first_month = first;
  result.last_month = last;

  // Bin every month once.
  std::vector<MonthBins> months(static_cast<std::size_t>(last - first + 1));
  {
    std::vector<std::vector<std::size_t>> members(months.size());
    for (std::size_t i = 0; i < incidents.size(); ++i)
      if (pos_of[i] >= 0)
        members[static_cast<std::size_t>(incidents.date[i].month_index - first)].push_back(i);
    tbb::parallel_for(std::size_t{0}, months.size(), [&](std::size_t m) {
      auto& ids = members[m];
      MonthBins& b = months[m];
      b.incidents = static_cast<std::int64_t>(ids.size());
      std::sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t c) {
        return std::tie(pos_of[a], a) < std::tie(pos_of[c], c);
      });
      for (const std::size_t i : ids) {
        if (b.cells.empty() || b.cells.back().first != pos_of[i])
          b.cells.emplace_back(pos_of[i], 0.0);
        b.cells.back().second += incidents.weight[i];
      }
      std::sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t c) {
        return std::tie(incidents.x[a], incidents.y[a], a) <
               std::tie(incidents.x[c], incidents.y[c], c);
      });
      for (const std::size_t i : ids) {
        if (b.x.empty() || b.x.back() != incidents.x[i] || b.y.back() != incidents.y[i]) {
          b.x.push_back(incidents.x[i]);
          b.y.push_back(incidents.y[i]);
          b.w.push_back(0.0);
        }
        b.w.back() += incidents.weight[i];
      }
    });
  }

  // Origins whose windows all hold incidents.
  for (const Origin& o : rolling_origins(first, last, options.train_months, options.test_months,
                                         options.step_months)) {
    bool complete = true;
    for (std::int32_t m = o.train_first; m <= o.test_last; ++m)
      complete = complete && months[static_cast<std::size_t>(m - first)].incidents > 0;
    (complete ? result.origins : result.skipped).push_back(o);
  }
  if (result.origins.empty())
    throw Error(fmt::format(
        "evaluate: no origin fits: the data span {} to {} ({} months){}; a backtest needs "
        "--train + --test = {} consecutive months with incidents",
        month_to_string(first), month_to_string(last), last - first + 1,
        result.skipped.empty() ? "" : " with gaps", options.train_months + options.test_months));

  const std::size_t n = cells.size();
  const std::size_t n_methods = options.methods.size();
  const std::size_t n_areas = options.area_percents.size();
  const std::size_t tasks = result.origins.size() * n_methods;
  result.rows.resize(tasks * n_areas);
  std::mutex progress_mutex;
  std::size_t done = 0;

  // Parallel over origins; an origin's window counts are formed once and shared by its methods
  // (KDE and Gi* are parallel inside). Every fit writes to its own rows.
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, result.origins.size(), 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t oi = r.begin(); oi != r.end(); ++oi) {
          const Origin& o = result.origins[oi];
          const auto train = window_counts(months, first, o.train_first, o.train_last, n);
          const auto test = window_counts(months, first, o.test_first, o.test_last, n);
          const double n_test = sum(test);
          const double n_train = sum(train);
          for (std::size_t mi = 0; mi < n_methods; ++mi) {
            const MethodSpec& method = options.methods[mi];
            std::vector<double> scores;
            switch (method.kind) {
              case MethodKind::counts:
                scores = train;
                break;
              case MethodKind::last:
                // The last --test months, within the training window (all of it when
                // --test > --train: earlier months may not exist).
                scores = window_counts(months, first,
                                       std::max(o.origin - options.test_months, o.train_first),
                                       o.origin - 1, n);
                break;
              case MethodKind::kde: {
                WeightedPoints points;
                for (std::int32_t m = o.train_first; m <= o.train_last; ++m) {
                  const MonthBins& b = months[static_cast<std::size_t>(m - first)];
                  points.x.insert(points.x.end(), b.x.begin(), b.x.end());
                  points.y.insert(points.y.end(), b.y.begin(), b.y.end());
                  points.w.insert(points.w.end(), b.w.begin(), b.w.end());
                }
                KdeOptions kde;
                kde.kernel = method.kernel;
                kde.radius_m = method.radius_m;
                kde.output = OutputValue::count;
                const Raster surface = estimate_density(points, grid, kde, mask);
                scores.resize(n);
                for (std::size_t p = 0; p < n; ++p)
                  scores[p] = surface.values[static_cast<std::size_t>(cells[p])];
                break;
              }
              case MethodKind::gistar: {
                Raster counts(grid, Raster::nodata());
                for (std::size_t p = 0; p < n; ++p)
                  counts.values[static_cast<std::size_t>(cells[p])] = train[p];
                const double band =
                    method.band_m > 0 ? method.band_m : kDefaultBandCells * grid.cell_size_m;
                const GiStarResult gi = gistar_grid(counts, band);
                scores.resize(n);
                for (std::size_t p = 0; p < n; ++p)
                  scores[p] = gi.z[static_cast<std::size_t>(cells[p])];
                break;
              }
            }
            const auto area = score_hot_areas(scores, test, train, options.area_percents);
            const std::size_t t = oi * n_methods + mi;
            for (std::size_t a = 0; a < n_areas; ++a)
              result.rows[t * n_areas + a] = ScoreRow{oi, mi, n_test, n_train, area[a]};
            if (progress) {
              const std::lock_guard lock(progress_mutex);
              progress(++done, tasks);
            }
          }
        }
      });
  return result;
}

std::vector<ScoreSummary> summarise_scores(const EvaluateResult& result, std::size_t method_count,
                                           const std::vector<double>& area_percents) {
  const std::size_t n_areas = area_percents.size();
  std::vector<ScoreSummary> out(method_count * n_areas);
  for (std::size_t m = 0; m < method_count; ++m)
    for (std::size_t a = 0; a < n_areas; ++a) {
      out[m * n_areas + a].method = m;
      out[m * n_areas + a].area_percent = area_percents[a];
    }
  // Rows are origin-major, then method, then area share (see EvaluateResult::rows).
  auto row = [&](std::size_t o, std::size_t m, std::size_t a) -> const ScoreRow& {
    return result.rows[(o * method_count + m) * n_areas + a];
  };
  for (std::size_t m = 0; m < method_count; ++m)
    for (std::size_t a = 0; a < n_areas; ++a) {
      ScoreSummary& s = out[m * n_areas + a];
      std::vector<double> pai;
      double hit = 0, pei = 0, rri = 0;
      std::size_t n_rri = 0;
      s.min_pai = kNaN;
      s.max_pai = kNaN;
      for (std::size_t o = 0; o < result.origins.size(); ++o) {
        const AreaScore& sc = row(o, m, a).score;
        if (std::isnan(sc.pai)) continue;
        pai.push_back(sc.pai);
        hit += sc.hit_rate;
        pei += std::isnan(sc.pei) ? 0.0 : sc.pei;
        if (!std::isnan(sc.rri)) {
          rri += sc.rri;
          ++n_rri;
        }
      }
      s.origins = pai.size();
      const double k = static_cast<double>(pai.size());
      s.mean_hit_rate = pai.empty() ? kNaN : hit / k;
      s.mean_pai = pai.empty() ? kNaN : sum(pai) / k;
      s.mean_pei = pai.empty() ? kNaN : pei / k;
      s.mean_rri = n_rri == 0 ? kNaN : rri / static_cast<double>(n_rri);
      double ss = 0;
      for (const double v : pai) ss += (v - s.mean_pai) * (v - s.mean_pai);
      s.sd_pai = pai.size() > 1 ? std::sqrt(ss / (k - 1)) : kNaN;
      if (!pai.empty()) {
        s.min_pai = *std::min_element(pai.begin(), pai.end());
        s.max_pai = *std::max_element(pai.begin(), pai.end());
      }
    }
  for (std::size_t o = 0; o < result.origins.size(); ++o)
    for (std::size_t a = 0; a < n_areas; ++a) {
      std::size_t best = method_count;
      for (std::size_t m = 0; m < method_count; ++m) {
        const double p = row(o, m, a).score.pai;
        if (!std::isnan(p) && (best == method_count || p > row(o, best, a).score.pai)) best = m;
      }
      if (best < method_count) ++out[best * n_areas + a].wins;
    }
  return out;
}

}  // namespace hotspots
