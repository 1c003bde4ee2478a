// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/hot_area_layers.hpp"

#include <cstdint>

#include "hotspots/core/error.hpp"
#include "hotspots/units/zone_overlay.hpp"

namespace hotspots {

ZoneNames load_zone_names(const std::string& path, const std::string& name_field, const Crs& crs) {
  ZoneNames out;
  if (path.empty()) return out;
  ZoneReadOptions options;
  options.name_field = name_field;
  out.zones = read_zones(path, options, crs).zones;
  return out;
}

std::vector<FieldDef> hot_area_fields(const std::string& value_name, bool with_zones,
                                      bool with_force) {
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
  if (with_zones) fields.push_back({"zones", FieldType::text});
  if (with_force) fields.insert(fields.begin() + 1, {"force", FieldType::text});
  return fields;
}

void write_hot_areas(const std::string& path, const std::vector<HotArea>& areas,
                     const ZoneNames& zones, const Crs& crs, bool overwrite,
                     const std::string& value_name, const std::vector<std::string>& forces) {
  if (!forces.empty() && forces.size() != areas.size())
    throw InvalidArgument("write_hot_areas: give one force per area or none");
  const bool with_zones = !zones.zones.empty();
  std::vector<std::vector<std::int32_t>> touched;
  if (with_zones) {
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
    if (!forces.empty()) f.values.insert(f.values.begin() + 1, forces[i]);
    if (with_zones) {
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
  write_polygons(path, crs, hot_area_fields(value_name, with_zones, !forces.empty()), features,
                 options);
}

}  // namespace hotspots
