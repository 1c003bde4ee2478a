// SPDX-License-Identifier: MIT
#include "hotspots/pack/gather.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/change.hpp"
#include "hotspots/pack/batch.hpp"
#include "hotspots/pack/gather_tables.hpp"
#include "hotspots/stats/fdr.hpp"
#include "hotspots/tables/patrol_place_layers.hpp"
#include "hotspots/tables/patrol_places.hpp"
#include "hotspots/tables/zone_table.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using pack_io::read_text;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The level of an area's change flag, as the zone table's.
constexpr double kChangeAlpha = 0.05;

json parse_json(const std::string& path) {
  try {
    return json::parse(read_text(path));
  } catch (const json::exception& e) {
    throw IoError(fmt::format("{}: not readable JSON ({})", path, e.what()));
  }
}

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

double number_or_nan(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : kNaN;
}

// The study area's geometry as one GeoJSON geometry: a single feature's as it is, several
// features' polygons as one MultiPolygon.
void read_study_area(const std::string& path, GatheredTask& t) {
  if (!exists(path)) return;
  const json area = parse_json(path);
  const json& features = area.value("features", json::array());
  if (features.size() == 1) {
    t.geometry_json = features[0].value("geometry", json()).dump();
  } else if (features.size() > 1) {
    json multi = {{"type", "MultiPolygon"}, {"coordinates", json::array()}};
    for (const json& f : features) {
      const json& g = f.value("geometry", json());
      if (g.value("type", "") == "Polygon") multi["coordinates"].push_back(g["coordinates"]);
      if (g.value("type", "") == "MultiPolygon")
        for (const json& p : g["coordinates"]) multi["coordinates"].push_back(p);
    }
    t.geometry_json = multi.dump();
  }
  double km2 = 0;
  bool any = false;
  for (const json& f : features) {
    const double a = number_or_nan(f.value("properties", json::object()), "area_km2");
    if (std::isfinite(a)) km2 += a, any = true;
  }
  if (any) t.area_km2 = km2;
}

// Σ population of the pack's zones (those the pack kept: at least half inside the study area).
double zones_population(const std::string& path) {
  if (!exists(path)) return kNaN;
  const json zones = parse_json(path);
  double sum = 0;
  for (const json& f : zones.value("features", json::array())) {
    const double p = number_or_nan(f.value("properties", json::object()), "population");
    if (!std::isfinite(p)) return kNaN;  // a zone without population: no rate for the area
    sum += p;
  }
  return sum;
}

// concentration.csv: group -> (share of incidents in the top 5 % of cells, share of the area
// holding half of the incidents), both as fractions.
std::map<std::string, std::pair<double, double>> read_concentration(const std::string& path) {
  std::map<std::string, std::pair<double, double>> out;
  if (!exists(path)) return out;
  std::istringstream in(read_text(path));
  std::string line;
  std::vector<std::string> header;
  const auto split = [](const std::string& s) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream ss(s);
    while (std::getline(ss, field, ',')) fields.push_back(field);
    return fields;
  };
  if (!std::getline(in, line)) return out;
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  header = split(line);
  const auto column = [&](const char* name) {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int top5 = column("incidents_pct_top5pct_cells");
  const int half = column("area_pct_for_50pct");
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto f = split(line);
    if (f.empty()) continue;
    const auto pct = [&](int c) {
      if (c < 0 || c >= static_cast<int>(f.size()) || f[static_cast<std::size_t>(c)].empty())
        return kNaN;
      try {
        return std::stod(f[static_cast<std::size_t>(c)]) / 100.0;
      } catch (const std::exception&) {
        throw IoError(fmt::format("{}: group {}: not a number '{}'", path, f[0],
                                  f[static_cast<std::size_t>(c)]));
      }
    };
    out[f[0]] = {pct(top5), pct(half)};
  }
  return out;
}

std::vector<GatheredPlace> read_places(const std::string& path) {
  std::vector<GatheredPlace> out;
  if (!exists(path)) return out;
  const json layer = parse_json(path);
  for (const json& f : layer.value("features", json::array())) {
    const json& p = f.value("properties", json::object());
    GatheredPlace place;
    place.id = p.value("patrol_id", "");
    place.centre = {number_or_nan(p, "centre_x"), number_or_nan(p, "centre_y")};
    place.radius_m = number_or_nan(p, "radius_m");
    place.cells = parse_patrol_cells_text(p.value("cells", ""));
    place.incidents = number_or_nan(p, "incidents");
    const std::string names = p.value("top_locations", "");
    place.top_location = names.substr(0, names.find("; "));
    out.push_back(std::move(place));
  }
  return out;
}

GatheredTask read_task(const PlanTask& task, const std::string& output_dir, Gathered& g) {
  GatheredTask t;
  t.task = &task;
  const std::string dir = task_pack_dir(output_dir, task);
  const std::string failure = task_failure_path(output_dir, task);
  if (exists(failure)) {
    ++g.failed;
    t.status = "failed";
    t.error = read_text(failure);
    while (!t.error.empty() && (t.error.back() == '\n' || t.error.back() == '\r'))
      t.error.pop_back();
    for (char& c : t.error)  // one line per row of index.csv
      if (c == '\n' || c == '\r') c = ' ';
    return t;
  }
  const std::string manifest = pack_io::join(dir, "manifest.json");
  if (!exists(manifest)) {
    ++g.missing;
    t.status = "missing";
    t.error = "no finished pack";
    return t;
  }
  ++g.done;
  t.status = "done";
  const json m = parse_json(manifest);
  const json& parameters = m.value("parameters", json::object());
  t.area_name = parameters.value("area_name", task.area);
  read_study_area(pack_io::join(dir, "study_area.geojson"), t);
  const json& zones = parameters.value("zones", json::object());
  if (zones.is_object() && zones.value("population_field", json()).is_string())
    t.population = zones_population(pack_io::join(dir, "zones.geojson"));
  const auto concentration = read_concentration(pack_io::join(dir, "concentration.csv"));
  for (const json& j : m.value("groups", json::array())) {
    GatheredGroup gg;
    gg.name = j.value("name", "");
    gg.title = j.value("title", gg.name);
    gg.incidents = j.value("incidents", 0.0);
    gg.previous = number_or_nan(j, "previous_incidents");
    gg.kde_hotspots = j.value("kde_hotspots", std::int64_t{0});
    gg.gistar_hot_clusters = j.value("gistar_hot_clusters", std::int64_t{0});
    // "patrol_places" since the patrol places (issue #11); "patrol_items" in older packs.
    gg.patrol_places = j.contains("patrol_places") ? j.value("patrol_places", std::int64_t{0})
                                                   : j.value("patrol_items", std::int64_t{0});
    gg.patrol_incidents = j.value("patrol_incidents", 0.0);
    if (const auto c = concentration.find(gg.name); c != concentration.end()) {
      gg.top5pct_cells_share = c->second.first;
      gg.area_share_for_half = c->second.second;
    }
    // The exact test needs counts: weighted incidents (category weights) are not counts.
    const auto whole = [](double v) { return std::isfinite(v) && v >= 0 && v == std::floor(v); };
    if (whole(gg.incidents) && whole(gg.previous))
      gg.change_p = change_test_p(static_cast<std::int64_t>(gg.previous),
                                  static_cast<std::int64_t>(gg.incidents));
    gg.places = read_places(
        pack_io::join(pack_io::join(dir, j.value("folder", gg.name)), "patrol.geojson"));
    t.groups.push_back(std::move(gg));
  }
  return t;
}

}  // namespace

void rank_leagues(std::vector<GatheredTask>& tasks) {
  std::map<std::pair<std::string, std::string>,
           std::vector<std::pair<GatheredTask*, GatheredGroup*>>>
      leagues;
  for (GatheredTask& t : tasks)
    if (t.status == "done")
      for (GatheredGroup& g : t.groups) leagues[{t.task->period, g.name}].emplace_back(&t, &g);
  for (auto& [key, league] : leagues) {
    double total = 0;
    double people = 0;
    bool rates = true;
    for (const auto& [t, g] : league) {
      total += g->incidents;
      people += t->population;
      rates = rates && t->population > 0;
    }
    std::vector<double> p;
    for (auto& [t, g] : league) {
      g->rank = 1 + std::count_if(league.begin(), league.end(), [&](const auto& o) {
                  return o.second->incidents > g->incidents;
                });
      g->share = total > 0 ? g->incidents / total : kNaN;
      if (rates) {
        const double rate = t->per_1000(*g);
        g->rate_rank = 1 + std::count_if(league.begin(), league.end(), [&](const auto& o) {
                         return o.first->per_1000(*o.second) > rate;
                       });
        g->rate_index = total > 0 ? 100.0 * rate / (1000.0 * total / people) : kNaN;
      }
      if (std::isfinite(g->change_p)) p.push_back(g->change_p);
    }
    const std::vector<double> q = bh_adjust(p);
    std::size_t k = 0;
    for (auto& [t, g] : league) {
      if (!std::isfinite(g->change_p)) continue;
      g->change_q = q[k++];
      if (g->change_q < kChangeAlpha) g->change_flag = g->incidents > g->previous ? "up" : "down";
    }
  }
}

std::vector<PersistentPlace> place_persistence(const std::vector<GatheredTask>& tasks,
                                               double min_overlap_share) {
  // area -> group -> the finished tasks' places, in period order.
  std::map<std::string,
           std::map<std::string, std::vector<std::pair<std::string, const GatheredGroup*>>>>
      series;
  std::vector<std::string> areas;  // plan order
  for (const GatheredTask& t : tasks) {
    if (std::find(areas.begin(), areas.end(), t.task->area) == areas.end())
      areas.push_back(t.task->area);
    if (t.status != "done") continue;
    for (const GatheredGroup& g : t.groups)
      series[t.task->area][g.name].emplace_back(t.task->period, &g);
  }
  std::vector<PersistentPlace> out;
  for (const std::string& area : areas) {
    for (auto& [group, periods] : series[area]) {
      if (periods.size() < 2) continue;
      std::stable_sort(periods.begin(), periods.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<std::vector<MultiPolygon>> circles;
      for (const auto& [period, g] : periods) {
        std::vector<MultiPolygon> list;
        for (const GatheredPlace& p : g->places) {
          PatrolPlace place;
          place.centre = p.centre;
          place.radius_m = p.radius_m;
          place.cells = p.cells;
          list.push_back(patrol_place_outline(place));
        }
        circles.push_back(std::move(list));
      }
      const auto score = hotspot_persistence(circles, min_overlap_share);
      const auto& latest = *periods.back().second;
      std::string name;
      for (const GatheredTask& t : tasks)
        if (t.task->area == area && t.task->period == periods.back().first) name = t.area_name;
      for (std::size_t i = 0; i < latest.places.size(); ++i)
        out.push_back({area, name, group, periods.back().first, latest.places[i], score[i].periods,
                       static_cast<int>(periods.size()), score[i].streak});
    }
  }
  return out;
}

Gathered gather_packs(const std::vector<PlanTask>& tasks, const std::string& output_dir) {
  Gathered g;
  g.tasks.reserve(tasks.size());
  for (const PlanTask& task : tasks) g.tasks.push_back(read_task(task, output_dir, g));
  rank_leagues(g.tasks);
  g.persistence = place_persistence(g.tasks);
  return g;
}

GatherResult gather_batch(const std::vector<PlanTask>& tasks, const std::string& output_dir) {
  const Gathered g = gather_packs(tasks, output_dir);
  GatherResult result;
  result.done = g.done;
  result.failed = g.failed;
  result.missing = g.missing;
  const std::pair<const char*, std::string> files[] = {
      {"index.csv", gather_index_csv(g)},
      {"index.geojson", gather_index_geojson(g)},
      {"persistence.csv", gather_persistence_csv(g)},
      {"summary.md", gather_summary_md(g)},
  };
  for (const auto& [name, text] : files) {
    const std::string path = (fs::path(output_dir) / name).string();
    pack_io::write_text(path, text, /*overwrite=*/true);
    result.written.push_back(path);
  }
  result.index_path = result.written.front();
  return result;
}

}  // namespace hotspots
