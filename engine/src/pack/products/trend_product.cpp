// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/trend_product.hpp"

#include <fmt/format.h>

#include "hotspots/core/dates.hpp"
#include "hotspots/render/chart_png.hpp"
#include "hotspots/render/map_png.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void TrendProduct::write(const PackContents& pack, const GroupResult& group,
                         const std::string& folder) {
  const PackRequest& request = pack.request;
  if (group.monthly.empty()) return;
  const Period& p = request.period.current;
  LineChart chart;
  chart.title =
      fmt::format("{}{} per month", request.area_name.empty() ? "" : request.area_name + ": ",
                  group_title(group.name));
  chart.x_label = "Month of the period";
  chart.y_label = "Incidents";
  chart.log_x = false;
  const std::size_t n = group.monthly.size();
  // Every month labelled up to 12; beyond, every k-th so that labels do not collide.
  const std::size_t every = n <= 12 ? 1 : (n + 11) / 12;
  for (std::size_t i = 0; i < n; ++i) {
    chart.x.push_back(static_cast<double>(i + 1));
    // "Nov" under each month, with the year under the first month and every January.
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string ym = month_to_string(p.first + static_cast<std::int32_t>(i));  // YYYY-MM
    const int month = std::stoi(ym.substr(5, 2));
    const std::string label = i == 0 || month == 1
                                  ? fmt::format("{}\n{}", kMonths[month - 1], ym.substr(0, 4))
                                  : std::string(kMonths[month - 1]);
    chart.x_labels.push_back(i % every == 0 ? label : std::string());
  }
  chart.series.push_back({request.period.label(), group.monthly});
  if (!group.monthly_previous.empty())
    chart.series.push_back(
        {"previous: " + request.period.previous_label(), group.monthly_previous});
  chart.note = kPoliceUkAttribution;
  write_line_chart_png(pack_io::join(folder, "trend.png"), chart, false);
}

}  // namespace hotspots
