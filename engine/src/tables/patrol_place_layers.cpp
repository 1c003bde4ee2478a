// SPDX-License-Identifier: MIT
#include "hotspots/tables/patrol_place_layers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/csv_text.hpp"

namespace hotspots {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Shortest text that reads back to the same double; "" for NaN.
std::string number(double v) {
  return std::isnan(v) ? std::string() : fmt::format("{}", v);
}

std::vector<Point> lonlat_of_centres(const PatrolPlaces& places, const Crs& crs) {
  std::vector<double> x;
  std::vector<double> y;
  for (const PatrolPlace& p : places.places) {
    x.push_back(p.centre.x);
    y.push_back(p.centre.y);
  }
  if (!x.empty()) {
    const CoordinateTransform t(crs, crs_from_epsg(4326));
    t.transform(x, y);
  }
  std::vector<Point> out;
  for (std::size_t i = 0; i < x.size(); ++i) out.push_back({x[i], y[i]});
  return out;
}

}  // namespace

std::string named_counts_text(const std::vector<NamedCount>& counts) {
  std::string s;
  for (const NamedCount& c : counts)
    s += fmt::format("{}{} ({})", s.empty() ? "" : "; ", c.name, number(c.incidents));
  return s;
}

std::string patrol_cells_text(const PatrolPlace& place) {
  std::string s;
  for (const Extent& c : place.cells)
    s += fmt::format("{}{:.0f} {:.0f} {:.0f}", s.empty() ? "" : ";", c.xmin, c.ymin, c.width());
  return s;
}

std::vector<Extent> parse_patrol_cells_text(std::string_view text) {
  std::vector<Extent> out;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(';'), text.size());
    const std::string item(text.substr(0, end));
    double x = 0, y = 0, s = 0;
    if (std::sscanf(item.c_str(), "%lf %lf %lf", &x, &y, &s) != 3 || !(s > 0))
      throw InvalidArgument(fmt::format("patrol cells: '{}' is not 'x y size'", item));
    out.push_back({x, y, x + s, y + s});
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

std::vector<std::string> patrol_csv_columns() {
  return {"patrol_id",
          "rank",
          "centre_x",
          "centre_y",
          "lon",
          "lat",
          "radius_m",
          "area_km2",
          "incidents",
          "per_month",
          "share_pct",
          "pai",
          "map_points",
          "top_locations",
          "busiest_point_pct",
          "recording_location",
          "recording_reason",
          "crime_types",
          "profile",
          "when",
          "shape",
          "cells"};
}

std::string patrol_places_csv(const PatrolPlaces& places, const Crs& crs) {
  std::string text = fmt::format("{}{}\n", kCsvBom, fmt::join(patrol_csv_columns(), ","));
  const std::vector<Point> ll = lonlat_of_centres(places, crs);
  for (std::size_t k = 0; k < places.places.size(); ++k) {
    const PatrolPlace& p = places.places[k];
    text += fmt::format(
        "{},{},{:.1f},{:.1f},{:.6f},{:.6f},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", p.id,
        p.rank, p.centre.x, p.centre.y, ll[k].x, ll[k].y, csv_rounded(p.radius_m, 1),
        csv_rounded(p.area_km2, 4), csv_rounded(p.incidents, 2), csv_rounded(p.per_month, 2),
        csv_percent(p.share), csv_rounded(p.pai, 2), p.map_points,
        csv_field(named_counts_text(p.top_locations)), csv_percent(p.busiest_point_share, 1),
        p.recording_location ? 1 : 0, csv_field(p.recording_reason),
        csv_field(named_counts_text(p.by_category)), to_string(p.profile.kind),
        csv_field(p.profile.text), to_string(p.shape), p.cells.size());
  }
  return text;
}

std::vector<FieldDef> patrol_place_fields() {
  return {{"patrol_id", FieldType::text},
          {"rank", FieldType::integer},
          {"incidents", FieldType::real},
          {"per_month", FieldType::real},
          {"share", FieldType::real},
          {"pai", FieldType::real},
          {"radius_m", FieldType::real},
          {"area_km2", FieldType::real},
          {"centre_x", FieldType::real},
          {"centre_y", FieldType::real},
          {"map_points", FieldType::integer},
          {"top_locations", FieldType::text},
          {"recording_location", FieldType::integer},
          {"recording_reason", FieldType::text},
          {"when", FieldType::text},
          {"shape", FieldType::text},
          {"cells", FieldType::text}};
}

void write_patrol_places(const std::string& path, const PatrolPlaces& places, const Crs& crs,
                         bool overwrite) {
  std::vector<PolygonFeature> features;
  features.reserve(places.places.size());
  for (const PatrolPlace& p : places.places) {
    PolygonFeature f;
    f.geometry = patrol_place_outline(p);
    f.values = {p.id,
                std::int64_t{p.rank},
                p.incidents,
                p.per_month,
                p.share,
                p.pai,
                p.radius_m,
                p.area_km2,
                p.centre.x,
                p.centre.y,
                std::int64_t{p.map_points},
                named_counts_text(p.top_locations),
                std::int64_t{p.recording_location ? 1 : 0},
                p.recording_reason,
                p.profile.text,
                to_string(p.shape),
                patrol_cells_text(p)};
    features.push_back(std::move(f));
  }
  VectorWriteOptions options;
  options.overwrite = overwrite;
  options.layer_name = "patrol";
  write_polygons(path, crs, patrol_place_fields(), features, options);
}

void write_patrol_csv(const std::string& path, const PatrolPlaces& places, const Crs& crs,
                      bool overwrite) {
  const std::string text = patrol_places_csv(places, crs);
  write_file_atomically(path, text, overwrite);
}

}  // namespace hotspots
