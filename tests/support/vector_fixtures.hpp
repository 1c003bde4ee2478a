// SPDX-License-Identifier: MIT
#pragma once

// Writes small vector layers through GDAL/OGR for tests (GeoPackage, Shapefile, GeoJSON...),
// so that no fixture file has to be committed and every fixture is readable in the test itself.

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hotspots::testing {

struct FixtureFeature {
  std::string wkt;                  ///< geometry as WKT ("" = no geometry)
  std::vector<std::string> values;  ///< one per field, as strings
};

/// Creates `path` with one layer `layer` of `features` using `driver` ("GPKG", "ESRI Shapefile",
/// "GeoJSON"). `epsg` 0 writes a layer without CRS. Every field is a string field.
inline void write_vector_layer(const std::string& path, const char* driver, int epsg,
                               const std::string& layer, OGRwkbGeometryType type,
                               const std::vector<std::string>& fields,
                               const std::vector<FixtureFeature>& features) {
  GDALAllRegister();
  GDALDriverH drv = GDALGetDriverByName(driver);
  if (!drv) throw std::runtime_error(std::string("no GDAL driver ") + driver);
  GDALDatasetH ds = GDALCreate(drv, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  if (!ds) throw std::runtime_error("cannot create " + path);
  OGRSpatialReferenceH srs = nullptr;
  if (epsg != 0) {
    srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, epsg);
  }
  OGRLayerH lyr = GDALDatasetCreateLayer(ds, layer.c_str(), srs, type, nullptr);
  if (srs) OSRRelease(srs);
  if (!lyr) throw std::runtime_error("cannot create layer in " + path);
  for (const auto& name : fields) {
    OGRFieldDefnH fd = OGR_Fld_Create(name.c_str(), OFTString);
    OGR_L_CreateField(lyr, fd, TRUE);
    OGR_Fld_Destroy(fd);
  }
  for (const auto& f : features) {
    OGRFeatureH feature = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    for (std::size_t i = 0; i < f.values.size(); ++i)
      OGR_F_SetFieldString(feature, static_cast<int>(i), f.values[i].c_str());
    if (!f.wkt.empty()) {
      OGRGeometryH g = nullptr;
      char* text = const_cast<char*>(f.wkt.c_str());
      if (OGR_G_CreateFromWkt(&text, nullptr, &g) != OGRERR_NONE)
        throw std::runtime_error("bad WKT " + f.wkt);
      OGR_F_SetGeometryDirectly(feature, g);
    }
    if (OGR_L_CreateFeature(lyr, feature) != OGRERR_NONE)
      throw std::runtime_error("cannot write a feature to " + path);
    OGR_F_Destroy(feature);
  }
  GDALClose(ds);
}

}  // namespace hotspots::testing
