// SPDX-License-Identifier: MIT
#pragma once

// RAII over the reentrant GEOS C API, and conversions to and from the engine's polygon types.

#include <geos_c.h>

#include <memory>
#include <string>

#include "hotspots/core/geometry.hpp"

namespace hotspots::detail {

class GeosContext {
 public:
  GeosContext();
  ~GeosContext();
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;
  GEOSContextHandle_t get() const { return handle_; }
  const std::string& last_error() const { return error_; }

 private:
  static void on_error(const char* message, void* userdata);
  GEOSContextHandle_t handle_;
  std::string error_;
};

struct GeosDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
};
using GeosGeometryPtr = std::unique_ptr<GEOSGeometry, GeosDeleter>;

/// Builds a GEOS (Multi)Polygon; throws Error on failure.
GeosGeometryPtr to_geos(const GeosContext& ctx, const MultiPolygon& polygons);

/// Collects the polygonal parts of any GEOS geometry (lines and points of a MakeValid result are
/// dropped), with exteriors counter-clockwise and holes clockwise.
MultiPolygon from_geos(const GeosContext& ctx, const GEOSGeometry* geometry);

}  // namespace hotspots::detail
