// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/basemap_product.hpp"

#include <filesystem>

#include "hotspots/io/basemap.hpp"
#include "hotspots/render/qgis_style.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

BasemapLayer basemap_layer(const PackContents& pack) {
  const BasemapLines& basemap = pack.request.basemap;
  BasemapLayer layer;
  if (basemap.path.empty()) return layer;
  layer.has = true;
  layer.raster = basemap.raster;
  layer.file = basemap.raster ? "basemap.tif" : "basemap.geojson";
  layer.name = "Basemap (" + std::filesystem::path(basemap.path).filename().string() + ")";
  return layer;
}

bool BasemapProduct::enabled(const PackContents& pack) {
  return !pack.request.basemap.path.empty();
}

void BasemapProduct::write(const PackContents& pack, const std::string& dir) {
  const BasemapLines& basemap = pack.request.basemap;
  const BasemapLayer layer = basemap_layer(pack);
  const std::string path = pack_io::join(dir, layer.file);
  if (basemap.raster) {
    const Extent frame = basemap.extent.empty() ? extent_of(pack.study.study_area) : basemap.extent;
    (void)write_basemap_raster_copy(basemap.path, pack.study.analysis_crs, frame, path,
                                    kBasemapMaxSidePx, false);
    write_qml(pack_io::qml_path(path), BasemapRasterStyle{}, false);
  } else {
    write_basemap_lines(path, basemap.lines, pack.study.analysis_crs, false);
    write_qml(pack_io::qml_path(path), LineStyle{}, false);
  }
}

}  // namespace hotspots
