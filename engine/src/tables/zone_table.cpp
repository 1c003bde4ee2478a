// SPDX-License-Identifier: MIT
#include "hotspots/tables/zone_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "detail/geos_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"

namespace hotspots {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Counts per zone (index z) and of the points in no zone (last slot).
std::vector<std::int64_t> count_by_zone(const ZoneIndex& index, std::size_t zone_count,
                                        PointColumns points, const char* which) {
  if (points.x.size() != points.y.size())
    throw InvalidArgument(fmt::format("zone table: {} incidents have {} x but {} y coordinates",
                                      which, points.x.size(), points.y.size()));
  std::vector<std::int64_t> counts(zone_count + 1, 0);
  for (const std::int32_t z : index.locate(points.x, points.y))
    ++counts[z < 0 ? zone_count : static_cast<std::size_t>(z)];
  return counts;
}

// area(zone ∩ ∪ hotspots) / area(zone) per zone. The union is built once so that overlapping
// hotspot polygons are not counted twice.
std::vector<double> hotspot_shares(const std::vector<Zone>& zones,
                                   const std::vector<const MultiPolygon*>& hotspots) {
  std::vector<double> share(zones.size(), 0.0);
  MultiPolygon all;
  for (const auto* h : hotspots) all.insert(all.end(), h->begin(), h->end());
  if (all.empty()) {
    for (std::size_t z = 0; z < zones.size(); ++z)
      if (!(area(zones[z].geometry) > 0)) share[z] = kNaN;
    return share;
  }
  detail::GeosContext geos;
  auto* ctx = geos.get();
  const auto collection = detail::to_geos(geos, all);
  detail::GeosGeometryPtr hot(GEOSUnaryUnion_r(ctx, collection.get()), detail::GeosDeleter{ctx});
  if (!hot)
    throw Error(fmt::format("zone table: cannot union the hotspots: {}", geos.last_error()));
  const Extent he = extent_of(all);
  // The union's polygons' boxes.
  std::vector<Extent> parts;
  if (GEOSGeomTypeId_r(ctx, hot.get()) == GEOS_MULTIPOLYGON)
    for (int i = 0; i < GEOSGetNumGeometries_r(ctx, hot.get()); ++i) {
      const GEOSGeometry* g = GEOSGetGeometryN_r(ctx, hot.get(), i);
      Extent e;
      GEOSGeom_getXMin_r(ctx, g, &e.xmin);
      GEOSGeom_getXMax_r(ctx, g, &e.xmax);
      GEOSGeom_getYMin_r(ctx, g, &e.ymin);
      GEOSGeom_getYMax_r(ctx, g, &e.ymax);
      parts.push_back(e);
    }
  // The zones in blocks side by side (TBB). Each block has its own GEOS context and its own copy
  // of the union, made here one after another (GEOS geometries are not to be read by two
  // threads), prepared: most zones of a force's LSOAs miss the hotspots, and the prepared test
  // rejects them without an overlay. Each share depends on its zone and the union alone.
  struct Block {
    std::unique_ptr<detail::GeosContext> geos;
    detail::GeosGeometryPtr hot;
    const GEOSPreparedGeometry* prepared = nullptr;
  };
  const std::size_t block_count = std::min<std::size_t>(
      zones.size(), 2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()));
  std::vector<Block> blocks(block_count);
  // The prepared geometries go on every path out, exceptions included.
  struct Release {
    std::vector<Block>& blocks;
    ~Release() {
      for (Block& b : blocks)
        if (b.prepared) GEOSPreparedGeom_destroy_r(b.geos->get(), b.prepared);
    }
  } release{blocks};
  for (Block& b : blocks) {
    b.geos = std::make_unique<detail::GeosContext>();
    b.hot = detail::GeosGeometryPtr(GEOSGeom_clone_r(b.geos->get(), hot.get()),
                                    detail::GeosDeleter{b.geos->get()});
    b.prepared = b.hot ? GEOSPrepare_r(b.geos->get(), b.hot.get()) : nullptr;
    if (!b.prepared)
      throw Error(fmt::format("zone table: cannot prepare the hotspots: {}", b.geos->last_error()));
  }
  // Each zone's failure as thrown (std::bad_alloc stays one), the first in zone order rethrown.
  std::vector<std::exception_ptr> failures(zones.size());
  tbb::parallel_for(std::size_t{0}, block_count, [&](std::size_t k) {
    Block& b = blocks[k];
    auto* bctx = b.geos->get();
    for (std::size_t z = zones.size() * k / block_count; z < zones.size() * (k + 1) / block_count;
         ++z) {
      try {
        const double zone_area = area(zones[z].geometry);
        if (!(zone_area > 0)) {
          share[z] = kNaN;
          continue;
        }
        const Extent ze = extent_of(zones[z].geometry);
        if (ze.xmax <= he.xmin || ze.xmin >= he.xmax || ze.ymax <= he.ymin || ze.ymin >= he.ymax)
          continue;
        const auto zone_geom = detail::to_geos(*b.geos, zones[z].geometry);
        if (GEOSPreparedIntersects_r(bctx, b.prepared, zone_geom.get()) != 1) continue;
        // Only the hotspots whose boxes meet the zone's: overlaying the whole union clipped
        // every hotspot ring to the zone's box, for each zone.
        std::vector<GEOSGeometry*> near;
        for (std::size_t i = 0; i < parts.size(); ++i)
          if (!(parts[i].xmax < ze.xmin || parts[i].xmin > ze.xmax || parts[i].ymax < ze.ymin ||
                parts[i].ymin > ze.ymax))
            near.push_back(
                GEOSGeom_clone_r(bctx, GEOSGetGeometryN_r(bctx, b.hot.get(), static_cast<int>(i))));
        detail::GeosGeometryPtr subset;
        if (near.size() < parts.size())
          subset = detail::GeosGeometryPtr(
              GEOSGeom_createCollection_r(bctx, GEOS_MULTIPOLYGON, near.data(),
                                          static_cast<unsigned>(near.size())),
              detail::GeosDeleter{bctx});
        else
          for (GEOSGeometry* g : near) GEOSGeom_destroy_r(bctx, g);
        detail::GeosGeometryPtr inter(
            GEOSIntersection_r(bctx, zone_geom.get(), subset ? subset.get() : b.hot.get()),
            detail::GeosDeleter{bctx});
        if (!inter)
          throw Error(fmt::format("zone table: cannot intersect zone '{}' with the hotspots: {}",
                                  zones[z].id, b.geos->last_error()));
        double a = 0;
        if (GEOSArea_r(bctx, inter.get(), &a) != 1)
          throw Error(fmt::format("zone table: cannot measure zone '{}': {}", zones[z].id,
                                  b.geos->last_error()));
        // Rounding in the overlay can push a fully covered zone a hair above 1.
        share[z] = std::clamp(a / zone_area, 0.0, 1.0);
      } catch (...) {
        failures[z] = std::current_exception();
      }
    }
  });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return share;
}

// Competition ranking ("1224") by descending count; equal counts share a rank.
std::vector<int> competition_ranks(const std::vector<std::int64_t>& counts) {
  std::vector<std::size_t> order(counts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  std::vector<int> rank(counts.size(), 0);
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i > 0 && counts[order[i]] == counts[order[i - 1]])
      rank[order[i]] = rank[order[i - 1]];
    else
      rank[order[i]] = static_cast<int>(i) + 1;
  }
  return rank;
}

std::string direction(std::int64_t change, double p, double alpha) {
  if (!(p < alpha) || change == 0) return "";
  return change > 0 ? "up" : "down";
}

}  // namespace

void ZoneTableOptions::validate() const {
  if (!(alpha > 0 && alpha < 1))
    throw InvalidArgument(fmt::format("zone table: alpha must be in (0, 1), got {}", alpha));
}

double change_test_p(std::int64_t n1, std::int64_t n2) {
  if (n1 < 0 || n2 < 0)
    throw InvalidArgument(fmt::format("change test: counts must be >= 0, got {} and {}", n1, n2));
  const std::int64_t n = n1 + n2;
  const std::int64_t k = std::min(n1, n2);
  if (n == 0 || 2 * k == n) return 1.0;
  if (n <= 10'000) {
    // Σ_{i<=k} C(n, i) upward: t·(n−i+1) then /i keeps every binomial coefficient below 2^53
    // exact, so small cases equal their closed forms; rescaling by 2^−900 keeps C(10000, ·)
    // (up to 10^3008) in range, and ldexp puts the 2^−n back without rounding.
    double t = 1.0;
    double sum = 1.0;
    int scaled = 0;
    for (std::int64_t i = 1; i <= k; ++i) {
      t = t * static_cast<double>(n - i + 1) / static_cast<double>(i);
      sum += t;
      if (sum > 0x1p900) {
        t = std::ldexp(t, -900);
        sum = std::ldexp(sum, -900);
        scaled += 900;
      }
    }
    return std::min(1.0, 2.0 * std::ldexp(sum, scaled - static_cast<int>(n)));
  }
  // Large n: P(X <= k) summed from the largest term (i = k, since k < n/2) down, each term from
  // the previous by C(n, i−1)/C(n, i) = i / (n − i + 1), stopping once the terms no longer
  // change the sum; the largest term comes from lgamma (relative error ~1e−16 · n·log n).
  const double dn = static_cast<double>(n);
  const double dk = static_cast<double>(k);
  const double log_top =
      std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) - dn * std::log(2.0);
  double term = 1.0;  // relative to exp(log_top)
  double sum = 1.0;
  for (std::int64_t i = k; i > 0; --i) {
    term *= static_cast<double>(i) / static_cast<double>(n - i + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return std::min(1.0, 2.0 * std::exp(log_top + std::log(sum)));
}

ZoneTable compute_zone_table(const std::vector<Zone>& zones, const std::vector<double>& population,
                             PointColumns current, PointColumns previous,
                             const std::vector<const MultiPolygon*>& hotspots,
                             const ZoneTableOptions& options) {
  options.validate();
  if (!population.empty() && population.size() != zones.size())
    throw InvalidArgument(fmt::format("zone table: {} population values for {} zones",
                                      population.size(), zones.size()));
  std::vector<const MultiPolygon*> geometries;
  geometries.reserve(zones.size());
  for (const auto& z : zones) geometries.push_back(&z.geometry);
  const ZoneIndex index(geometries);
  const auto now = count_by_zone(index, zones.size(), current, "current");
  const auto before = count_by_zone(index, zones.size(), previous, "previous");
  const auto shares = hotspot_shares(zones, hotspots);

  ZoneTable table;
  table.total = static_cast<std::int64_t>(current.x.size());
  table.total_previous = static_cast<std::int64_t>(previous.x.size());
  table.outside = now[zones.size()];
  table.outside_previous = before[zones.size()];
  table.has_population = !population.empty();

  const std::vector<std::int64_t> in_zone(now.begin(), now.end() - 1);
  const auto ranks = competition_ranks(in_zone);
  std::vector<double> p(zones.size());
  table.rows.resize(zones.size());
  for (std::size_t z = 0; z < zones.size(); ++z) {
    ZoneRow& r = table.rows[z];
    r.zone = static_cast<std::int32_t>(z);
    r.id = zones[z].id;
    r.name = zones[z].name;
    r.area_km2 = area(zones[z].geometry) / 1e6;
    r.incidents = now[z];
    const double n = static_cast<double>(r.incidents);
    r.per_km2 = r.area_km2 > 0 ? n / r.area_km2 : kNaN;
    r.population = population.empty() ? kNaN : population[z];
    r.per_1000 = r.population > 0 ? 1000.0 * n / r.population : kNaN;
    r.rank = ranks[z];
    r.share = table.total > 0 ? n / static_cast<double>(table.total) : kNaN;
    r.previous = before[z];
    r.change = r.incidents - r.previous;
    r.change_pct = r.previous > 0
                       ? 100.0 * static_cast<double>(r.change) / static_cast<double>(r.previous)
                       : kNaN;
    r.change_p = change_test_p(r.previous, r.incidents);
    p[z] = r.change_p;
    r.change_flag = direction(r.change, r.change_p, options.alpha);
    r.hotspot_share = shares[z];
  }
  const auto q = bh_adjust(p);
  for (std::size_t z = 0; z < zones.size(); ++z) {
    table.rows[z].change_q = q[z];
    table.rows[z].change_flag_fdr = direction(table.rows[z].change, q[z], options.alpha);
  }
  return table;
}

}  // namespace hotspots
