// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/zone_map_product.hpp"

#include <fmt/format.h>

#include <cmath>

#include "hotspots/core/phase_timer.hpp"
#include "hotspots/pack/products/map_product.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

std::string number_label(double v) {
  return std::fabs(v) >= 100 || v == std::round(v) ? fmt::format("{:.0f}", v)
                                                   : fmt::format("{:.1f}", v);
}

}  // namespace

void ZoneMapProduct::write(const PackContents& pack, const GroupResult& group,
                           const std::string& folder) {
  const PackRequest& request = pack.request;
  const ZoneTable& table = group.analysis.zone_table;
  const bool rate = !request.zones.population.empty();
  std::vector<double> values;
  for (const ZoneRow& row : table.rows)
    values.push_back(rate ? row.per_1000 : static_cast<double>(row.incidents));
  const std::vector<double> breaks = pack_io::quantile_breaks(values, 5);
  const std::size_t classes = breaks.size() - 1;

  MapSpec spec;
  spec.title = map_title(request, group.name);
  spec.subtitle = fmt::format(
      "{} incidents · {} per zone ({} zones){}", grouped(group.current_incidents),
      rate ? "incidents per 1,000 residents" : "incidents", table.rows.size(),
      request.period.previous_available
          ? fmt::format(" · outlined: significant change from {}", request.period.previous_label())
          : std::string(" · no change figures"));
  spec.surface_label = rate ? "Incidents per 1,000 residents" : "Incidents per zone";
  // Highest class first, so that the legend reads from high to low.
  for (std::size_t k = classes; k-- > 0;) {
    MapLayerLines layer;
    for (std::size_t z = 0; z < table.rows.size(); ++z) {
      const double v = values[z];
      if (!std::isfinite(v)) continue;
      const bool in = k + 1 == classes ? v >= breaks[k] : v >= breaks[k] && v < breaks[k + 1];
      if (in) layer.polygons.push_back(request.zones.zones[z].geometry);
    }
    layer.fill =
        heat_ramp(classes > 1 ? static_cast<double>(k) / static_cast<double>(classes - 1) : 1.0);
    layer.rgba = {150, 150, 150, 255};
    layer.width_px = 0.6;
    layer.legend_label =
        k + 1 == classes
            ? fmt::format("{} – {}", number_label(breaks[k]), number_label(breaks[k + 1]))
            : fmt::format("{} – under {}", number_label(breaks[k]), number_label(breaks[k + 1]));
    spec.layers.push_back(std::move(layer));
  }
  MapLayerLines unknown;
  for (std::size_t z = 0; z < table.rows.size(); ++z)
    if (!std::isfinite(values[z])) unknown.polygons.push_back(request.zones.zones[z].geometry);
  if (!unknown.polygons.empty()) {
    unknown.fill = {220, 220, 220, 255};
    unknown.rgba = {150, 150, 150, 255};
    unknown.width_px = 0.6;
    unknown.legend_label = "no population";
    spec.layers.push_back(std::move(unknown));
  }
  MapLayerLines boundary;
  for (const ZoneLayer& layer : pack.study.boundaries)
    for (const Zone& z : layer.zones) boundary.polygons.push_back(z.geometry);
  boundary.rgba = {40, 40, 40, 255};
  boundary.width_px = 1.5;
  boundary.legend_label = "Boundary";
  spec.layers.push_back(std::move(boundary));
  if (request.period.previous_available) {
    MapLayerLines up, down;
    for (std::size_t z = 0; z < table.rows.size(); ++z) {
      if (table.rows[z].change_flag_fdr == "up")
        up.polygons.push_back(request.zones.zones[z].geometry);
      if (table.rows[z].change_flag_fdr == "down")
        down.polygons.push_back(request.zones.zones[z].geometry);
    }
    up.rgba = {200, 0, 0, 255};
    up.width_px = 3.5;
    up.legend_label = fmt::format("significant rise ({})", up.polygons.size());
    down.rgba = {0, 70, 200, 255};
    down.width_px = 3.5;
    down.legend_label = fmt::format("significant fall ({})", down.polygons.size());
    spec.layers.push_back(std::move(up));
    spec.layers.push_back(std::move(down));
  }
  set_map_frame(pack, spec);
  write_map_png(pack_io::join(folder, "zone_map.png"), spec, false);
}

}  // namespace hotspots
