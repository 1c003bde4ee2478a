// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/patrol_product.hpp"

#include "hotspots/render/qgis_style.hpp"
#include "hotspots/tables/patrol_place_layers.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void PatrolProduct::write(const PackContents& pack, const GroupResult& group,
                          const std::string& folder) {
  const PatrolPlaces& places = group.analysis.patrol;
  const Crs& crs = pack.study.analysis_crs;
  pack_io::write_text(pack_io::join(folder, "patrol.csv"), patrol_places_csv(places, crs));
  const std::string geojson = pack_io::join(folder, "patrol.geojson");
  write_patrol_places(geojson, places, crs, false);
  write_qml(pack_io::qml_path(geojson), HotspotStyle{"patrol_id"}, false);
}

}  // namespace hotspots
