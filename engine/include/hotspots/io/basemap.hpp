// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/io/crs.hpp"

namespace hotspots {

/// The lines of a vector basemap (roads, rivers, building or parcel outlines), in the analysis
/// CRS, for drawing under a map's surface.
struct BasemapLines {
  std::string path;
  std::vector<std::vector<Point>> lines;  ///< polylines; polygon rings are closed polylines
};

/// Reads every line and polygon feature of every layer of the vector file `path` (any OGR
/// source: GeoPackage, Shapefile, GeoJSON...), reprojects them from the layer's CRS into
/// `analysis`, and keeps the parts whose bounding box meets `extent` (analysis CRS; empty = all).
/// Points are skipped. Throws IoError (no such file), InputError (not a vector source GDAL reads,
/// a layer without CRS, or a raster: only vector basemaps are drawn) naming `path`.
/// Cost: O(vertices of the file).
[[nodiscard]] BasemapLines read_basemap_lines(const std::string& path, const Crs& analysis,
                                              const Extent& extent);

}  // namespace hotspots
