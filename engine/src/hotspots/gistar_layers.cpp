// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/gistar_layers.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <variant>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/raster_io.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {
namespace {

bool ends_with_csv(const std::string& path) {
  if (path.size() < 4) return false;
  std::string tail = path.substr(path.size() - 4);
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".csv";
}

bool keep_unit(CellSubset subset, const GiStarAnalysis& a, std::size_t i) {
  switch (subset) {
    case CellSubset::all:
      return true;
    case CellSubset::nonzero:
      return a.counts.values[i] > 0;
    case CellSubset::significant:
      return a.stats.gi.bin[i] != 0 || locally_significant(a.stats, i);
  }
  return true;
}

void write_cells_csv(const std::string& path, const Units& units, const GiStarAnalysis& a,
                     CellSubset subset, bool overwrite) {
  if (!units.is_grid())
    throw InvalidArgument(fmt::format(
        "{}: a .csv of cells needs grid units (row, col); zones have polygons only", path));
  const auto text = [](const FieldValue& value) -> std::string {
    if (const auto* d = std::get_if<double>(&value))
      return std::isnan(*d) ? std::string() : fmt::format("{}", *d);
    if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
    if (const auto* t = std::get_if<std::string>(&value)) return *t;
    return {};
  };
  const GiStarUnits& r = a.stats;
  AtomicFile file(path, overwrite);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    if (!out) throw IoError(fmt::format("{}: cannot write", path));
    // cell_id, row, col, x, y, then the layer's fields after cell_id (count, Gi*, local
    // statistics), NaN as an empty value.
    const std::vector<FieldDef> fields = gistar_cell_fields();
    out << "cell_id,row,col,x,y";
    for (std::size_t f = 1; f < fields.size(); ++f) out << ',' << fields[f].name;
    out << '\n';
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (!keep_unit(subset, a, i)) continue;
      out << fmt::format("{},{},{},{},{}", units.id(i), units.row(i), units.col(i),
                         units.centre_x(i), units.centre_y(i));
      const std::vector<FieldValue> values =
          gistar_cell_values(units.id(i), a.counts.values[i], r.gi, r, i);
      for (std::size_t v = 1; v < values.size(); ++v) out << ',' << text(values[v]);
      out << '\n';
    }
    if (!out.flush()) throw IoError(fmt::format("{}: write failed", path));
  }
  file.commit();
}

}  // namespace

std::vector<FieldDef> gistar_cell_fields() {
  std::vector<FieldDef> fields = {
      {"cell_id", FieldType::text},   {"count", FieldType::real},
      {"gi_z", FieldType::real},      {"gi_p", FieldType::real},
      {"gi_bin", FieldType::integer}, {"n_neighbors", FieldType::integer}};
  for (FieldDef& f : local_statistic_fields()) fields.push_back(std::move(f));
  return fields;
}

std::vector<FieldValue> gistar_cell_values(std::string id, double count, const GiStarResult& gi,
                                           const LocalStatisticResults& local, std::size_t i) {
  std::vector<FieldValue> values = {std::move(id),
                                    count,
                                    gi.z[i],
                                    gi.p[i],
                                    std::int64_t{gi.bin[i]},
                                    std::int64_t{gi.n_neighbors[i]}};
  append_local_statistic_values(local, i, values);
  return values;
}

void write_gistar_cells(const std::string& path, const Crs& crs, const Units& units,
                        const GiStarAnalysis& analysis, CellSubset subset,
                        const VectorWriteOptions& options) {
  if (analysis.counts.values.size() != units.size() || analysis.stats.gi.z.size() != units.size())
    throw InvalidArgument("Gi* cells: the analysis is not of these units");
  if (ends_with_csv(path)) {
    write_cells_csv(path, units, analysis, subset, options.overwrite);
    return;
  }
  const GiStarUnits& r = analysis.stats;
  std::vector<PolygonFeature> features;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!keep_unit(subset, analysis, i)) continue;
    PolygonFeature f;
    f.geometry = units.polygon(i);
    f.values = gistar_cell_values(units.id(i), analysis.counts.values[i], r.gi, r, i);
    features.push_back(std::move(f));
  }
  write_polygons(path, crs, gistar_cell_fields(), features, options);
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
      // Counter-clockwise exterior (RFC 7946 right-hand rule), as Units::polygon.
      f.geometry = {Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
      f.values =
          gistar_cell_values(fmt::format("r{}c{}", row, col), c.counts.values[i], c.gi, c, i);
      features.push_back(std::move(f));
    }
  VectorWriteOptions options;
  options.overwrite = overwrite;
  options.layer_name = layer_name;
  write_polygons(path, crs, gistar_cell_fields(), features, options);
}

void write_gistar_zscores(const std::string& path, const Crs& crs, const Units& units,
                          const GiStarAnalysis& a, const ZscoreProvenance& provenance) {
  const Raster z = units.square_raster(a.stats.gi.z);
  GeoTiffOptions tiff;
  tiff.overwrite = provenance.overwrite;
  tiff.band_description = "gi_z";
  tiff.units = "z-score";
  tiff.metadata = {{"HOTSPOTS_VERSION", provenance.version},
                   {"HOTSPOTS_COMMAND", provenance.command_line},
                   {"STATISTIC", "Getis-Ord Gi* z-score (Ord & Getis 1995)"},
                   {"CELL_SIZE_M", fmt::format("{}", units.cell_size_m())},
                   {"CELL_SIZE_SOURCE",
                    !provenance.cell_size_source.empty() ? provenance.cell_size_source
                    : provenance.cell_size_default
                        ? fmt::format("extent_shorter_side_div_{}", kDefaultCellsAcrossShorterSide)
                        : "given"},
                   {"NEIGHBOURS", a.knn > 0 ? fmt::format("knn {}", a.knn)
                                            : fmt::format("distance band {} m, self included",
                                                          a.distance_band_m)},
                   {"CELL_VALUE", "incidents per cell"},
                   {"STUDY_CELLS", fmt::format("{}", units.size())},
                   {"INCIDENTS", fmt::format("{}", a.counts.counted_weight)},
                   {"CRS", crs.label()}};
  for (const auto& item : provenance.extra) tiff.metadata.push_back(item);
  write_geotiff(path, z, crs, tiff);
}

std::vector<FieldDef> gistar_cluster_fields() {
  return {{"id", FieldType::integer},     {"type", FieldType::text},
          {"rank", FieldType::integer},   {"cells", FieldType::integer},
          {"incidents", FieldType::real}, {"area_km2", FieldType::real},
          {"mean_z", FieldType::real},    {"pai", FieldType::real}};
}

void write_gistar_clusters(const std::string& path, const Crs& crs, const GiStarClusters& clusters,
                           const VectorWriteOptions& options) {
  std::vector<PolygonFeature> features;
  std::int64_t id = 0;
  for (const auto* list : {&clusters.hot, &clusters.cold})
    for (const GiStarCluster& c : *list) {
      PolygonFeature f;
      f.geometry = c.outline;
      f.values = {++id,
                  std::string(list == &clusters.hot ? "hot" : "cold"),
                  std::int64_t{c.rank},
                  static_cast<std::int64_t>(c.members.size()),
                  c.incidents,
                  c.area_km2,
                  c.mean_z,
                  c.pai};
      features.push_back(std::move(f));
    }
  write_polygons(path, crs, gistar_cluster_fields(), features, options);
}

}  // namespace hotspots
