// SPDX-License-Identifier: MIT
#include "hotspots/io/zones.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <memory>
#include <unordered_map>

#include "detail/gdal_util.hpp"
#include "detail/geos_util.hpp"
#include "detail/text.hpp"
#include "detail/text_decode.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using detail::upper;

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using BoxEntry = std::pair<BBox, std::int32_t>;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// First field matching, in order of preference, the exact names then the suffixes.
std::string pick_field(const std::vector<std::string>& names,
                       std::initializer_list<std::string_view> exact,
                       std::initializer_list<std::string_view> suffixes) {
  for (auto e : exact)
    for (const auto& n : names)
      if (upper(n) == e) return n;
  for (auto s : suffixes)
    for (const auto& n : names)
      if (ends_with(upper(n), s)) return n;
  return "";
}

MultiPolygon polygons_from_ogr(const detail::GeosContext& geos, OGRGeometryH geom) {
  OGRGeometryH linear = OGR_G_GetLinearGeometry(geom, 0, nullptr);
  const int size = OGR_G_WkbSize(linear);
  std::vector<unsigned char> wkb(static_cast<std::size_t>(size));
  OGR_G_ExportToWkb(linear, wkbNDR, wkb.data());
  OGR_G_DestroyGeometry(linear);
  detail::GeosGeometryPtr g(GEOSGeomFromWKB_buf_r(geos.get(), wkb.data(), wkb.size()),
                            detail::GeosDeleter{geos.get()});
  if (!g) throw Error(fmt::format("GEOS cannot read the geometry: {}", geos.last_error()));
  return detail::from_geos(geos, g.get());
}

void transform_polygons(MultiPolygon& polygons, const CoordinateTransform& ct) {
  if (ct.is_identity()) return;
  std::vector<double> xs;
  std::vector<double> ys;
  auto gather = [&](const Ring& r) {
    for (const auto& p : r) xs.push_back(p.x), ys.push_back(p.y);
  };
  for (const auto& p : polygons) {
    gather(p.exterior);
    for (const auto& h : p.holes) gather(h);
  }
  if (ct.transform(xs, ys) != xs.size())
    throw CrsError("some boundary vertices cannot be transformed into the analysis CRS");
  std::size_t i = 0;
  auto scatter = [&](Ring& r) {
    for (auto& p : r) p = {xs[i], ys[i]}, ++i;
  };
  for (auto& p : polygons) {
    scatter(p.exterior);
    for (auto& h : p.holes) scatter(h);
  }
}

// Returns the valid form of `polygons` and, when it was invalid, GEOS's reason.
MultiPolygon make_valid(const detail::GeosContext& geos, MultiPolygon polygons,
                        std::string& reason) {
  if (polygons.empty()) return polygons;
  // Reorientation may have left rings of < 4 points: GEOS rejects them, so drop them first.
  std::erase_if(polygons, [](const Polygon& p) { return p.exterior.size() < 4; });
  for (auto& p : polygons) std::erase_if(p.holes, [](const Ring& r) { return r.size() < 4; });
  auto g = detail::to_geos(geos, polygons);
  if (GEOSisValid_r(geos.get(), g.get()) == 1) return polygons;
  char* why = GEOSisValidReason_r(geos.get(), g.get());
  reason = why ? why : "invalid";
  GEOSFree_r(geos.get(), why);
  detail::GeosGeometryPtr fixed(GEOSMakeValid_r(geos.get(), g.get()),
                                detail::GeosDeleter{geos.get()});
  if (!fixed) throw Error(fmt::format("GEOS MakeValid failed: {}", geos.last_error()));
  return detail::from_geos(geos, fixed.get());
}

OGRGeometryH to_ogr(const MultiPolygon& polygons) {
  OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiPolygon);
  auto ring = [](const Ring& r) {
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLinearRing);
    for (const auto& p : r) OGR_G_AddPoint_2D(g, p.x, p.y);
    return g;
  };
  for (const auto& p : polygons) {
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(poly, ring(p.exterior));
    for (const auto& h : p.holes) OGR_G_AddGeometryDirectly(poly, ring(h));
    OGR_G_AddGeometryDirectly(multi, poly);
  }
  return multi;
}

}  // namespace

namespace {

// The number in field `i` of a feature: numeric fields as doubles, text parsed whole as a
// decimal number (C locale). Null, unparsable or non-finite: InputError naming the feature.
double zone_value(OGRFeatureH feature, int i, const std::string& path, const std::string& field,
                  const std::string& which) {
  if (!OGR_F_IsFieldSetAndNotNull(feature, i))
    throw InputError(path, 0, field,
                     fmt::format("{} has no value (null); every zone needs a number", which));
  const OGRFieldType type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(feature, i));
  double v = 0;
  if (type == OFTReal || type == OFTInteger || type == OFTInteger64) {
    v = OGR_F_GetFieldAsDouble(feature, i);
  } else {
    std::string text = OGR_F_GetFieldAsString(feature, i);
    const auto first = text.find_first_not_of(" \t");
    const auto last = text.find_last_not_of(" \t");
    text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (!text.empty() && *begin == '+') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, v);
    if (text.empty() || ec != std::errc() || ptr != end)
      throw InputError(path, 0, field,
                       fmt::format("{}: '{}' is not a number", which, excerpt(text, 40)));
  }
  if (!std::isfinite(v))
    throw InputError(path, 0, field, fmt::format("{}: {} is not a finite number", which, v));
  return v;
}

}  // namespace

ZoneLayer read_zones(const std::string& path, const ZoneReadOptions& options, const Crs& analysis) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  if (path.rfind("/vsi", 0) != 0) {
    // GDAL would block forever on a FIFO; devices and sockets are no boundary either.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
        !std::filesystem::is_directory(status))
      throw IoError(
          fmt::format("{}: not a regular file (a FIFO, device or socket): give a file", path));
  }
  GDALDatasetH ds =
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) {
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) != 0) throw IoError(fmt::format("{}: no such file", path));
    throw InputError(
        path, 0, "",
        fmt::format("not a vector format GDAL can read ({})", errors.message("unknown format")));
  }
  std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
  std::vector<std::string> layers;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i)
    layers.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
  OGRLayerH layer = options.layer.empty() ? (layers.empty() ? nullptr : GDALDatasetGetLayer(ds, 0))
                                          : GDALDatasetGetLayerByName(ds, options.layer.c_str());
  if (!layer) {
    if (options.layer.empty()) throw InputError(path, 0, "", "the file holds no layer");
    throw InputError(path, 0, "",
                     fmt::format("no layer '{}' (--boundary-layer); layers: {}", options.layer,
                                 fmt::join(layers, ", ")));
  }
  ZoneLayer out;
  out.path = path;
  out.layer_name = OGR_L_GetName(layer);

  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  detail::FieldDecoder decode(path, options.encoding);
  std::vector<std::string> fields;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    fields.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
  auto field_index = [&](const std::string& name, const char* option) {
    const int i = OGR_FD_GetFieldIndex(defn, name.c_str());
    if (i < 0)
      throw InputError(
          path, 0, name,
          fmt::format("no such field (named by {}); fields: {}", option, fmt::join(fields, ", ")));
    return i;
  };
  out.id_field = options.id_field.empty() ? pick_field(fields, {"ID", "CODE", "ZONE_ID", "AREA_ID"},
                                                       {"CD", "_ID", "CODE"})
                                          : options.id_field;
  out.name_field =
      options.name_field.empty()
          ? pick_field(fields, {"NAME", "ZONE_NAME", "AREA_NAME"}, {"NM", "_NAME", "NAME"})
          : options.name_field;
  const int id_i = out.id_field.empty() ? -1 : field_index(out.id_field, "--zone-id-field");
  const int name_i = out.name_field.empty() ? -1 : field_index(out.name_field, "--zone-name-field");
  std::vector<int> extra_i;
  for (const auto& f : options.extra_fields) extra_i.push_back(field_index(f, "a field option"));
  const int value_i =
      options.value_field.empty() ? -1 : field_index(options.value_field, "--value-field");
  std::vector<int> values_i;
  if (!options.value_field_pattern.empty()) {
    const std::string& pattern = options.value_field_pattern;
    const std::size_t star = pattern.find('*');
    if (star == std::string::npos || pattern.find('*', star + 1) != std::string::npos)
      throw InvalidArgument(fmt::format(
          "value_field_pattern '{}': give a field name with one '*' (e.g. rate_*)", pattern));
    const std::string head = pattern.substr(0, star), tail = pattern.substr(star + 1);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string& f = fields[i];
      if (f.size() > head.size() + tail.size() && f.compare(0, head.size(), head) == 0 &&
          f.compare(f.size() - tail.size(), tail.size(), tail) == 0) {
        out.value_fields.push_back(f);
        values_i.push_back(static_cast<int>(i));
      }
    }
    if (values_i.empty())
      throw InputError(path, 0, pattern,
                       fmt::format("no field matches (named by --value-field); fields: {}",
                                   fmt::join(fields, ", ")));
  }

  if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
    char* wkt = nullptr;
    OSRExportToWkt(srs, &wkt);
    out.source_crs = crs_from_user_text(wkt ? wkt : "");
    CPLFree(wkt);
  } else if (!options.assume_crs.empty()) {
    out.source_crs = crs_from_user_text(options.assume_crs);
  } else {
    // Suggest the likely answer: TopoJSON, for one, declares no CRS but holds lon/lat.
    OGREnvelope env;
    const bool degrees = OGR_L_GetExtent(layer, &env, TRUE) == OGRERR_NONE && env.MinX >= -180 &&
                         env.MaxX <= 180 && env.MinY >= -90 && env.MaxY <= 90;
    throw CrsError(fmt::format(
        "{}: the layer '{}' has no CRS; say which with --boundary-crs (e.g. --boundary-crs {})",
        path, out.layer_name,
        degrees ? "EPSG:4326: its coordinates look like longitude/latitude" : "EPSG:27700"));
  }
  if (!options.where.empty() &&
      OGR_L_SetAttributeFilter(layer, options.where.c_str()) != OGRERR_NONE)
    throw InvalidArgument(fmt::format("--boundary-where \"{}\": {} (fields: {})", options.where,
                                      errors.message("invalid filter"), fmt::join(fields, ", ")));
  {
    // Kept for prepare_study's check of degrees declared as metres.
    OGREnvelope env;
    if (OGR_L_GetExtent(layer, &env, TRUE) == OGRERR_NONE) {
      out.source_extent.include(env.MinX, env.MinY);
      out.source_extent.include(env.MaxX, env.MaxY);
    }
  }

  // No analysis CRS: the layer's own, if it is one a distance can be measured in.
  const Crs& target = analysis.empty() ? out.source_crs : analysis;
  if (analysis.empty()) {
    try {
      require_projected(target, "--t_srs");
    } catch (const CrsError& e) {
      throw CrsError(fmt::format("{}: {}", path, e.what()));
    }
  }
  const CoordinateTransform ct(out.source_crs, target);
  detail::GeosContext geos;
  std::int64_t features = 0;
  OGR_L_ResetReading(layer);
  while (OGRFeatureH raw = OGR_L_GetNextFeature(layer)) {
    std::unique_ptr<void, decltype(&OGR_F_Destroy)> feature(raw, &OGR_F_Destroy);
    ++features;
    Zone zone;
    zone.fid = OGR_F_GetFID(raw);
    zone.id =
        id_i >= 0 ? decode(OGR_F_GetFieldAsString(raw, id_i), zone.fid) : std::to_string(zone.fid);
    zone.name = name_i >= 0 ? decode(OGR_F_GetFieldAsString(raw, name_i), zone.fid) : zone.id;
    for (int i : extra_i) zone.extra.push_back(decode(OGR_F_GetFieldAsString(raw, i), zone.fid));
    OGRGeometryH geom = OGR_F_GetGeometryRef(raw);
    if (!geom || OGR_G_IsEmpty(geom)) {
      ++out.skipped_empty;
      continue;
    }
    MultiPolygon polygons = polygons_from_ogr(geos, geom);
    if (polygons.empty()) {
      ++out.skipped_empty;
      continue;
    }
    const std::string which = fmt::format("feature {} (id '{}')", zone.fid, excerpt(zone.id, 80));
    {
      // A ring folded onto a line or a point (a digitising slip, a polygon simplified away) has
      // no area in its own CRS: no incident can fall inside it. Skipped, and said. The shoelace
      // area is cheap; only a (near) zero one is confirmed by GEOS, since a self-crossing ring
      // (a bow tie) can sum to zero and still enclose area once repaired.
      const Extent e = extent_of(polygons);
      const double tiny = 1e-9 * e.width() * e.height();
      std::string ignored;
      if (!(area(polygons) > tiny) && !(area(make_valid(geos, polygons, ignored)) > tiny)) {
        ++out.skipped_empty;
        out.warnings.push_back(fmt::format("{}: {} is a zero-area ring: skipped", path, which));
        continue;
      }
    }
    try {
      transform_polygons(polygons, ct);
    } catch (const CrsError& e) {
      throw CrsError(fmt::format("{}: {}: {}", path, which, e.what()));
    }
    std::string reason;
    zone.geometry = make_valid(geos, std::move(polygons), reason);
    zone.area_m2 = area(zone.geometry);
    if (!(zone.area_m2 > 0) || !std::isfinite(zone.area_m2))
      // Area before projecting, none after: the projection folded it (a whole-world boundary
      // into British National Grid maps its corners onto one line), and every incident would
      // be "outside". Refused rather than clipping everything away.
      throw CrsError(fmt::format(
          "{}: {} collapses to no area when projected into {} (the layer's extent: x {:g} .. {:g}, "
          "y {:g} .. {:g} in {}); a boundary must lie within the analysis CRS's area of use: clip "
          "it to the study area, or give --t_srs a CRS that covers it",
          path, which, target.label(), out.source_extent.xmin, out.source_extent.xmax,
          out.source_extent.ymin, out.source_extent.ymax, out.source_crs.label()));
    if (value_i >= 0) zone.value = zone_value(raw, value_i, path, options.value_field, which);
    for (std::size_t k = 0; k < values_i.size(); ++k)
      zone.values.push_back(zone_value(raw, values_i[k], path, out.value_fields[k], which));
    if (!reason.empty()) out.repairs.push_back({zone.id, reason});
    out.zones.push_back(std::move(zone));
  }
  if (features == 0 && !options.where.empty())
    throw InputError(path, 0, "",
                     fmt::format("--boundary-where \"{}\" selects no feature", options.where));
  if (out.zones.empty())
    throw InputError(path, 0, "", fmt::format("the layer '{}' holds no polygon", out.layer_name));
  decode.report(out.warnings);
  return out;
}

void require_unique_zone_ids(const ZoneLayer& layer) {
  std::unordered_map<std::string_view, const Zone*> first;
  first.reserve(layer.zones.size());
  for (const Zone& z : layer.zones) {
    const auto [it, fresh] = first.emplace(z.id, &z);
    if (!fresh)
      throw InputError(
          layer.path, 0, layer.id_field,
          fmt::format("zone id '{}' is given to feature {} and feature {}; zone ids must be "
                      "unique (choose another id field with --zone-id-field)",
                      excerpt(z.id, 80), it->second->fid, z.fid));
  }
}

MultiPolygon dissolve(const std::vector<const MultiPolygon*>& parts, double min_hole_area_m2,
                      std::int64_t* holes_dropped) {
  detail::GeosContext geos;
  MultiPolygon all;
  for (const auto* p : parts) all.insert(all.end(), p->begin(), p->end());
  if (all.empty()) return all;
  auto collection = detail::to_geos(geos, all);
  detail::GeosGeometryPtr merged(GEOSUnaryUnion_r(geos.get(), collection.get()),
                                 detail::GeosDeleter{geos.get()});
  if (!merged) throw Error(fmt::format("GEOS cannot dissolve the zones: {}", geos.last_error()));
  MultiPolygon out = detail::from_geos(geos, merged.get());
  std::int64_t dropped = 0;
  for (auto& polygon : out) {
    dropped += static_cast<std::int64_t>(std::erase_if(
        polygon.holes, [&](const Ring& h) { return std::abs(signed_area(h)) < min_hole_area_m2; }));
  }
  if (holes_dropped) *holes_dropped = dropped;
  return out;
}

struct ZoneIndex::Impl {
  detail::GeosContext geos;
  std::vector<detail::GeosGeometryPtr> geometries;
  std::vector<const GEOSPreparedGeometry*> prepared;
  bgi::rtree<BoxEntry, bgi::rstar<16>> tree;
  ~Impl() {
    for (const auto* p : prepared) GEOSPreparedGeom_destroy_r(geos.get(), p);
  }
};

std::vector<double> area_shares_inside(const std::vector<Zone>& zones, const MultiPolygon& area) {
  std::vector<double> share(zones.size(), 0.0);
  if (area.empty()) return share;
  detail::GeosContext geos;
  auto* ctx = geos.get();
  const auto whole = detail::to_geos(geos, area);
  const GEOSPreparedGeometry* prepared = GEOSPrepare_r(ctx, whole.get());
  if (!prepared) throw Error(fmt::format("cannot prepare the study area: {}", geos.last_error()));
  const std::unique_ptr<const GEOSPreparedGeometry,
                        std::function<void(const GEOSPreparedGeometry*)>>
      holder(prepared,
             [ctx](const GEOSPreparedGeometry* p) { GEOSPreparedGeom_destroy_r(ctx, p); });
  const Extent ae = extent_of(area);
  for (std::size_t z = 0; z < zones.size(); ++z) {
    const double zone_area = hotspots::area(zones[z].geometry);
    if (!(zone_area > 0)) {
      share[z] = std::nan("");
      continue;
    }
    const Extent ze = extent_of(zones[z].geometry);
    if (ze.xmax <= ae.xmin || ze.xmin >= ae.xmax || ze.ymax <= ae.ymin || ze.ymin >= ae.ymax)
      continue;
    const auto g = detail::to_geos(geos, zones[z].geometry);
    if (GEOSPreparedIntersects_r(ctx, prepared, g.get()) != 1) continue;
    if (GEOSPreparedContains_r(ctx, prepared, g.get()) == 1) {
      share[z] = 1.0;
      continue;
    }
    detail::GeosGeometryPtr inter(GEOSIntersection_r(ctx, g.get(), whole.get()),
                                  detail::GeosDeleter{ctx});
    double a = 0;
    if (!inter || GEOSArea_r(ctx, inter.get(), &a) != 1)
      throw Error(fmt::format("zone '{}': cannot intersect it with the study area: {}", zones[z].id,
                              geos.last_error()));
    share[z] = std::clamp(a / zone_area, 0.0, 1.0);
  }
  return share;
}

ZoneIndex::ZoneIndex(const std::vector<const MultiPolygon*>& zones)
    : impl_(std::make_unique<Impl>()) {
  std::vector<BoxEntry> boxes;
  for (std::size_t i = 0; i < zones.size(); ++i) {
    impl_->geometries.push_back(detail::to_geos(impl_->geos, *zones[i]));
    impl_->prepared.push_back(GEOSPrepare_r(impl_->geos.get(), impl_->geometries.back().get()));
    const Extent e = extent_of(*zones[i]);
    if (!e.empty())
      boxes.emplace_back(BBox(BPoint(e.xmin, e.ymin), BPoint(e.xmax, e.ymax)),
                         static_cast<std::int32_t>(i));
  }
  impl_->tree = bgi::rtree<BoxEntry, bgi::rstar<16>>(boxes.begin(), boxes.end());
}

ZoneIndex::~ZoneIndex() = default;

std::vector<std::int32_t> ZoneIndex::locate(std::span<const double> x,
                                            std::span<const double> y) const {
  std::vector<std::int32_t> out(x.size(), -1);
  std::vector<BoxEntry> hits;
  std::vector<std::int32_t> candidates;
  auto* ctx = impl_->geos.get();
  for (std::size_t i = 0; i < x.size(); ++i) {
    hits.clear();
    impl_->tree.query(bgi::intersects(BPoint(x[i], y[i])), std::back_inserter(hits));
    if (hits.empty()) continue;
    candidates.clear();
    for (const auto& h : hits) candidates.push_back(h.second);
    std::sort(candidates.begin(), candidates.end());
    detail::GeosGeometryPtr point(GEOSGeom_createPointFromXY_r(ctx, x[i], y[i]),
                                  detail::GeosDeleter{ctx});
    for (std::int32_t c : candidates) {
      if (GEOSPreparedCovers_r(ctx, impl_->prepared[c], point.get()) == 1) {
        out[i] = c;
        break;
      }
    }
  }
  return out;
}

CellMask cell_mask(const GridSpec& grid, const MultiPolygon& area) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  CellMask mask{grid, std::vector<std::uint8_t>(static_cast<std::size_t>(grid.cell_count()), 0)};
  if (area.empty()) return mask;
  GDALDriverH mem = GDALGetDriverByName("MEM");
  GDALDatasetH ds = GDALCreate(mem, "", static_cast<int>(grid.cols), static_cast<int>(grid.rows), 1,
                               GDT_Byte, nullptr);
  if (!ds) throw Error(fmt::format("cannot allocate a mask raster: {}", errors.message()));
  std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
  double gt[6] = {grid.xmin, grid.cell_size_m, 0, grid.ymax, 0, -grid.cell_size_m};
  GDALSetGeoTransform(ds, gt);
  OGRGeometryH geom = to_ogr(area);
  int band = 1;
  double burn = 1.0;
  const CPLErr err = GDALRasterizeGeometries(ds, 1, &band, 1, &geom, nullptr, nullptr, &burn,
                                             nullptr, nullptr, nullptr);
  OGR_G_DestroyGeometry(geom);
  if (err != CE_None)
    throw Error(fmt::format("cannot rasterise the study area: {}", errors.message()));
  GDALRasterBandH b = GDALGetRasterBand(ds, 1);
  if (GDALRasterIO(b, GF_Read, 0, 0, static_cast<int>(grid.cols), static_cast<int>(grid.rows),
                   mask.inside.data(), static_cast<int>(grid.cols), static_cast<int>(grid.rows),
                   GDT_Byte, 0, 0) != CE_None)
    throw Error(fmt::format("cannot read the study-area mask: {}", errors.message()));
  return mask;
}

}  // namespace hotspots
