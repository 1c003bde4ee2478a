// SPDX-License-Identifier: MIT
#include "hotspots/io/basemap.hpp"

#include <fmt/format.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <memory>

#include "detail/gdal_util.hpp"
#include "hotspots/core/error.hpp"

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
  GDALDatasetH ds =
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) {
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) != 0) throw IoError(fmt::format("{}: no such file", path));
    throw InputError(path, 0, "",
                     "not a vector basemap GDAL can read (raster basemaps are not drawn yet: give "
                     "roads or outlines as a GeoPackage, Shapefile or GeoJSON)");
  }
  std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
  BasemapLines out;
  out.path = path;
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

}  // namespace hotspots
