// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/zone_table_product.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>
#include <vector>

#include "hotspots/io/csv_text.hpp"
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

  // One row per zone, a block of columns per group. zones.geojson keeps the values as computed;
  // zones.csv rounds them for people (io/csv_text.hpp): each column's CSV name and rounding.
  struct CsvColumn {
    std::string name;
    enum { as_is, rounded, percent, significant } kind = as_is;
    int digits = 0;
  };
  std::vector<FieldDef> fields = {
      {"zone_id", FieldType::text}, {"name", FieldType::text}, {"area_km2", FieldType::real}};
  std::vector<CsvColumn> columns = {{"zone_id"}, {"name"}, {"area_km2", CsvColumn::rounded, 4}};
  if (population) {
    fields.push_back({"population", FieldType::real});
    columns.push_back({"population", CsvColumn::rounded, 1});
  }
  struct GroupColumn {
    std::string name;
    FieldType type;
    CsvColumn csv;  // name: the CSV column's suffix
  };
  const std::vector<GroupColumn> per_group = {
      {"incidents", FieldType::integer, {"incidents"}},
      {"per_km2", FieldType::real, {"per_km2", CsvColumn::rounded, 2}},
      {"per_1000", FieldType::real, {"per_1000_people", CsvColumn::rounded, 2}},
      {"rank", FieldType::integer, {"rank"}},
      {"share", FieldType::real, {"share_pct", CsvColumn::percent, 2}},
      {"previous", FieldType::integer, {"previous"}},
      {"change", FieldType::integer, {"change"}},
      {"change_pct", FieldType::real, {"change_pct", CsvColumn::rounded, 1}},
      {"change_p", FieldType::real, {"change_p", CsvColumn::significant, 4}},
      {"change_q", FieldType::real, {"change_q", CsvColumn::significant, 4}},
      {"change_flag", FieldType::text, {"change_flag"}},
      {"hotspot_share", FieldType::real, {"hotspot_area_pct", CsvColumn::percent, 1}}};
  std::vector<const GroupResult*> tabled;
  for (const GroupResult& r : request.results)
    if (!r.analysis.zone_table.rows.empty()) tabled.push_back(&r);
  for (const GroupResult* r : tabled)
    for (const GroupColumn& g : per_group) {
      if (g.name == "per_1000" && !population) continue;
      fields.push_back({fmt::format("{}_{}", r->folder, g.name), g.type});
      CsvColumn c = g.csv;
      c.name = fmt::format("{}_{}", r->folder, c.name);
      columns.push_back(std::move(c));
    }

  std::vector<PolygonFeature> features;
  std::string csv = kCsvBom;
  for (std::size_t f = 0; f < columns.size(); ++f) csv += (f ? "," : "") + columns[f].name;
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
      const CsvColumn& column = columns[v];
      if (const auto* s = std::get_if<std::string>(&value)) line += csv_field(*s);
      if (const auto* i = std::get_if<std::int64_t>(&value)) line += std::to_string(*i);
      if (const auto* d = std::get_if<double>(&value)) {
        switch (column.kind) {
          case CsvColumn::as_is:
            line += number(*d);
            break;
          case CsvColumn::rounded:
            line += csv_rounded(*d, column.digits);
            break;
          case CsvColumn::percent:
            line += csv_percent(*d, column.digits);
            break;
          case CsvColumn::significant:
            line += csv_significant(*d, column.digits);
            break;
        }
      }
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
