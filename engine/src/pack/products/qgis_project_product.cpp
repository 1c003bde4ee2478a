// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/qgis_project_product.hpp"

#include <fmt/format.h>

#include <vector>

#include "hotspots/io/crs.hpp"
#include "hotspots/pack/products/basemap_product.hpp"
#include "hotspots/pack/products/busiest_cells_product.hpp"
#include "hotspots/render/qgis_style.hpp"
#include "hotspots/tables/busiest_cells.hpp"

#include "pack/products/product_io.hpp"

namespace hotspots {

void QgisProjectProduct::write(const PackContents& pack, const std::string& dir) {
  const Study& study = pack.study;
  const PackRequest& request = pack.request;
  const Crs wgs84 = crs_from_epsg(4326);
  std::vector<QgisLayer> layers;
  const Extent grid_extent{
      request.grid.xmin,
      request.grid.ymax - static_cast<double>(request.grid.rows) * request.grid.cell_size_m,
      request.grid.xmin + static_cast<double>(request.grid.cols) * request.grid.cell_size_m,
      request.grid.ymax};
  // The basemap at the bottom: the pack's own clipped copy (basemap_product.hpp).
  if (const BasemapLayer basemap = basemap_layer(pack); basemap.has) {
    if (basemap.raster)
      layers.push_back(
          {basemap.file, basemap.name, BasemapRasterStyle{}, study.analysis_crs, Extent{}, true});
    else
      layers.push_back({basemap.file, basemap.name, LineStyle{}, wgs84, Extent{}, true});
  }
  bool first = true;
  for (const GroupResult& r : request.results) {
    if (!r.mapped) continue;
    const std::string title = group_title(r.name);
    layers.push_back({r.folder + "/density.tif", title + " – density", pack_io::surface_style(r),
                      study.analysis_crs, grid_extent, first});
    first = false;
  }
  std::vector<double> counts;
  if (!request.zones.zones.empty()) {
    for (const GroupResult& r : request.results)
      if (!r.analysis.zone_table.rows.empty()) {
        for (const ZoneRow& row : r.analysis.zone_table.rows)
          counts.push_back(static_cast<double>(row.incidents));
        layers.push_back(
            {"zones.geojson", "Zones – " + group_title(r.name) + " incidents",
             GraduatedStyle{r.folder + "_incidents", pack_io::quantile_breaks(counts, 5)}, wgs84,
             Extent{}, false});
        break;
      }
  }
  first = true;
  for (const GroupResult& r : request.results) {
    if (!r.mapped) continue;
    const std::string title = group_title(r.name);
    layers.push_back({r.folder + "/gistar_cells.geojson", title + " – Gi* significant cells",
                      GiBinStyle{}, wgs84, Extent{}, false});
    layers.push_back({r.folder + "/gistar_clusters.geojson", title + " – Gi* clusters",
                      ClusterTypeStyle{}, wgs84, Extent{}, false});
    layers.push_back({r.folder + "/hotspots.geojson", title + " – KDE hotspots", HotspotStyle{},
                      wgs84, Extent{}, false});
    // The busiest cells, graduated on their count: the squares the patrol places are made of,
    // for a budget other than the places' (take cells down to cum_area_pct).
    layers.push_back({r.folder + "/busiest_cells.geojson",
                      fmt::format("{} – busiest {:.0f} m cells", title, kBusiestCellSizeM),
                      busiest_cells_style(r), wgs84, Extent{}, false});
    layers.push_back({r.folder + "/patrol.geojson", title + " – patrol places",
                      HotspotStyle{"patrol_id"}, wgs84, Extent{}, first});
    first = false;
  }
  // The study area on top: an outline over every layer.
  layers.push_back({"study_area.geojson", "Study area", OutlineStyle{}, wgs84, Extent{}, false});
  write_qgis_project(pack_io::join(dir, "hotspots.qgs"),
                     request.area_name.empty()
                         ? "Crime hotspots, " + request.period.label()
                         : request.area_name + ": crime hotspots, " + request.period.label(),
                     layers, study.analysis_crs, false);
}

}  // namespace hotspots
