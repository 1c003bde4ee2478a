// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/hot_areas_by_force.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

// The rows and columns of `whole` whose cells lie within `reach` metres of the points' box.
GridSpec window_of(const GridSpec& whole, const std::vector<double>& x,
                   const std::vector<double>& y, double reach) {
  double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin;
  double ymin = xmin, ymax = -xmin;
  for (std::size_t i = 0; i < x.size(); ++i) {
    xmin = std::min(xmin, x[i]);
    xmax = std::max(xmax, x[i]);
    ymin = std::min(ymin, y[i]);
    ymax = std::max(ymax, y[i]);
  }
  const std::int64_t c0 = std::max<std::int64_t>(0, whole.col_of(xmin - reach));
  const std::int64_t c1 = std::min<std::int64_t>(whole.cols - 1, whole.col_of(xmax + reach));
  const std::int64_t r0 = std::max<std::int64_t>(0, whole.row_of(ymax + reach));
  const std::int64_t r1 = std::min<std::int64_t>(whole.rows - 1, whole.row_of(ymin - reach));
  GridSpec w;
  w.cell_size_m = whole.cell_size_m;
  if (c1 < c0 || r1 < r0) return w;  // no cell: cols = rows = 0
  // Offsets by whole cells keep the window's cells those of the whole grid (same edges).
  w.xmin = whole.xmin + static_cast<double>(c0) * whole.cell_size_m;
  w.ymax = whole.ymax - static_cast<double>(r0) * whole.cell_size_m;
  w.cols = c1 - c0 + 1;
  w.rows = r1 - r0 + 1;
  return w;
}

// Incident indices bucketed on a coarse square lattice, so that a force's window finds the
// incidents of other forces near it without scanning every incident.
class Buckets {
 public:
  Buckets(const Incidents& in, double size_m) : size_(size_m) {
    for (std::size_t i = 0; i < in.size(); ++i) box_.include(in.x[i], in.y[i]);
    if (in.size() == 0) return;
    cols_ = 1 + static_cast<std::int64_t>((box_.xmax - box_.xmin) / size_);
    rows_ = 1 + static_cast<std::int64_t>((box_.ymax - box_.ymin) / size_);
    start_.assign(static_cast<std::size_t>(cols_ * rows_ + 1), 0);
    std::vector<std::int64_t> cell(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      cell[i] = index(in.x[i], in.y[i]);
      ++start_[static_cast<std::size_t>(cell[i]) + 1];
    }
    for (std::size_t b = 1; b < start_.size(); ++b) start_[b] += start_[b - 1];
    members_.resize(in.size());
    std::vector<std::size_t> fill(start_.begin(), start_.end() - 1);
    for (std::size_t i = 0; i < in.size(); ++i)
      members_[fill[static_cast<std::size_t>(cell[i])]++] = i;
  }
  // Appends the incidents of every bucket that meets `e` (a superset of those inside it).
  void collect(const Extent& e, std::vector<std::size_t>& out) const {
    if (members_.empty() || e.xmax < box_.xmin || e.xmin > box_.xmax || e.ymax < box_.ymin ||
        e.ymin > box_.ymax)
      return;
    const std::int64_t c0 = col(e.xmin), c1 = col(e.xmax), r0 = row(e.ymin), r1 = row(e.ymax);
    for (std::int64_t r = r0; r <= r1; ++r)
      for (std::int64_t c = c0; c <= c1; ++c) {
        const auto b = static_cast<std::size_t>(r * cols_ + c);
        out.insert(out.end(), members_.begin() + static_cast<std::ptrdiff_t>(start_[b]),
                   members_.begin() + static_cast<std::ptrdiff_t>(start_[b + 1]));
      }
  }

 private:
  std::int64_t col(double x) const {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>((x - box_.xmin) / size_), 0,
                                    cols_ - 1);
  }
  std::int64_t row(double y) const {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>((y - box_.ymin) / size_), 0,
                                    rows_ - 1);
  }
  std::int64_t index(double x, double y) const { return row(y) * cols_ + col(x); }

  double size_;
  Extent box_;
  std::int64_t cols_ = 0, rows_ = 0;
  std::vector<std::size_t> start_;
  std::vector<std::size_t> members_;
};

}  // namespace

std::size_t forces_present(const Incidents& incidents) {
  std::vector<bool> seen(incidents.force_keys.size(), false);
  std::size_t n = 0;
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const std::int16_t f = incidents.force_of(i);
    if (f >= 0 && !seen[static_cast<std::size_t>(f)]) {
      seen[static_cast<std::size_t>(f)] = true;
      ++n;
    }
  }
  return n;
}

namespace {

// A force's incidents split into groups far enough apart (no two incidents of different groups
// within 4 radii, so no cell is within one radius of two groups and no hot region spans two):
// the occupied squares of a 4-radius lattice, joined with their 8 neighbours. A force's window
// is then the union of its groups' tight windows, not the box of its farthest incidents (police.uk
// forces hold a few incidents mapped far away, which would make that box a national one).
std::vector<std::vector<std::size_t>> spatial_groups(const Incidents& in,
                                                     const std::vector<std::size_t>& own,
                                                     double size_m) {
  using Key = std::pair<std::int64_t, std::int64_t>;
  std::map<Key, std::vector<std::size_t>> squares;
  for (std::size_t i : own)
    squares[{static_cast<std::int64_t>(std::floor(in.x[i] / size_m)),
             static_cast<std::int64_t>(std::floor(in.y[i] / size_m))}]
        .push_back(i);
  std::map<Key, int> group;
  std::vector<std::vector<std::size_t>> out;
  for (const auto& [start, unused] : squares) {
    if (group.count(start)) continue;
    const int g = static_cast<int>(out.size());
    out.emplace_back();
    std::vector<Key> stack{start};
    group[start] = g;
    while (!stack.empty()) {
      const Key k = stack.back();
      stack.pop_back();
      const auto& members = squares.at(k);
      out[static_cast<std::size_t>(g)].insert(out[static_cast<std::size_t>(g)].end(),
                                              members.begin(), members.end());
      for (std::int64_t dx = -1; dx <= 1; ++dx)
        for (std::int64_t dy = -1; dy <= 1; ++dy) {
          const Key n{k.first + dx, k.second + dy};
          if (squares.count(n) && !group.count(n)) {
            group[n] = g;
            stack.push_back(n);
          }
        }
    }
  }
  for (auto& members : out) std::sort(members.begin(), members.end());  // input order
  return out;
}

// One group's window, its own points, the cells it ranks and the surface there.
struct GroupSurface {
  GridSpec grid;
  WeightedPoints own;
  CellMask ranked;
  Raster surface;
  std::int64_t row0 = 0, col0 = 0;  // the window's first row and column in the whole grid
};

}  // namespace

std::vector<ForceHotAreas> hot_areas_by_force(const Incidents& incidents, const GridSpec& whole,
                                              const ForceHotAreasOptions& options,
                                              const Progress& progress) {
  options.kde.validate();
  if (options.kde.output != OutputValue::density)
    throw InvalidArgument("hot_areas_by_force: kde.output must be density");
  const double h = options.kde.radius_m;
  if (!(h > whole.cell_size_m))
    throw InvalidArgument("hot_areas_by_force: kde.radius_m must be larger than a cell");
  const std::size_t forces = incidents.force_keys.size();
  // Incidents of each force (index forces = "unknown").
  std::vector<std::vector<std::size_t>> members(forces + 1);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const std::int16_t f = incidents.force_of(i);
    members[f >= 0 ? static_cast<std::size_t>(f) : forces].push_back(i);
  }
  // Buckets of ten radii: a window's neighbourhood is a few of them.
  const Buckets buckets(incidents, 10 * h);
  const HotRule rule =
      options.rule == HotRule::top_percent_near_data ? HotRule::top_percent : options.rule;
  std::vector<ForceHotAreas> out;
  ProgressPhase phase(progress, "hotspots force by force", incidents.size());
  std::size_t done = 0;
  for (std::size_t f = 0; f <= forces; ++f) {
    const auto& own = members[f];
    if (own.empty()) continue;
    done += own.size();
    ForceHotAreas r;
    r.force = f < forces ? incidents.force_keys[f] : "unknown";
    r.incidents = static_cast<std::int64_t>(own.size());
    for (std::size_t i : own) r.weight += incidents.weight[i];
    // Pass 1: each group's surface over the cells it ranks, and all their values.
    std::vector<GroupSurface> groups;
    std::vector<double> ranked_values;
    for (const auto& group : spatial_groups(incidents, own, 4 * h)) {
      GroupSurface g;
      for (std::size_t i : group) {
        g.own.x.push_back(incidents.x[i]);
        g.own.y.push_back(incidents.y[i]);
        g.own.w.push_back(incidents.weight[i]);
      }
      g.grid = window_of(whole, g.own.x, g.own.y, h);
      if (g.grid.cell_count() == 0) continue;
      g.col0 =
          static_cast<std::int64_t>(std::llround((g.grid.xmin - whole.xmin) / whole.cell_size_m));
      g.row0 =
          static_cast<std::int64_t>(std::llround((whole.ymax - g.grid.ymax) / whole.cell_size_m));
      // The ranked cells: within one radius of an own incident (the kernel is 0 beyond it).
      g.ranked.grid = g.grid;
      {
        const Raster near = estimate_density(g.own, g.grid, options.kde);
        g.ranked.inside.resize(near.values.size());
        for (std::size_t c = 0; c < near.values.size(); ++c)
          g.ranked.inside[c] = near.values[c] > 0 ? 1 : 0;
      }
      // Every other force's incident within reach of a ranked cell is smoothed as well (in input
      // order after the group's own, as with_edge_points orders a study area's edge incidents).
      std::vector<std::size_t> candidates;
      buckets.collect(g.grid.extent().grown(h), candidates);
      std::sort(candidates.begin(), candidates.end());
      WeightedPoints others;
      for (std::size_t i : candidates) {
        const std::int16_t fi = incidents.force_of(i);
        if ((fi >= 0 ? static_cast<std::size_t>(fi) : forces) == f) continue;
        others.x.push_back(incidents.x[i]);
        others.y.push_back(incidents.y[i]);
        others.w.push_back(incidents.weight[i]);
      }
      const auto reach = within_reach_of_cells(others.x, others.y, g.grid, &g.ranked, h);
      WeightedPoints smoothing = g.own;
      for (std::size_t k = 0; k < reach.size(); ++k) {
        if (!reach[k]) continue;
        smoothing.x.push_back(others.x[k]);
        smoothing.y.push_back(others.y[k]);
        smoothing.w.push_back(others.w[k]);
        ++r.edge_incidents;
      }
      g.surface = estimate_density(smoothing, g.grid, options.kde, &g.ranked);
      for (std::size_t c = 0; c < g.surface.values.size(); ++c)
        if (g.ranked.inside[c]) ranked_values.push_back(g.surface.values[c]);
      groups.push_back(std::move(g));
    }
    r.ranked_cells = static_cast<std::int64_t>(ranked_values.size());
    // The rule over all the force's ranked cells at once (it depends on their values only).
    Raster flat(GridSpec{0.0, 1.0, 1.0, static_cast<std::int64_t>(ranked_values.size()), 1});
    flat.values = std::move(ranked_values);
    const auto flat_hot = r.ranked_cells > 0 ? select_hot_cells(flat, rule, options.parameter)
                                             : std::vector<std::uint8_t>{};
    // Pass 2: each group's hot cells, regions and areas; ranked together.
    struct Keyed {
      HotArea area;
      std::int64_t first_cell;  // whole-grid row-major index of the area's first cell
    };
    std::vector<Keyed> keyed;
    std::size_t at = 0;
    for (GroupSurface& g : groups) {
      std::vector<std::uint8_t> hot(g.surface.values.size(), 0);
      for (std::size_t c = 0; c < hot.size(); ++c)
        if (g.ranked.inside[c]) hot[c] = flat_hot[at++];
      r.hot_cells += std::count(hot.begin(), hot.end(), std::uint8_t{1});
      const CellRegions regions = label_regions(g.grid, hot, options.connectivity);
      for (HotArea& a : summarise_hot_areas(g.surface, regions, g.own.x, g.own.y, g.own.w,
                                            r.ranked_cells, r.weight)) {
        const std::int64_t first = a.cell_indices.front();
        const std::int64_t whole_index =
            (g.row0 + first / g.grid.cols) * whole.cols + g.col0 + first % g.grid.cols;
        a.cell_indices.clear();  // not needed past here; can be large
        keyed.push_back({std::move(a), whole_index});
      }
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
      return std::make_tuple(-a.area.incidents, -a.area.peak_value, a.first_cell) <
             std::make_tuple(-b.area.incidents, -b.area.peak_value, b.first_cell);
    });
    for (std::size_t k = 0; k < keyed.size(); ++k) {
      keyed[k].area.rank = static_cast<int>(k + 1);
      r.areas.push_back(std::move(keyed[k].area));
    }
    r.groups = static_cast<std::int64_t>(groups.size());
    for (const GroupSurface& g : groups) r.window_cells += g.grid.cell_count();
    out.push_back(std::move(r));
    phase.advance(done);
  }
  phase.finish();
  return out;
}

}  // namespace hotspots
