// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/gistar_product.hpp"

#include <fmt/format.h>

#include "hotspots/hotspots/gistar_layers.hpp"
#include "hotspots/io/raster_io.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void GistarProduct::write(const PackContents& pack, const GroupResult& group,
                          const std::string& folder) {
  const PackRequest& request = pack.request;
  const GroupAnalysis& a = group.analysis;
  const Crs& crs = pack.study.analysis_crs;

  Raster z(a.gistar.counts.grid);
  z.values = a.gistar.gi.z;
  GeoTiffOptions tiff;
  tiff.band_description = "gi_z";
  tiff.units = "z-score";
  tiff.metadata = {{"HOTSPOTS_VERSION", request.version},
                   {"CRIME_GROUP", group.name},
                   {"STATISTIC", "Getis-Ord Gi* z-score (Ord & Getis 1995)"},
                   {"NEIGHBOURS", fmt::format("distance band {} m, self included",
                                              pack_io::gistar_band_m(request))},
                   {"CRS", crs.label()}};
  write_geotiff(pack_io::join(folder, "gistar_z.tif"), z, crs, tiff);

  const std::string cells = pack_io::join(folder, "gistar_cells.geojson");
  const GiStarCells& g = a.gistar;
  const auto significant = [&g](std::size_t i) {
    return g.gi.bin[i] != 0 || locally_significant(g, i);
  };
  write_square_cells(cells, crs, g, significant, false, "gistar_cells");
  write_qml(pack_io::qml_path(cells), GiBinStyle{}, false);

  const std::string clusters = pack_io::join(folder, "gistar_clusters.geojson");
  VectorWriteOptions options;
  options.layer_name = "gistar_clusters";
  write_gistar_clusters(clusters, crs, a.clusters, options);
  write_qml(pack_io::qml_path(clusters), ClusterTypeStyle{}, false);
}

}  // namespace hotspots
