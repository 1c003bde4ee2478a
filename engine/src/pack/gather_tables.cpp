// SPDX-License-Identifier: MIT
#include "hotspots/pack/gather_tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "hotspots/io/csv_text.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/stats/mann_kendall.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

using pack_io::csv_field;
using pack_io::number;

// A count as text; "" for a task without a pack.
std::string count(std::int64_t v) {
  return v > 0 ? std::to_string(v) : std::string();
}

double change_pct(const GatheredGroup& g) {
  return g.previous > 0 ? 100.0 * (g.incidents - g.previous) / g.previous
                        : std::numeric_limits<double>::quiet_NaN();
}

double patrol_share(const GatheredGroup& g) {
  return g.incidents > 0 ? g.patrol_incidents / g.incidents
                         : std::numeric_limits<double>::quiet_NaN();
}

// Markdown table cells hold no '|' or line break.
std::string md(std::string s) {
  for (char& c : s)
    if (c == '|' || c == '\n' || c == '\r') c = ' ';
  return s;
}

// "12.3" / "n/a" for the summary's tables.
std::string shown(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "n/a";
}

std::string signed_pct(double v) {
  return std::isfinite(v) ? fmt::format("{:+.1f} %", v) : "n/a";
}

std::string change_text(const GatheredGroup& g) {
  if (!std::isfinite(g.previous)) return "n/a";
  std::string s = fmt::format("{} ({})", signed_pct(change_pct(g)), number(g.previous));
  if (std::isfinite(g.change_q))
    s += g.change_flag.empty() ? fmt::format(", q = {:.2g}", g.change_q)
                               : fmt::format(", **{}**, q = {:.2g}", g.change_flag, g.change_q);
  return s;
}

// The groups in the order their first finished task lists them, with their titles.
std::vector<std::pair<std::string, std::string>> group_order(const Gathered& g) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const GatheredTask& t : g.tasks)
    for (const GatheredGroup& gg : t.groups)
      if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return o.first == gg.name; }))
        out.emplace_back(gg.name, gg.title);
  return out;
}

std::vector<std::string> period_order(const Gathered& g) {
  std::set<std::string> periods;
  for (const GatheredTask& t : g.tasks) periods.insert(t.task->period);
  return {periods.begin(), periods.end()};  // "YYYY-MM to YYYY-MM" sorts by time
}

}  // namespace

std::string gather_index_csv(const Gathered& g) {
  std::string csv = kCsvBom;
  csv +=
      "task_id,area,area_name,period,status,error,group,incidents,previous_incidents,change_pct,"
      "change_p,change_q,change_flag,area_km2,per_km2,population,per_1000_people,kde_hotspots,"
      "gistar_hot_clusters,patrol_places,patrol_incidents_pct,top5pct_cells_incidents_pct,"
      "area_pct_for_50pct,top_place,rank_in_period,share_of_period_pct,rate_rank_in_period,"
      "rate_index\n";
  for (const GatheredTask& t : g.tasks) {
    const std::string head = fmt::format("{},{},{},{},{},{}", csv_field(t.task->id),
                                         csv_field(t.task->area), csv_field(t.area_name),
                                         csv_field(t.task->period), t.status, csv_field(t.error));
    if (t.status != "done") {
      csv += head + std::string(22, ',') + "\n";
      continue;
    }
    for (const GatheredGroup& gg : t.groups) {
      const std::string top =
          gg.places.empty()
              ? std::string()
              : fmt::format("{}: {} ({} incidents)", gg.places[0].id, gg.places[0].top_location,
                            number(gg.places[0].incidents));
      csv += head +
             fmt::format(",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                         csv_field(gg.name), number(gg.incidents), number(gg.previous),
                         csv_rounded(change_pct(gg), 1), csv_significant(gg.change_p),
                         csv_significant(gg.change_q), gg.change_flag, csv_rounded(t.area_km2, 3),
                         csv_rounded(t.per_km2(gg), 2), number(t.population),
                         csv_rounded(t.per_1000(gg), 2), gg.kde_hotspots, gg.gistar_hot_clusters,
                         gg.patrol_places, csv_percent(patrol_share(gg), 1),
                         csv_percent(gg.top5pct_cells_share, 1),
                         csv_percent(gg.area_share_for_half, 2), csv_field(top), count(gg.rank),
                         csv_percent(gg.share), count(gg.rate_rank), csv_rounded(gg.rate_index, 1));
    }
  }
  return csv;
}

std::string gather_index_geojson(const Gathered& g) {
  using ojson = nlohmann::ordered_json;
  ojson fc = {{"type", "FeatureCollection"}, {"features", ojson::array()}};
  const auto value = [](double v) { return std::isfinite(v) ? ojson(v) : ojson(); };
  for (const GatheredTask& t : g.tasks) {
    ojson props = {{"task_id", t.task->id},
                   {"area", t.task->area},
                   {"area_name", t.area_name},
                   {"period", t.task->period},
                   {"status", t.status},
                   {"error", t.error},
                   {"area_km2", value(t.area_km2)},
                   {"population", value(t.population)}};
    for (const GatheredGroup& gg : t.groups) {
      const auto key = [&](const char* k) { return gg.name + "_" + k; };
      props[key("incidents")] = gg.incidents;
      props[key("previous")] = value(gg.previous);
      props[key("change_pct")] = value(change_pct(gg));
      props[key("change_q")] = value(gg.change_q);
      props[key("change_flag")] = gg.change_flag;
      props[key("per_km2")] = value(t.per_km2(gg));
      props[key("per_1000")] = value(t.per_1000(gg));
      props[key("rank")] = gg.rank;
      props[key("share")] = value(gg.share);
      props[key("rate_rank")] = gg.rate_rank > 0 ? ojson(gg.rate_rank) : ojson();
      props[key("rate_index")] = value(gg.rate_index);
      props[key("patrol_places")] = gg.patrol_places;
    }
    ojson feature = {{"type", "Feature"}, {"properties", std::move(props)}, {"geometry", nullptr}};
    if (!t.geometry_json.empty()) feature["geometry"] = ojson::parse(t.geometry_json);
    fc["features"].push_back(std::move(feature));
  }
  return fc.dump() + "\n";
}

std::string gather_persistence_csv(const Gathered& g) {
  std::string csv = kCsvBom;
  csv +=
      "area,area_name,group,period,place_id,top_location,incidents,centre_x,centre_y,radius_m,"
      "periods_in_top_list,periods,streak\n";
  for (const PersistentPlace& p : g.persistence)
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(p.area),
                       csv_field(p.area_name), csv_field(p.group), csv_field(p.period), p.place.id,
                       csv_field(p.place.top_location), number(p.place.incidents),
                       csv_rounded(p.place.centre.x, 1), csv_rounded(p.place.centre.y, 1),
                       number(p.place.radius_m), p.periods, p.of, p.streak);
  return csv;
}

std::string gather_summary_md(const Gathered& g) {
  std::string s = "# Batch summary\n\n";
  s += fmt::format("{} task{}: {} done, {} failed, {} missing.\n\n", g.tasks.size(),
                   g.tasks.size() == 1 ? "" : "s", g.done, g.failed, g.missing);
  if (g.failed + g.missing > 0) {
    s += "## Tasks without a pack\n\n| Task | Status | Error |\n|---|---|---|\n";
    for (const GatheredTask& t : g.tasks)
      if (t.status != "done")
        s += fmt::format("| {} | {} | {} |\n", md(t.task->id), t.status, md(t.error));
    s += "\n";
  }
  const auto groups = group_order(g);
  const auto periods = period_order(g);

  s += "## League tables\n\n";
  s += "Areas of one period ranked by incidents and, when every area has a population, by "
       "incidents per 1,000 residents. *Index* is the area's rate against all the areas of the "
       "table together (100 = their pooled rate). *Change* is against the previous period of "
       "equal length (its count in brackets), tested with the exact conditional binomial test, "
       "Benjamini–Hochberg across the table's areas (flagged when q < 0.05).\n\n";
  for (const std::string& period : periods) {
    for (const auto& [group, title] : groups) {
      std::vector<std::pair<const GatheredTask*, const GatheredGroup*>> rows;
      for (const GatheredTask& t : g.tasks)
        if (t.task->period == period && t.status == "done")
          for (const GatheredGroup& gg : t.groups)
            if (gg.name == group) rows.emplace_back(&t, &gg);
      if (rows.empty()) continue;
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.second->rank < b.second->rank;
      });
      const bool rates = rows.front().second->rate_rank > 0;
      s += fmt::format("### {} — {}\n\n", period.empty() ? "the base period" : period, title);
      s += rates ? "| Rank | Area | Incidents | Share | Per 1,000 residents | Rate rank | Index | "
                   "Per km² | Change |\n|---:|---|---:|---:|---:|---:|---:|---:|---|\n"
                 : "| Rank | Area | Incidents | Share | Per km² | Change |\n"
                   "|---:|---|---:|---:|---:|---|\n";
      double total = 0, previous = 0, km2 = 0, people = 0;
      for (const auto& [t, gg] : rows) {
        total += gg->incidents;
        previous += gg->previous;
        km2 += t->area_km2;
        people += t->population;
        const std::string area = md(t->area_name.empty() ? t->task->area : t->area_name);
        if (rates)
          s += fmt::format("| {} | {} | {} | {} % | {} | {} | {} | {} | {} |\n", gg->rank, area,
                           number(gg->incidents), shown(100.0 * gg->share, 1),
                           shown(t->per_1000(*gg), 1), gg->rate_rank, shown(gg->rate_index, 0),
                           shown(t->per_km2(*gg), 1), change_text(*gg));
        else
          s += fmt::format("| {} | {} | {} | {} % | {} | {} |\n", gg->rank, area,
                           number(gg->incidents), shown(100.0 * gg->share, 1),
                           shown(t->per_km2(*gg), 1), change_text(*gg));
      }
      const double all_change = previous > 0 ? 100.0 * (total - previous) / previous
                                             : std::numeric_limits<double>::quiet_NaN();
      if (rates)
        s += fmt::format("| | **All {} areas** | {} | 100 % | {} | | 100 | {} | {} |\n\n",
                         rows.size(), number(total), shown(1000.0 * total / people, 1),
                         shown(total / km2, 1), signed_pct(all_change));
      else
        s += fmt::format("| | **All {} areas** | {} | 100 % | {} | {} |\n\n", rows.size(),
                         number(total), shown(total / km2, 1), signed_pct(all_change));
    }
  }

  if (periods.size() >= 2) {
    s += "## Trends over the periods\n\n";
    s += "Incidents per period. With four or more periods, the Mann–Kendall test of a monotonic "
         "trend (tau-b, two-sided p, tie-corrected variance, continuity correction); rolling "
         "windows that overlap share months, so their counts are not independent and p is "
         "optimistic.\n\n";
    for (const auto& [group, title] : groups) {
      s += fmt::format("### {}\n\n| Area |", title);
      for (const std::string& p : periods) s += fmt::format(" {} |", p);
      s += " First to last | Trend |\n|---|";
      for (std::size_t k = 0; k < periods.size(); ++k) s += "---:|";
      s += "---:|---|\n";
      std::vector<std::string> areas;
      for (const GatheredTask& t : g.tasks)
        if (std::find(areas.begin(), areas.end(), t.task->area) == areas.end())
          areas.push_back(t.task->area);
      for (const std::string& area : areas) {
        std::vector<double> series;
        std::string name = area;
        for (const std::string& p : periods) {
          double v = std::numeric_limits<double>::quiet_NaN();
          for (const GatheredTask& t : g.tasks)
            if (t.task->area == area && t.task->period == p && t.status == "done") {
              if (!t.area_name.empty()) name = t.area_name;
              for (const GatheredGroup& gg : t.groups)
                if (gg.name == group) v = gg.incidents;
            }
          series.push_back(v);
        }
        s += fmt::format("| {} |", md(name));
        for (double v : series) s += fmt::format(" {} |", std::isfinite(v) ? number(v) : "—");
        const double first = series.front(), last = series.back();
        s += fmt::format(" {} |", first > 0 && std::isfinite(last)
                                      ? signed_pct(100.0 * (last - first) / first)
                                      : std::string("n/a"));
        const MannKendallResult mk = mann_kendall(series);
        if (periods.size() >= 4 && std::isfinite(mk.p))
          s += fmt::format(" tau {:+.2f}, p = {:.2g}{} |\n", mk.tau_b, mk.p,
                           mk.p < 0.05 ? (mk.s > 0 ? " (rising)" : " (falling)") : "");
        else
          s += " n/a |\n";
      }
      s += "\n";
    }
  }

  if (!g.persistence.empty()) {
    s += "## Patrol places that stay in the top list\n\n";
    s += "Each place of an area's latest period, with the number of that area's periods whose "
         "patrol places include one overlapping it (the circles' intersection at least half the "
         "smaller circle) and the unbroken streak ending with the latest. The ten most "
         "persistent per group; all of them in `persistence.csv`.\n\n";
    for (const auto& [group, title] : groups) {
      std::vector<const PersistentPlace*> list;
      for (const PersistentPlace& p : g.persistence)
        if (p.group == group) list.push_back(&p);
      if (list.empty()) continue;
      std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) {
        if (a->streak != b->streak) return a->streak > b->streak;
        if (a->periods != b->periods) return a->periods > b->periods;
        return a->place.incidents > b->place.incidents;
      });
      if (list.size() > 10) list.resize(10);
      s += fmt::format(
          "### {}\n\n| Area | Place | Busiest location | Incidents | In top list | Streak |\n"
          "|---|---|---|---:|---:|---:|\n",
          title);
      for (const PersistentPlace* p : list)
        s += fmt::format("| {} | {} ({}) | {} | {} | {} of {} | {} |\n",
                         md(p->area_name.empty() ? p->area : p->area_name), p->place.id,
                         md(p->period), md(p->place.top_location), number(p->place.incidents),
                         p->periods, p->of, p->streak);
      s += "\n";
    }
  }
  s += fmt::format("---\n{}. Boundaries and populations as the plan's inputs state.\n",
                   kPoliceUkAttribution);
  return s;
}

}  // namespace hotspots
