// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/map_product.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "hotspots/core/phase_timer.hpp"
#include "hotspots/render/map_png.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

MapLayerLines patrol_map_layer(const PatrolPlaces& places) {
  MapLayerLines layer;
  for (const PatrolPlace& p : places.places) {
    layer.polygons.push_back(patrol_place_outline(p));
    layer.labels.push_back(p.id);
  }
  layer.rgba = {255, 0, 200, 255};
  layer.width_px = 2.0;
  layer.legend_label = "Patrol place (id)";
  return layer;
}

std::string map_title(const PackRequest& request, const std::string& group) {
  const std::string what = fmt::format("{}, {}", group_title(group), request.period.label());
  return request.area_name.empty() ? what : fmt::format("{}: {}", request.area_name, what);
}

void add_area_layers(const PackContents& pack, MapSpec& spec) {
  const Study& study = pack.study;
  const PackRequest& request = pack.request;
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
}

void set_map_frame(const PackContents& pack, MapSpec& spec) {
  // The study area fills the frame; zones and boundary features beyond it are cut off.
  if (!pack.study.study_area.empty()) spec.extent = extent_of(pack.study.study_area);
  const BasemapLines& basemap = pack.request.basemap;
  if (!basemap.lines.empty()) spec.basemap_lines = &basemap.lines;
  if (basemap.raster)
    spec.basemap_image = [&basemap](const Extent& frame, int width_px, int height_px) {
      return warp_basemap_raster(basemap.path, basemap.analysis, frame, width_px, height_px).rgba;
    };
  spec.attribution = fmt::format(
      "{} · hotspots {} · {} · {}", kPoliceUkAttribution, pack.request.version,
      pack.study.analysis_crs.label(),
      basemap.path.empty() ? std::string("no basemap")
                           : "basemap " + std::filesystem::path(basemap.path).filename().string());
  if (!pack.request.spec.basemap_attribution.empty())
    spec.attribution += "\nBasemap: " + pack.request.spec.basemap_attribution;
}

std::string pack_attribution(const PackSpec& spec) {
  return spec.basemap_attribution.empty()
             ? std::string(kPoliceUkAttribution)
             : fmt::format("{} · Basemap: {}", kPoliceUkAttribution, spec.basemap_attribution);
}

void MapProduct::write(const PackContents& pack, const GroupResult& group,
                       const std::string& folder) {
  const PackRequest& request = pack.request;
  const GroupAnalysis& a = group.analysis;
  MapSpec spec;
  spec.title = map_title(request, group.name);
  spec.subtitle = fmt::format(
      "{} incidents · kernel density ({}, radius {:.0f} m, {:.0f} m cells) · outlined: the top "
      "{}% of cells · {}",
      grouped(group.current_incidents), to_string(request.options.kde.kernel), a.radius_m,
      request.grid.cell_size_m, request.options.hot_top_percent,
      fmt::format("{}: patrol places ({})",
                  request.options.patrol.shape == PatrolShape::cells ? "squares" : "circles",
                  patrol_shape_text(request.options.patrol)));
  spec.surface = &a.surface;
  spec.surface_label = "Incidents per km²";
  spec.surface_min = 0.0;
  spec.classing = MapClassing::given;
  spec.breaks = group.surface_breaks;
  spec.top_class_label = "KDE hotspot";
  spec.classes_note =
      fmt::format("darkest = hotspot (top {}% of cells); lighter: equal cell counts",
                  request.options.hot_top_percent);
  add_area_layers(pack, spec);
  MapLayerLines hot;
  hot.polygons.reserve(a.hotspots.size());
  for (const HotArea& h : a.hotspots) {
    hot.polygons.push_back(h.outline);
    // "H" + the rank of hotspots.geojson, so that no hotspot number reads as a patrol place's;
    // the top kLabelledHotspots only, or a fragmented surface buries the map under labels.
    hot.labels.push_back(h.rank <= kLabelledHotspots ? fmt::format("H{}", h.rank) : "");
  }
  hot.rgba = {0, 160, 255, 255};
  hot.width_px = 2.0;
  hot.keep_labels_off = true;  // the unlabelled hotspots stay visible
  hot.legend_label = a.hotspots.size() > static_cast<std::size_t>(kLabelledHotspots)
                         ? fmt::format("KDE hotspot (H + rank, top {} of {})", kLabelledHotspots,
                                       a.hotspots.size())
                         : "KDE hotspot (H + rank)";
  spec.layers.push_back(std::move(hot));
  spec.layers.push_back(patrol_map_layer(a.patrol));
  set_map_frame(pack, spec);
  write_map_png(pack_io::join(folder, "map.png"), spec, false);
}

}  // namespace hotspots
