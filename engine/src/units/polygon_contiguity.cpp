// SPDX-License-Identifier: MIT
#include "hotspots/units/polygon_contiguity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>

#include "detail/geos_util.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using BoxEntry = std::pair<BBox, std::int32_t>;

}  // namespace

Neighbours polygon_contiguity(const std::vector<MultiPolygon>& polygons, Contiguity contiguity,
                              double snap_m) {
  if (!(snap_m >= 0) || !std::isfinite(snap_m))
    throw InvalidArgument(fmt::format("contiguity snap {} m: must be >= 0", snap_m));
  if (polygons.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InvalidArgument("contiguity: 2^31 polygons or more");
  const auto n = static_cast<std::int32_t>(polygons.size());
  detail::GeosContext geos;
  GEOSContextHandle_t h = geos.get();
  std::vector<detail::GeosGeometryPtr> geoms;
  std::vector<BoxEntry> boxes;
  geoms.reserve(polygons.size());
  for (std::int32_t i = 0; i < n; ++i) {
    geoms.push_back(detail::to_geos(geos, polygons[static_cast<std::size_t>(i)]));
    const Extent e = extent_of(polygons[static_cast<std::size_t>(i)]).grown(snap_m);
    if (!e.empty()) boxes.emplace_back(BBox(BPoint(e.xmin, e.ymin), BPoint(e.xmax, e.ymax)), i);
  }
  const bgi::rtree<BoxEntry, bgi::rstar<16>> tree(boxes.begin(), boxes.end());
  const auto geos_fail = [&](const char* what) {
    return Error(fmt::format("GEOS cannot {}: {}", what, geos.last_error()));
  };
  Neighbours nb;
  nb.lists.resize(polygons.size());
  std::vector<BoxEntry> hits;
  for (const BoxEntry& entry : boxes) {
    const std::int32_t i = entry.second;
    hits.clear();
    tree.query(bgi::intersects(entry.first), std::back_inserter(hits));
    for (const BoxEntry& hit : hits) {
      const std::int32_t j = hit.second;
      if (j <= i) continue;  // each pair once; lists are filled symmetrically
      const GEOSGeometry* a = geoms[static_cast<std::size_t>(i)].get();
      const GEOSGeometry* b = geoms[static_cast<std::size_t>(j)].get();
      double d = 0;
      if (!GEOSDistance_r(h, a, b, &d)) throw geos_fail("measure a distance");
      if (d > snap_m) continue;
      if (contiguity == Contiguity::rook) {
        detail::GeosGeometryPtr snapped(GEOSSnap_r(h, b, a, snap_m), detail::GeosDeleter{h});
        if (!snapped) throw geos_fail("snap");
        detail::GeosGeometryPtr ba(GEOSBoundary_r(h, a), detail::GeosDeleter{h});
        detail::GeosGeometryPtr bb(GEOSBoundary_r(h, snapped.get()), detail::GeosDeleter{h});
        if (!ba || !bb) throw geos_fail("take a boundary");
        detail::GeosGeometryPtr shared(GEOSIntersection_r(h, ba.get(), bb.get()),
                                       detail::GeosDeleter{h});
        if (!shared) throw geos_fail("intersect boundaries");
        double length = 0;
        if (!GEOSLength_r(h, shared.get(), &length)) throw geos_fail("measure a length");
        // A point contact has length 0; a snapped shared edge has the edge's length.
        if (!(length > snap_m) || length == 0) continue;
      }
      nb.lists[static_cast<std::size_t>(i)].push_back(j);
      nb.lists[static_cast<std::size_t>(j)].push_back(i);
    }
  }
  for (auto& list : nb.lists) std::sort(list.begin(), list.end());
  return nb;
}

Point polygon_centroid(const MultiPolygon& polygons) {
  double a = 0;
  double cx = 0;
  double cy = 0;
  const auto add = [&](const Ring& ring, double sign) {
    // Orientation-free: each ring contributes with the sign of its role (exterior +, hole −).
    double ra = 0;
    double rx = 0;
    double ry = 0;
    for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
      const double cross = ring[k].x * ring[k + 1].y - ring[k + 1].x * ring[k].y;
      ra += cross;
      rx += (ring[k].x + ring[k + 1].x) * cross;
      ry += (ring[k].y + ring[k + 1].y) * cross;
    }
    const double s = ra < 0 ? -sign : sign;
    a += s * ra / 2.0;
    cx += s * rx / 6.0;
    cy += s * ry / 6.0;
  };
  for (const Polygon& p : polygons) {
    add(p.exterior, 1.0);
    for (const Ring& hole : p.holes) add(hole, -1.0);
  }
  if (!(std::abs(a) > 0)) throw InvalidArgument("centroid of a polygon set with zero area");
  return {cx / a, cy / a};
}

}  // namespace hotspots
