// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/map_product.hpp"

#include <fmt/format.h>

#include "hotspots/core/phase_timer.hpp"
#include "hotspots/render/map_png.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

MapLayerLines patrol_map_layer(const PatrolPlaces& places) {
  MapLayerLines layer;
  for (const PatrolPlace& p : places.places) {
    layer.polygons.push_back({patrol_place_circle(p)});
    layer.labels.push_back(p.id);
  }
  layer.rgba = {255, 0, 200, 255};
  layer.width_px = 2.0;
  layer.legend_label = "Patrol place (id)";
  return layer;
}

void MapProduct::write(const PackContents& pack, const GroupResult& group,
                       const std::string& folder) {
  const Study& study = pack.study;
  const PackRequest& request = pack.request;
  const GroupAnalysis& a = group.analysis;
  MapSpec spec;
  spec.title = fmt::format("{}, {}", group_title(group.name), request.period.label());
  spec.subtitle = fmt::format(
      "{} incidents · kernel density ({}, radius {:.0f} m, {:.0f} m cells) · outlined: the top "
      "{}% of cells · circles: patrol places of {:.0f} m",
      grouped(group.current_incidents), to_string(request.options.kde.kernel), a.radius_m,
      request.grid.cell_size_m, request.options.hot_top_percent, request.options.patrol.radius_m);
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
  hot.polygons.reserve(a.hotspots.size());
  for (const HotArea& h : a.hotspots) hot.polygons.push_back(h.outline);
  hot.rgba = {0, 160, 255, 255};
  hot.width_px = 2.0;
  hot.legend_label = "KDE hotspot";
  spec.layers.push_back(std::move(hot));
  // Labelled with the patrol ids only, so that a number on the map is always a patrol place
  // (issue #11: hotspot ranks 1-10 were taken for patrol numbers).
  spec.layers.push_back(patrol_map_layer(a.patrol));
  spec.attribution = fmt::format("{} · hotspots {} · {} · no basemap", kPoliceUkAttribution,
                                 request.version, study.analysis_crs.label());
  write_map_png(pack_io::join(folder, "map.png"), spec, false);
}

}  // namespace hotspots
