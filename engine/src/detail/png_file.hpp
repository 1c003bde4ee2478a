// SPDX-License-Identifier: MIT
#pragma once

#include <cairo.h>

#include <string>

namespace hotspots::detail {

/// zlib level of the pack's PNG maps and charts: 1 (fastest), with every row filtered by "Sub"
/// (the left neighbour) instead of libpng's per-row choice among five filters.
/// cairo_surface_write_to_png (level 6, adaptive filters) cost the 50 m force pack more time
/// than drawing the maps; this writes the same pixels into files about 13 % larger.
inline constexpr int kPngZlibLevel = 1;

/// Writes an image surface (CAIRO_FORMAT_ARGB32 or RGB24) to `path` as an 8-bit PNG with the
/// pixels cairo_surface_write_to_png writes (RGBA with un-premultiplied alpha, or RGB when every
/// pixel is opaque), at
/// `zlib_level`. Throws IoError naming the path.
void write_png(cairo_surface_t* surface, const std::string& path, int zlib_level = kPngZlibLevel);

}  // namespace hotspots::detail
