// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/emerging_layers.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/render/ehsa_palette.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/render/qgis_style.hpp"

namespace hotspots {
namespace {

std::string num(double v) {
  return std::isnan(v) ? std::string() : fmt::format("{}", v);
}

void check_result(const Units& units, const EmergingResult& r) {
  const std::size_t n = r.units.size();
  if (r.cube.unit_count != n || r.classes.classes.size() != n || r.count_trends.size() != n ||
      r.gi.z.size() != n * r.steps.size() || r.cube.values.size() != n * r.steps.size())
    throw InvalidArgument("emerging layers: the result is inconsistent");
  for (const std::int32_t u : r.units)
    if (u < 0 || static_cast<std::size_t>(u) >= units.size())
      throw InvalidArgument("emerging layers: the result is not of these units");
}

// Writes `text` through `write` to a file under a temporary name, renamed into place.
template <class Write>
void write_text_file(const std::string& path, bool overwrite, Write write) {
  AtomicFile file(path, overwrite);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    if (!out) throw IoError(write_error_text(path, "cannot write"));
    write(out);
    if (!out.flush()) throw IoError(write_error_text(path, "write failed"));
  }
  file.commit();
}

std::string join(const std::string& folder, const std::string& name) {
  return (std::filesystem::path(folder) / name).string();
}

}  // namespace

std::vector<FieldDef> emerging_unit_fields() {
  return {{"unit_id", FieldType::text},       {"pattern", FieldType::text},
          {"class", FieldType::text},         {"category", FieldType::integer},
          {"count", FieldType::real},         {"hot_steps", FieldType::integer},
          {"cold_steps", FieldType::integer}, {"trend_tau", FieldType::real},
          {"trend_s", FieldType::real},       {"trend_z", FieldType::real},
          {"trend_p", FieldType::real},       {"count_tau", FieldType::real},
          {"count_s", FieldType::real},       {"count_z", FieldType::real},
          {"count_p", FieldType::real}};
}

void write_emerging_units(const std::string& path, const Crs& crs, const Units& units,
                          const EmergingResult& r, const VectorWriteOptions& options) {
  check_result(units, r);
  const std::size_t n = r.units.size();
  const std::size_t steps = r.steps.size();
  std::vector<PolygonFeature> features;
  features.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<std::size_t>(r.units[i]);
    double count = 0;
    std::int64_t hot = 0;
    std::int64_t cold = 0;
    for (std::size_t t = 0; t < steps; ++t) {
      count += r.cube.at(i, t);
      const int bin = r.gi.bin[t * n + i];
      hot += bin >= 1 ? 1 : 0;
      cold += bin <= -1 ? 1 : 0;
    }
    const EhsaClass c = r.classes.classes[i];
    const MannKendallResult& zt = r.classes.z_trends[i];
    const MannKendallResult& ct = r.count_trends[i];
    PolygonFeature f;
    f.geometry = units.polygon(u);
    f.values = {units.id(u),
                std::string(ehsa_class_label(c)),
                std::string(ehsa_class_key(c)),
                std::int64_t{ehsa_category_code(c)},
                count,
                hot,
                cold,
                zt.tau_b,
                zt.s,
                zt.z,
                zt.p,
                ct.tau_b,
                ct.s,
                ct.z,
                ct.p};
    features.push_back(std::move(f));
  }
  write_polygons(path, crs, emerging_unit_fields(), features, options);
}

void write_emerging_bins(const std::string& path, const Units& units, const EmergingResult& r,
                         bool overwrite) {
  check_result(units, r);
  const std::size_t n = r.units.size();
  std::vector<std::string> step_label;
  for (const Period& p : r.steps) step_label.push_back(month_to_string(p.first));
  write_text_file(path, overwrite, [&](std::ofstream& out) {
    out << "unit_id,step,count,gi_z,gi_p,gi_bin\n";
    for (std::size_t i = 0; i < n; ++i) {
      const std::string id = units.id(static_cast<std::size_t>(r.units[i]));
      for (std::size_t t = 0; t < r.steps.size(); ++t) {
        const std::size_t b = t * n + i;
        out << fmt::format("{},{},{},{},{},{}\n", id, step_label[t], num(r.cube.values[b]),
                           num(r.gi.z[b]), num(r.gi.p[b]), r.gi.bin[b]);
      }
    }
  });
}

void write_emerging_sensitivity(const std::string& path, const EmergingResult& r, bool overwrite) {
  write_text_file(path, overwrite, [&](std::ofstream& out) {
    out << "time_step_months,time_lags,steps,units";
    for (std::size_t k = 0; k < kEhsaClassCount; ++k)
      out << ',' << ehsa_class_key(static_cast<EhsaClass>(k));
    out << '\n';
    for (const EmergingSensitivityRow& row : r.sensitivity) {
      out << fmt::format("{},{},{},{}", row.time_step_months, row.time_lags, row.steps, row.units);
      for (const std::int64_t c : row.counts) out << ',' << c;
      out << '\n';
    }
  });
}

std::vector<std::string> emerging_folder_files(bool gpkg) {
  std::vector<std::string> files = {"units.geojson", "units.qml", "bins.csv", "sensitivity.csv",
                                    "map.png"};
  if (gpkg) files.push_back("units.gpkg");
  return files;
}

void write_emerging_folder(const std::string& folder, const Crs& crs, const Units& units,
                           const EmergingResult& r, const EmergingFolderOptions& options) {
  check_result(units, r);
  VectorWriteOptions vector;
  vector.layer_name = "units";
  write_emerging_units(join(folder, "units.geojson"), crs, units, r, vector);
  write_qml(join(folder, "units.qml"), EhsaClassStyle{}, false);
  write_emerging_bins(join(folder, "bins.csv"), units, r, false);
  write_emerging_sensitivity(join(folder, "sensitivity.csv"), r, false);

  // The map: one filled layer per class present (hot first, then cold, then no pattern), so the
  // legend lists the classes found with their counts.
  MapSpec map;
  map.title = options.title;
  map.subtitle = options.subtitle;
  map.attribution = options.attribution;
  std::vector<std::size_t> order;
  for (std::size_t k = 1; k < kEhsaClassCount; ++k) order.push_back(k);
  order.push_back(0);
  for (const std::size_t k : order) {
    if (r.class_counts[k] == 0) continue;
    const auto c = static_cast<EhsaClass>(k);
    MapLayerLines layer;
    layer.fill = ehsa_class_colour(c);
    // An outline of the fill's own colour closes the hairlines between neighbouring cells.
    layer.rgba = layer.fill;
    layer.width_px = 0.5;
    layer.legend_label = fmt::format("{} ({})", ehsa_class_label(c), r.class_counts[k]);
    for (std::size_t i = 0; i < r.units.size(); ++i)
      if (r.classes.classes[i] == c)
        layer.polygons.push_back(units.polygon(static_cast<std::size_t>(r.units[i])));
    map.layers.push_back(std::move(layer));
  }
  if (!options.boundary.empty()) {
    MapLayerLines boundary;
    boundary.polygons = options.boundary;
    boundary.rgba = {40, 40, 40, 255};
    boundary.width_px = 1.5;
    boundary.legend_label = "Study area";
    map.layers.push_back(std::move(boundary));
  }
  write_map_png(join(folder, "map.png"), map, false);

  if (options.gpkg) write_emerging_units(join(folder, "units.gpkg"), crs, units, r, vector);
}

}  // namespace hotspots
