// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/hotspots_product.hpp"

#include "hotspots/hotspots/hot_area_layers.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void HotspotsProduct::write(const PackContents& pack, const GroupResult& group,
                            const std::string& folder) {
  const std::string hotspots = pack_io::join(folder, "hotspots.geojson");
  ZoneNames names;
  names.zones = pack.request.zones.zones;
  write_hot_areas(hotspots, group.analysis.hotspots, names, pack.study.analysis_crs, false,
                  "density");
  write_qml(pack_io::qml_path(hotspots), HotspotStyle{}, false);
}

}  // namespace hotspots
