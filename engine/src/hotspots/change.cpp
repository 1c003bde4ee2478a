// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/change.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "detail/geos_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool boxes_meet(const Extent& a, const Extent& b) {
  return a.xmin <= b.xmax && b.xmin <= a.xmax && a.ymin <= b.ymax && b.ymin <= a.ymax;
}

void check_share(double share) {
  if (!(share > 0 && share <= 1))
    throw InvalidArgument(fmt::format("min_overlap_share must be in (0, 1] (got {})", share));
}

/// area(a ∩ b) / min(area(a), area(b)) for every pair whose boxes meet; 0 elsewhere.
std::vector<std::vector<double>> overlap_shares(const std::vector<MultiPolygon>& a,
                                                const std::vector<MultiPolygon>& b) {
  std::vector<std::vector<double>> share(a.size(), std::vector<double>(b.size(), 0.0));
  if (a.empty() || b.empty()) return share;
  detail::GeosContext geos;
  auto* ctx = geos.get();
  std::vector<detail::GeosGeometryPtr> gb;
  std::vector<Extent> eb;
  std::vector<double> ab;
  for (const MultiPolygon& p : b) {
    gb.push_back(detail::to_geos(geos, p));
    eb.push_back(extent_of(p));
    ab.push_back(area(p));
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double aa = area(a[i]);
    if (!(aa > 0)) continue;
    const Extent ea = extent_of(a[i]);
    const auto ga = detail::to_geos(geos, a[i]);
    for (std::size_t j = 0; j < b.size(); ++j) {
      if (!(ab[j] > 0) || !boxes_meet(ea, eb[j])) continue;
      detail::GeosGeometryPtr inter(GEOSIntersection_r(ctx, ga.get(), gb[j].get()),
                                    detail::GeosDeleter{ctx});
      if (!inter)
        throw Error(fmt::format("hotspot matching: cannot intersect: {}", geos.last_error()));
      double x = 0;
      if (GEOSArea_r(ctx, inter.get(), &x) != 1)
        throw Error(fmt::format("hotspot matching: cannot measure: {}", geos.last_error()));
      share[i][j] = x / std::min(aa, ab[j]);
    }
  }
  return share;
}

Incidents select_period(const Incidents& in, std::span<const std::int32_t> month,
                        const Period& period) {
  Incidents out;
  out.crs = in.crs;
  out.category_names = in.category_names;
  out.location_names = in.location_names;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (period.contains(month[i]))
      out.append(in.x[i], in.y[i], in.weight[i], in.date[i], in.category[i], in.source[i],
                 in.line[i], in.location_of(i));
  return out;
}

std::vector<MultiPolygon> place_polygons(const PatrolPlaces& places) {
  std::vector<MultiPolygon> out;
  for (const PatrolPlace& p : places.places) out.push_back(patrol_place_outline(p));
  return out;
}

}  // namespace

ChangeSurfaces kde_change(const Raster& before, const Raster& after) {
  if (!(before.grid == after.grid) || before.values.size() != after.values.size())
    throw InvalidArgument("kde_change: the two surfaces are not on the same grid");
  ChangeSurfaces s;
  s.difference.grid = before.grid;
  s.ratio.grid = before.grid;
  s.difference.values.resize(before.values.size());
  s.ratio.values.resize(before.values.size());
  for (std::size_t i = 0; i < before.values.size(); ++i) {
    const double a = before.values[i];
    const double b = after.values[i];
    if (std::isnan(a) || std::isnan(b)) {
      s.difference.values[i] = kNaN;
      s.ratio.values[i] = kNaN;
      continue;
    }
    s.difference.values[i] = b - a;
    s.ratio.values[i] = a > 0 ? b / a : kNaN;
    if (!(a > 0) && b > 0) ++s.new_ground_cells;
  }
  return s;
}

std::vector<CellChange> cell_changes(const GridSpec& grid, const CellMask* mask,
                                     PointColumns before, PointColumns after, double alpha) {
  if (before.x.size() != before.y.size() || after.x.size() != after.y.size())
    throw InvalidArgument("cell_changes: x and y differ in length");
  if (!(alpha > 0 && alpha < 1))
    throw InvalidArgument(fmt::format("alpha must be in (0, 1) (got {})", alpha));
  const auto cells = static_cast<std::size_t>(grid.cell_count());
  std::vector<std::int64_t> n1(cells, 0);
  std::vector<std::int64_t> n2(cells, 0);
  auto count = [&](PointColumns pts, std::vector<std::int64_t>& n) {
    for (std::size_t i = 0; i < pts.x.size(); ++i) {
      const std::int64_t r = grid.row_of(pts.y[i]);
      const std::int64_t c = grid.col_of(pts.x[i]);
      if (!grid.contains_cell(r, c)) continue;
      const auto k = static_cast<std::size_t>(grid.index(r, c));
      if (mask != nullptr && mask->inside[k] == 0) continue;
      ++n[k];
    }
  };
  count(before, n1);
  count(after, n2);
  std::vector<CellChange> out;
  std::vector<double> p;
  for (std::size_t k = 0; k < cells; ++k) {
    if (n1[k] == 0 && n2[k] == 0) continue;
    CellChange c;
    c.row = static_cast<std::int64_t>(k) / grid.cols;
    c.col = static_cast<std::int64_t>(k) % grid.cols;
    c.before = n1[k];
    c.after = n2[k];
    c.change_pct =
        n1[k] > 0 ? 100.0 * static_cast<double>(n2[k] - n1[k]) / static_cast<double>(n1[k]) : kNaN;
    c.change_p = change_test_p(n1[k], n2[k]);
    p.push_back(c.change_p);
    out.push_back(std::move(c));
  }
  const std::vector<double> q = bh_adjust(p);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].change_q = q[i];
    if (q[i] < alpha) out[i].flag = out[i].after > out[i].before ? "up" : "down";
  }
  return out;
}

std::string_view to_string(HotspotFate fate) {
  switch (fate) {
    case HotspotFate::persists:
      return "persists";
    case HotspotFate::new_in_after:
      return "new";
    case HotspotFate::ceased:
      return "ceased";
  }
  return "";
}

HotspotMatch match_hotspots(const std::vector<MultiPolygon>& before,
                            const std::vector<MultiPolygon>& after, double min_overlap_share) {
  check_share(min_overlap_share);
  const auto share = overlap_shares(before, after);
  HotspotMatch m;
  m.before_fate.assign(before.size(), HotspotFate::ceased);
  m.after_fate.assign(after.size(), HotspotFate::new_in_after);
  m.before_match.assign(before.size(), -1);
  m.after_match.assign(after.size(), -1);
  m.before_overlap.assign(before.size(), 0.0);
  m.after_overlap.assign(after.size(), 0.0);
  // The best partner is the one with the largest share (= largest intersection relative to the
  // smaller polygon); strict '>' keeps the lower index on ties.
  for (std::size_t i = 0; i < before.size(); ++i)
    for (std::size_t j = 0; j < after.size(); ++j) {
      const double s = share[i][j];
      if (!(s > 0) || s < min_overlap_share) continue;
      m.before_fate[i] = HotspotFate::persists;
      m.after_fate[j] = HotspotFate::persists;
      if (s > m.before_overlap[i]) {
        m.before_overlap[i] = s;
        m.before_match[i] = static_cast<int>(j);
      }
      if (s > m.after_overlap[j]) {
        m.after_overlap[j] = s;
        m.after_match[j] = static_cast<int>(i);
      }
    }
  return m;
}

std::vector<Persistence> hotspot_persistence(const std::vector<std::vector<MultiPolygon>>& periods,
                                             double min_overlap_share) {
  if (periods.empty()) throw InvalidArgument("hotspot_persistence: no period given");
  check_share(min_overlap_share);
  const auto& latest = periods.back();
  std::vector<Persistence> out(latest.size());
  std::vector<bool> alive(latest.size(), true);  // the streak is unbroken so far
  for (std::size_t k = periods.size(); k-- > 0;) {
    const auto share = overlap_shares(latest, periods[k]);
    for (std::size_t i = 0; i < latest.size(); ++i) {
      bool hit = false;
      for (const double s : share[i]) hit = hit || (s > 0 && s >= min_overlap_share);
      if (hit) {
        ++out[i].periods;
        if (alive[i]) ++out[i].streak;
      } else {
        alive[i] = false;
      }
    }
  }
  return out;
}

void ChangeOptions::validate() const {
  if (!(kde.radius_m > 0))
    throw InvalidArgument(fmt::format("kde.radius_m must be > 0 (got {})", kde.radius_m));
  kde.validate();
  if (kde.output != OutputValue::density)
    throw InvalidArgument("kde.output: the change surface compares densities (give density)");
  if (!(alpha > 0 && alpha < 1))
    throw InvalidArgument(fmt::format("alpha must be in (0, 1) (got {})", alpha));
  places.validate();
  check_share(min_overlap_share);
  if (persistence_periods < 1)
    throw InvalidArgument(
        fmt::format("persistence_periods must be >= 1 (got {})", persistence_periods));
}

ChangeResult analyse_change(const Incidents& incidents, std::span<const std::int32_t> month,
                            const Period& before, const Period& after, const GridSpec& grid,
                            const CellMask* mask, double study_area_km2,
                            const ChangeOptions& options) {
  options.validate();
  if (month.size() != incidents.size())
    throw InvalidArgument("analyse_change: one month per incident is needed");
  if (!before.valid() || !after.valid())
    throw InvalidArgument("before/after: both periods must be whole months, first <= last");
  if (before.months() != after.months())
    throw InvalidArgument(fmt::format(
        "before: {} months against {} after; the exact test compares periods of equal length",
        before.months(), after.months()));
  if (before.last >= after.first && after.last >= before.first)
    throw InvalidArgument(
        fmt::format("before ({}) and after ({}) overlap", before.label(), after.label()));
  ChangeResult r;
  r.before = before;
  r.after = after;
  const Incidents a = select_period(incidents, month, before);
  const Incidents b = select_period(incidents, month, after);
  r.before_incidents = static_cast<std::int64_t>(a.size());
  r.after_incidents = static_cast<std::int64_t>(b.size());
  r.before_density = estimate_density({a.x, a.y, a.weight}, grid, options.kde, mask);
  r.after_density = estimate_density({b.x, b.y, b.weight}, grid, options.kde, mask);
  r.surfaces = kde_change(r.before_density, r.after_density);
  // Every incident is counted: they are clipped to the study area already, and a boundary cell
  // whose centre lies outside it (hidden from the surface by the mask) still holds some.
  r.cells = cell_changes(grid, nullptr, {a.x, a.y}, {b.x, b.y}, options.alpha);

  const int months = after.months();
  const PatrolPlaces pa = select_patrol_places(a, months, study_area_km2, options.places);
  const PatrolPlaces pb = select_patrol_places(b, months, study_area_km2, options.places);
  const auto polys_a = place_polygons(pa);
  const auto polys_b = place_polygons(pb);
  const HotspotMatch m = match_hotspots(polys_a, polys_b, options.min_overlap_share);
  for (std::size_t i = 0; i < pa.places.size(); ++i) {
    ChangePlace c;
    c.place = pa.places[i];
    c.fate = m.before_fate[i];
    if (m.before_match[i] >= 0)
      c.matched_id = pb.places[static_cast<std::size_t>(m.before_match[i])].id;
    c.overlap = m.before_overlap[i];
    if (c.fate == HotspotFate::persists)
      ++r.persists;
    else
      ++r.ceased;
    r.before_places.push_back(std::move(c));
  }
  for (std::size_t j = 0; j < pb.places.size(); ++j) {
    ChangePlace c;
    c.place = pb.places[j];
    c.fate = m.after_fate[j];
    if (m.after_match[j] >= 0)
      c.matched_id = pa.places[static_cast<std::size_t>(m.after_match[j])].id;
    c.overlap = m.after_overlap[j];
    if (c.fate == HotspotFate::new_in_after) ++r.new_places;
    r.after_places.push_back(std::move(c));
  }

  // Persistence: the N − 1 periods of equal length before B (A among them), then B.
  std::vector<std::vector<MultiPolygon>> periods;
  for (int k = options.persistence_periods - 1; k >= 1; --k) {
    const Period p{after.first - k * months, after.last - k * months};
    r.persistence_periods.push_back(p);
    if (p.first == before.first && p.last == before.last) {
      periods.push_back(polys_a);
      continue;
    }
    const Incidents in = select_period(incidents, month, p);
    periods.push_back(
        place_polygons(select_patrol_places(in, months, study_area_km2, options.places)));
  }
  r.persistence_periods.push_back(after);
  periods.push_back(polys_b);
  const auto score = hotspot_persistence(periods, options.min_overlap_share);
  for (std::size_t j = 0; j < r.after_places.size(); ++j) r.after_places[j].persistence = score[j];
  return r;
}

}  // namespace hotspots
