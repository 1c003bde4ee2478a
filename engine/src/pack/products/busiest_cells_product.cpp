// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/busiest_cells_product.hpp"

#include <fmt/format.h>

#include "hotspots/io/csv_text.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/tables/busiest_cells.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

LayerStyle busiest_cells_style(const GroupResult& group) {
  std::vector<double> counts;
  counts.reserve(group.busiest.cells.size());
  for (const BusiestCell& c : group.busiest.cells) counts.push_back(c.count);
  return GraduatedStyle{"count", pack_io::quantile_breaks(std::move(counts), 5)};
}

void BusiestCellsProduct::write(const PackContents& pack, const GroupResult& group,
                                const std::string& folder) {
  const BusiestCells& busiest = group.busiest;
  const GridSpec& g = pack.request.busiest_grid;
  std::string text = fmt::format(
      "{}rank,cell_id,x,y,count,cum_area_km2,cum_area_pct,cum_incidents_pct,pai\n", kCsvBom);
  std::vector<PolygonFeature> features;
  for (const BusiestCell& c : busiest.cells) {
    const std::string id = fmt::format("r{}c{}", c.row, c.col);
    text +=
        fmt::format("{},{},{},{},{},{},{},{},{}\n", c.rank, id, csv_rounded(g.centre_x(c.col), 1),
                    csv_rounded(g.centre_y(c.row), 1), csv_rounded(c.count, 2),
                    csv_rounded(c.cum_area_km2, 4), csv_percent(c.cum_area_share, 3),
                    csv_percent(c.cum_incident_share, 2), csv_rounded(c.pai, 1));
    const double x0 = g.xmin + static_cast<double>(c.col) * g.cell_size_m;
    const double y1 = g.ymax - static_cast<double>(c.row) * g.cell_size_m;
    const double x1 = x0 + g.cell_size_m;
    const double y0 = y1 - g.cell_size_m;
    PolygonFeature f;
    f.geometry = {Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
    f.values = {
        c.rank, id, c.count, c.cum_area_km2, 100 * c.cum_area_share, 100 * c.cum_incident_share,
        c.pai};
    features.push_back(std::move(f));
  }
  pack_io::write_text(pack_io::join(folder, "busiest_cells.csv"), text);
  VectorWriteOptions options;
  options.layer_name = "busiest_cells";
  const std::string geojson = pack_io::join(folder, "busiest_cells.geojson");
  write_polygons(geojson, pack.study.analysis_crs,
                 {{"rank", FieldType::integer},
                  {"cell_id", FieldType::text},
                  {"count", FieldType::real},
                  {"cum_area_km2", FieldType::real},
                  {"cum_area_pct", FieldType::real},
                  {"cum_incidents_pct", FieldType::real},
                  {"pai", FieldType::real}},
                 features, options);
  write_qml(pack_io::qml_path(geojson), busiest_cells_style(group), false);
}

}  // namespace hotspots
