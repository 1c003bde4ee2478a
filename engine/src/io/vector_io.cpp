// SPDX-License-Identifier: MIT
#include "hotspots/io/vector_io.hpp"

#include <cpl_string.h>
#include <fmt/format.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_p.h>
#include <ogr_spatialref.h>
#include <ogr_srs_api.h>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <algorithm>
#include <atomic>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "detail/gdal_util.hpp"
#include "detail/json_number.hpp"
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

// ---- GeoJSON written directly, as GDAL 3.6's driver writes it ----------------------------------
// GDAL's GeoJSON driver builds a json-c tree per feature and formats each coordinate through a
// std::ostringstream; for the 44,000 cells of a 50 m Gi* layer that took longer than computing
// them. The text below is what the driver writes with RFC7946=YES, COORDINATE_PRECISION and
// WRITE_NAME=NO (ogrgeojsonwritelayer.cpp, ogrgeojsonwriter.cpp, json-c's spaced printing),
// byte for byte: tests/unit/io/vector_io_test.cpp compares it with ogr2ogr's output. Features
// outside what that covers (non-finite or near-date-line coordinates, a value of another type
// than its field, text that is not UTF-8, an empty polygon) go through the driver instead.

// json-c's string escaping with JSON_C_TO_STRING_NOSLASHESCAPE (json_escape_str).
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < ' ') {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

using detail::append_json_coordinate;
using detail::append_json_real;

bool value_fits(const FieldValue& value, FieldType type) {
  return std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) return true;
        if constexpr (std::is_same_v<T, std::int64_t>) return type == FieldType::integer;
        if constexpr (std::is_same_v<T, double>) return type == FieldType::real;
        if constexpr (std::is_same_v<T, std::string>)
          return type == FieldType::text && CPLIsUTF8(v.c_str(), static_cast<int>(v.size())) &&
                 v.find('\0') == std::string::npos;
        return false;
      },
      value);
}

// A point's coordinates as their bits: equal keys are equal doubles (and -0 is not 0).
struct PointBitsHash {
  std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& p) const {
    return std::hash<std::uint64_t>{}(p.first * 0x9E3779B97F4A7C15ULL ^ p.second);
  }
};

// Scratch of one thread's features: their coordinates in one batch (transformed by one call),
// a ring for OGR's orientation test, and its own copy of the transformation (not thread-safe).
struct FeatureScratch {
  std::vector<double> x, y, z;
  std::vector<int> ok;
  // The distinct points of the batch, and which of them each point is.
  std::vector<double> ux, uy;
  std::vector<std::uint32_t> which;
  std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, std::uint32_t, PointBitsHash> seen;
  OGRLinearRing ring;
  std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
};

// One ring of `n` points from x[k], y[k], reversed when needed so that exteriors are
// counter-clockwise and holes clockwise (OGRGeoJSONWriteRingCoords with the right-hand rule,
// isClockwise() decided by OGR on the same lon/lat).
void append_ring(std::string& out, FeatureScratch& s, std::size_t k, int n, bool exterior,
                 int precision) {
  s.ring.setPoints(n, s.x.data() + k, s.y.data() + k);
  const bool invert = exterior == static_cast<bool>(s.ring.isClockwise());
  out += "[ ";
  for (int i = 0; i < n; ++i) {
    const std::size_t at = k + static_cast<std::size_t>(invert ? n - 1 - i : i);
    if (i > 0) out += ", ";
    out += "[ ";
    append_json_coordinate(out, s.x[at], precision);
    out += ", ";
    append_json_coordinate(out, s.y[at], precision);
    out += " ]";
  }
  out += " ]";
}

// Whether GDAL's driver would write this lon/lat polygon as it is: finite, away from the date
// line and the poles (its WRAPDATELINE step leaves it alone), no ring of fewer than 4 points.
bool plain_lonlat(const FeatureScratch& s, std::size_t k, const Polygon& polygon) {
  const auto ring_ok = [&](const Ring& ring) {
    if (ring.size() < 4) return false;
    for (std::size_t i = 0; i < ring.size(); ++i, ++k)
      if (!(std::abs(s.x[k]) < 170.0) || !(std::abs(s.y[k]) < 89.0)) return false;
    return true;
  };
  if (!ring_ok(polygon.exterior)) return false;
  for (const Ring& hole : polygon.holes)
    if (!ring_ok(hole)) return false;
  return true;
}

// Features [begin, end) as GDAL's driver writes them, appended to `text`; false when one needs
// the driver. Their coordinates go through the transformation in one call: PROJ transforms each
// point on its own, so the numbers are those of OGRGeometry::transform, feature by feature.
bool append_features(std::string& text, const std::vector<FieldDef>& fields,
                     const std::vector<PolygonFeature>& features, std::size_t begin,
                     std::size_t end, FeatureScratch& s, int precision) {
  s.x.clear();
  s.y.clear();
  for (std::size_t n = begin; n < end; ++n)
    for (const Polygon& polygon : features[n].geometry) {
      for (const Point& p : polygon.exterior) s.x.push_back(p.x), s.y.push_back(p.y);
      for (const Ring& hole : polygon.holes)
        for (const Point& p : hole) s.x.push_back(p.x), s.y.push_back(p.y);
    }
  if (s.to_wgs84 && !s.x.empty()) {
    // Each distinct point once: cells side by side share corners, and a ring ends where it
    // starts. PROJ transforms each point on its own, so a point's numbers are the same however
    // many times it appears.
    s.ux.clear();
    s.uy.clear();
    s.which.resize(s.x.size());
    s.seen.clear();
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      const auto key = std::make_pair(std::bit_cast<std::uint64_t>(s.x[i]),
                                      std::bit_cast<std::uint64_t>(s.y[i]));
      const auto [at, added] = s.seen.try_emplace(key, static_cast<std::uint32_t>(s.ux.size()));
      if (added) s.ux.push_back(s.x[i]), s.uy.push_back(s.y[i]);
      s.which[i] = at->second;
    }
    // As OGRSimpleCurve::transform: heights 0, every point must transform.
    s.z.assign(s.ux.size(), 0.0);
    s.ok.assign(s.ux.size(), 0);
    if (!s.to_wgs84->Transform(static_cast<int>(s.ux.size()), s.ux.data(), s.uy.data(), s.z.data(),
                               nullptr, s.ok.data()))
      return false;
    if (std::find(s.ok.begin(), s.ok.end(), 0) != s.ok.end()) return false;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      s.x[i] = s.ux[s.which[i]];
      s.y[i] = s.uy[s.which[i]];
    }
  }
  std::size_t k = 0;  // the feature's first point in s.x, s.y
  for (std::size_t n = begin; n < end; ++n) {
    const PolygonFeature& feature = features[n];
    if (feature.geometry.empty()) return false;
    std::size_t points = k;
    for (const Polygon& polygon : feature.geometry) {
      if (!plain_lonlat(s, points, polygon)) return false;
      points += polygon.exterior.size();
      for (const Ring& hole : polygon.holes) points += hole.size();
    }
    if (n > 0) text += ",\n";
    text += "{ \"type\": \"Feature\", \"properties\": { ";
    bool first = true;
    for (std::size_t i = 0; i < fields.size() && i < feature.values.size(); ++i) {
      if (!first) text += ", ";
      first = false;
      append_json_string(text, fields[i].name);
      text += ": ";
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              text += "null";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              text += std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
              if (std::isfinite(v))
                append_json_real(text, v);
              else
                text += "null";
            } else {
              append_json_string(text, v);
            }
          },
          feature.values[i]);
    }
    text += first ? "}" : " }";
    const bool single = feature.geometry.size() == 1;
    text += single ? ", \"geometry\": { \"type\": \"Polygon\", \"coordinates\": "
                   : ", \"geometry\": { \"type\": \"MultiPolygon\", \"coordinates\": [ ";
    for (std::size_t p = 0; p < feature.geometry.size(); ++p) {
      const Polygon& polygon = feature.geometry[p];
      if (p > 0) text += ", ";
      text += "[ ";
      append_ring(text, s, k, static_cast<int>(polygon.exterior.size()), true, precision);
      k += polygon.exterior.size();
      for (const Ring& hole : polygon.holes) {
        text += ", ";
        append_ring(text, s, k, static_cast<int>(hole.size()), false, precision);
        k += hole.size();
      }
      text += " ]";
    }
    text += single ? " } }" : " ] } }";
  }
  return true;
}

/// Writes `features` to `temp_path` (the temporary file of `path`) as GDAL's RFC 7946 GeoJSON;
/// false (nothing left written) when a feature needs the driver itself. Blocks of features are
/// made side by side (TBB, each thread with its own copy of the transformation) and written in
/// order, so the bytes do not depend on the number of threads.
bool write_geojson_directly(const std::string& path, const std::string& temp_path, const Crs& crs,
                            const std::vector<FieldDef>& fields,
                            const std::vector<PolygonFeature>& features, int precision) {
  std::set<std::string> names;
  for (const FieldDef& f : fields)
    if (!names.insert(f.name).second || !CPLIsUTF8(f.name.c_str(), -1)) return false;
  for (const PolygonFeature& feature : features) {
    if (feature.values.size() < fields.size()) return false;  // unset fields: the driver's way
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (!value_fits(feature.values[i], fields[i].type)) return false;
  }
  OGRSpatialReference source;
  if (source.importFromWkt(crs.wkt.c_str()) != OGRERR_NONE) return false;
  source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReference wgs84;
  wgs84.SetWellKnownGeogCS("WGS84");
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
  if (!source.IsSame(&wgs84)) {
    to_wgs84.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
    if (!to_wgs84) return false;
  }
  std::mutex cloning;  // threads make their copies of the one transformation one at a time
  tbb::enumerable_thread_specific<FeatureScratch> scratch([&] {
    FeatureScratch s;
    const std::lock_guard<std::mutex> lock(cloning);
    if (to_wgs84) s.to_wgs84.reset(to_wgs84->Clone());
    return s;
  });
  // Streamed block by block; on a feature the driver must write, the partial file goes.
  std::ofstream file(temp_path, std::ios::binary | std::ios::trunc);
  file << "{\n\"type\": \"FeatureCollection\",\n\"features\": [\n";
  constexpr std::size_t kBlock = 512;
  struct Block {
    std::size_t begin = 0;
    std::string text;
    bool ok = true;
  };
  std::atomic<bool> failed{false};
  std::size_t next = 0;
  tbb::parallel_pipeline(
      2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()),
      tbb::make_filter<void, std::shared_ptr<Block>>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> std::shared_ptr<Block> {
            if (next >= features.size() || failed) {
              fc.stop();
              return nullptr;
            }
            auto block = std::make_shared<Block>();
            block->begin = next;
            next = std::min(features.size(), next + kBlock);
            return block;
          }) &
          tbb::make_filter<std::shared_ptr<Block>, std::shared_ptr<Block>>(
              tbb::filter_mode::parallel,
              [&](std::shared_ptr<Block> block) {
                if (failed) return block;
                // GDAL's errors are per thread: on a worker, a point that does not transform
                // must not print through GDAL's default handler (the driver writes it instead).
                const detail::GdalErrorScope quiet;
                FeatureScratch& s = scratch.local();
                if (to_wgs84 && !s.to_wgs84) block->ok = false;
                block->ok =
                    block->ok &&
                    append_features(block->text, fields, features, block->begin,
                                    std::min(features.size(), block->begin + kBlock), s, precision);
                if (!block->ok) failed = true;
                return block;
              }) &
          tbb::make_filter<std::shared_ptr<Block>, void>(
              tbb::filter_mode::serial_in_order, [&](const std::shared_ptr<Block>& block) {
                if (!failed)
                  file.write(block->text.data(), static_cast<std::streamsize>(block->text.size()));
              }));
  if (failed) {
    file.close();
    std::error_code ec;
    std::filesystem::remove(temp_path, ec);
    return false;
  }
  file << "\n]\n}\n";
  file.close();
  if (!file) throw IoError(write_error_text(path, "cannot write"));
  return true;
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
  if (driver_name == std::string_view("GeoJSON") &&
      write_geojson_directly(path, file.temp_path(), crs, fields, features,
                             options.geojson_precision)) {
    file.commit();
    return;
  }
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
