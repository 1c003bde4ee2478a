// SPDX-License-Identifier: MIT
#include "detail/geos_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include "hotspots/core/error.hpp"

namespace hotspots::detail {

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
  GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::on_error, this);
}

GeosContext::~GeosContext() {
  GEOS_finish_r(handle_);
}

void GeosContext::on_error(const char* message, void* userdata) {
  static_cast<GeosContext*>(userdata)->error_ = message ? message : "";
}

namespace {

GEOSGeometry* ring_to_geos(const GeosContext& ctx, const Ring& ring, bool exterior) {
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx.get(), static_cast<unsigned>(ring.size()), 2);
  for (std::size_t i = 0; i < ring.size(); ++i)
    GEOSCoordSeq_setXY_r(ctx.get(), seq, static_cast<unsigned>(i), ring[i].x, ring[i].y);
  GEOSGeometry* g = GEOSGeom_createLinearRing_r(ctx.get(), seq);
  if (!g)
    throw Error(fmt::format("cannot build a polygon {} ring: {}", exterior ? "outer" : "inner",
                            ctx.last_error()));
  return g;
}

Ring ring_from_geos(const GeosContext& ctx, const GEOSGeometry* ring, bool want_ccw) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.get(), ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(ctx.get(), seq, &n);
  Ring out(n);
  for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(ctx.get(), seq, i, &out[i].x, &out[i].y);
  const bool ccw = signed_area(out) > 0;
  if (ccw != want_ccw) std::reverse(out.begin(), out.end());
  return out;
}

void collect(const GeosContext& ctx, const GEOSGeometry* g, MultiPolygon& out) {
  const int type = GEOSGeomTypeId_r(ctx.get(), g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(ctx.get(), g)) return;
    Polygon p;
    p.exterior = ring_from_geos(ctx, GEOSGetExteriorRing_r(ctx.get(), g), true);
    const int holes = GEOSGetNumInteriorRings_r(ctx.get(), g);
    for (int i = 0; i < holes; ++i)
      p.holes.push_back(ring_from_geos(ctx, GEOSGetInteriorRingN_r(ctx.get(), g, i), false));
    out.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(ctx.get(), g);
    for (int i = 0; i < n; ++i) collect(ctx, GEOSGetGeometryN_r(ctx.get(), g, i), out);
  }
}

}  // namespace

GeosGeometryPtr to_geos(const GeosContext& ctx, const MultiPolygon& polygons) {
  std::vector<GEOSGeometry*> parts;
  for (const auto& polygon : polygons) {
    GEOSGeometry* shell = ring_to_geos(ctx, polygon.exterior, true);
    std::vector<GEOSGeometry*> holes;
    for (const auto& h : polygon.holes) holes.push_back(ring_to_geos(ctx, h, false));
    parts.push_back(GEOSGeom_createPolygon_r(ctx.get(), shell, holes.data(),
                                             static_cast<unsigned>(holes.size())));
  }
  GEOSGeometry* g = GEOSGeom_createCollection_r(ctx.get(), GEOS_MULTIPOLYGON, parts.data(),
                                                static_cast<unsigned>(parts.size()));
  if (!g) throw Error(fmt::format("cannot build a multipolygon: {}", ctx.last_error()));
  return GeosGeometryPtr(g, GeosDeleter{ctx.get()});
}

MultiPolygon from_geos(const GeosContext& ctx, const GEOSGeometry* geometry) {
  MultiPolygon out;
  if (geometry) collect(ctx, geometry, out);
  return out;
}

}  // namespace hotspots::detail
