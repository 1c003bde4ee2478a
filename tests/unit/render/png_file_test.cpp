// SPDX-License-Identifier: MIT
// The pack's PNG writer against cairo's own (cairo_surface_write_to_png, the peer): the same
// surface must decode to the same pixels, in the same PNG colour type, whatever the zlib level.
#include "detail/png_file.hpp"

#include <cairo.h>
#include <gtest/gtest.h>
#include <png.h>

#include <cstring>
#include <memory>
#include <string>

#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

using testing::ScratchDir;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

// A 97 x 61 picture: a gradient, a half-transparent disc and (when `holes`) a cleared corner.
Surface picture(cairo_format_t format, bool holes) {
  Surface s(cairo_image_surface_create(format, 97, 61), cairo_surface_destroy);
  cairo_t* cr = cairo_create(s.get());
  cairo_pattern_t* g = cairo_pattern_create_linear(0, 0, 97, 61);
  cairo_pattern_add_color_stop_rgb(g, 0, 0.9, 0.1, 0.2);
  cairo_pattern_add_color_stop_rgb(g, 1, 0.1, 0.3, 0.8);
  cairo_set_source(cr, g);
  cairo_paint(cr);
  cairo_pattern_destroy(g);
  cairo_set_source_rgba(cr, 0.2, 0.7, 0.3, 0.37);
  cairo_arc(cr, 40, 30, 22, 0, 6.3);
  cairo_fill(cr);
  if (holes) {
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0.5, 0.5, 0.9, 0.21);
    cairo_rectangle(cr, 70, 0, 27, 20);
    cairo_fill(cr);
    cairo_set_source_rgba(cr, 0, 0, 0, 0);
    cairo_rectangle(cr, 0, 50, 30, 11);
    cairo_fill(cr);
  }
  cairo_destroy(cr);
  cairo_surface_flush(s.get());
  return s;
}

// The pixels of a PNG file as 8-bit RGBA (libpng's simplified reader: no premultiplication,
// so a rounding difference in the un-premultiplied values shows).
std::string decode(const std::string& path) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  EXPECT_NE(png_image_begin_read_from_file(&image, path.c_str()), 0) << path;
  image.format = PNG_FORMAT_RGBA;
  std::string bytes(PNG_IMAGE_SIZE(image), '\0');
  EXPECT_NE(png_image_finish_read(&image, nullptr, bytes.data(), 0, nullptr), 0) << path;
  return bytes;
}

// The PNG colour type byte of the IHDR chunk: 2 = RGB, 6 = RGBA.
int colour_type(const std::string& path) {
  return testing::read_file(path).at(25);
}

TEST(PngFile, DecodesToCairosPixelsForOpaqueTranslucentAndRgbImages) {
  ScratchDir dir("png_file");
  struct Case {
    cairo_format_t format;
    bool holes;
    int expected_colour_type;
  };
  for (const Case c : {Case{CAIRO_FORMAT_ARGB32, false, 2}, Case{CAIRO_FORMAT_ARGB32, true, 6},
                       Case{CAIRO_FORMAT_RGB24, true, 2}}) {
    const Surface s = picture(c.format, c.holes);
    const std::string peer = dir.file("cairo.png");
    const std::string ours = dir.file("ours.png");
    ASSERT_EQ(cairo_surface_write_to_png(s.get(), peer.c_str()), CAIRO_STATUS_SUCCESS);
    for (const int level : {1, 6, 9}) {
      detail::write_png(s.get(), ours, level);
      EXPECT_EQ(colour_type(ours), colour_type(peer));
      EXPECT_EQ(colour_type(ours), c.expected_colour_type);
      EXPECT_TRUE(decode(ours) == decode(peer)) << "format " << c.format << " level " << level;
    }
  }
}

TEST(PngFile, UnwritablePathThrowsNamingIt) {
  const Surface s = picture(CAIRO_FORMAT_RGB24, false);
  try {
    detail::write_png(s.get(), "/nonexistent_dir/x.png");
    FAIL() << "no exception";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent_dir/x.png"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hotspots
