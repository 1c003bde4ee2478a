// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/study_area_product.hpp"

#include <vector>

#include "hotspots/io/vector_io.hpp"
#include "hotspots/render/qgis_style.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void StudyAreaProduct::write(const PackContents& pack, const std::string& dir) {
  const std::vector<FieldDef> fields = {{"name", FieldType::text}, {"area_km2", FieldType::real}};
  std::vector<PolygonFeature> features;
  if (!pack.study.study_area.empty())
    features.push_back(
        {pack.study.study_area, {pack.request.area_name, area(pack.study.study_area) / 1e6}});
  const std::string path = pack_io::join(dir, "study_area.geojson");
  VectorWriteOptions options;
  options.layer_name = "study_area";
  write_polygons(path, pack.study.analysis_crs, fields, features, options);
  write_qml(pack_io::qml_path(path), OutlineStyle{}, false);
}

}  // namespace hotspots
