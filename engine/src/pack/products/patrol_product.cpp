// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/patrol_product.hpp"

#include "hotspots/tables/patrol_place_layers.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void PatrolProduct::write(const PackContents& pack, const GroupResult& group,
                          const std::string& folder) {
  const PatrolPlaces& places = group.analysis.patrol;
  const Crs& crs = pack.study.analysis_crs;
  pack_io::write_text(pack_io::join(folder, "patrol.csv"), patrol_places_csv(places, crs));
  write_patrol_places(pack_io::join(folder, "patrol.geojson"), places, crs, false);
}

}  // namespace hotspots
