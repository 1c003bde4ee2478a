// SPDX-License-Identifier: MIT
#pragma once

#include <cairo.h>

#include <string>

namespace hotspots::detail {

/// zlib level of the pack's PNG maps and charts: 1 (fastest). cairo_surface_write_to_png takes
/// libpng's default (6), which cost the 50 m force pack more time than drawing the maps; level 1
/// makes files about a quarter larger for the same pixels.
inline constexpr int kPngZlibLevel = 1;

/// Writes an image surface (CAIRO_FORMAT_ARGB32 or RGB24) to `path` as an 8-bit PNG with the
/// pixels cairo_surface_write_to_png writes (RGBA with un-premultiplied alpha, or RGB when every
/// pixel is opaque), at
/// `zlib_level`. Throws IoError naming the path.
void write_png(cairo_surface_t* surface, const std::string& path, int zlib_level = kPngZlibLevel);

}  // namespace hotspots::detail
