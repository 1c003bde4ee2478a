// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/place_times_product.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "hotspots/core/error.hpp"
#include "hotspots/render/chart_png.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/workflows/analyse.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

bool incidents_have_times(const Incidents& incidents) {
  for (const Date& d : incidents.date)
    if (d.has_day() && d.has_time()) return true;
  return false;
}

PlaceWeekHours place_week_hours(const PatrolPlace& place, const Incidents& incidents,
                                const Period& period) {
  PlaceWeekHours out;
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const Date& d = incidents.date[i];
    if (period.valid() && !(d.has_month() && period.contains(d.month_index))) continue;
    if (!patrol_place_contains(place, incidents.x[i], incidents.y[i])) continue;
    const double w = incidents.weight[i];
    out.incidents += w;
    if (!d.has_day() || !d.has_time()) continue;
    out.timed += w;
    out.weight[static_cast<std::size_t>(d.weekday() * 24 + d.minute_of_day / 60)] += w;
  }
  return out;
}

bool PlaceTimesProduct::enabled(const PackContents& pack) {
  return incidents_have_times(pack.study.data.incidents);
}

void PlaceTimesProduct::write(const PackContents& pack, const GroupResult& group,
                              const std::string& folder) {
  const GroupAnalysis& a = group.analysis;
  if (a.patrol.places.empty()) return;
  const std::filesystem::path dir = pack_io::places_folder(folder);
  const Incidents incidents = select_group(pack.study.data.incidents, group.name);
  const Period& period = pack.request.period.current;
  for (const PatrolPlace& place : a.patrol.places) {
    const PlaceWeekHours tally = place_week_hours(place, incidents, period);
    WeekHourChart chart;
    chart.title =
        fmt::format("{} {}: incidents by day of week and hour{}", group_title(group.name), place.id,
                    period.valid() ? fmt::format(", {}", period.label()) : std::string());
    chart.subtitle =
        fmt::format("{:g} of {:g} incidents {} had a time of day (only those are counted){}",
                    tally.timed, tally.incidents, patrol_place_extent_text(place),
                    place.profile.text.empty() ? std::string() : " · peak: " + place.profile.text);
    chart.weight = tally.weight;
    chart.note = kPoliceUkAttribution;
    write_week_hour_chart_png((dir / (place.id + "_times.png")).string(), chart, false);
  }
}

}  // namespace hotspots
