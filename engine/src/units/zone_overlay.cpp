// SPDX-License-Identifier: MIT
#include "hotspots/units/zone_overlay.hpp"

#include "detail/geos_util.hpp"

namespace hotspots {
namespace {

/// Whether a vertex of `area` lies in the interior of the prepared zone.
bool vertex_inside(detail::GeosContext& geos, const GEOSPreparedGeometry* zone,
                   const MultiPolygon& area) {
  for (const Polygon& polygon : area)
    for (const Point& p : polygon.exterior) {
      const detail::GeosGeometryPtr point(GEOSGeom_createPointFromXY_r(geos.get(), p.x, p.y),
                                          detail::GeosDeleter{geos.get()});
      if (point && GEOSPreparedContainsProperly_r(geos.get(), zone, point.get()) == 1) return true;
    }
  return false;
}

}  // namespace

std::vector<std::vector<std::int32_t>> zones_overlapping(
    const std::vector<Zone>& zones, const std::vector<const MultiPolygon*>& areas) {
  detail::GeosContext geos;
  std::vector<detail::GeosGeometryPtr> zone_geoms;
  std::vector<const GEOSPreparedGeometry*> prepared;
  std::vector<Extent> zone_extents;
  for (const auto& z : zones) {
    zone_geoms.push_back(detail::to_geos(geos, z.geometry));
    prepared.push_back(GEOSPrepare_r(geos.get(), zone_geoms.back().get()));
    zone_extents.push_back(extent_of(z.geometry));
  }
  std::vector<std::vector<std::int32_t>> out(areas.size());
  for (std::size_t a = 0; a < areas.size(); ++a) {
    const Extent ae = extent_of(*areas[a]);
    auto area_geom = detail::to_geos(geos, *areas[a]);
    for (std::size_t z = 0; z < zones.size(); ++z) {
      const Extent& ze = zone_extents[z];
      if (ze.xmax <= ae.xmin || ze.xmin >= ae.xmax || ze.ymax <= ae.ymin || ze.ymin >= ae.ymax)
        continue;
      // Interiors must meet: touching along an edge is not overlap.
      if (GEOSPreparedIntersects_r(geos.get(), prepared[z], area_geom.get()) != 1) continue;
      // A vertex of the area strictly inside the zone settles it (every neighbourhood of it
      // meets the area's interior) with point-in-polygon tests on the prepared zone; only
      // the other pairs need GEOS's full relate (touches).
      if (vertex_inside(geos, prepared[z], *areas[a]) ||
          GEOSPreparedTouches_r(geos.get(), prepared[z], area_geom.get()) != 1)
        out[a].push_back(static_cast<std::int32_t>(z));
    }
  }
  for (const auto* p : prepared) GEOSPreparedGeom_destroy_r(geos.get(), p);
  return out;
}

}  // namespace hotspots
