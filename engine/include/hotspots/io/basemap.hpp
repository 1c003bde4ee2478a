// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/io/crs.hpp"

namespace hotspots {

/// The lines of a vector basemap (roads, rivers, building or parcel outlines), in the analysis
/// CRS, for drawing under a map's surface.
/// Or a raster basemap (GeoTIFF, MBTiles, GeoPackage tiles: anything GDAL opens as a raster with
/// a CRS): then `raster` is true, `lines` is empty and the maps warp it with
/// warp_basemap_raster() into their own frame.
struct BasemapLines {
  std::string path;
  std::vector<std::vector<Point>> lines;  ///< polylines; polygon rings are closed polylines
  bool raster = false;                    ///< `path` is a raster drawn by warp_basemap_raster()
  Crs analysis;                           ///< raster: the CRS the maps are drawn in
  Extent extent;                          ///< the area asked for (analysis CRS; empty = all)
};

/// A raster basemap warped into a map frame: width_px × height_px pixels, row-major from the
/// top-left, non-premultiplied RGBA. Colours are turned into light greys (luminance L = 0.299 R +
/// 0.587 G + 0.114 B, shown as 255 − 0.45 · (255 − L)) so that a coloured surface reads over it;
/// alpha is 0 where the basemap has no data or does not reach.
struct BasemapImage {
  int width_px = 0;
  int height_px = 0;
  std::vector<std::uint8_t> rgba;  ///< 4 · width_px · height_px bytes
};

/// Reads every line and polygon feature of every layer of the vector file `path` (any OGR
/// source: GeoPackage, Shapefile, GeoJSON...), reprojects them from the layer's CRS into
/// `analysis`, and keeps the parts whose bounding box meets `extent` (analysis CRS; empty = all).
/// Points are skipped. A raster source (no vector layers, one or more raster bands) is only
/// checked (it opens, it has a CRS and a geotransform) and returned with `raster` set.
/// Throws IoError (no such file), InputError (nothing GDAL reads, a layer or raster without CRS)
/// naming `path`.
/// Cost: O(vertices of the file).
[[nodiscard]] BasemapLines read_basemap_lines(const std::string& path, const Crs& analysis,
                                              const Extent& extent);

/// Warps the raster basemap `path` into `frame` (in `analysis`, the map's CRS) at width_px ×
/// height_px pixels with GDAL's warper (bilinear; nearest for a palette band, whose colours are
/// then looked up): RGB(A), greyscale and palette inputs. Deterministic (single-threaded warp).
/// Throws InputError naming `path` if GDAL cannot read or warp it.
/// Cost: O(width_px · height_px) plus GDAL's reads of the source blocks the frame meets.
[[nodiscard]] BasemapImage warp_basemap_raster(const std::string& path, const Crs& analysis,
                                               const Extent& frame, int width_px, int height_px);

/// What write_basemap_raster_copy wrote.
struct BasemapCopy {
  int width_px = 0;
  int height_px = 0;
  double pixel_size_m = 0;  ///< in the analysis CRS
};

/// The pack's own copy of the raster basemap `path` (so that a pack stays whole when moved and
/// never refers to a file outside it): warp_basemap_raster() over `frame` (analysis CRS) at the
/// source's own pixel size in `analysis` (GDAL's suggested warp output), coarser when that would
/// make the longer side exceed `max_side_px` pixels, so that a national tile set never lands
/// whole in a pack. The frame is widened to whole pixels (its top-left corner kept). Written to
/// `out_path` as a two-band Byte GeoTIFF (band 1 the grey the maps show, band 2 alpha),
/// DEFLATE-compressed, tiled, in `analysis`; under a temporary name and renamed. Deterministic.
/// Throws InputError naming `path` (cannot read or warp), IoError naming `out_path`,
/// InvalidArgument for an empty frame or max_side_px < 16.
/// Cost: O(pixels written) plus GDAL's reads of the source blocks the frame meets.
BasemapCopy write_basemap_raster_copy(const std::string& path, const Crs& analysis,
                                      const Extent& frame, const std::string& out_path,
                                      int max_side_px, bool overwrite);

/// The lines of a vector basemap (BasemapLines::lines, in `analysis`) as GeoJSON (RFC 7946: WGS
/// 84 longitude/latitude with 7 decimals, one LineString feature per line in their order, no
/// properties, one feature per line of text). Under a temporary name and renamed. Throws IoError
/// naming `out_path`, CrsError when a point cannot be transformed.
/// Cost: O(vertices).
void write_basemap_lines(const std::string& out_path, const std::vector<std::vector<Point>>& lines,
                         const Crs& analysis, bool overwrite);

}  // namespace hotspots
