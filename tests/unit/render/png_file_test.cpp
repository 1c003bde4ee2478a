// SPDX-License-Identifier: MIT
// The pack's PNG writer against cairo's own (cairo_surface_write_to_png, the peer): the same
// surface must decode to the same pixels, in the same PNG colour type, whatever the zlib level.
// The stream reader (read_png_rgb_stream) against libpng's decoder: its zlib stream, inflated and
// unfiltered here by the PNG specification's five filters, must be the decoded rows.
#include "detail/png_file.hpp"

#include <cairo.h>
#include <gtest/gtest.h>
#include <png.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
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

// The rows of an 8-bit RGB image from its PNG zlib stream: inflated, then each row's filter
// (0 none, 1 Sub, 2 Up, 3 Average, 4 Paeth; PNG specification, section 9) undone.
std::string unfilter_rgb(const std::string& zlib_stream, int width, int height) {
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  std::string raw((row + 1) * static_cast<std::size_t>(height), '\0');
  uLongf size = static_cast<uLongf>(raw.size());
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(raw.data()), &size,
                       reinterpret_cast<const Bytef*>(zlib_stream.data()),
                       static_cast<uLong>(zlib_stream.size())),
            Z_OK);
  EXPECT_EQ(size, raw.size());
  std::string out(row * static_cast<std::size_t>(height), '\0');
  const auto at = [&](std::size_t y, std::size_t i) -> int {
    return static_cast<unsigned char>(out[y * row + i]);
  };
  for (std::size_t y = 0; y < static_cast<std::size_t>(height); ++y) {
    const int filter = static_cast<unsigned char>(raw[y * (row + 1)]);
    for (std::size_t i = 0; i < row; ++i) {
      const int x = static_cast<unsigned char>(raw[y * (row + 1) + 1 + i]);
      const int a = i >= 3 ? at(y, i - 3) : 0;
      const int b = y > 0 ? at(y - 1, i) : 0;
      const int c = i >= 3 && y > 0 ? at(y - 1, i - 3) : 0;
      int predicted = 0;
      if (filter == 1) predicted = a;
      if (filter == 2) predicted = b;
      if (filter == 3) predicted = (a + b) / 2;
      if (filter == 4) {
        const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * row + i] = static_cast<char>((x + predicted) & 0xff);
    }
  }
  return out;
}

// The RGB bytes of decode()'s RGBA pixels.
std::string rgb_of(const std::string& rgba) {
  std::string out;
  for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) out.append(rgba, i, 3);
  return out;
}

TEST(PngFile, AnRgbPngsStreamUnfiltersToItsDecodedPixels) {
  ScratchDir dir("png_stream");
  // Ours (level 1, Sub) and cairo's (level 6, libpng's choice of filters per row).
  const Surface s = picture(CAIRO_FORMAT_RGB24, false);
  const std::string ours = dir.file("ours.png");
  const std::string peer = dir.file("cairo.png");
  detail::write_png(s.get(), ours);
  ASSERT_EQ(cairo_surface_write_to_png(s.get(), peer.c_str()), CAIRO_STATUS_SUCCESS);
  for (const std::string& path : {ours, peer}) {
    const auto stream = detail::read_png_rgb_stream(path);
    ASSERT_TRUE(stream.has_value()) << path;
    EXPECT_EQ(stream->width, 97);
    EXPECT_EQ(stream->height, 61);
    EXPECT_TRUE(unfilter_rgb(stream->zlib, 97, 61) == rgb_of(decode(path))) << path;
  }
}

TEST(PngFile, NoStreamForAlphaACorruptChunkATruncatedFileOrNoPng) {
  ScratchDir dir("png_no_stream");
  const std::string rgba = dir.file("rgba.png");
  detail::write_png(picture(CAIRO_FORMAT_ARGB32, true).get(), rgba);
  ASSERT_EQ(colour_type(rgba), 6);
  EXPECT_FALSE(detail::read_png_rgb_stream(rgba).has_value());
  const std::string good = dir.file("good.png");
  detail::write_png(picture(CAIRO_FORMAT_RGB24, false).get(), good);
  ASSERT_TRUE(detail::read_png_rgb_stream(good).has_value());
  const std::string bytes = testing::read_file(good);
  const auto write = [](const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
    return path;
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x10);  // in IDAT
  EXPECT_FALSE(detail::read_png_rgb_stream(write(dir.file("crc.png"), flipped)).has_value());
  EXPECT_FALSE(
      detail::read_png_rgb_stream(write(dir.file("cut.png"), bytes.substr(0, 200))).has_value());
  EXPECT_FALSE(detail::read_png_rgb_stream(write(dir.file("text.png"), "not a png")).has_value());
  EXPECT_FALSE(detail::read_png_rgb_stream(dir.file("missing.png")).has_value());
}

}  // namespace
}  // namespace hotspots
