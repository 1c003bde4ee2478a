// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/change_layers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/csv_text.hpp"
#include "hotspots/io/raster_io.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/render/map_png.hpp"

namespace hotspots {
namespace {

std::string num(double v) {
  return std::isnan(v) ? std::string() : fmt::format("{}", v);
}

std::string join(const std::string& folder, const std::string& name) {
  return (std::filesystem::path(folder) / name).string();
}

void write_text(const std::string& path, const std::string& text) {
  write_file_atomically(path, text, false);
}

MultiPolygon cell_square(const GridSpec& g, std::int64_t row, std::int64_t col) {
  const double x0 = g.xmin + static_cast<double>(col) * g.cell_size_m;
  const double y1 = g.ymax - static_cast<double>(row) * g.cell_size_m;
  const double x1 = x0 + g.cell_size_m;
  const double y0 = y1 - g.cell_size_m;
  Polygon p;
  p.exterior = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  return {p};
}

const GridSpec& grid_of(const ChangeResult& r) {
  return r.surfaces.difference.grid;
}

std::vector<FieldDef> cell_fields() {
  return {{"cell_id", FieldType::integer}, {"row", FieldType::integer},
          {"col", FieldType::integer},     {"before", FieldType::integer},
          {"after", FieldType::integer},   {"change", FieldType::integer},
          {"change_pct", FieldType::real}, {"change_p", FieldType::real},
          {"change_q", FieldType::real},   {"flag", FieldType::text}};
}

std::vector<FieldDef> place_fields() {
  return {{"period", FieldType::text},
          {"place_id", FieldType::text},
          {"fate", FieldType::text},
          {"matched_id", FieldType::text},
          {"overlap", FieldType::real},
          {"incidents", FieldType::real},
          {"per_month", FieldType::real},
          {"radius_m", FieldType::real},
          {"persistence_periods", FieldType::integer},
          {"persistence_streak", FieldType::integer},
          {"persistence_of", FieldType::integer}};
}

struct PlaceRow {
  const char* period;
  const ChangePlace* place;
};

std::vector<PlaceRow> place_rows(const ChangeResult& r) {
  std::vector<PlaceRow> rows;
  for (const ChangePlace& p : r.before_places) rows.push_back({"before", &p});
  for (const ChangePlace& p : r.after_places) rows.push_back({"after", &p});
  return rows;
}

// ColorBrewer RdBu, 6 classes (Brewer 2003): strong fall ... strong rise.
constexpr std::array<Rgba, 6> kDiverging{{{33, 102, 172, 255},
                                          {103, 169, 207, 255},
                                          {209, 229, 240, 255},
                                          {253, 219, 199, 255},
                                          {239, 138, 98, 255},
                                          {178, 24, 43, 255}}};

}  // namespace

std::vector<std::string> change_folder_files() {
  return {"difference.tif", "ratio.tif",      "cells.csv", "cells.geojson",
          "places.csv",     "places.geojson", "map.png"};
}

std::string change_cells_csv(const ChangeResult& r) {
  const GridSpec& g = grid_of(r);
  // A table people open in Excel (README "Tables"): BOM, centres to the centimetre, the change
  // to 0.1 %, p and q to 4 significant digits.
  std::string s = kCsvBom;
  s += "cell_id,row,col,x,y,before,after,change,change_pct,change_p,change_q,flag\n";
  for (const CellChange& c : r.cells)
    s += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", g.index(c.row, c.col), c.row, c.col,
                     csv_rounded(g.centre_x(c.col), 2), csv_rounded(g.centre_y(c.row), 2), c.before,
                     c.after, c.after - c.before, csv_rounded(c.change_pct, 1),
                     csv_significant(c.change_p), csv_significant(c.change_q), c.flag);
  return s;
}

std::string change_places_csv(const ChangeResult& r) {
  std::string s = kCsvBom;
  s += "period,place_id,fate,matched_id,overlap,incidents,per_month,x,y,radius_m,"
       "persistence_periods,persistence_streak,persistence_of\n";
  const auto n = r.persistence_periods.size();
  for (const PlaceRow& row : place_rows(r)) {
    const ChangePlace& p = *row.place;
    const bool after = std::string_view(row.period) == "after";
    s += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{}\n", row.period, p.place.id, to_string(p.fate),
        p.matched_id, csv_rounded(p.overlap, 3), num(p.place.incidents),
        csv_rounded(p.place.per_month, 2), csv_rounded(p.place.centre.x, 2),
        csv_rounded(p.place.centre.y, 2), csv_rounded(p.place.radius_m, 1),
        after ? fmt::format("{}", p.persistence.periods) : "",
        after ? fmt::format("{}", p.persistence.streak) : "", after ? fmt::format("{}", n) : "");
  }
  return s;
}

void write_change_folder(const std::string& folder, const Crs& crs, const ChangeResult& r,
                         const ChangeFolderOptions& options) {
  GeoTiffOptions tiff;
  tiff.metadata = options.metadata;
  tiff.metadata.emplace_back("BEFORE", r.before.label());
  tiff.metadata.emplace_back("AFTER", r.after.label());
  tiff.metadata.emplace_back("CHANGE", "after - before");
  tiff.band_description = "difference_per_km2";
  tiff.units = "incidents/km2";
  write_geotiff(join(folder, "difference.tif"), r.surfaces.difference, crs, tiff);
  tiff.metadata.back() = {"CHANGE", "after / before; nodata where before = 0"};
  tiff.band_description = "ratio";
  tiff.units = "ratio";
  write_geotiff(join(folder, "ratio.tif"), r.surfaces.ratio, crs, tiff);

  const GridSpec& g = grid_of(r);
  write_text(join(folder, "cells.csv"), change_cells_csv(r));
  std::vector<PolygonFeature> cells;
  cells.reserve(r.cells.size());
  for (const CellChange& c : r.cells)
    cells.push_back({cell_square(g, c.row, c.col),
                     {g.index(c.row, c.col), c.row, c.col, c.before, c.after, c.after - c.before,
                      c.change_pct, c.change_p, c.change_q, c.flag}});
  VectorWriteOptions vector;
  vector.layer_name = "cells";
  write_polygons(join(folder, "cells.geojson"), crs, cell_fields(), cells, vector);

  write_text(join(folder, "places.csv"), change_places_csv(r));
  std::vector<PolygonFeature> places;
  const auto n = static_cast<std::int64_t>(r.persistence_periods.size());
  for (const PlaceRow& row : place_rows(r)) {
    const ChangePlace& p = *row.place;
    const bool after = std::string_view(row.period) == "after";
    std::vector<FieldValue> v{std::string(row.period),
                              p.place.id,
                              std::string(to_string(p.fate)),
                              p.matched_id,
                              p.overlap,
                              p.place.incidents,
                              p.place.per_month,
                              p.place.radius_m};
    if (after) {
      v.emplace_back(std::int64_t{p.persistence.periods});
      v.emplace_back(std::int64_t{p.persistence.streak});
      v.emplace_back(n);
    } else {
      v.resize(v.size() + 3);
    }
    places.push_back({patrol_place_outline(p.place), std::move(v)});
  }
  vector.layer_name = "places";
  write_polygons(join(folder, "places.geojson"), crs, place_fields(), places, vector);

  // The map: the difference in six diverging classes at 10, 25 and 50 % of the largest change.
  MapSpec map;
  map.title = options.title;
  map.subtitle = options.subtitle;
  map.attribution = options.attribution;
  const Raster& d = r.surfaces.difference;
  double largest = 0;
  for (const double v : d.values)
    if (!std::isnan(v)) largest = std::max(largest, std::abs(v));
  if (largest > 0) {
    const std::array<double, 4> f{0.1, 0.25, 0.5, 1.0};
    for (int k = 0; k < 6; ++k) {
      // k 0..2 falls (strongest first), 3..5 rises (weakest first).
      const bool rise = k >= 3;
      const int band = rise ? k - 3 : 2 - k;  // 0 = weakest
      const double lo = f[static_cast<std::size_t>(band)] * largest;
      const double hi = f[static_cast<std::size_t>(band) + 1] * largest;
      MapLayerLines layer;
      layer.fill = kDiverging[static_cast<std::size_t>(k)];
      layer.rgba = layer.fill;
      layer.width_px = 0.5;
      for (std::int64_t row = 0; row < g.rows; ++row)
        for (std::int64_t col = 0; col < g.cols; ++col) {
          const double v = d.at(row, col);
          if (std::isnan(v) || (rise ? v : -v) < lo || (rise ? v : -v) > hi) continue;
          if (band > 0 && (rise ? v : -v) == lo) continue;  // a break belongs to the class below
          layer.polygons.push_back(cell_square(g, row, col));
        }
      if (layer.polygons.empty()) continue;
      layer.legend_label =
          fmt::format("{} {:.0f} to {:.0f} per km²", rise ? "rise" : "fall", lo, hi);
      map.layers.push_back(std::move(layer));
    }
  }
  auto outlines = [&](const std::vector<ChangePlace>& list, HotspotFate fate, Rgba colour,
                      const std::string& label, const std::string& prefix) {
    MapLayerLines layer;
    layer.rgba = colour;
    layer.width_px = 2.5;
    std::int64_t count = 0;
    for (const ChangePlace& p : list) {
      if (p.fate != fate) continue;
      layer.polygons.push_back(patrol_place_outline(p.place));
      layer.labels.push_back(prefix + p.place.id);
      ++count;
    }
    if (count == 0) return;
    layer.legend_label = fmt::format("{} ({})", label, count);
    map.layers.push_back(std::move(layer));
  };
  outlines(r.before_places, HotspotFate::ceased, {110, 110, 110, 255},
           "Patrol place ceased (before)", "was ");
  outlines(r.after_places, HotspotFate::persists, {0, 0, 0, 255}, "Patrol place persists", "");
  outlines(r.after_places, HotspotFate::new_in_after, {118, 42, 131, 255}, "Patrol place new", "");
  if (!options.boundary.empty()) {
    MapLayerLines boundary;
    boundary.polygons = options.boundary;
    boundary.rgba = {40, 40, 40, 255};
    boundary.width_px = 1.5;
    boundary.legend_label = "Study area";
    map.layers.push_back(std::move(boundary));
  }
  if (map.layers.empty()) map.extent = g.extent();
  write_map_png(join(folder, "map.png"), map, false);
}

}  // namespace hotspots
