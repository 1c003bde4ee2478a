// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/io/crs.hpp"

namespace hotspots {

enum class FieldType { integer, real, text };

struct FieldDef {
  std::string name;
  FieldType type = FieldType::real;
};

/// std::monostate = null (NaN reals are written as null too).
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct PolygonFeature {
  MultiPolygon geometry;           ///< in the layer's CRS (the analysis CRS)
  std::vector<FieldValue> values;  ///< one per FieldDef
};

struct VectorWriteOptions {
  bool overwrite = false;
  std::string layer_name = "hotspots";
  /// Decimal places of GeoJSON lon/lat (7 ≈ 1 cm).
  int geojson_precision = 7;
};

/// Writes polygons with attributes. The format follows the extension: .geojson/.json (RFC 7946:
/// reprojected to WGS84 lon/lat, right-hand-rule rings, no crs member, one feature per line),
/// .gpkg (GeoPackage) or .shp (ESRI Shapefile), the last two in `crs`. Features keep their
/// order. Written under a temporary name and renamed. Throws IoError / InvalidArgument (unknown
/// extension).
void write_polygons(const std::string& path, const Crs& crs, const std::vector<FieldDef>& fields,
                    const std::vector<PolygonFeature>& features, const VectorWriteOptions& options);

}  // namespace hotspots
