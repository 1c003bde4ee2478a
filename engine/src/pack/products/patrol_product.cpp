// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/patrol_product.hpp"

#include <fmt/format.h>

#include <vector>

#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string hour_text(int hour_of_week) {
  return fmt::format("{} {:02d}:00", kDays[(hour_of_week / 24) % 7], hour_of_week % 24);
}

}  // namespace

void PatrolProduct::write(const PackContents& pack, const GroupResult& group,
                          const std::string& folder) {
  using pack_io::csv_field;
  using pack_io::number;
  std::string text =
      "patrol_rank,hotspot_rank,centroid_x,centroid_y,lon,lat,area_km2,incidents,pai,zones,"
      "profile,peak_window,peak_days,peak_months,when\n";
  for (const PatrolItem& item : group.analysis.patrol.items) {
    const Point ll = pack_io::to_lonlat(pack.study.analysis_crs, item.centroid);
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
  pack_io::write_text(pack_io::join(folder, "patrol.csv"), text);
}

}  // namespace hotspots
