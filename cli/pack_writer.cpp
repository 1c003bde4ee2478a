// SPDX-License-Identifier: MIT
#include "pack_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/file_digest.hpp"
#include "hotspots/io/raster_io.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/render/qgis_style.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/units/zone_overlay.hpp"
#include "output.hpp"

namespace hotspots::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string month_text(std::int32_t month_index) {
  if (month_index < 0) return "?";
  return fmt::format("{:04d}-{:02d}", month_index / 12, month_index % 12 + 1);
}

/// Shortest text that reads back to the same double; "" for NaN (an empty CSV cell).
std::string number(double v) {
  if (std::isnan(v)) return "";
  return fmt::format("{}", v);
}

/// Text for a markdown table cell: '|' escaped, line breaks as spaces, "–" when empty.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out.empty() ? "–" : out;
}

/// The first `n` names joined with "; ", then "and K more" (patrol.csv lists them all).
std::string first_names(const std::vector<std::string>& names, std::size_t n) {
  std::vector<std::string> shown(names.begin(), names.begin() + std::min(n, names.size()));
  if (names.size() > n) shown.push_back(fmt::format("and {} more", names.size() - n));
  return fmt::format("{}", fmt::join(shown, "; "));
}

/// A number for a markdown table, "–" for NaN.
std::string md_number(double v, const char* format_spec) {
  return std::isnan(v) ? "–" : fmt::format(fmt::runtime(format_spec), v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// Writes `text` to `path` atomically.
void write_text(const std::string& path, const std::string& text) {
  AtomicFile file(path, false);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    if (!out) throw IoError(write_error_text(path, "cannot write"));
    out << text;
    if (!out.flush()) throw IoError(write_error_text(path, "write failed"));
  }
  file.commit();
}

std::string join(const fs::path& dir, const std::string& name) {
  return (dir / name).string();
}

std::string qml_path(const std::string& layer_path) {
  return fs::path(layer_path).replace_extension(".qml").string();
}

/// Quantile breaks (ascending, distinct) of the finite values for a graduated style, at least
/// two values.
std::vector<double> quantile_breaks(std::vector<double> values, int classes) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  std::sort(values.begin(), values.end());
  std::vector<double> breaks;
  if (values.empty()) return {0.0, 1.0};
  for (int k = 0; k <= classes; ++k) {
    const auto i = static_cast<std::size_t>(
        std::llround(static_cast<double>(k) * static_cast<double>(values.size() - 1) / classes));
    if (breaks.empty() || values[i] > breaks.back()) breaks.push_back(values[i]);
  }
  if (breaks.size() < 2) breaks.push_back(breaks.back() + 1.0);
  return breaks;
}

Point to_lonlat(const Crs& from, Point p) {
  CoordinateTransform t(from, crs_from_epsg(4326));
  std::vector<double> x{p.x};
  std::vector<double> y{p.y};
  t.transform(x, y);
  return {x[0], y[0]};
}

/// The density's style: the map's quantile classes, or a plain ramp for a flat surface.
LayerStyle surface_style(const GroupResult& result) {
  if (result.surface_breaks.size() >= 2) return SurfaceClassesStyle{result.surface_breaks};
  return SurfaceStyle{0.0, std::max(result.surface_max, 1e-9)};
}

std::string hour_text(int hour_of_week) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return fmt::format("{} {:02d}:00", kDays[(hour_of_week / 24) % 7], hour_of_week % 24);
}

// ---- per-group layers ------------------------------------------------------------------------

void write_patrol_csv(const std::string& path, const Crs& crs, const PatrolList& list) {
  std::string text =
      "patrol_rank,hotspot_rank,centroid_x,centroid_y,lon,lat,area_km2,incidents,pai,zones,"
      "profile,peak_window,peak_days,peak_months,when\n";
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (const PatrolItem& item : list.items) {
    const Point ll = to_lonlat(crs, item.centroid);
    const TimeProfile& p = item.profile;
    std::string window;
    if (p.peak_start_hour >= 0)
      window = fmt::format("{} +{} h", hour_text(p.peak_start_hour), p.peak_window_hours);
    std::vector<std::string> days;
    for (int d : p.peak_days) days.emplace_back(kDays[d % 7]);
    std::vector<std::string> months;
    for (int m : p.peak_months) months.emplace_back(kMonths[(m - 1) % 12]);
    text += fmt::format("{},{},{:.1f},{:.1f},{:.6f},{:.6f},{},{},{},{},{},{},{},{},{}\n", item.rank,
                        item.hot_area_rank, item.centroid.x, item.centroid.y, ll.x, ll.y,
                        number(item.area_km2), number(item.incidents), number(item.pai),
                        csv_field(item.zones), to_string(p.kind), csv_field(window),
                        csv_field(fmt::format("{}", fmt::join(days, " "))),
                        csv_field(fmt::format("{}", fmt::join(months, " "))), csv_field(p.text));
  }
  write_text(path, text);
}

std::vector<MultiPolygon> outlines_of(const std::vector<HotArea>& areas) {
  std::vector<MultiPolygon> out;
  out.reserve(areas.size());
  for (const HotArea& a : areas) out.push_back(a.outline);
  return out;
}

void write_map(const std::string& path, const Study& study, const PackRequest& request,
               const GroupResult& result) {
  const GroupAnalysis& a = result.analysis;
  MapSpec spec;
  spec.title = fmt::format("{}, {}", group_title(result.name), request.period.label());
  spec.subtitle = fmt::format(
      "{} incidents · kernel density ({}, radius {:.0f} m, {:.0f} m cells) · outlined: the top "
      "{}% of cells",
      grouped(result.current_incidents), to_string(request.options.kde.kernel), a.radius_m,
      request.grid.cell_size_m, request.options.hot_top_percent);
  spec.surface = &a.surface;
  spec.surface_label = "Incidents per km²";
  spec.surface_min = 0.0;
  spec.classing = MapClassing::quantile;
  if (request.zones.source != (study.boundaries.empty() ? "" : study.boundaries.front().path)) {
    MapLayerLines zones;
    for (const Zone& z : request.zones.zones) zones.polygons.push_back(z.geometry);
    zones.rgba = {110, 110, 110, 160};
    zones.width_px = 0.6;
    zones.legend_label = "Zones";
    spec.layers.push_back(std::move(zones));
  }
  MapLayerLines boundary;
  for (const ZoneLayer& layer : study.boundaries)
    for (const Zone& z : layer.zones) boundary.polygons.push_back(z.geometry);
  boundary.rgba = {40, 40, 40, 255};
  boundary.width_px = 1.5;
  boundary.legend_label = "Boundary";
  spec.layers.push_back(std::move(boundary));
  MapLayerLines hot;
  hot.polygons = outlines_of(a.hotspots);
  hot.rgba = {0, 160, 255, 255};
  hot.width_px = 2.0;
  hot.legend_label = "KDE hotspot (rank)";
  for (const HotArea& h : a.hotspots)
    hot.labels.push_back(h.rank <= 10 ? std::to_string(h.rank) : std::string());
  spec.layers.push_back(std::move(hot));
  spec.attribution =
      fmt::format("hotspots {} · {} · no basemap", HOTSPOTS_VERSION, study.analysis_crs.label());
  write_map_png(path, spec, false);
}

}  // namespace

double finite_max(const Raster& raster) {
  double m = 0;
  for (double v : raster.values)
    if (std::isfinite(v)) m = std::max(m, v);
  return m;
}

std::string PackPeriod::label() const {
  if (from_month < 0) return "undated incidents";
  return from_month == to_month
             ? month_text(from_month)
             : fmt::format("{} to {}", month_text(from_month), month_text(to_month));
}

std::string PackPeriod::previous_label() const {
  if (previous_from_month < 0) return "";
  const std::int32_t last = from_month - 1;
  return previous_from_month == last
             ? month_text(last)
             : fmt::format("{} to {}", month_text(previous_from_month), month_text(last));
}

std::string group_title(const std::string& group) {
  const std::string key = [&] {
    std::string k;
    for (char c : group) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return k;
  }();
  if (key == "asb") return "Anti-social behaviour";
  if (key == "violence") return "Violence and sexual offences";
  if (key == "all") return "All crime";
  if (key == "crime") return "All crime except ASB";
  for (const auto& g : crime_type_groups())
    if (g.name == key) {
      std::string d(g.description);
      if (!d.empty()) d[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(d[0])));
      return d;
    }
  return group;
}

void write_group(const std::string& dir, const Study& study, const PackRequest& request,
                 const GroupResult& result) {
  const fs::path folder = fs::path(dir) / result.folder;
  std::error_code ec;
  fs::create_directory(folder, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create: {}", folder.string(), ec.message()));
  const GroupAnalysis& a = result.analysis;
  const Crs& crs = study.analysis_crs;

  GeoTiffOptions tiff;
  tiff.band_description = "density";
  tiff.units = "incidents/km2";
  tiff.metadata = {{"HOTSPOTS_VERSION", HOTSPOTS_VERSION},
                   {"CRIME_GROUP", result.name},
                   {"PERIOD", request.period.label()},
                   {"KERNEL", std::string(to_string(request.options.kde.kernel))},
                   {"RADIUS_M", fmt::format("{}", a.radius_m)},
                   {"RADIUS_SOURCE", a.radius_from_rule ? "silverman_rule" : "given"},
                   {"CELL_SIZE_M", fmt::format("{}", request.grid.cell_size_m)},
                   {"CELL_VALUE_AT", "cell centre"},
                   {"INCIDENTS", fmt::format("{}", a.incidents)},
                   {"CRS", crs.label()}};
  const std::string density = join(folder, "density.tif");
  write_geotiff(density, a.surface, crs, tiff);
  write_qml(qml_path(density), surface_style(result), false);

  Raster z(a.gistar.counts.grid);
  z.values = a.gistar.gi.z;
  GeoTiffOptions ztiff;
  ztiff.band_description = "gi_z";
  ztiff.units = "z-score";
  ztiff.metadata = {{"HOTSPOTS_VERSION", HOTSPOTS_VERSION},
                    {"CRIME_GROUP", result.name},
                    {"STATISTIC", "Getis-Ord Gi* z-score (Ord & Getis 1995)"},
                    {"NEIGHBOURS", fmt::format("distance band {} m, self included",
                                               request.options.gistar.distance_band_m > 0
                                                   ? request.options.gistar.distance_band_m
                                                   : default_band_m(request.grid.cell_size_m))},
                    {"CRS", crs.label()}};
  write_geotiff(join(folder, "gistar_z.tif"), z, crs, ztiff);

  const std::string hotspots = join(folder, "hotspots.geojson");
  ZoneNames names;
  names.zones = request.zones.zones;
  write_hot_areas(hotspots, a.hotspots, names, crs, false, "density");
  write_qml(qml_path(hotspots), HotspotStyle{}, false);

  const std::string cells = join(folder, "gistar_cells.geojson");
  const GiStarCells& g = a.gistar;
  const auto significant = [&g](std::size_t i) {
    return g.gi.bin[i] != 0 || (!g.lisa_cluster.empty() && g.lisa_cluster[i] != 0);
  };
  write_square_cells(cells, crs, g, significant, false, "gistar_cells");
  write_qml(qml_path(cells), GiBinStyle{}, false);
  const std::string clusters = join(folder, "gistar_clusters.geojson");
  write_cluster_rows(clusters, crs, cluster_rows(a.clusters), false, "gistar_clusters");
  write_qml(qml_path(clusters), ClusterTypeStyle{}, false);

  write_patrol_csv(join(folder, "patrol.csv"), crs, a.patrol);
  write_map(join(folder, "map.png"), study, request, result);
}

void write_pack_tables(const std::string& dir, const Study& study, const PackRequest& request) {
  const PackZones& zones = request.zones;
  const bool population = !zones.population.empty();
  const bool change = request.period.previous_available;

  // zones.csv / zones.geojson: one row per zone, a block of columns per group.
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
  std::vector<const GroupResult*> mapped;
  for (const GroupResult& r : request.results)
    if (!r.analysis.zone_table.rows.empty()) mapped.push_back(&r);
  for (const GroupResult* r : mapped)
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
    for (const GroupResult* r : mapped) {
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
  write_text(join(dir, "zones.csv"), csv);
  const std::string zones_geojson = join(dir, "zones.geojson");
  VectorWriteOptions options;
  options.layer_name = "zones";
  write_polygons(zones_geojson, study.analysis_crs, fields, features, options);
  if (!mapped.empty()) {
    std::vector<double> counts;
    for (const ZoneRow& row : mapped.front()->analysis.zone_table.rows)
      counts.push_back(static_cast<double>(row.incidents));
    write_qml(qml_path(zones_geojson),
              GraduatedStyle{mapped.front()->folder + "_incidents", quantile_breaks(counts, 5)},
              false);
  }

  // concentration.csv: one row per group.
  std::string text =
      "group,study_cells,cell_area_km2,incidents,share_top1pct,share_top5pct,share_top10pct,"
      "cells_for_half,share_area_for_half,area_km2_for_half,share_cells_with_incidents\n";
  for (const GroupResult& r : request.results) {
    const Concentration& c = r.analysis.concentration;
    if (c.cells == 0) continue;
    std::vector<std::string> tops;
    for (const TopCells& t : c.top) tops.push_back(number(t.share_incidents));
    while (tops.size() < 3) tops.emplace_back();
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.name), c.cells,
                        number(c.cell_area_km2), number(c.incidents), tops[0], tops[1], tops[2],
                        c.cells_for_target, number(c.share_cells_for_target),
                        number(c.area_km2_for_target), number(c.share_cells_with_incidents));
  }
  write_text(join(dir, "concentration.csv"), text);
}

void write_summary(const std::string& dir, const Study& study, const PackRequest& request) {
  const PackPeriod& period = request.period;
  const RowAccounting& acc = study.data.accounting;
  std::string md;
  md += fmt::format("# Crime hotspots, {}\n\n", period.label());
  md += fmt::format(
      "Made by hotspots {} from {} input file{} ({} rows read, {} used in the period). Boundary: "
      "{}. Analysis CRS {}.\n\n",
      HOTSPOTS_VERSION, study.data.sources.size(), study.data.sources.size() == 1 ? "" : "s",
      grouped(acc.read), grouped(acc.used),
      study.boundaries.empty() ? "none"
                               : fs::path(study.boundaries.front().path).filename().string(),
      study.analysis_crs.label());

  md += "## Key figures\n\n";
  md += fmt::format(
      "| Crime group | Incidents | {} | Change | Hotspots | Top hotspot PAI | Share in top 5% of "
      "cells | Area holding half |\n",
      period.previous_available ? "Previous period" : "Previous period (not covered)");
  md += "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const GroupResult& r : request.results) {
    const GroupAnalysis& a = r.analysis;
    std::string change = "–";
    if (period.previous_available && r.previous_incidents > 0)
      change = fmt::format("{:+.1f}%",
                           100.0 * static_cast<double>(r.current_incidents - r.previous_incidents) /
                               static_cast<double>(r.previous_incidents));
    const double top5 =
        a.concentration.top.size() > 1 ? a.concentration.top[1].share_incidents : std::nan("");
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", group_title(r.name),
                      grouped(r.current_incidents),
                      period.previous_available ? grouped(r.previous_incidents) : "–", change,
                      a.hotspots.size(),
                      a.hotspots.empty() ? "–" : fmt::format("{:.1f}", a.hotspots.front().pai),
                      std::isnan(top5) ? "–" : fmt::format("{:.1f}%", 100 * top5),
                      a.concentration.cells_for_target > 0
                          ? fmt::format("{:.1f}%", 100 * a.concentration.share_cells_for_target)
                          : "–");
  }
  md += fmt::format(
      "\nPAI (Predictive Accuracy Index, Chainey et al. 2008) = share of incidents / share of the "
      "study area. \"Area holding half\" = the smallest share of the study area's {:.0f} m cells "
      "that holds half of the incidents (the law of crime concentration, Weisburd 2015).\n\n",
      request.grid.cell_size_m);

  for (const GroupResult& r : request.results) {
    md += fmt::format("## {}\n\n", group_title(r.name));
    if (!r.mapped) {
      md += fmt::format("{} incidents; not mapped: {}.\n\n", grouped(r.current_incidents),
                        cell(r.note));
      continue;
    }
    const GroupAnalysis& a = r.analysis;
    md += fmt::format("![{} map]({}/map.png)\n\n", group_title(r.name), r.folder);
    md += fmt::format(
        "{} incidents. Kernel density: {} kernel, radius {:.0f} m{}; the top {}% of cells form "
        "{} hotspot{}. Gi*: {} hot and {} cold cluster{} (bins at 95%{}).\n\n",
        grouped(r.current_incidents), to_string(request.options.kde.kernel), a.radius_m,
        a.radius_from_rule ? " (Silverman's rule)" : "", request.options.hot_top_percent,
        a.hotspots.size(), a.hotspots.size() == 1 ? "" : "s", a.clusters.hot.size(),
        a.clusters.cold.size(), a.clusters.cold.size() == 1 ? "" : "s",
        request.options.gistar.fdr ? ", FDR-corrected" : "");
    if (a.radius_from_rule && !a.hotspots.empty() && a.hotspots.front().area_km2 > 5.0)
      md += fmt::format(
          "> Hotspot 1 covers {:.1f} km²: Silverman's rule chose a {:.0f} m radius for data "
          "spread over the whole area. For street-level patrol areas give `--radius` (e.g. "
          "250–400 m) and a finer `--cell-size`; `hotspots evaluate` shows which radius predicts "
          "best on these data.\n\n",
          a.hotspots.front().area_km2, a.radius_m);
    if (!a.patrol.items.empty()) {
      md += "### Patrol list\n\n| # | Where (zones) | Area km² | Incidents | PAI | When |\n";
      md += "|---:|---|---:|---:|---:|---|\n";
      for (const PatrolItem& item : a.patrol.items)
        md += fmt::format("| {} | {} | {:.3f} | {:.0f} | {:.1f} | {} |\n", item.rank,
                          cell(first_names(item.zone_names, 3)), item.area_km2, item.incidents,
                          item.pai, cell(item.profile.text));
      md += "\n";
    }
    const ZoneTable& t = a.zone_table;
    if (!t.rows.empty()) {
      std::vector<const ZoneRow*> rows;
      for (const ZoneRow& row : t.rows) rows.push_back(&row);
      std::stable_sort(rows.begin(), rows.end(),
                       [](const ZoneRow* x, const ZoneRow* y) { return x->rank < y->rank; });
      if (rows.size() > 10) rows.resize(10);
      md += fmt::format(
          "### Top zones\n\n| Rank | Zone | Incidents | Per km² |{} Share |{} In hotspots |\n",
          request.zones.population.empty() ? "" : " Per 1,000 |",
          period.previous_available ? " Change |" : "");
      md += fmt::format("|---:|---|---:|---:|{}---:|{}---:|\n",
                        request.zones.population.empty() ? "" : "---:|",
                        period.previous_available ? "---:|" : "");
      for (const ZoneRow* row : rows) {
        std::string change;
        if (period.previous_available)
          change =
              fmt::format(" {:+d}{} |", row->change,
                          row->change_flag_fdr.empty() ? "" : " (" + row->change_flag_fdr + ")");
        md += fmt::format("| {} | {} | {} | {} |{} {} |{} {} |\n", row->rank, cell(row->name),
                          row->incidents, md_number(row->per_km2, "{:.1f}"),
                          request.zones.population.empty()
                              ? ""
                              : fmt::format(" {} |", md_number(row->per_1000, "{:.1f}")),
                          md_number(100 * row->share, "{:.1f}%"), change,
                          md_number(100 * row->hotspot_share, "{:.0f}%"));
      }
      if (t.outside > 0)
        md += fmt::format("\n{} incidents lie in no zone (counted in the shares).\n", t.outside);
      md += "\n";
    }
  }

  md += "## Methods\n\n";
  md += fmt::format(
      "- Grid: {:.0f} m cells over the boundary; cells whose centre is inside form the study "
      "area ({} cells).\n",
      request.grid.cell_size_m, request.mask.count_inside());
  md +=
      "- Kernel density (ArcGIS/GRASS scaling): density per km² at each cell centre; hotspots "
      "are the top cells merged by shared edges or corners.\n";
  md += fmt::format(
      "- Getis-Ord Gi* on incident counts per cell, binary distance band {:.0f} m with the cell "
      "itself (ArcGIS Hot Spot Analysis); {}.\n",
      request.options.gistar.distance_band_m > 0 ? request.options.gistar.distance_band_m
                                                 : default_band_m(request.grid.cell_size_m),
      request.options.gistar.fdr ? "bins corrected by the False Discovery Rate (Benjamini-Hochberg)"
                                 : "bins from raw p-values");
  if (period.previous_available)
    md += fmt::format(
        "- Change: {} against {} (same length). A zone's change is flagged up/down when the exact "
        "conditional binomial test (Przyborowski & Wilenski 1940) gives p < {} after the "
        "Benjamini-Hochberg correction across zones.\n",
        period.label(), period.previous_label(), request.options.zone_table.alpha);
  else
    md += fmt::format("- Change: none, because {}.\n", period.no_change_reason);
  md += fmt::format(
      "- Rows: {} read, {} used; rows that could not be used are listed in rejects.csv with "
      "their reason, rows outside the period or the crime types are counted in manifest.json.\n",
      grouped(acc.read), grouped(acc.used));
  md +=
      "\nOpen `hotspots.qgs` in QGIS for every layer, styled. `manifest.json` records the "
      "inputs (SHA-256) and every parameter.\n";
  write_text(join(dir, "summary.md"), md);
}

void write_pack_project(const std::string& dir, const Study& study, const PackRequest& request) {
  const Crs wgs84 = crs_from_epsg(4326);
  std::vector<QgisLayer> layers;
  const Extent grid_extent{
      request.grid.xmin,
      request.grid.ymax - static_cast<double>(request.grid.rows) * request.grid.cell_size_m,
      request.grid.xmin + static_cast<double>(request.grid.cols) * request.grid.cell_size_m,
      request.grid.ymax};
  bool first = true;
  for (const GroupResult& r : request.results) {
    if (!r.mapped) continue;
    const std::string title = group_title(r.name);
    layers.push_back({r.folder + "/density.tif", title + " – density", surface_style(r),
                      study.analysis_crs, grid_extent, first});
    first = false;
  }
  std::vector<double> counts;
  if (!request.zones.zones.empty()) {
    for (const GroupResult& r : request.results)
      if (!r.analysis.zone_table.rows.empty()) {
        for (const ZoneRow& row : r.analysis.zone_table.rows)
          counts.push_back(static_cast<double>(row.incidents));
        layers.push_back({"zones.geojson", "Zones – " + group_title(r.name) + " incidents",
                          GraduatedStyle{r.folder + "_incidents", quantile_breaks(counts, 5)},
                          wgs84, Extent{}, false});
        break;
      }
  }
  first = true;
  for (const GroupResult& r : request.results) {
    if (!r.mapped) continue;
    const std::string title = group_title(r.name);
    layers.push_back({r.folder + "/gistar_cells.geojson", title + " – Gi* significant cells",
                      GiBinStyle{}, wgs84, Extent{}, false});
    layers.push_back({r.folder + "/gistar_clusters.geojson", title + " – Gi* clusters",
                      ClusterTypeStyle{}, wgs84, Extent{}, false});
    layers.push_back({r.folder + "/hotspots.geojson", title + " – KDE hotspots", HotspotStyle{},
                      wgs84, Extent{}, first});
    first = false;
  }
  write_qgis_project(join(dir, "hotspots.qgs"), "Crime hotspots, " + request.period.label(), layers,
                     study.analysis_crs, false);
}

void write_manifest(const std::string& dir, const Context& ctx, const Study& study,
                    const PackRequest& request, const PhaseTimer& timer) {
  json m;
  m["tool"] = "hotspots";
  m["version"] = HOTSPOTS_VERSION;
  m["command"] = ctx.command_line;
  // Exactly what ran: `hotspots analyse --spec manifest.json -o NEW` rebuilds the pack from it.
  m["spec"] = json::parse(pack_spec_json(request.spec));

  // Inputs: every file read, with its SHA-256 (zip members: the zip itself).
  json inputs = json::array();
  std::set<std::string> seen;
  const auto add_input = [&](const std::string& role, std::string path) {
    if (path.rfind("/vsizip/", 0) == 0) {
      path = path.substr(8);
      std::string lower = path;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto zip = lower.find(".zip/");
      if (zip != std::string::npos) path = path.substr(0, zip + 4);
    }
    if (!seen.insert(path).second) return;
    std::error_code ec;
    const auto bytes = fs::file_size(path, ec);
    inputs.push_back({{"role", role},
                      {"path", path},
                      {"bytes", ec ? 0 : static_cast<std::int64_t>(bytes)},
                      {"sha256", sha256_file(path)}});
  };
  for (const InputSource& s : study.data.sources) add_input("incidents", s.path);
  for (const ZoneLayer& b : study.boundaries) add_input("boundary", b.path);
  if (!request.zones_path.empty()) add_input("zones", request.zones_path);
  m["inputs"] = inputs;

  const AnalysisOptions& o = request.options;
  json groups = json::array();
  for (const GroupResult& r : request.results) {
    const GroupAnalysis& a = r.analysis;
    json g = {{"name", r.name},
              {"title", group_title(r.name)},
              {"folder", r.folder},
              {"mapped", r.mapped},
              {"note", r.note},
              {"incidents", r.current_incidents},
              {"previous_incidents",
               request.period.previous_available ? json(r.previous_incidents) : json(nullptr)},
              {"kde_radius_m", a.radius_m},
              {"kde_radius_source", a.radius_from_rule ? "silverman_rule" : "given"},
              {"kde_hot_cells", a.hot_cells},
              {"density_max", r.surface_max},
              {"density_classes", r.surface_breaks},
              {"kde_hotspots", a.hotspots.size()},
              {"gistar_hot_clusters", a.clusters.hot.size()},
              {"gistar_cold_clusters", a.clusters.cold.size()},
              {"patrol_items", a.patrol.items.size()},
              {"zones_outside", a.zone_table.outside}};
    groups.push_back(g);
  }
  m["parameters"] = {
      {"groups", request.groups},
      {"period", request.period.label()},
      {"period_months", request.period.months},
      {"previous_period",
       request.period.previous_available ? json(request.period.previous_label()) : json(nullptr)},
      {"no_change_reason",
       request.period.previous_available ? json(nullptr) : json(request.period.no_change_reason)},
      {"analysis_crs", study.analysis_crs.label()},
      {"crs_reason", study.crs_reason},
      {"grid",
       {{"xmin", request.grid.xmin},
        {"ymax", request.grid.ymax},
        {"cell_size_m", request.grid.cell_size_m},
        {"cols", request.grid.cols},
        {"rows", request.grid.rows},
        {"study_cells", request.mask.count_inside()},
        {"study_area_rule", "cell centre inside the boundary"}}},
      {"kde",
       {{"kernel", std::string(to_string(o.kde.kernel))},
        {"radius_m", o.kde.radius_m > 0 ? json(o.kde.radius_m) : json("silverman_rule")},
        {"output", "density per km2"},
        {"hotspots", fmt::format("top {}% of study-area cells", o.hot_top_percent)},
        {"connectivity", o.connectivity == Connectivity::queen ? "queen" : "rook"}}},
      {"gistar",
       {{"distance_band_m", o.gistar.distance_band_m > 0
                                ? o.gistar.distance_band_m
                                : default_band_m(request.grid.cell_size_m)},
        {"fdr", o.gistar.fdr},
        {"permutations", o.gistar.permutations},
        {"seed", o.gistar.seed},
        {"cluster_level", o.cluster_level}}},
      {"zones",
       {{"source", request.zones.source},
        {"id_field", request.zones.id_field},
        {"name_field", request.zones.name_field},
        {"population_field", request.population_field},
        {"count", request.zones.zones.size()},
        {"change_test",
         "exact conditional binomial (Przyborowski & Wilenski 1940), BH across "
         "zones"},
        {"alpha", o.zone_table.alpha}}},
      {"patrol",
       {{"source", "KDE hotspots"},
        {"max_count", o.patrol.max_count},
        {"max_area_km2", o.patrol.max_area_km2},
        {"peak_window_hours", o.patrol.peak_window_hours}}},
      {"concentration",
       {{"top_percent", o.concentration.top_percent},
        {"target_share", o.concentration.target_share}}}};

  const RowAccounting& acc = study.data.accounting;
  json rejected = json::object();
  for (auto reason : kAllRejectReasons)
    rejected[std::string(to_string(reason))] = acc.rejected_for(reason);
  m["rows"] = {{"read", acc.read},
               {"used", acc.used},
               {"rejected", rejected},
               {"previous_period_rows", request.period.previous_rows},
               {"previous_period_rows_unusable", request.period.previous_rows_rejected},
               {"balanced", acc.balanced()}};
  m["groups"] = groups;

  // Outputs written so far, sorted, with their digests (manifest.json itself excluded).
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), dir).generic_string());
  std::sort(files.begin(), files.end());
  json outputs = json::array();
  for (const std::string& f : files)
    outputs.push_back({{"path", f}, {"sha256", sha256_file(join(dir, f))}});
  m["outputs"] = outputs;

  json timings = json::object();
  for (const auto& [name, seconds] : timer.laps())
    timings[name] = std::round(seconds * 1000) / 1000;
  m["timings_s"] = timings;
  write_text(join(dir, "manifest.json"),
             m.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
}

}  // namespace hotspots::cli
