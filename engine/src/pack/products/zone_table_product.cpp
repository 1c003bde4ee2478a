// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/zone_table_product.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>
#include <vector>

#include "hotspots/io/vector_io.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void ZoneTableProduct::write(const PackContents& pack, const std::string& dir) {
  using pack_io::csv_field;
  using pack_io::number;
  const PackRequest& request = pack.request;
  const PackZones& zones = request.zones;
  const bool population = !zones.population.empty();
  const bool change = request.period.previous_available;

  // One row per zone, a block of columns per group.
  std::vector<FieldDef> fields = {
      {"zone_id", FieldType::text}, {"name", FieldType::text}, {"area_km2", FieldType::real}};
  if (population) fields.push_back({"population", FieldType::real});
  const std::vector<std::pair<std::string, FieldType>> per_group = {
      {"incidents", FieldType::integer}, {"per_km2", FieldType::real},
      {"per_1000", FieldType::real},     {"rank", FieldType::integer},
      {"share", FieldType::real},        {"previous", FieldType::integer},
      {"change", FieldType::integer},    {"change_pct", FieldType::real},
      {"change_p", FieldType::real},     {"change_q", FieldType::real},
      {"change_flag", FieldType::text},  {"hotspot_share", FieldType::real}};
  std::vector<const GroupResult*> tabled;
  for (const GroupResult& r : request.results)
    if (!r.analysis.zone_table.rows.empty()) tabled.push_back(&r);
  for (const GroupResult* r : tabled)
    for (const auto& [name, type] : per_group) {
      if (name == "per_1000" && !population) continue;
      fields.push_back({fmt::format("{}_{}", r->folder, name), type});
    }

  std::vector<PolygonFeature> features;
  std::string csv;
  for (std::size_t f = 0; f < fields.size(); ++f) csv += (f ? "," : "") + fields[f].name;
  csv += '\n';
  for (std::size_t zi = 0; zi < zones.zones.size(); ++zi) {
    const Zone& zone = zones.zones[zi];
    PolygonFeature feature;
    feature.geometry = zone.geometry;
    feature.values = {zone.id, zone.name, zone.area_m2 / 1e6};
    if (population) feature.values.emplace_back(zones.population[zi]);
    for (const GroupResult* r : tabled) {
      const ZoneRow& row = r->analysis.zone_table.rows[zi];
      feature.values.emplace_back(std::int64_t{row.incidents});
      feature.values.emplace_back(row.per_km2);
      if (population) feature.values.emplace_back(row.per_1000);
      feature.values.emplace_back(std::int64_t{row.rank});
      feature.values.emplace_back(row.share);
      if (change) {
        feature.values.emplace_back(std::int64_t{row.previous});
        feature.values.emplace_back(std::int64_t{row.change});
        feature.values.emplace_back(row.change_pct);
        feature.values.emplace_back(row.change_p);
        feature.values.emplace_back(row.change_q);
        feature.values.emplace_back(row.change_flag_fdr);
      } else {
        feature.values.resize(feature.values.size() + 6);  // null: no previous period
      }
      feature.values.emplace_back(row.hotspot_share);
    }
    std::string line;
    for (std::size_t v = 0; v < feature.values.size(); ++v) {
      if (v) line += ',';
      const FieldValue& value = feature.values[v];
      if (const auto* s = std::get_if<std::string>(&value)) line += csv_field(*s);
      if (const auto* d = std::get_if<double>(&value)) line += number(*d);
      if (const auto* i = std::get_if<std::int64_t>(&value)) line += std::to_string(*i);
    }
    csv += line + '\n';
    features.push_back(std::move(feature));
  }
  pack_io::write_text(pack_io::join(dir, "zones.csv"), csv);
  const std::string zones_geojson = pack_io::join(dir, "zones.geojson");
  VectorWriteOptions options;
  options.layer_name = "zones";
  write_polygons(zones_geojson, pack.study.analysis_crs, fields, features, options);
  if (!tabled.empty()) {
    std::vector<double> counts;
    for (const ZoneRow& row : tabled.front()->analysis.zone_table.rows)
      counts.push_back(static_cast<double>(row.incidents));
    write_qml(
        pack_io::qml_path(zones_geojson),
        GraduatedStyle{tabled.front()->folder + "_incidents", pack_io::quantile_breaks(counts, 5)},
        false);
  }
}

}  // namespace hotspots
