// SPDX-License-Identifier: MIT
#pragma once

#include <cairo.h>

#include <optional>
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

/// An 8-bit RGB, non-interlaced PNG's size and compressed pixels: the data of its IDAT chunks in
/// order, one zlib stream of filtered rows. A PDF takes that stream as it is (FlateDecode with
/// /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns width >>, ISO 32000-1
/// 7.4.4.4), so the image need not be decoded nor compressed again.
struct PngRgbStream {
  int width = 0;
  int height = 0;
  std::string zlib;
};

/// The PNG at `path` as a PngRgbStream, or nullopt when it cannot be taken as it is: not 8-bit
/// RGB (a palette, grey or alpha), interlaced, unreadable, or not a well-formed PNG (a bad
/// signature, a chunk running past the end, a CRC that does not match, no IEND). The caller
/// then decodes it (and reports what is wrong with it). O(file size).
[[nodiscard]] std::optional<PngRgbStream> read_png_rgb_stream(const std::string& path);

}  // namespace hotspots::detail
