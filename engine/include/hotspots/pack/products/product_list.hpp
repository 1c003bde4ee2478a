// SPDX-License-Identifier: MIT
#pragma once

#include "hotspots/core/type_list.hpp"
#include "hotspots/pack/products/concentration_product.hpp"
#include "hotspots/pack/products/density_product.hpp"
#include "hotspots/pack/products/gistar_map_product.hpp"
#include "hotspots/pack/products/gistar_product.hpp"
#include "hotspots/pack/products/hotspots_product.hpp"
#include "hotspots/pack/products/map_product.hpp"
#include "hotspots/pack/products/patrol_product.hpp"
#include "hotspots/pack/products/places_product.hpp"
#include "hotspots/pack/products/product.hpp"
#include "hotspots/pack/products/qgis_project_product.hpp"
#include "hotspots/pack/products/rejects_product.hpp"
#include "hotspots/pack/products/study_area_product.hpp"
#include "hotspots/pack/products/summary_product.hpp"
#include "hotspots/pack/products/trend_product.hpp"
#include "hotspots/pack/products/zone_map_product.hpp"
#include "hotspots/pack/products/zone_table_product.hpp"

namespace hotspots {

/// Every product of a hotspot pack besides manifest.json (which lists them all), in the order
/// run_pack writes them. A new product is a header/source pair beside these (see product.hpp)
/// and one entry here: run_pack writes it, the manifest lists and digests its files, and the
/// typed tests (tests/unit/pack/products_test.cpp) check it.
using PackProductList =
    TypeList<DensityProduct, HotspotsProduct, GistarProduct, PatrolProduct, MapProduct,
             GistarMapProduct, ZoneMapProduct, TrendProduct, PlacesProduct, ZoneTableProduct,
             ConcentrationProduct, RejectsProduct, StudyAreaProduct, SummaryProduct,
             QgisProjectProduct>;

namespace detail {
template <class... Ps>
constexpr bool all_pack_products(TypeList<Ps...> /*list*/) {
  return (PackProduct<Ps> && ...);
}
}  // namespace detail
static_assert(detail::all_pack_products(PackProductList{}),
              "every member of PackProductList provides what product.hpp lists");

}  // namespace hotspots
