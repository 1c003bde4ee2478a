// SPDX-License-Identifier: MIT
#include "hotspots/io/vector_io.hpp"

#include <fmt/format.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string_view>

#include "detail/gdal_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {
namespace {

std::string extension_of(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

OGRGeometryH to_ogr_geometry(const MultiPolygon& polygons) {
  OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiPolygon);
  for (const auto& p : polygons) {
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    auto add_ring = [&](const Ring& r) {
      OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
      for (const auto& pt : r) OGR_G_AddPoint_2D(ring, pt.x, pt.y);
      OGR_G_AddGeometryDirectly(poly, ring);
    };
    add_ring(p.exterior);
    for (const auto& h : p.holes) add_ring(h);
    OGR_G_AddGeometryDirectly(multi, poly);
  }
  return multi;
}

}  // namespace

void write_polygons(const std::string& path, const Crs& crs, const std::vector<FieldDef>& fields,
                    const std::vector<PolygonFeature>& features,
                    const VectorWriteOptions& options) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  const std::string ext = extension_of(path);
  const char* driver_name = nullptr;
  std::vector<std::string> layer_options;
  if (ext == ".geojson" || ext == ".json") {
    driver_name = "GeoJSON";
    layer_options = {"RFC7946=YES",
                     fmt::format("COORDINATE_PRECISION={}", options.geojson_precision),
                     "WRITE_NAME=NO"};
  } else if (ext == ".gpkg") {
    driver_name = "GPKG";
  } else if (ext == ".shp") {
    driver_name = "ESRI Shapefile";
    layer_options = {"ENCODING=UTF-8"};
  } else {
    throw InvalidArgument(
        fmt::format("{}: unknown vector format '{}': use .geojson, .gpkg or .shp", path, ext));
  }
  AtomicFile file(path, options.overwrite);
  // A shapefile is several files: write them under the temporary stem, then rename each.
  static const char* kShapefileParts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};
  {
    GDALDriverH driver = GDALGetDriverByName(driver_name);
    GDALDatasetH ds = GDALCreate(driver, file.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (!ds) throw IoError(fmt::format("{}: cannot create: {}", path, errors.message()));
    std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(crs.wkt.c_str());
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<void, decltype(&OSRRelease)> srs_holder(srs, &OSRRelease);
    // GeoJSON is WGS84 lon/lat. Given a layer in another CRS, GDAL's driver (3.6) rebuilds the
    // transformation's geographic CRSs for every feature, which costs more than writing it. The
    // same transformation the driver would build (to WGS84, GIS axis order) is made once here
    // and applied to each geometry as the driver would (OGR_G_Transform: the same PROJ call on
    // the same coordinates), and the layer is created in WGS84 so the driver transforms nothing;
    // its RFC 7946 steps (date-line wrapping, right-hand rule, precision) run as before.
    OGRSpatialReferenceH wgs84 = nullptr;
    std::unique_ptr<void, decltype(&OSRRelease)> wgs84_holder(nullptr, &OSRRelease);
    std::unique_ptr<void, decltype(&OCTDestroyCoordinateTransformation)> to_wgs84(
        nullptr, &OCTDestroyCoordinateTransformation);
    if (driver_name == std::string_view("GeoJSON")) {
      wgs84 = OSRNewSpatialReference(nullptr);
      wgs84_holder.reset(wgs84);
      OSRSetWellKnownGeogCS(wgs84, "WGS84");
      OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
      if (!OSRIsSame(srs, wgs84)) {
        to_wgs84.reset(OCTNewCoordinateTransformation(srs, wgs84));
        if (!to_wgs84)
          throw IoError(fmt::format("{}: no transformation from {} to WGS84: {}", path, crs.label(),
                                    errors.message()));
      }
    }
    std::vector<const char*> lco;
    for (const auto& o : layer_options) lco.push_back(o.c_str());
    lco.push_back(nullptr);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, options.layer_name.c_str(), to_wgs84 ? wgs84 : srs,
                                             wkbMultiPolygon, const_cast<char**>(lco.data()));
    if (!layer)
      throw IoError(fmt::format("{}: cannot create the layer: {}", path, errors.message()));
    for (const auto& f : fields) {
      const OGRFieldType type = f.type == FieldType::integer ? OFTInteger64
                                : f.type == FieldType::real  ? OFTReal
                                                             : OFTString;
      OGRFieldDefnH defn = OGR_Fld_Create(f.name.c_str(), type);
      const OGRErr err = OGR_L_CreateField(layer, defn, TRUE);
      OGR_Fld_Destroy(defn);
      if (err != OGRERR_NONE)
        throw IoError(
            fmt::format("{}: cannot create field {}: {}", path, f.name, errors.message()));
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const bool transaction = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    for (const auto& feature : features) {
      OGRFeatureH f = OGR_F_Create(defn);
      std::unique_ptr<void, decltype(&OGR_F_Destroy)> fh(f, &OGR_F_Destroy);
      for (std::size_t i = 0; i < fields.size() && i < feature.values.size(); ++i) {
        const int idx = static_cast<int>(i);
        std::visit(
            [&](const auto& v) {
              using T = std::decay_t<decltype(v)>;
              if constexpr (std::is_same_v<T, std::monostate>) {
                OGR_F_SetFieldNull(f, idx);
              } else if constexpr (std::is_same_v<T, std::int64_t>) {
                OGR_F_SetFieldInteger64(f, idx, v);
              } else if constexpr (std::is_same_v<T, double>) {
                if (std::isfinite(v))
                  OGR_F_SetFieldDouble(f, idx, v);
                else
                  OGR_F_SetFieldNull(f, idx);
              } else {
                OGR_F_SetFieldString(f, idx, v.c_str());
              }
            },
            feature.values[i]);
      }
      OGRGeometryH geometry = to_ogr_geometry(feature.geometry);
      if (to_wgs84) {
        OGR_G_AssignSpatialReference(geometry, srs);
        if (OGR_G_Transform(geometry, static_cast<OGRCoordinateTransformationH>(to_wgs84.get())) !=
            OGRERR_NONE) {
          OGR_G_DestroyGeometry(geometry);
          throw IoError(
              write_error_text(path, "cannot transform a feature to WGS84", errors.message()));
        }
      }
      OGR_F_SetGeometryDirectly(f, geometry);
      if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE)
        throw IoError(write_error_text(path, "cannot write a feature", errors.message()));
    }
    if (transaction && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
      throw IoError(write_error_text(path, "cannot commit", errors.message()));
    CPLErrorReset();
    GDALClose(holder.release());
    if (CPLGetLastErrorType() >= CE_Failure)
      throw IoError(write_error_text(path, "cannot finish the file", errors.message()));
  }
  if (ext == ".shp") {
    namespace fs = std::filesystem;
    const fs::path temp(file.temp_path());
    const fs::path dest(path);
    for (const char* part : kShapefileParts) {
      fs::path from = temp;
      from.replace_extension(part);
      if (!fs::exists(from) || std::string(part) == ".shp") continue;
      fs::path to = dest;
      to.replace_extension(part);
      fs::rename(from, to);
    }
  }
  file.commit();
}

}  // namespace hotspots
