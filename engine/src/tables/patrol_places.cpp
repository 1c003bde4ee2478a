// SPDX-License-Identifier: MIT
#include "hotspots/tables/patrol_places.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <optional>
#include <queue>
#include <unordered_map>

#include "detail/text.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/hotspots/cell_regions.hpp"

namespace hotspots {

std::vector<std::string> default_recording_names() {
  return {"hospital", "infirmary", "a&e", "police station", "custody"};
}

std::string to_string(PatrolShape shape) {
  return shape == PatrolShape::cells ? "cells" : "circle";
}

PatrolShape parse_patrol_shape(std::string_view name) {
  if (name == "cells") return PatrolShape::cells;
  if (name == "circle") return PatrolShape::circle;
  throw InvalidArgument(
      fmt::format("patrol shape '{}' is not one of: cells, circle", std::string(name)));
}

void PatrolPlaceOptions::validate() const {
  auto bad = [](const std::string& field, const std::string& rule, const std::string& got) {
    throw InvalidArgument(fmt::format("patrol: {} must be {}, got {}", field, rule, got));
  };
  if (!(radius_m > 0) || !std::isfinite(radius_m))
    bad("radius_m", "a finite number > 0", fmt::format("{}", radius_m));
  if (!(min_spacing_m >= 0) || !std::isfinite(min_spacing_m))
    bad("min_spacing_m", "a finite number >= 0", fmt::format("{}", min_spacing_m));
  if (!(cell_size_m > 0) || !std::isfinite(cell_size_m))
    bad("cell_size_m", "a finite number > 0", fmt::format("{}", cell_size_m));
  if (!(min_incidents >= 0) || !std::isfinite(min_incidents))
    bad("min_incidents", "a finite number >= 0", fmt::format("{}", min_incidents));
  if (!(min_cell_incidents_per_month >= 0) || !std::isfinite(min_cell_incidents_per_month))
    bad("min_cell_incidents_per_month", "a finite number >= 0",
        fmt::format("{}", min_cell_incidents_per_month));
  if (!(min_incidents_per_month >= 0) || !std::isfinite(min_incidents_per_month))
    bad("min_incidents_per_month", "a finite number >= 0",
        fmt::format("{}", min_incidents_per_month));
  if (max_count < 0) bad("max_count", ">= 0", fmt::format("{}", max_count));
  if (!(max_area_km2 >= 0) || !std::isfinite(max_area_km2))
    bad("max_area_km2", "a finite number >= 0", fmt::format("{}", max_area_km2));
  if (!(recording_share > 0 && recording_share <= 1))
    bad("recording_share", "in (0, 1]", fmt::format("{}", recording_share));
  for (std::size_t i = 0; i < recording_names.size(); ++i)
    if (detail::trim(recording_names[i]).empty())
      bad(fmt::format("recording_names[{}]", i), "a word", "an empty name");
  if (top_locations < 1) bad("top_locations", ">= 1", fmt::format("{}", top_locations));
  if (!(min_timed_share >= 0 && min_timed_share <= 1))
    bad("min_timed_share", "in [0, 1]", fmt::format("{}", min_timed_share));
  if (peak_window_hours < 1 || peak_window_hours > 168)
    bad("peak_window_hours", "in [1, 168]", fmt::format("{}", peak_window_hours));
}

std::string to_string(PatrolStop stop) {
  switch (stop) {
    case PatrolStop::below_minimum:
      return "below_minimum";
    case PatrolStop::count_budget:
      return "count_budget";
    case PatrolStop::area_budget:
      return "area_budget";
    case PatrolStop::no_incidents:
      break;
  }
  return "no_incidents";
}

int months_covered(const Incidents& incidents, const std::optional<Date>& from,
                   const std::optional<Date>& to) {
  std::int32_t first = from && from->has_month() ? from->month_index : -1;
  std::int32_t last = to && to->has_month() ? to->month_index : -1;
  if (first < 0 || last < 0) {
    std::int32_t lo = std::numeric_limits<std::int32_t>::max();
    std::int32_t hi = -1;
    for (const Date& d : incidents.date)
      if (d.has_month()) lo = std::min(lo, d.month_index), hi = std::max(hi, d.month_index);
    if (hi < 0) return 0;
    if (first < 0) first = lo;
    if (last < 0) last = hi;
  }
  return last >= first ? last - first + 1 : 0;
}

std::vector<std::string> patrol_report(const PatrolPlaces& r) {
  std::vector<std::string> lines;
  const double pct = r.total_incidents > 0 ? 100 * r.covered_incidents / r.total_incidents : 0;
  const double radius = r.places.empty() ? 0 : r.places.front().radius_m;
  std::string sized = fmt::format("of {:g} m radius", radius);
  if (!r.places.empty() && !r.places.front().cells.empty()) {
    std::size_t cells = 0;
    double km2 = 0;
    for (const PatrolPlace& p : r.places) {
      cells += p.cells.size();
      km2 += p.area_km2;
    }
    sized = fmt::format("of {:g} m cells ({} cells, {:.2f} km²)",
                        r.places.front().cells.front().width(), cells, km2);
  }
  const std::string per =
      r.shape == PatrolShape::cells ? fmt::format(", {:g} a cell", r.min_cell_incidents) : "";
  if (r.places.empty())
    lines.push_back(
        fmt::format("patrol: no place holds the minimum of {:g} incidents{}", r.min_incidents,
                    r.shape == PatrolShape::cells
                        ? fmt::format(" (in cells of at least {:g})", r.min_cell_incidents)
                        : ""));
  else
    lines.push_back(fmt::format(
        "patrol: {} place{} {} hold {:g} of {:g} incidents ({:.1f}%); minimum {:g} a place{}",
        r.places.size(), r.places.size() == 1 ? "" : "s", sized, r.covered_incidents,
        r.total_incidents, pct, r.min_incidents, per));
  if (r.over_budget > 0)
    lines.push_back(fmt::format(
        "patrol: {} more place{} meeting the minimum ({:g} incidents) left out by the {}",
        r.over_budget, r.over_budget == 1 ? "" : "s", r.over_budget_incidents,
        r.stopped_by == PatrolStop::area_budget ? "area budget" : "count budget"));
  if (r.stopped_by == PatrolStop::below_minimum && r.next_best_incidents > 0)
    lines.push_back(
        fmt::format("patrol: the best place left holds {:g} incidents, below the minimum of {:g}",
                    r.next_best_incidents, r.min_incidents));
  for (const PatrolPlace& p : r.places)
    if (p.recording_location)
      lines.push_back(
          fmt::format("patrol: {} may be a recording location, not a street hot spot: {}", p.id,
                      p.recording_reason));
  if (r.excluded_points > 0)
    lines.push_back(
        fmt::format("patrol: {} map point{} ({:g} incidents) left out as recording locations: {}",
                    r.excluded_points, r.excluded_points == 1 ? "" : "s", r.excluded_incidents,
                    fmt::join(r.excluded_names, "; ")));
  return lines;
}

Polygon patrol_place_circle(const PatrolPlace& place, int segments) {
  segments = std::max(segments, 8);
  Polygon p;
  p.exterior.reserve(static_cast<std::size_t>(segments) + 1);
  for (int k = 0; k < segments; ++k) {
    const double a = 2 * std::numbers::pi * k / segments;
    p.exterior.push_back({place.centre.x + place.radius_m * std::cos(a),
                          place.centre.y + place.radius_m * std::sin(a)});
  }
  p.exterior.push_back(p.exterior.front());
  return p;
}

MultiPolygon patrol_place_outline(const PatrolPlace& place) {
  if (place.cells.empty()) return {patrol_place_circle(place)};
  // A small grid over the place's cells, for region_outline's exact cell-edge tracing.
  Extent box;
  for (const Extent& c : place.cells) box.include(c);
  const double s = place.cells.front().width();
  GridSpec g;
  g.xmin = box.xmin;
  g.ymax = box.ymax;
  g.cell_size_m = s;
  g.cols = static_cast<std::int64_t>(std::llround(box.width() / s));
  g.rows = static_cast<std::int64_t>(std::llround(box.height() / s));
  CellRegions regions;
  regions.label.assign(static_cast<std::size_t>(g.cell_count()), -1);
  regions.count = 1;
  for (const Extent& c : place.cells) {
    const auto col = static_cast<std::int64_t>(std::llround((c.xmin - g.xmin) / s));
    const auto row = static_cast<std::int64_t>(std::llround((g.ymax - c.ymax) / s));
    regions.label[static_cast<std::size_t>(g.index(row, col))] = 0;
  }
  return region_outline(g, regions, 0);
}

bool patrol_place_contains(const PatrolPlace& place, double x, double y) {
  if (place.cells.empty())
    return std::hypot(x - place.centre.x, y - place.centre.y) <= place.radius_m;
  for (const Extent& c : place.cells) {
    // The grid's edge rule: a point on a west or north edge is in the cell (GridSpec).
    if (x >= c.xmin && x < c.xmax && y <= c.ymax && y > c.ymin) return true;
  }
  return false;
}

std::string patrol_rule_text(const PatrolPlaceOptions& o, const std::string& minimum,
                             const std::string& cell_minimum) {
  if (o.shape == PatrolShape::circle)
    return fmt::format(
        "circles of {:.0f} m radius centred on incident locations, chosen greedily so that each "
        "holds the most incidents not in an earlier place (maximal coverage, Church & ReVelle "
        "1974), centres at least {:.0f} m apart, each holding at least {}",
        o.radius_m, o.min_spacing_m, minimum);
  std::string text = fmt::format(
      "the busiest {:.0f} m grid squares: the squares are taken from the most incidents down, a "
      "square within {:.0f} m (centre to centre) of a place's first square joins that place, any "
      "other starts a new one unless within {:.0f} m of a place's first square; every square of a "
      "place holds at least {} and every place at least {}",
      o.cell_size_m, o.radius_m, o.min_spacing_m, cell_minimum, minimum);
  return text +
         " (equal-sized places, the rule that best predicted the next month's incidents in the "
         "backtests)";
}

std::string patrol_shape_text(const PatrolPlaceOptions& o) {
  return o.shape == PatrolShape::cells ? fmt::format("{:.0f} m cells", o.cell_size_m)
                                       : fmt::format("{:.0f} m circles", o.radius_m);
}

std::string patrol_place_extent_text(const PatrolPlace& place) {
  if (place.cells.empty()) return fmt::format("within {:.0f} m of its centre", place.radius_m);
  return fmt::format("in its {} cell{} of {:.0f} m", place.cells.size(),
                     place.cells.size() == 1 ? "" : "s", place.cells.front().width());
}

namespace {

// One distinct incident location (a police.uk snap point).
struct MapPoint {
  double x = 0;
  double y = 0;
  double weight = 0;       // Σ weight of its incidents
  std::int32_t name = -1;  // its most frequent location name
};

// The distinct points, in (x, y) order, and for each incident its point.
struct Points {
  std::vector<MapPoint> points;
  std::vector<std::uint32_t> of_incident;
  // Neighbours within the radius, CSR: neighbours[offset[p] .. offset[p + 1]), ascending.
  std::vector<std::size_t> offset;
  std::vector<std::uint32_t> neighbours;
};

// Map points in buckets of `size`-metre squares: every point within `size` of (x, y) lies in the
// bucket of (x, y) or in the 8 around it.
class PointBuckets {
 public:
  PointBuckets(const std::vector<MapPoint>& points, double size) : size_(size) {
    for (std::uint32_t p = 0; p < points.size(); ++p)
      buckets_[key(index(points[p].x), index(points[p].y))].push_back(p);
  }
  // Calls f(p) for every point in the buckets up to `reach` buckets from the one of (x, y), the
  // buckets west to east, south to north within each column, each bucket's points ascending.
  template <class F>
  void for_each_near(double x, double y, std::int64_t reach, F&& f) const {
    const std::int64_t i = index(x), j = index(y);
    for (std::int64_t dx = -reach; dx <= reach; ++dx)
      for (std::int64_t dy = -reach; dy <= reach; ++dy) {
        const auto it = buckets_.find(key(i + dx, j + dy));
        if (it == buckets_.end()) continue;
        for (const std::uint32_t p : it->second) f(p);
      }
  }

 private:
  std::int64_t index(double v) const { return static_cast<std::int64_t>(std::floor(v / size_)); }
  static std::int64_t key(std::int64_t i, std::int64_t j) { return i * 4'000'037 + j; }
  double size_;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> buckets_;
};

// radius <= 0: no neighbour lists (the cells rule does not use them).
Points distinct_points(const Incidents& inc, double radius) {
  Points out;
  const std::size_t n = inc.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return inc.x[a] < inc.x[b] || (inc.x[a] == inc.x[b] && inc.y[a] < inc.y[b]);
  });
  out.of_incident.assign(n, 0);
  std::vector<std::map<std::int32_t, std::int64_t>> names;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t i = order[k];
    if (out.points.empty() || out.points.back().x != inc.x[i] || out.points.back().y != inc.y[i]) {
      out.points.push_back({inc.x[i], inc.y[i], 0, -1});
      names.emplace_back();
    }
    out.points.back().weight += inc.weight[i];
    const std::int32_t l = inc.location_of(i);
    if (l >= 0) ++names.back()[l];
    out.of_incident[i] = static_cast<std::uint32_t>(out.points.size() - 1);
  }
  for (std::size_t p = 0; p < out.points.size(); ++p) {
    std::int64_t best = 0;
    for (const auto& [l, c] : names[p]) {
      const auto& nm = inc.location_names;
      if (c > best || (c == best && nm[static_cast<std::size_t>(l)] <
                                        nm[static_cast<std::size_t>(out.points[p].name)])) {
        best = c;
        out.points[p].name = l;
      }
    }
  }
  out.offset.assign(out.points.size() + 1, 0);
  if (!(radius > 0)) return out;
  const PointBuckets buckets(out.points, radius);
  const double r2 = radius * radius;
  std::vector<std::uint32_t> near;
  for (std::uint32_t p = 0; p < out.points.size(); ++p) {
    near.clear();
    buckets.for_each_near(out.points[p].x, out.points[p].y, 1, [&](std::uint32_t q) {
      const double ex = out.points[q].x - out.points[p].x;
      const double ey = out.points[q].y - out.points[p].y;
      if (ex * ex + ey * ey <= r2) near.push_back(q);
    });
    std::sort(near.begin(), near.end());
    out.neighbours.insert(out.neighbours.end(), near.begin(), near.end());
    out.offset[p + 1] = out.neighbours.size();
  }
  return out;
}

struct GreedyResult {
  std::vector<Point> centres;                // the places' centres, in order
  std::vector<std::vector<Extent>> cells;    // shape cells: each place's cells, busiest first
  std::vector<double> gains;                 // incidents each counted
  std::vector<std::int32_t> place_of_point;  // index into centres; -1 none; -2 over budget
  PatrolStop stopped_by = PatrolStop::no_incidents;
  std::int64_t over_budget = 0;
  double over_budget_incidents = 0;
  double next_best = 0;
};

GreedyResult greedy(const Points& pts, const std::vector<std::uint8_t>& excluded, double minimum,
                    const PatrolPlaceOptions& o) {
  GreedyResult out;
  const std::size_t n = pts.points.size();
  out.place_of_point.assign(n, -1);
  std::vector<std::uint8_t> covered(n, 0);
  auto value = [&](std::uint32_t c) {
    double v = 0;
    for (std::size_t k = pts.offset[c]; k < pts.offset[c + 1]; ++k) {
      const std::uint32_t q = pts.neighbours[k];
      if (!covered[q] && !excluded[q]) v += pts.points[q].weight;
    }
    return v;
  };
  struct Entry {
    double v;
    std::uint32_t p;
  };
  // Most incidents first; ties to the smaller point index, i.e. the smaller (x, y).
  auto lower = [](const Entry& a, const Entry& b) {
    return a.v < b.v || (a.v == b.v && a.p > b.p);
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(lower)> queue(lower);
  for (std::uint32_t p = 0; p < n; ++p)
    if (!excluded[p]) queue.push({value(p), p});
  const double spacing2 = o.min_spacing_m * o.min_spacing_m;
  const double disc_km2 = std::numbers::pi * o.radius_m * o.radius_m / 1e6;
  std::vector<std::uint32_t> taken;  // places and over-budget places alike, for the spacing
  bool budget_hit = false;
  bool stopped = false;
  while (!queue.empty()) {
    const Entry top = queue.top();
    queue.pop();
    const MapPoint& c = pts.points[top.p];
    bool spaced = true;
    for (const std::uint32_t t : taken) {
      const double ex = pts.points[t].x - c.x;
      const double ey = pts.points[t].y - c.y;
      if (ex * ex + ey * ey < spacing2) {
        spaced = false;
        break;
      }
    }
    if (!spaced) continue;  // the spacing only gets stricter: never a candidate again
    const double v = value(top.p);
    if (v != top.v) {  // stale: a place taken since covered some of its incidents
      queue.push({v, top.p});
      continue;
    }
    if (v < minimum || !(v > 0)) {
      if (!budget_hit)
        out.stopped_by =
            v > 0 || minimum > 0 ? PatrolStop::below_minimum : PatrolStop::no_incidents;
      out.next_best = v;
      stopped = true;
      break;
    }
    const auto count = static_cast<std::int64_t>(out.centres.size());
    const bool over_count = o.max_count > 0 && count >= o.max_count;
    const bool over_area = o.max_area_km2 > 0 &&
                           static_cast<double>(count + 1) * disc_km2 > o.max_area_km2 * (1 + 1e-12);
    std::int32_t mark = static_cast<std::int32_t>(out.centres.size());
    if (budget_hit || over_count || over_area) {
      if (!budget_hit)
        out.stopped_by = over_count ? PatrolStop::count_budget : PatrolStop::area_budget;
      budget_hit = true;
      ++out.over_budget;
      out.over_budget_incidents += v;
      mark = -2;
    } else {
      out.centres.push_back({c.x, c.y});
      out.gains.push_back(v);
    }
    taken.push_back(top.p);
    for (std::size_t k = pts.offset[top.p]; k < pts.offset[top.p + 1]; ++k) {
      const std::uint32_t q = pts.neighbours[k];
      if (covered[q] || excluded[q]) continue;
      covered[q] = 1;
      out.place_of_point[q] = mark;
    }
  }
  if (!stopped && !budget_hit) out.stopped_by = PatrolStop::no_incidents;
  return out;
}

// The cells rule (see select_patrol_places in the header).
GreedyResult greedy_cells(const Points& pts, const std::vector<std::uint8_t>& excluded,
                          double place_minimum, double cell_minimum, const PatrolPlaceOptions& o) {
  GreedyResult out;
  const std::size_t n = pts.points.size();
  out.place_of_point.assign(n, -1);
  const double s = o.cell_size_m;
  // Rows count down from y = 0 and columns up from x = 0: GridSpec's rule with its north-west
  // corner on a whole multiple of the cell size, so these cells are G/busiest_cells' cells.
  using Key = std::pair<std::int64_t, std::int64_t>;  // (row, col)
  struct Cell {
    Key key;
    double weight = 0;
    std::vector<std::uint32_t> points;
  };
  std::map<Key, std::size_t> index;
  std::vector<Cell> cells;
  for (std::uint32_t p = 0; p < n; ++p) {
    if (excluded[p]) continue;
    const Key k{static_cast<std::int64_t>(std::floor((0.0 - pts.points[p].y) / s)),
                static_cast<std::int64_t>(std::floor(pts.points[p].x / s))};
    const auto [it, inserted] = index.try_emplace(k, cells.size());
    if (inserted) cells.push_back({k, 0, {}});
    cells[it->second].weight += pts.points[p].weight;
    cells[it->second].points.push_back(p);
  }
  std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.key < b.key;
  });
  auto centre = [&](const Key& k) {
    return Point{(static_cast<double>(k.second) + 0.5) * s,
                 -(static_cast<double>(k.first) + 0.5) * s};
  };
  // The walk: each place's first cell by key, with the place's index in walk order.
  std::map<Key, std::size_t> firsts;
  struct Walked {
    Point centre;
    double incidents = 0;
    std::vector<Extent> cells;
    std::vector<const Cell*> members;
  };
  std::vector<Walked> walked;
  const double r2 = o.radius_m * o.radius_m;
  const double spacing = o.min_spacing_m;
  const auto reach = static_cast<std::int64_t>(std::ceil(std::max(o.radius_m, spacing) / s));
  const double cell_km2 = s * s / 1e6;
  std::int64_t cells_taken = 0;
  bool area_full = false;
  double next_cell = 0;
  for (const Cell& cell : cells) {
    if (!(cell.weight > 0) || cell.weight < cell_minimum) {
      next_cell = cell.weight;
      break;
    }
    if (o.max_area_km2 > 0 &&
        static_cast<double>(cells_taken + 1) * cell_km2 > o.max_area_km2 * (1 + 1e-12)) {
      area_full = true;
      break;
    }
    const Point c = centre(cell.key);
    // The earliest place whose first cell is within the radius; any first cell within spacing.
    std::size_t join = walked.size();
    bool spaced = true;
    for (std::int64_t dr = -reach; dr <= reach; ++dr)
      for (std::int64_t dc = -reach; dc <= reach; ++dc) {
        const auto it = firsts.find({cell.key.first + dr, cell.key.second + dc});
        if (it == firsts.end()) continue;
        const Point f = centre(it->first);
        const double d2 = (f.x - c.x) * (f.x - c.x) + (f.y - c.y) * (f.y - c.y);
        if (d2 <= r2 * (1 + 1e-12)) join = std::min(join, it->second);
        if (d2 < spacing * spacing) spaced = false;
      }
    const Extent square{c.x - s / 2, c.y - s / 2, c.x + s / 2, c.y + s / 2};
    if (join < walked.size()) {
      walked[join].incidents += cell.weight;
      walked[join].cells.push_back(square);
      walked[join].members.push_back(&cell);
      ++cells_taken;
      continue;
    }
    if (!spaced) continue;  // passed over: too close to a place's first cell
    firsts.emplace(cell.key, walked.size());
    walked.push_back({c, cell.weight, {square}, {&cell}});
    ++cells_taken;
  }
  // Places below the minimum are left out (the best of them reported); the rest are ranked by
  // their incidents (ties: walk order) and the count budget keeps the first.
  std::vector<std::size_t> kept;
  for (std::size_t k = 0; k < walked.size(); ++k) {
    if (walked[k].incidents >= place_minimum)
      kept.push_back(k);
    else
      out.next_best = std::max(out.next_best, walked[k].incidents);
  }
  std::stable_sort(kept.begin(), kept.end(), [&](std::size_t a, std::size_t b) {
    return walked[a].incidents > walked[b].incidents;
  });
  for (std::size_t r = 0; r < kept.size(); ++r) {
    const Walked& w = walked[kept[r]];
    const bool over = o.max_count > 0 && static_cast<std::int64_t>(r) >= o.max_count;
    const std::int32_t mark = over ? -2 : static_cast<std::int32_t>(out.centres.size());
    for (const Cell* c : w.members)
      for (const std::uint32_t p : c->points) out.place_of_point[p] = mark;
    if (over) {
      ++out.over_budget;
      out.over_budget_incidents += w.incidents;
      continue;
    }
    out.centres.push_back(w.centre);
    out.gains.push_back(w.incidents);
    out.cells.push_back(w.cells);
  }
  if (out.over_budget > 0)
    out.stopped_by = PatrolStop::count_budget;
  else if (area_full)
    out.stopped_by = PatrolStop::area_budget;
  else if (out.next_best > 0 || next_cell > 0 || place_minimum > 0 || cell_minimum > 0)
    out.stopped_by = PatrolStop::below_minimum;
  else
    out.stopped_by = PatrolStop::no_incidents;
  if (out.stopped_by == PatrolStop::below_minimum && out.next_best == 0 && walked.empty())
    out.next_best = next_cell;
  return out;
}

bool contains_word(const std::string& name, const std::vector<std::string>& lower_words,
                   std::string* which) {
  const std::string low = detail::lower(name);
  for (const std::string& w : lower_words)
    if (low.find(w) != std::string::npos) {
      if (which != nullptr) *which = w;
      return true;
    }
  return false;
}

std::vector<NamedCount> ranked(const std::map<std::string, double>& tally, std::size_t keep) {
  std::vector<NamedCount> v;
  for (const auto& [name, n] : tally) v.push_back({name, n});
  std::stable_sort(v.begin(), v.end(), [](const NamedCount& a, const NamedCount& b) {
    return a.incidents > b.incidents;
  });
  if (v.size() > keep) v.resize(keep);
  return v;
}

// The minima of a period of `months` (<= 0: read as 12): of a place, and of each cell of a cells
// place (0 for circles).
double resolved_minimum(const PatrolPlaceOptions& o, int months) {
  if (o.min_incidents > 0) return o.min_incidents;
  return o.min_incidents_per_month * (months > 0 ? months : 12);
}

double resolved_cell_minimum(const PatrolPlaceOptions& o, int months) {
  if (o.shape != PatrolShape::cells) return 0;
  return o.min_cell_incidents_per_month * (months > 0 ? months : 12);
}

}  // namespace

PatrolPlaces select_patrol_places(const Incidents& inc, int months, double study_area_km2,
                                  const PatrolPlaceOptions& o) {
  o.validate();
  const std::size_t n = inc.size();
  if (inc.y.size() != n || inc.weight.size() != n || inc.date.size() != n ||
      inc.category.size() != n || (!inc.location.empty() && inc.location.size() != n))
    throw InvalidArgument(fmt::format(
        "patrol: incident columns differ in length (x {}, y {}, weight {}, date {}, category {}, "
        "location {})",
        n, inc.y.size(), inc.weight.size(), inc.date.size(), inc.category.size(),
        inc.location.size()));
  PatrolPlaces out;
  out.shape = o.shape;
  out.min_incidents = resolved_minimum(o, months);
  out.min_cell_incidents = resolved_cell_minimum(o, months);
  for (const double w : inc.weight) out.total_incidents += w;
  if (n == 0) return out;

  std::vector<std::string> words;
  for (const std::string& w : o.recording_names) words.push_back(detail::lower(detail::trim(w)));
  const bool by_cells = o.shape == PatrolShape::cells;
  const Points pts = distinct_points(inc, by_cells ? 0.0 : o.radius_m);
  auto select = [&](const std::vector<std::uint8_t>& left_out) {
    return by_cells ? greedy_cells(pts, left_out, out.min_incidents, out.min_cell_incidents, o)
                    : greedy(pts, left_out, out.min_incidents, o);
  };
  const std::size_t np = pts.points.size();
  auto point_name = [&](std::uint32_t p) {
    const std::int32_t l = pts.points[p].name;
    return l < 0 ? std::string() : inc.location_names[static_cast<std::size_t>(l)];
  };
  std::vector<std::uint8_t> excluded(np, 0);
  if (o.exclude_recording_locations)
    for (std::uint32_t p = 0; p < np; ++p)
      excluded[p] = contains_word(point_name(p), words, nullptr) ? 1 : 0;

  // The share rule's denominator: a circle's incidents; for cells, the incidents within radius_m
  // of the place's centre or in its cells, so that one busy point in a small cell is judged
  // against its surroundings as a circle would judge it.
  const std::optional<PointBuckets> buckets =
      by_cells ? std::optional<PointBuckets>(std::in_place, pts.points, o.radius_m) : std::nullopt;
  auto share_base = [&](const GreedyResult& gr, std::size_t k) {
    if (!by_cells) return gr.gains[k];
    const Point c = gr.centres[k];
    // The place's cells lie within radius_m + half a diagonal of its centre.
    const double reach = o.radius_m + o.cell_size_m * std::numbers::sqrt2 / 2;
    double base = 0;
    buckets->for_each_near(
        c.x, c.y, static_cast<std::int64_t>(std::ceil(reach / o.radius_m)), [&](std::uint32_t p) {
          if (excluded[p]) return;
          const bool near = std::hypot(pts.points[p].x - c.x, pts.points[p].y - c.y) <= o.radius_m;
          if (near || gr.place_of_point[p] == static_cast<std::int32_t>(k))
            base += pts.points[p].weight;
        });
    return base;
  };

  GreedyResult g = select(excluded);
  if (o.exclude_recording_locations) {
    // Second pass: the single points that hold more than recording_share of a place.
    std::vector<double> best(g.centres.size(), 0);
    std::vector<std::int64_t> arg(g.centres.size(), -1);
    for (std::uint32_t p = 0; p < np; ++p) {
      const std::int32_t k = g.place_of_point[p];
      if (k < 0) continue;
      if (pts.points[p].weight > best[static_cast<std::size_t>(k)]) {
        best[static_cast<std::size_t>(k)] = pts.points[p].weight;
        arg[static_cast<std::size_t>(k)] = p;
      }
    }
    bool more = false;
    for (std::size_t k = 0; k < g.centres.size(); ++k)
      if (arg[k] >= 0 && best[k] > o.recording_share * share_base(g, k)) {
        excluded[static_cast<std::size_t>(arg[k])] = 1;
        more = true;
      }
    if (more) g = select(excluded);
  }
  std::vector<std::string> excluded_names;
  for (std::uint32_t p = 0; p < np; ++p) {
    if (!excluded[p]) continue;
    ++out.excluded_points;
    out.excluded_incidents += pts.points[p].weight;
    if (pts.points[p].name >= 0) excluded_names.push_back(point_name(p));
  }
  std::sort(excluded_names.begin(), excluded_names.end());
  excluded_names.erase(std::unique(excluded_names.begin(), excluded_names.end()),
                       excluded_names.end());
  out.excluded_names = std::move(excluded_names);
  out.stopped_by = g.stopped_by;
  out.over_budget = g.over_budget;
  out.over_budget_incidents = g.over_budget_incidents;
  out.next_best_incidents = g.stopped_by == PatrolStop::below_minimum ? g.next_best : 0;

  // The places' figures, from their incidents.
  const std::size_t k_places = g.centres.size();
  out.places.resize(k_places);
  std::vector<std::map<std::string, double>> by_type(k_places), by_name(k_places);
  std::vector<double> busiest(k_places, 0);
  std::vector<std::int64_t> busiest_point(k_places, -1);
  const double disc_km2 = std::numbers::pi * o.radius_m * o.radius_m / 1e6;
  for (std::size_t k = 0; k < k_places; ++k) {
    PatrolPlace& p = out.places[k];
    p.rank = static_cast<int>(k) + 1;
    p.id = fmt::format("P{}", p.rank);
    p.shape = o.shape;
    p.centre = g.centres[k];
    if (by_cells) {
      p.cells = g.cells[k];
      p.area_km2 = static_cast<double>(p.cells.size()) * o.cell_size_m * o.cell_size_m / 1e6;
      for (const Extent& c : p.cells)
        for (const Point corner : {Point{c.xmin, c.ymin}, Point{c.xmax, c.ymin},
                                   Point{c.xmin, c.ymax}, Point{c.xmax, c.ymax}})
          p.radius_m =
              std::max(p.radius_m, std::hypot(corner.x - p.centre.x, corner.y - p.centre.y));
    } else {
      p.radius_m = o.radius_m;
      p.area_km2 = disc_km2;
    }
  }
  for (std::uint32_t q = 0; q < np; ++q) {
    const std::int32_t k = g.place_of_point[q];
    if (k < 0) continue;
    const auto kk = static_cast<std::size_t>(k);
    ++out.places[kk].map_points;
    if (pts.points[q].weight > busiest[kk]) {
      busiest[kk] = pts.points[q].weight;
      busiest_point[kk] = q;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t k = g.place_of_point[pts.of_incident[i]];
    if (k < 0) continue;
    const auto kk = static_cast<std::size_t>(k);
    PatrolPlace& p = out.places[kk];
    const double w = inc.weight[i];
    p.incidents += w;
    ++p.rows;
    if (inc.category[i] >= 0)
      by_type[kk][inc.category_names[static_cast<std::size_t>(inc.category[i])]] += w;
    if (const std::int32_t l = inc.location_of(i); l >= 0)
      by_name[kk][inc.location_names[static_cast<std::size_t>(l)]] += w;
    add_to_profile(p.profile, inc.date[i], w);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < k_places; ++k) {
    PatrolPlace& p = out.places[k];
    out.covered_incidents += p.incidents;
    p.per_month = months > 0 ? p.incidents / months : nan;
    p.share = out.total_incidents > 0 ? p.incidents / out.total_incidents : nan;
    p.pai = study_area_km2 > 0 && out.total_incidents > 0 ? p.share / (p.area_km2 / study_area_km2)
                                                          : nan;
    p.by_category = ranked(by_type[k], by_type[k].size());
    p.top_locations = ranked(by_name[k], static_cast<std::size_t>(o.top_locations));
    const double base = share_base(g, k);
    p.busiest_point_share = base > 0 ? busiest[k] / base : 0;
    if (busiest_point[k] >= 0)
      p.busiest_point_name = point_name(static_cast<std::uint32_t>(busiest_point[k]));
    std::vector<std::string> reasons;
    for (const NamedCount& l : p.top_locations) {
      std::string word;
      if (contains_word(l.name, words, &word)) {
        reasons.push_back(fmt::format("name contains '{}': {}", word, l.name));
        break;
      }
    }
    if (p.busiest_point_share > o.recording_share)
      reasons.push_back(fmt::format(
          "one map point holds {:.0f}% of the place{}", 100 * p.busiest_point_share,
          p.busiest_point_name.empty() ? "" : fmt::format(" ({})", p.busiest_point_name)));
    p.recording_location = !reasons.empty();
    for (std::size_t r = 0; r < reasons.size(); ++r)
      p.recording_reason += (r ? "; " : "") + reasons[r];
    if (p.recording_location) ++out.flagged;
    finish_profile(p.profile, o.min_timed_share, o.peak_window_hours);
  }
  return out;
}

}  // namespace hotspots
