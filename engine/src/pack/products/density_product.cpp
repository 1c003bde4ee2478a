// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/density_product.hpp"

#include <fmt/format.h>

#include "hotspots/io/raster_io.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void DensityProduct::write(const PackContents& pack, const GroupResult& group,
                           const std::string& folder) {
  const PackRequest& request = pack.request;
  const GroupAnalysis& a = group.analysis;
  const Crs& crs = pack.study.analysis_crs;
  GeoTiffOptions tiff;
  tiff.band_description = "density";
  tiff.units = "incidents/km2";
  tiff.metadata = {{"HOTSPOTS_VERSION", request.version},
                   {"CRIME_GROUP", group.name},
                   {"PERIOD", request.period.label()},
                   {"KERNEL", std::string(to_string(request.options.kde.kernel))},
                   {"RADIUS_M", fmt::format("{}", a.radius_m)},
                   {"RADIUS_SOURCE", a.radius_from_rule ? "nearest_neighbour_rule" : "given"},
                   {"CELL_SIZE_M", fmt::format("{}", request.grid.cell_size_m)},
                   {"CELL_VALUE_AT", "cell centre"},
                   {"INCIDENTS", fmt::format("{}", a.incidents)},
                   {"CRS", crs.label()}};
  const std::string density = pack_io::join(folder, "density.tif");
  write_geotiff(density, a.surface, crs, tiff);
  write_qml(pack_io::qml_path(density), pack_io::surface_style(group), false);
}

}  // namespace hotspots
