// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/places_product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/pack/products/map_product.hpp"
#include "hotspots/render/chart_png.hpp"
#include "hotspots/render/map_png.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

Ring small_square(Point p, double half) {
  return {{p.x - half, p.y - half},
          {p.x + half, p.y - half},
          {p.x + half, p.y + half},
          {p.x - half, p.y + half},
          {p.x - half, p.y - half}};
}

}  // namespace

std::vector<double> place_monthly_incidents(const PatrolPlace& place, const Incidents& incidents,
                                            const Period& period) {
  std::vector<double> out(static_cast<std::size_t>(period.months()), 0.0);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const Date& d = incidents.date[i];
    if (!d.has_month() || !period.contains(d.month_index)) continue;
    if (patrol_place_contains(place, incidents.x[i], incidents.y[i]))
      out[static_cast<std::size_t>(d.month_index - period.first)] += incidents.weight[i];
  }
  return out;
}

void PlacesProduct::write(const PackContents& pack, const GroupResult& group,
                          const std::string& folder) {
  const PackRequest& request = pack.request;
  const GroupAnalysis& a = group.analysis;
  if (a.patrol.places.empty()) return;
  const std::filesystem::path dir = pack_io::places_folder(folder);
  const Incidents incidents = select_group(pack.study.data.incidents, group.name);
  bool any_day = false, any_time = false;
  for (const Date& d : incidents.date) {
    any_day = any_day || d.has_day();
    any_time = any_time || d.has_time();
  }

  for (const PatrolPlace& place : a.patrol.places) {
    const Extent window{place.centre.x - kPlaceWindowM, place.centre.y - kPlaceWindowM,
                        place.centre.x + kPlaceWindowM, place.centre.y + kPlaceWindowM};
    // Incidents in the window, gathered at their map points (police.uk snaps many to one).
    std::map<std::pair<double, double>, double> at_point;
    std::map<std::int32_t, std::pair<double, Point>> by_name;  // location -> (count, busiest pt)
    std::map<std::pair<std::int32_t, std::pair<double, double>>, double> name_point;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      const double x = incidents.x[i], y = incidents.y[i];
      if (x < window.xmin || x > window.xmax || y < window.ymin || y > window.ymax) continue;
      at_point[{x, y}] += incidents.weight[i];
      const std::int32_t loc = incidents.location_of(i);
      if (loc >= 0 && patrol_place_contains(place, x, y))
        name_point[{loc, {x, y}}] += incidents.weight[i];
    }
    for (const auto& [key, count] : name_point) {
      auto& entry = by_name[key.first];
      entry.first += count;
    }
    // Busiest point of each name inside the place (ties: the first in (x, y) order).
    std::map<std::int32_t, std::pair<double, Point>> busiest;
    for (const auto& [key, count] : name_point) {
      auto it = busiest.find(key.first);
      if (it == busiest.end() || count > it->second.first)
        busiest[key.first] = {count, Point{key.second.first, key.second.second}};
    }
    std::vector<std::pair<double, std::int32_t>> names;
    for (const auto& [loc, entry] : by_name) names.push_back({entry.first, loc});
    std::stable_sort(names.begin(), names.end(),
                     [](const auto& l, const auto& r) { return l.first > r.first; });
    if (names.size() > 3) names.resize(3);

    MapSpec spec;
    spec.title = fmt::format("{} {}: {}", group_title(group.name), place.id,
                             request.area_name.empty() ? request.period.label()
                                                       : fmt::format("{}, {}", request.area_name,
                                                                     request.period.label()));
    spec.subtitle =
        fmt::format("{:.0f} incidents {} ({:.1f} a month), {} map points{}{}", place.incidents,
                    patrol_place_extent_text(place), place.per_month, place.map_points,
                    place.profile.text.empty() ? std::string() : " · when: " + place.profile.text,
                    place.recording_location ? " · may be a recording location" : "");
    spec.extent = window;
    spec.width_px = 1200;
    add_area_layers(pack, spec);
    MapLayerLines hot;
    for (const HotArea& h : a.hotspots) hot.polygons.push_back(h.outline);
    hot.rgba = {0, 160, 255, 255};
    hot.width_px = 2.0;
    hot.legend_label = "KDE hotspot";
    hot.keep_labels_off = true;  // street and place labels leave the hotspots visible
    spec.layers.push_back(std::move(hot));
    MapLayerLines places = patrol_map_layer(a.patrol);
    places.width_px = 3.0;
    spec.layers.push_back(std::move(places));
    // The top names, labelled at their busiest point (an invisible 1 m square carries the label).
    MapLayerLines streets;
    for (const auto& [count, loc] : names) {
      streets.polygons.push_back({Polygon{small_square(busiest[loc].second, 1.0), {}}});
      std::string street = incidents.location_names[static_cast<std::size_t>(loc)];
      while (!street.empty() && street.back() == ' ') street.pop_back();
      if (street == "On or near" || street.empty()) street += " (no street name published)";
      streets.labels.push_back(fmt::format("{} ({:.0f})", street, count));
    }
    streets.rgba = {60, 60, 60, 255};
    streets.width_px = 0.1;
    spec.layers.push_back(std::move(streets));
    MapPoints points;
    for (const auto& [xy, count] : at_point) {
      points.points.push_back({xy.first, xy.second});
      points.counts.push_back(count);
    }
    points.rgba = {20, 20, 20, 170};
    points.radius_px = 3.0;
    points.legend_label = "Incidents at a map point (area ∝ count)";
    spec.points.push_back(std::move(points));
    set_map_frame(pack, spec);
    spec.extent = window;
    write_map_png((dir / (place.id + ".png")).string(), spec, false);

    if (!request.period.current.valid()) continue;
    LineChart chart;
    chart.title = fmt::format("{} {}: incidents per month", group_title(group.name), place.id);
    chart.x_label = any_day ? (any_time ? "Month (the data have days and times)"
                                        : "Month (the data have days, no times)")
                            : "Month (police.uk gives the month only: no day of week or hour)";
    chart.y_label = "Incidents";
    chart.log_x = false;
    const Period& p = request.period.current;
    for (std::int32_t m = p.first; m <= p.last; ++m)
      chart.x.push_back(static_cast<double>(m - p.first + 1));
    chart.x_labels = month_tick_labels(p.first, p.last);
    chart.series.push_back({place.id, place_monthly_incidents(place, incidents, p)});
    chart.note = kPoliceUkAttribution;
    write_line_chart_png((dir / (place.id + "_months.png")).string(), chart, false);
  }
}

}  // namespace hotspots
