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
  for (std::size_t i = 0; i < n; ++i) chart.x.push_back(static_cast<double>(i + 1));
  chart.x_labels = month_tick_labels(p.first, p.last);
  chart.series.push_back({request.period.label(), group.monthly});
  if (!group.monthly_previous.empty())
    chart.series.push_back(
        {"previous: " + request.period.previous_label(), group.monthly_previous});
  chart.note = kPoliceUkAttribution;
  write_line_chart_png(pack_io::join(folder, "trend.png"), chart, false);
}

}  // namespace hotspots
