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

std::vector<ClusterRow> cluster_rows(const GiStarClusters& clusters) {
  std::vector<ClusterRow> rows;
  for (const auto* list : {&clusters.hot, &clusters.cold})
    for (const HotArea& a : *list)
      rows.push_back({a.outline, list == &clusters.hot, a.rank, a.cells, a.incidents, a.area_km2,
                      a.mean_value, a.pai});
  return rows;
}

void write_cluster_rows(const std::string& path, const Crs& crs,
                        const std::vector<ClusterRow>& rows, bool overwrite,
                        const std::string& layer_name) {
  const std::vector<FieldDef> fields = {
      {"id", FieldType::integer},    {"type", FieldType::text},      {"rank", FieldType::integer},
      {"cells", FieldType::integer}, {"incidents", FieldType::real}, {"area_km2", FieldType::real},
      {"mean_z", FieldType::real},   {"pai", FieldType::real}};
  std::vector<PolygonFeature> features;
  std::int64_t id = 0;
  for (const ClusterRow& r : rows) {
    PolygonFeature f;
    f.geometry = r.outline;
    f.values = {++id,
                std::string(r.hot ? "hot" : "cold"),
                std::int64_t{r.rank},
                r.cells,
                r.incidents,
                r.area_km2,
                r.mean_z,
                r.pai};
    features.push_back(std::move(f));
  }
  VectorWriteOptions options;
  options.overwrite = overwrite;
  options.layer_name = layer_name;
  write_polygons(path, crs, fields, features, options);
}

std::vector<FieldDef> gistar_cell_fields() {
  return {{"cell_id", FieldType::text},   {"count", FieldType::real},
          {"gi_z", FieldType::real},      {"gi_p", FieldType::real},
          {"gi_bin", FieldType::integer}, {"n_neighbors", FieldType::integer},
          {"lisa_i", FieldType::real},    {"lisa_p", FieldType::real},
          {"lisa_type", FieldType::text}};
}

std::vector<FieldValue> gistar_cell_values(std::string id, double count, const GiStarResult& gi,
                                           const std::vector<double>& lisa_i,
                                           const std::vector<double>& lisa_p,
                                           const std::vector<int>& lisa_cluster, std::size_t i) {
  const bool lisa = !lisa_i.empty();
  return {std::move(id),
          count,
          gi.z[i],
          gi.p[i],
          std::int64_t{gi.bin[i]},
          std::int64_t{gi.n_neighbors[i]},
          lisa ? FieldValue{lisa_i[i]} : FieldValue{},
          lisa ? FieldValue{lisa_p[i]} : FieldValue{},
          std::string(lisa ? lisa_type_name(lisa_cluster[i]) : "")};
}

void write_square_cells(const std::string& path, const Crs& crs, const GiStarCells& c,
                        const std::function<bool(std::size_t)>& keep, bool overwrite,
                        const std::string& layer_name) {
  const GridSpec& g = c.counts.grid;
  std::vector<PolygonFeature> features;
  for (std::int64_t row = 0; row < g.rows; ++row)
    for (std::int64_t col = 0; col < g.cols; ++col) {
      const auto i = static_cast<std::size_t>(g.index(row, col));
      if (std::isnan(c.counts.values[i]) || !keep(i)) continue;
      const double x0 = g.xmin + static_cast<double>(col) * g.cell_size_m;
      const double y1 = g.ymax - static_cast<double>(row) * g.cell_size_m;
      const double x1 = x0 + g.cell_size_m;
      const double y0 = y1 - g.cell_size_m;
      PolygonFeature f;
      // Counter-clockwise exterior (RFC 7946 right-hand rule).
      f.geometry = {Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
      f.values = gistar_cell_values(fmt::format("r{}c{}", row, col), c.counts.values[i], c.gi,
                                    c.lisa_i, c.lisa_p, c.lisa_cluster, i);
      features.push_back(std::move(f));
    }
  VectorWriteOptions options;
  options.overwrite = overwrite;
  options.layer_name = layer_name;
  write_polygons(path, crs, gistar_cell_fields(), features, options);
}

}  // namespace hotspots::cli
