// SPDX-License-Identifier: MIT
#include "detail/png_file.hpp"

#include <fmt/format.h>
#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots::detail {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// cairo's un-premultiplication (cairo-png.c): alpha 0 is transparent black.
std::uint8_t unpremultiply(std::uint32_t c, std::uint32_t alpha) {
  return static_cast<std::uint8_t>((c * 255 + alpha / 2) / alpha);
}

}  // namespace

void write_png(cairo_surface_t* surface, const std::string& path, int zlib_level) {
  cairo_surface_flush(surface);
  const cairo_format_t format = cairo_image_surface_get_format(surface);
  if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24)
    throw IoError(fmt::format("{}: cannot write the PNG: not an RGB image", path));
  const int width = cairo_image_surface_get_width(surface);
  const int height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  // As cairo does, an ARGB32 image whose every pixel is opaque is written as RGB.
  bool alpha = false;
  if (format == CAIRO_FORMAT_ARGB32)
    for (int y = 0; y < height && !alpha; ++y)
      for (int x = 0; x < width; ++x) {
        std::uint32_t p;
        std::memcpy(&p, data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, 4);
        if ((p >> 24) != 0xff) {
          alpha = true;
          break;
        }
      }
  const int channels = alpha ? 4 : 3;

  // Native-endian 32-bit pixels (0xAARRGGBB) to RGB(A) bytes, row by row.
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * channels *
                                    static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    unsigned char* out = pixels.data() + static_cast<std::size_t>(y) * width * channels;
    for (int x = 0; x < width; ++x) {
      std::uint32_t p;
      std::memcpy(&p, data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, 4);
      std::uint32_t r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
      if (alpha) {
        const std::uint32_t a = p >> 24;
        if (a == 0) {
          r = g = b = 0;
        } else if (a != 255) {
          r = unpremultiply(r, a);
          g = unpremultiply(g, a);
          b = unpremultiply(b, a);
        }
        out[3] = static_cast<unsigned char>(a);
      }
      out[0] = static_cast<unsigned char>(r);
      out[1] = static_cast<unsigned char>(g);
      out[2] = static_cast<unsigned char>(b);
      out += channels;
    }
  }

  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "wb"));
  if (!file) throw IoError(fmt::format("{}: cannot create the PNG", path));
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw IoError(fmt::format("{}: cannot write the PNG: out of memory", path));
  }
  std::vector<png_bytep> rows(static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y)
    rows[static_cast<std::size_t>(y)] =
        pixels.data() + static_cast<std::size_t>(y) * width * channels;
  // libpng reports errors by longjmp: nothing with a destructor is created after this point.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw IoError(fmt::format("{}: cannot write the PNG", path));
  }
  png_init_io(png, file.get());
  png_set_compression_level(png, zlib_level);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);  // see kPngZlibLevel
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows.data());
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  if (std::fflush(file.get()) != 0 || std::ferror(file.get()))
    throw IoError(fmt::format("{}: cannot write the PNG", path));
}

std::optional<PngRgbStream> read_png_rgb_stream(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return std::nullopt;
  static constexpr unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kSignature, 8) != 0) return std::nullopt;
  const auto u32 = [&bytes](std::size_t at) {
    const auto b = [&](std::size_t i) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i]));
    };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
  };
  PngRgbStream out;
  bool header = false;
  for (std::size_t at = 8;;) {
    if (bytes.size() - at < 12) return std::nullopt;  // no IEND
    const std::size_t length = u32(at);
    if (length > bytes.size() - at - 12) return std::nullopt;
    const std::string_view type(bytes.data() + at + 4, 4);
    const auto* typed = reinterpret_cast<const Bytef*>(bytes.data() + at + 4);
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), typed, static_cast<uInt>(length + 4));
    if (crc != u32(at + 8 + length)) return std::nullopt;
    const std::size_t data = at + 8;
    if (type == "IHDR") {
      if (length != 13 || header) return std::nullopt;
      const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[data + i]); };
      // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
      if (byte(8) != 8 || byte(9) != 2 || byte(10) != 0 || byte(11) != 0 || byte(12) != 0)
        return std::nullopt;
      const std::uint32_t w = u32(data), h = u32(data + 4);
      if (w == 0 || h == 0 || w > 1000000 || h > 1000000) return std::nullopt;
      out.width = static_cast<int>(w);
      out.height = static_cast<int>(h);
      header = true;
    } else if (type == "IDAT") {
      if (!header) return std::nullopt;
      out.zlib.append(bytes, data, length);
    } else if (type == "IEND") {
      break;
    } else if (type == "PLTE" || type == "tRNS") {
      return std::nullopt;  // a palette or transparency changes what the pixels mean
    }
    at = data + length + 4;
  }
  if (!header || out.zlib.empty()) return std::nullopt;
  return out;
}

}  // namespace hotspots::detail
