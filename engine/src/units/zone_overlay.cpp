// SPDX-License-Identifier: MIT
#include "hotspots/units/zone_overlay.hpp"

#include <functional>
#include <memory>

#include "detail/geos_util.hpp"

namespace hotspots {
namespace {

/// Whether a vertex of `polygons` lies in the interior of the prepared geometry `inside`.
bool vertex_inside(detail::GeosContext& geos, const GEOSPreparedGeometry* inside,
                   const MultiPolygon& polygons) {
  for (const Polygon& polygon : polygons)
    for (const Point& p : polygon.exterior) {
      const detail::GeosGeometryPtr point(GEOSGeom_createPointFromXY_r(geos.get(), p.x, p.y),
                                          detail::GeosDeleter{geos.get()});
      if (point && GEOSPreparedContainsProperly_r(geos.get(), inside, point.get()) == 1)
        return true;
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
    const GEOSPreparedGeometry* area_prepared = GEOSPrepare_r(geos.get(), area_geom.get());
    const std::unique_ptr<const GEOSPreparedGeometry,
                          std::function<void(const GEOSPreparedGeometry*)>>
        area_holder(area_prepared, [&geos](const GEOSPreparedGeometry* p) {
          if (p) GEOSPreparedGeom_destroy_r(geos.get(), p);
        });
    for (std::size_t z = 0; z < zones.size(); ++z) {
      const Extent& ze = zone_extents[z];
      if (ze.xmax <= ae.xmin || ze.xmin >= ae.xmax || ze.ymax <= ae.ymin || ze.ymin >= ae.ymax)
        continue;
      // Interiors must meet: touching along an edge is not overlap.
      if (GEOSPreparedIntersects_r(geos.get(), prepared[z], area_geom.get()) != 1) continue;
      // A vertex of the area strictly inside the zone, or of the zone inside the area, settles
      // it (every neighbourhood of a vertex meets its own polygon's interior) with
      // point-in-polygon tests on the prepared geometries; only the other pairs need GEOS's
      // full relate (touches).
      if (vertex_inside(geos, prepared[z], *areas[a]) ||
          (area_prepared && vertex_inside(geos, area_prepared, zones[z].geometry)) ||
          GEOSPreparedTouches_r(geos.get(), prepared[z], area_geom.get()) != 1)
        out[a].push_back(static_cast<std::int32_t>(z));
    }
  }
  for (const auto* p : prepared) GEOSPreparedGeom_destroy_r(geos.get(), p);
  return out;
}

}  // namespace hotspots
