// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/text_encoding.hpp"

namespace hotspots {

/// One polygon feature of a boundary layer (force area, district, beat, LSOA, parish...).
struct Zone {
  std::int64_t fid = 0;
  std::string id;         ///< value of the id field (or the feature id)
  std::string name;       ///< value of the name field (or the id)
  MultiPolygon geometry;  ///< in the analysis CRS, valid (repaired when it was not)
  double area_m2 = 0;
  std::vector<std::string> extra;  ///< values of ZoneReadOptions::extra_fields, in order
  /// The number in ZoneReadOptions::value_field (NaN when no value field was asked for).
  double value = std::numeric_limits<double>::quiet_NaN();
  /// The numbers of the fields ZoneReadOptions::value_field_pattern matched, in
  /// ZoneLayer::value_fields order.
  std::vector<double> values;
};

struct ZoneReadOptions {
  std::string layer;       ///< empty: the first layer
  std::string where;       ///< OGR SQL attribute filter, e.g. "LAD13NM = 'Blaby'"
  std::string id_field;    ///< empty: auto-detect (a field named *CD, id or code), else the FID
  std::string name_field;  ///< empty: auto-detect (a field named *NM or name), else the id
  std::vector<std::string> extra_fields;  ///< e.g. a population field
  /// A numeric attribute read into Zone::value (a rate, a residual; negative allowed): numeric
  /// fields as doubles, text fields parsed as decimal numbers. Empty: none.
  std::string value_field;
  /// A field name with one '*' ("rate_*"): every field it matches ('*' standing for one or more
  /// characters) is read as value_field is, into Zone::values; empty: none.
  std::string value_field_pattern;
  std::string assume_crs;  ///< CRS for layers that declare none (otherwise an error)
  TextEncoding encoding = TextEncoding::auto_detect;  ///< of attribute values, as for incidents
};

/// A repaired feature: which, and what GEOS found wrong with it.
struct ZoneRepair {
  std::string zone_id;
  std::string reason;
};

struct ZoneLayer {
  std::string path;
  std::string layer_name;
  std::string id_field;    ///< field used for ids ("" = feature id)
  std::string name_field;  ///< field used for names ("" = the id)
  Crs source_crs;
  Extent source_extent;     ///< of the (filtered) layer in source_crs
  std::vector<Zone> zones;  ///< in layer order
  std::vector<ZoneRepair> repairs;
  /// Features without a polygon, or whose polygon has no area (a zero-area ring: also one
  /// warning each, naming the feature).
  std::int64_t skipped_empty = 0;
  /// The fields value_field_pattern matched, in the layer's field order.
  std::vector<std::string> value_fields;
  std::vector<std::string> warnings;  ///< e.g. attribute values decoded as Windows-1252
};

/// Reads polygon features from any OGR source (GeoJSON, Shapefile, GeoPackage, KML, TopoJSON),
/// reprojects them into `analysis`, and repairs invalid ones with GEOS MakeValid (every repair is
/// listed in ZoneLayer::repairs). Attribute values are decoded by the rule of TextEncoding.
/// An empty `analysis` keeps the layer's own CRS, which must then be projected in metres
/// (CrsError naming --t_srs otherwise).
/// Throws IoError (unreadable, or not a regular file), InputError (no such layer or field, a
/// filter that selects nothing, no polygon at all, a value_field that is null, not a number or
/// not finite in a zone: the message names the feature, its id and the field) and CrsError (a layer
/// without CRS when assume_crs is empty: the message names --boundary-crs; a feature with an area
/// that has none once projected into `analysis`, as a whole-world polygon in British National
/// Grid).
[[nodiscard]] ZoneLayer read_zones(const std::string& path, const ZoneReadOptions& options,
                                   const Crs& analysis);

/// Throws InputError naming the layer's path, its id field, the id and both features when two
/// zones share an id: each zone must be one row of a table or one unit of Gi* (ids from the
/// feature id are unique by construction). O(zones log zones).
void require_unique_zone_ids(const ZoneLayer& layer);

/// Union of polygons (GEOS UnaryUnion). Holes smaller than `min_hole_area_m2` are dropped: the
/// union of published generalised boundaries (LSOAs) leaves sliver holes along shared edges.
/// `holes_dropped` receives how many.
[[nodiscard]] MultiPolygon dissolve(const std::vector<const MultiPolygon*>& parts,
                                    double min_hole_area_m2, std::int64_t* holes_dropped = nullptr);

/// For each zone, the share of its area inside `area` (0..1; GEOS intersection area / zone
/// area; NaN for a zone without area). Zones whose bounding box misses `area` are 0 without an
/// overlay. Throws Error when GEOS fails, naming the zone. Cost: one prepared test per zone whose
/// bounding box meets `area`, and one intersection per zone that meets it.
[[nodiscard]] std::vector<double> area_shares_inside(const std::vector<Zone>& zones,
                                                     const MultiPolygon& area);

/// Point-in-polygon lookups over a set of zones: prepared GEOS geometries behind a
/// Boost.Geometry R-tree of their bounding boxes.
class ZoneIndex {
 public:
  explicit ZoneIndex(const std::vector<const MultiPolygon*>& zones);
  ~ZoneIndex();
  ZoneIndex(const ZoneIndex&) = delete;
  ZoneIndex& operator=(const ZoneIndex&) = delete;

  /// For each point, the first zone in order whose closed polygon covers it, or −1. A point on
  /// an edge shared by two zones therefore goes to the zone that comes first in the layer, so
  /// every point is in at most one zone and the result never depends on the run.
  /// Complexity: O(n log z) plus the prepared-geometry test of the few candidate zones.
  [[nodiscard]] std::vector<std::int32_t> locate(std::span<const double> x,
                                                 std::span<const double> y) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Cells of `grid` whose centre lies inside `area` (GDAL's rasterisation rule, as QGIS and
/// gdal_rasterize without -at).
[[nodiscard]] CellMask cell_mask(const GridSpec& grid, const MultiPolygon& area);

}  // namespace hotspots
