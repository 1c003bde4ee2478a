// SPDX-License-Identifier: MIT
#include "hotspots/tables/patrol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "hotspots/core/error.hpp"
#include "hotspots/units/zone_overlay.hpp"

namespace hotspots {

namespace {

constexpr std::array<const char*, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Indices of the largest values (all of them when tied), ascending. Exact comparison is right:
// tied sums of unit weights are equal integers.
template <std::size_t N>
std::vector<int> argmax_all(const std::array<double, N>& v) {
  const double best = *std::max_element(v.begin(), v.end());
  std::vector<int> out;
  if (!(best > 0)) return out;
  for (std::size_t i = 0; i < N; ++i)
    if (v[i] == best) out.push_back(static_cast<int>(i));
  return out;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
  return s;
}

// "Fri 21:00–24:00", or "Fri–Sat 22:00–01:00" when the window runs past midnight.
std::string window_text(int start, int hours) {
  const int first_day = start / 24;
  const int last_day = ((start + hours - 1) % 168) / 24;
  const int from = start % 24;
  const int to = (start + hours) % 24 == 0 ? 24 : (start + hours) % 24;
  if (first_day == last_day && hours <= 24)
    return fmt::format("{} {:02d}:00–{:02d}:00", kDays[static_cast<std::size_t>(first_day)], from,
                       to);
  return fmt::format("{}–{} {:02d}:00–{:02d}:00", kDays[static_cast<std::size_t>(first_day)],
                     kDays[static_cast<std::size_t>(last_day)], from, to);
}

}  // namespace

void add_to_profile(TimeProfile& p, const Date& d, double w) {
  ++p.incidents;
  if (d.has_month()) {
    ++p.dated;
    p.month[static_cast<std::size_t>(d.month() - 1)] += w;
  }
  if (d.has_day() && d.has_time()) {
    ++p.timed;
    p.hour_of_week[static_cast<std::size_t>(d.weekday() * 24 + d.minute_of_day / 60)] += w;
  }
}

void finish_profile(TimeProfile& p, double min_timed_share, int peak_window_hours) {
  if (p.incidents == 0) return;
  const double timed_share = static_cast<double>(p.timed) / static_cast<double>(p.incidents);
  if (p.timed > 0 && timed_share >= min_timed_share) {
    p.kind = ProfileKind::hour_of_week;
    p.peak_window_hours = peak_window_hours;
    // Circular: the week wraps from Sunday night into Monday morning.
    for (int s = 0; s < 168; ++s) {
      double w = 0;
      for (int j = 0; j < peak_window_hours; ++j)
        w += p.hour_of_week[static_cast<std::size_t>((s + j) % 168)];
      if (p.peak_start_hour < 0 || w > p.peak_window_weight) {
        p.peak_start_hour = s;
        p.peak_window_weight = w;
      }
    }
    std::array<double, 7> days{};
    for (std::size_t h = 0; h < 168; ++h) days[h / 24] += p.hour_of_week[h];
    p.peak_days = argmax_all(days);
    std::vector<std::string> names;
    for (const int d : p.peak_days) names.emplace_back(kDays[static_cast<std::size_t>(d)]);
    p.text = fmt::format("{} (peak day{} {})", window_text(p.peak_start_hour, peak_window_hours),
                         names.size() > 1 ? "s" : "", join(names, ", "));
  } else if (p.dated > 0) {
    p.kind = ProfileKind::month;
    std::vector<std::string> names;
    for (const int m : argmax_all(p.month)) {
      p.peak_months.push_back(m + 1);
      names.emplace_back(kMonths[static_cast<std::size_t>(m)]);
    }
    p.text = fmt::format("peak month{} {}", names.size() > 1 ? "s" : "", join(names, ", "));
  }
}

void PatrolOptions::validate() const {
  if (!(max_area_km2 >= 0) || std::isinf(max_area_km2))
    throw InvalidArgument(
        fmt::format("patrol: max_area_km2 must be a finite number >= 0, got {}", max_area_km2));
  if (max_count < 0)
    throw InvalidArgument(fmt::format("patrol: max_count must be >= 0, got {}", max_count));
  if (!(min_timed_share >= 0 && min_timed_share <= 1))
    throw InvalidArgument(
        fmt::format("patrol: min_timed_share must be in [0, 1], got {}", min_timed_share));
  if (peak_window_hours < 1 || peak_window_hours > 168)
    throw InvalidArgument(
        fmt::format("patrol: peak_window_hours must be in [1, 168], got {}", peak_window_hours));
}

std::string to_string(ProfileKind kind) {
  switch (kind) {
    case ProfileKind::hour_of_week:
      return "hour_of_week";
    case ProfileKind::month:
      return "month";
    case ProfileKind::none:
      break;
  }
  return "none";
}

PatrolList plan_patrols(const std::vector<HotArea>& areas, const Incidents& incidents,
                        const std::vector<Zone>& zones, const PatrolOptions& options) {
  options.validate();
  if (incidents.y.size() != incidents.size() || incidents.weight.size() != incidents.size() ||
      incidents.date.size() != incidents.size())
    throw InvalidArgument(fmt::format(
        "patrol: incident columns differ in length (x {}, y {}, weight {}, date {})",
        incidents.size(), incidents.y.size(), incidents.weight.size(), incidents.date.size()));
  std::vector<std::size_t> order(areas.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return areas[a].rank < areas[b].rank; });

  PatrolList list;
  std::vector<const HotArea*> taken;
  for (const std::size_t i : order) {
    if (options.max_count > 0 && static_cast<std::int64_t>(taken.size()) >= options.max_count)
      break;
    const HotArea& a = areas[i];
    // Skip rather than stop: one large area should not keep smaller hot places off the list.
    // The relative slack lets areas that sum to the budget exactly (in rounding) fit.
    if (options.max_area_km2 > 0 &&
        list.total_area_km2 + a.area_km2 > options.max_area_km2 * (1 + 1e-12)) {
      ++list.skipped_over_budget;
      continue;
    }
    taken.push_back(&a);
    list.total_area_km2 += a.area_km2;
    list.total_incidents += a.incidents;
  }

  std::vector<const MultiPolygon*> outlines;
  for (const auto* a : taken) outlines.push_back(&a->outline);
  // KDE hot areas are disjoint regions, so the first-covering rule of ZoneIndex only decides
  // points on a corner shared by two of them.
  std::vector<std::int32_t> where;
  if (!outlines.empty()) {
    const ZoneIndex index(outlines);
    where = index.locate(incidents.x, incidents.y);
  }
  const auto touched = zones.empty() || outlines.empty()
                           ? std::vector<std::vector<std::int32_t>>(outlines.size())
                           : zones_overlapping(zones, outlines);

  list.items.resize(taken.size());
  for (std::size_t k = 0; k < taken.size(); ++k) {
    PatrolItem& item = list.items[k];
    const HotArea& a = *taken[k];
    item.rank = static_cast<int>(k) + 1;
    item.hot_area_rank = a.rank;
    item.centroid = a.centroid;
    item.area_km2 = a.area_km2;
    item.incidents = a.incidents;
    item.pai = a.pai;
    for (const std::int32_t z : touched[k]) {
      item.zone_ids.push_back(zones[static_cast<std::size_t>(z)].id);
      item.zone_names.push_back(zones[static_cast<std::size_t>(z)].name);
    }
    item.zones = join(item.zone_names, "; ");
  }
  for (std::size_t i = 0; i < where.size(); ++i) {
    if (where[i] < 0) continue;
    add_to_profile(list.items[static_cast<std::size_t>(where[i])].profile, incidents.date[i],
                   incidents.weight[i]);
  }
  for (auto& item : list.items)
    finish_profile(item.profile, options.min_timed_share, options.peak_window_hours);
  return list;
}

}  // namespace hotspots
