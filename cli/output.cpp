// SPDX-License-Identifier: MIT
#include "output.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "hotspots/core/error.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/units/zone_overlay.hpp"

namespace hotspots::cli {

Extent parse_extent(const std::string& text) {
  double v[4];
  if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) != 4 ||
      !(v[0] < v[2]) || !(v[1] < v[3]))
    throw InvalidArgument(
        fmt::format("--extent '{}': expected xmin,ymin,xmax,ymax in metres", text));
  return {v[0], v[1], v[2], v[3]};
}

ZoneNames load_zone_names(const std::string& path, const std::string& name_field, const Crs& crs) {
  ZoneNames out;
  if (path.empty()) return out;
  ZoneReadOptions options;
  options.name_field = name_field;
  out.zones = read_zones(path, options, crs).zones;
  return out;
}

void write_hot_areas(const std::string& path, const std::vector<HotArea>& areas,
                     const ZoneNames& zones, const Crs& crs, bool overwrite,
                     const std::string& value_name) {
  std::vector<FieldDef> fields = {{"rank", FieldType::integer},
                                  {"incidents", FieldType::real},
                                  {"share_incidents", FieldType::real},
                                  {"area_km2", FieldType::real},
                                  {"share_area", FieldType::real},
                                  {"pai", FieldType::real},
                                  {"peak_" + value_name, FieldType::real},
                                  {"mean_" + value_name, FieldType::real},
                                  {"cells", FieldType::integer},
                                  {"centroid_x", FieldType::real},
                                  {"centroid_y", FieldType::real}};
  std::vector<std::vector<std::int32_t>> touched;
  if (!zones.zones.empty()) {
    fields.push_back({"zones", FieldType::text});
    std::vector<const MultiPolygon*> outlines;
    for (const auto& a : areas) outlines.push_back(&a.outline);
    touched = zones_overlapping(zones.zones, outlines);
  }
  std::vector<PolygonFeature> features;
  for (std::size_t i = 0; i < areas.size(); ++i) {
    const HotArea& a = areas[i];
    PolygonFeature f;
    f.geometry = a.outline;
    f.values = {std::int64_t{a.rank},  a.incidents,  a.share_incidents, a.area_km2,
                a.share_area,          a.pai,        a.peak_value,      a.mean_value,
                std::int64_t{a.cells}, a.centroid.x, a.centroid.y};
    if (!zones.zones.empty()) {
      std::string names;
      for (std::int32_t z : touched[i]) {
        if (!names.empty()) names += "; ";
        names += zones.zones[static_cast<std::size_t>(z)].name;
      }
      f.values.emplace_back(names);
    }
    features.push_back(std::move(f));
  }
  VectorWriteOptions options;
  options.overwrite = overwrite;
  options.layer_name = "hotspots";
  write_polygons(path, crs, fields, features, options);
}

void write_cluster_rows(const std::string& path, const Crs& crs, const GiStarClusters& clusters,
                        bool overwrite, const std::string& layer_name) {
  VectorWriteOptions options;
  options.overwrite = overwrite;
  options.layer_name = layer_name;
  write_gistar_clusters(path, crs, clusters, options);
}

}  // namespace hotspots::cli
