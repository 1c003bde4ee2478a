// SPDX-License-Identifier: MIT
#include "hotspots/io/basemap.hpp"

#include <fmt/format.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <gdalwarper.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <memory>
#include <vector>

#include "detail/gdal_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {
namespace {

void add_geometry(OGRGeometryH g, std::vector<std::vector<Point>>& out) {
  if (g == nullptr) return;
  const int parts = OGR_G_GetGeometryCount(g);
  if (parts > 0) {  // polygons (rings), multi-geometries, collections
    for (int i = 0; i < parts; ++i) add_geometry(OGR_G_GetGeometryRef(g, i), out);
    return;
  }
  const int n = OGR_G_GetPointCount(g);
  if (n < 2) return;  // points and empty geometries
  std::vector<Point> line;
  line.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) line.push_back({OGR_G_GetX(g, i), OGR_G_GetY(g, i)});
  out.push_back(std::move(line));
}

}  // namespace

BasemapLines read_basemap_lines(const std::string& path, const Crs& analysis,
                                const Extent& extent) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_READONLY,
                               nullptr, nullptr, nullptr);
  if (!ds) {
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) != 0) throw IoError(fmt::format("{}: no such file", path));
    throw InputError(path, 0, "",
                     "not a basemap GDAL can read (give roads or outlines as a GeoPackage, "
                     "Shapefile or GeoJSON, or a raster: GeoTIFF, MBTiles, GeoPackage tiles)");
  }
  std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
  BasemapLines out;
  out.path = path;
  out.extent = extent;
  if (GDALDatasetGetLayerCount(ds) == 0 && GDALGetRasterCount(ds) > 0) {
    double gt[6];
    if (GDALGetSpatialRef(ds) == nullptr || GDALGetGeoTransform(ds, gt) != CE_None)
      throw InputError(path, 0, "", "raster basemap declares no CRS or no georeferencing");
    out.raster = true;
    out.analysis = analysis;
    return out;
  }
  for (int l = 0; l < GDALDatasetGetLayerCount(ds); ++l) {
    OGRLayerH layer = GDALDatasetGetLayer(ds, l);
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    if (srs == nullptr)
      throw InputError(path, 0, "",
                       fmt::format("layer '{}' declares no CRS", OGR_L_GetName(layer)));
    char* wkt = nullptr;
    OSRExportToWkt(srs, &wkt);
    const Crs source = crs_from_user_text(wkt ? wkt : "");
    CPLFree(wkt);
    const CoordinateTransform ct(source, analysis);
    std::vector<std::vector<Point>> lines;
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      add_geometry(OGR_F_GetGeometryRef(f), lines);
      OGR_F_Destroy(f);
    }
    for (auto& line : lines) {
      std::vector<double> x, y;
      for (const Point& p : line) {
        x.push_back(p.x);
        y.push_back(p.y);
      }
      ct.transform(x, y);
      Extent e;
      std::vector<Point> kept;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i])) {
          kept.push_back({x[i], y[i]});
          e.include(x[i], y[i]);
        }
      if (kept.size() < 2) continue;
      if (!extent.empty() && (e.xmax < extent.xmin || e.xmin > extent.xmax ||
                              e.ymax < extent.ymin || e.ymin > extent.ymax))
        continue;
      out.lines.push_back(std::move(kept));
    }
  }
  return out;
}

BasemapImage warp_basemap_raster(const std::string& path, const Crs& analysis, const Extent& frame,
                                 int width_px, int height_px) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  GDALDatasetH src =
      GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!src) throw InputError(path, 0, "", "not a raster GDAL can read");
  std::unique_ptr<void, decltype(&GDALClose)> src_holder(src, &GDALClose);
  const int bands = GDALGetRasterCount(src);
  if (bands < 1) throw InputError(path, 0, "", "raster basemap has no bands");
  GDALRasterBandH first = GDALGetRasterBand(src, 1);
  const bool palette = bands == 1 && GDALGetRasterColorTable(first) != nullptr;

  // gdalwarp -of MEM -t_srs <analysis> -te <frame> -ts w h -r bilinear|near -dstalpha: the last
  // band of the result is the alpha GDAL's warper computes from nodata / the source's alpha.
  const std::vector<std::string> args = {"-of",
                                         "MEM",
                                         "-t_srs",
                                         analysis.wkt,
                                         "-te",
                                         fmt::format("{:.17g}", frame.xmin),
                                         fmt::format("{:.17g}", frame.ymin),
                                         fmt::format("{:.17g}", frame.xmax),
                                         fmt::format("{:.17g}", frame.ymax),
                                         "-ts",
                                         std::to_string(width_px),
                                         std::to_string(height_px),
                                         "-r",
                                         palette ? "near" : "bilinear",
                                         "-ot",
                                         "Byte",
                                         "-dstalpha",
                                         "-wo",
                                         "NUM_THREADS=1"};
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
  if (options == nullptr)
    throw InputError(path, 0, "", "cannot warp: " + errors.message("bad warp options"));
  int usage_error = 0;
  GDALDatasetH dst = GDALWarp("", nullptr, 1, &src, options, &usage_error);
  GDALWarpAppOptionsFree(options);
  if (dst == nullptr)
    throw InputError(path, 0, "", "cannot warp into the map: " + errors.message());
  std::unique_ptr<void, decltype(&GDALClose)> dst_holder(dst, &GDALClose);

  const int out_bands = GDALGetRasterCount(dst);
  const std::size_t n = static_cast<std::size_t>(width_px) * static_cast<std::size_t>(height_px);
  std::vector<std::vector<std::uint8_t>> band(static_cast<std::size_t>(out_bands),
                                              std::vector<std::uint8_t>(n));
  for (int b = 0; b < out_bands; ++b)
    if (GDALRasterIO(GDALGetRasterBand(dst, b + 1), GF_Read, 0, 0, width_px, height_px,
                     band[static_cast<std::size_t>(b)].data(), width_px, height_px, GDT_Byte, 0,
                     0) != CE_None)
      throw InputError(path, 0, "", "cannot read the warped basemap: " + errors.message());
  const std::vector<std::uint8_t>& alpha = band.back();
  const int colour_bands = out_bands - 1;  // the rest: grey, palette index, or R G B (+ more)

  std::vector<std::array<double, 3>> lut;  // a palette's colours
  if (palette) {
    GDALColorTableH table = GDALGetRasterColorTable(first);
    const int entries = GDALGetColorEntryCount(table);
    lut.assign(256, {0, 0, 0});
    for (int i = 0; i < std::min(entries, 256); ++i) {
      GDALColorEntry e;
      GDALGetColorEntryAsRGB(table, i, &e);
      lut[static_cast<std::size_t>(i)] = {double(e.c1), double(e.c2), double(e.c3)};
    }
  }
  BasemapImage out;
  out.width_px = width_px;
  out.height_px = height_px;
  out.rgba.assign(4 * n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    double r = 0, g = 0, b = 0;
    if (palette) {
      const auto& c = lut[band[0][i]];
      r = c[0];
      g = c[1];
      b = c[2];
    } else if (colour_bands >= 3) {
      r = band[0][i];
      g = band[1][i];
      b = band[2][i];
    } else {
      r = g = b = band[0][i];
    }
    const double luminance = 0.299 * r + 0.587 * g + 0.114 * b;
    const auto grey = static_cast<std::uint8_t>(std::lround(255.0 - 0.45 * (255.0 - luminance)));
    out.rgba[4 * i] = out.rgba[4 * i + 1] = out.rgba[4 * i + 2] = grey;
    out.rgba[4 * i + 3] = alpha[i];
  }
  return out;
}

namespace {

/// The source's pixel size once warped into `analysis` (GDALSuggestedWarpOutput), metres.
double suggested_pixel_size(const std::string& path, const Crs& analysis) {
  detail::GdalErrorScope errors;
  GDALDatasetH src =
      GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!src) throw InputError(path, 0, "", "not a raster GDAL can read");
  std::unique_ptr<void, decltype(&GDALClose)> holder(src, &GDALClose);
  const std::string dst = "DST_SRS=" + analysis.wkt;
  const char* options[] = {dst.c_str(), nullptr};
  void* transformer = GDALCreateGenImgProjTransformer2(src, nullptr, const_cast<char**>(options));
  if (transformer == nullptr)
    throw InputError(path, 0, "", "cannot transform the basemap: " + errors.message());
  double gt[6];
  int cols = 0, rows = 0;
  const CPLErr err =
      GDALSuggestedWarpOutput(src, GDALGenImgProjTransform, transformer, gt, &cols, &rows);
  GDALDestroyGenImgProjTransformer(transformer);
  if (err != CE_None || !(gt[1] > 0) || !std::isfinite(gt[1]))
    throw InputError(path, 0, "", "cannot find the basemap's pixel size: " + errors.message());
  return gt[1];
}

}  // namespace

BasemapCopy write_basemap_raster_copy(const std::string& path, const Crs& analysis,
                                      const Extent& frame, const std::string& out_path,
                                      int max_side_px, bool overwrite) {
  if (frame.empty() || !(frame.width() > 0) || !(frame.height() > 0))
    throw InvalidArgument("basemap copy: the frame is empty");
  if (max_side_px < 16)
    throw InvalidArgument(
        fmt::format("basemap copy: max_side_px must be >= 16, got {}", max_side_px));
  detail::ensure_gdal();
  double px = suggested_pixel_size(path, analysis);
  px = std::max(px, std::max(frame.width(), frame.height()) / max_side_px);
  BasemapCopy copy;
  copy.pixel_size_m = px;
  copy.width_px = std::max(1, static_cast<int>(std::ceil(frame.width() / px - 1e-9)));
  copy.height_px = std::max(1, static_cast<int>(std::ceil(frame.height() / px - 1e-9)));
  const Extent whole{frame.xmin, frame.ymax - copy.height_px * px, frame.xmin + copy.width_px * px,
                     frame.ymax};
  const BasemapImage image =
      warp_basemap_raster(path, analysis, whole, copy.width_px, copy.height_px);

  detail::GdalErrorScope errors;
  AtomicFile file(out_path, overwrite);
  {
    GDALDriverH driver = GDALGetDriverByName("GTiff");
    const char* create_options[] = {"COMPRESS=DEFLATE",
                                    "TILED=YES",
                                    "BLOCKXSIZE=256",
                                    "BLOCKYSIZE=256",
                                    "ALPHA=UNASSOCIATED",
                                    "PHOTOMETRIC=MINISBLACK",
                                    nullptr};
    GDALDatasetH ds = GDALCreate(driver, file.temp_path().c_str(), copy.width_px, copy.height_px, 2,
                                 GDT_Byte, const_cast<char**>(create_options));
    if (!ds) throw IoError(fmt::format("{}: cannot create: {}", out_path, errors.message()));
    std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
    double gt[6] = {whole.xmin, px, 0.0, whole.ymax, 0.0, -px};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, analysis.wkt.c_str());
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds, 1), GCI_GrayIndex);
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds, 2), GCI_AlphaBand);
    const std::size_t n =
        static_cast<std::size_t>(copy.width_px) * static_cast<std::size_t>(copy.height_px);
    std::vector<std::uint8_t> band(n);
    for (int b = 0; b < 2; ++b) {
      const std::size_t offset = b == 0 ? 0 : 3;  // RGBA: the grey in R (= G = B), alpha
      for (std::size_t i = 0; i < n; ++i) band[i] = image.rgba[4 * i + offset];
      if (GDALRasterIO(GDALGetRasterBand(ds, b + 1), GF_Write, 0, 0, copy.width_px, copy.height_px,
                       band.data(), copy.width_px, copy.height_px, GDT_Byte, 0, 0) != CE_None)
        throw IoError(write_error_text(out_path, "write failed", errors.message()));
    }
    CPLErrorReset();
    GDALClose(holder.release());
    if (CPLGetLastErrorType() >= CE_Failure)
      throw IoError(write_error_text(out_path, "cannot finish the file", errors.message()));
  }
  file.commit();
  return copy;
}

void write_basemap_lines(const std::string& out_path, const std::vector<std::vector<Point>>& lines,
                         const Crs& analysis, bool overwrite) {
  const CoordinateTransform to_lonlat(analysis, crs_from_epsg(4326));
  std::string text = "{\"type\":\"FeatureCollection\",\"features\":[\n";
  for (std::size_t k = 0; k < lines.size(); ++k) {
    std::vector<double> x, y;
    for (const Point& p : lines[k]) {
      x.push_back(p.x);
      y.push_back(p.y);
    }
    to_lonlat.transform(x, y);
    text +=
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
        "\"coordinates\":[";
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
        throw CrsError(
            fmt::format("{}: a basemap point cannot be transformed to WGS 84", out_path));
      text += fmt::format("{}[{:.7f},{:.7f}]", i == 0 ? "" : ",", x[i], y[i]);
    }
    text += k + 1 == lines.size() ? "]}}\n" : "]}},\n";
  }
  text += "]}\n";
  AtomicFile file(out_path, overwrite);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) throw IoError(write_error_text(out_path, "write failed"));
  }
  file.commit();
}

}  // namespace hotspots
