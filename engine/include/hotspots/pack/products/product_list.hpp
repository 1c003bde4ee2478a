// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>
#include <vector>

#include "hotspots/core/type_list.hpp"
#include "hotspots/pack/products/basemap_product.hpp"
#include "hotspots/pack/products/busiest_cells_product.hpp"
#include "hotspots/pack/products/change_product.hpp"
#include "hotspots/pack/products/concentration_product.hpp"
#include "hotspots/pack/products/density_product.hpp"
#include "hotspots/pack/products/emerging_product.hpp"
#include "hotspots/pack/products/gistar_map_product.hpp"
#include "hotspots/pack/products/gistar_product.hpp"
#include "hotspots/pack/products/hotspots_product.hpp"
#include "hotspots/pack/products/map_product.hpp"
#include "hotspots/pack/products/patrol_product.hpp"
#include "hotspots/pack/products/place_times_product.hpp"
#include "hotspots/pack/products/places_product.hpp"
#include "hotspots/pack/products/product.hpp"
#include "hotspots/pack/products/qgis_project_product.hpp"
#include "hotspots/pack/products/rejects_product.hpp"
#include "hotspots/pack/products/report_product.hpp"
#include "hotspots/pack/products/study_area_product.hpp"
#include "hotspots/pack/products/summary_product.hpp"
#include "hotspots/pack/products/tables_product.hpp"
#include "hotspots/pack/products/trend_product.hpp"
#include "hotspots/pack/products/zone_map_product.hpp"
#include "hotspots/pack/products/zone_table_product.hpp"

namespace hotspots {

/// Every product of a hotspot pack besides manifest.json (which lists them all), in the order
/// run_pack writes them. A new product is a header/source pair beside these (see product.hpp)
/// and one entry here: run_pack writes it, the manifest lists and digests its files, and the
/// typed tests (tests/unit/pack/products_test.cpp) check it. A product that is optional declares
/// `static bool enabled(const PackContents&)` and is written only when it returns true.
using PackProductList =
    TypeList<DensityProduct, HotspotsProduct, BusiestCellsProduct, GistarProduct, PatrolProduct,
             MapProduct, GistarMapProduct, ZoneMapProduct, TrendProduct, PlacesProduct,
             PlaceTimesProduct, ZoneTableProduct, ConcentrationProduct, ChangeProduct,
             EmergingProduct, RejectsProduct, BasemapProduct, StudyAreaProduct, SummaryProduct,
             QgisProjectProduct, TablesProduct, ReportProduct>;

/// A file some product of the list writes, with where it goes.
struct PackFile {
  ProductScope scope = ProductScope::pack;
  std::string_view file;
  std::string_view caption;  ///< figures only
};

/// Every figure the list's products declare (ProductWithFigures), in list order: what the report
/// shows. A product drawing a new picture declares it there and the report shows it.
[[nodiscard]] inline std::vector<PackFile> pack_figures() {
  std::vector<PackFile> out;
  for_each_type(PackProductList{}, [&]<class P>() {
    if constexpr (ProductWithFigures<P>)
      for (const ProductFigure& f : P::figures) out.push_back({P::scope, f.file, f.caption});
  });
  return out;
}

/// Every CSV table the list's products write, in list order: the sheets of tables.xlsx.
[[nodiscard]] inline std::vector<PackFile> pack_tables() {
  std::vector<PackFile> out;
  for_each_type(PackProductList{}, [&]<class P>() {
    for (const std::string_view f : P::files)
      if (f.size() > 4 && f.substr(f.size() - 4) == ".csv") out.push_back({P::scope, f, {}});
  });
  return out;
}

namespace detail {
template <class... Ps>
constexpr bool all_pack_products(TypeList<Ps...> /*list*/) {
  return (PackProduct<Ps> && ...);
}
}  // namespace detail
static_assert(detail::all_pack_products(PackProductList{}),
              "every member of PackProductList provides what product.hpp lists");

}  // namespace hotspots
