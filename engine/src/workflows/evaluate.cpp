// SPDX-License-Identifier: MIT
#include "hotspots/workflows/evaluate.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <tuple>
#include <variant>

#include "hotspots/core/error.hpp"
#include "hotspots/core/period.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// "methods[2] 'kde:radius=0'": the field of a method, for messages.
std::string method_field(std::size_t index, const MethodSpec& spec) {
  return fmt::format("methods[{}] '{}'", index, spec.label());
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

double sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

std::string MethodSpec::label() const {
  return std::visit([](const auto& m) { return m.label(); }, method);
}

std::string method_names() {
  std::string out;
  std::size_t i = 0;
  for_each_type(MethodList{}, [&]<class M>() {
    out += i == 0 ? "" : i + 1 < MethodList::size ? ", " : " or ";
    out += M::name;
    ++i;
  });
  return out;
}

namespace {

/// "radius and kernel", "band", "none": a method's keys for messages.
template <class M>
std::string key_names() {
  if (M::keys.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < M::keys.size(); ++i) {
    out += i == 0 ? "" : i + 1 < M::keys.size() ? ", " : " and ";
    out += M::keys[i];
  }
  return out;
}

/// NAME[:KEY=VALUE]... into the method of MethodList called NAME; `where` starts every message.
template <class M>
M parse_method(const std::vector<std::string_view>& parts, std::string_view where) {
  M method;
  std::vector<std::string_view> seen;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::size_t eq = parts[i].find('=');
    if (eq == std::string_view::npos || eq == 0)
      throw InvalidArgument(fmt::format("{}: '{}' is not KEY=VALUE", where, parts[i]));
    const std::string_view key = parts[i].substr(0, eq);
    if (std::find(M::keys.begin(), M::keys.end(), key) == M::keys.end())
      throw InvalidArgument(fmt::format("{}: unknown key '{}' for {} (keys: {})", where, key,
                                        M::name, key_names<M>()));
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      throw InvalidArgument(fmt::format("{}: '{}' given twice", where, key));
    seen.push_back(key);
    method.set(key, parts[i].substr(eq + 1), where);
  }
  method.validate(where);
  return method;
}

MethodSpec parse_method_at(std::string_view text, std::string_view where) {
  const auto parts = split(text, ':');
  std::optional<MethodSpec> spec;
  for_each_type(MethodList{}, [&]<class M>() {
    if (!spec && parts[0] == M::name) spec = MethodSpec{parse_method<M>(parts, where)};
  });
  if (!spec)
    throw InvalidArgument(
        fmt::format("{}: unknown method '{}'; expected {}", where, parts[0], method_names()));
  return *spec;
}

}  // namespace

MethodSpec parse_method_spec(std::string_view text) {
  return parse_method_at(text, fmt::format("method '{}'", text));
}

std::vector<MethodSpec> parse_method_specs(std::string_view text) {
  std::vector<MethodSpec> specs;
  for (const std::string_view part : split(text, ',')) {
    if (part.empty())
      throw InvalidArgument(fmt::format("methods '{}': empty method in the list", text));
    specs.push_back(parse_method_at(part, fmt::format("methods[{}] '{}'", specs.size(), part)));
    for (std::size_t i = 0; i + 1 < specs.size(); ++i)
      if (specs[i].label() == specs.back().label())
        throw InvalidArgument(fmt::format("methods[{}]: '{}' is given twice", specs.size() - 1,
                                          specs.back().label()));
  }
  return specs;
}

std::vector<Origin> rolling_origins(std::int32_t first_month, std::int32_t last_month,
                                    int train_months, int test_months, int step_months) {
  if (train_months < 1) throw InvalidArgument("train_months must be at least 1 month");
  if (test_months < 1) throw InvalidArgument("test_months must be at least 1 month");
  if (step_months < 1) throw InvalidArgument("step_months must be at least 1 month");
  std::vector<Origin> origins;
  for (std::int32_t o = first_month + train_months; o + test_months - 1 <= last_month;
       o += step_months) {
    // The test window starts at the origin; the training window is the months just before it.
    const Period test{o, o + test_months - 1};
    const Period train = Period::ending_before(o, train_months);
    origins.push_back({o, train.first, train.last, test.first, test.last});
  }
  return origins;
}

std::int64_t hot_cell_count(double area_percent, std::int64_t study_cells) {
  if (!(area_percent > 0 && area_percent <= 100))
    throw InvalidArgument(
        fmt::format("area_percent {}: must be above 0 and at most 100", area_percent));
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
  if (methods.empty()) throw InvalidArgument("methods: give at least one method");
  std::ignore = rolling_origins(0, 0, train_months, test_months, step_months);
  if (area_percents.empty()) throw InvalidArgument("area_percents: give at least one share");
  for (std::size_t i = 0; i < area_percents.size(); ++i) {
    const double p = area_percents[i];
    if (!(p > 0 && p <= 100))
      throw InvalidArgument(
          fmt::format("area_percents[{}] {}: must be above 0 and at most 100", i, p));
    for (std::size_t j = 0; j < i; ++j)
      if (area_percents[j] == p)
        throw InvalidArgument(fmt::format("area_percents[{}] {} is given twice", i, p));
  }
  for (std::size_t i = 0; i < methods.size(); ++i)
    std::visit([&](const auto& m) { m.validate(method_field(i, methods[i])); }, methods[i].method);
}

EvaluateResult evaluate_methods(const Incidents& incidents, const GridSpec& grid,
                                const CellMask* mask, const EvaluateOptions& options,
                                const Progress& progress) {
  options.validate();
  if (mask != nullptr &&
      (mask->grid != grid || mask->inside.size() != static_cast<std::size_t>(grid.cell_count())))
    throw InvalidArgument("evaluate: the mask is on another grid");
  for (std::size_t i = 0; i < options.methods.size(); ++i)
    std::visit(
        [&](const auto& m) {
          if constexpr (requires { m.check_grid(grid, std::string_view{}); })
            m.check_grid(grid, method_field(i, options.methods[i]));
        },
        options.methods[i].method);

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
  BinnedMonths binned{first, std::vector<MonthBins>(static_cast<std::size_t>(last - first + 1)),
                      cells.size()};
  std::vector<MonthBins>& months = binned.months;
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
        "train_months + test_months = {} consecutive months with incidents",
        month_to_string(first), month_to_string(last), last - first + 1,
        result.skipped.empty() ? "" : " with gaps", options.train_months + options.test_months));

  const std::size_t n_methods = options.methods.size();
  const std::size_t n_areas = options.area_percents.size();
  const std::size_t tasks = result.origins.size() * n_methods;
  result.rows.resize(tasks * n_areas);
  std::mutex progress_mutex;
  std::size_t done = 0;
  ProgressPhase phase(progress, "fitting and scoring", tasks);

  // Parallel over origins; an origin's window counts are formed once and shared by its methods
  // (KDE and Gi* are parallel inside). Every fit writes to its own rows.
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, result.origins.size(), 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t oi = r.begin(); oi != r.end(); ++oi) {
          const Origin& o = result.origins[oi];
          const auto train = binned.counts(o.train());
          const auto test = binned.counts(o.test());
          const double n_test = sum(test);
          const double n_train = sum(train);
          const MethodInput input{
              grid, mask, cells, binned, o.origin, o.train(), options.test_months, train};
          for (std::size_t mi = 0; mi < n_methods; ++mi) {
            const std::vector<double> scores = std::visit(
                [&](const auto& m) { return m.scores(input); }, options.methods[mi].method);
            const auto area = score_hot_areas(scores, test, train, options.area_percents);
            const std::size_t t = oi * n_methods + mi;
            for (std::size_t a = 0; a < n_areas; ++a)
              result.rows[t * n_areas + a] = ScoreRow{oi, mi, n_test, n_train, area[a]};
            if (progress) {
              const std::lock_guard lock(progress_mutex);
              phase.advance(++done);
            }
          }
        }
      });
  phase.finish();
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
