// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The pack's own copy of the `--basemap`, clipped to the study area and 1 km around it, so that
/// hotspots.qgs shows it as its bottom layer and the pack stays whole when moved or zipped
/// (a reference to the user's file would break; a copy of a whole tile set would swamp the pack).
/// A raster basemap: basemap.tif, as the maps show it (the grey of BasemapImage and its alpha,
/// io/basemap.hpp write_basemap_raster_copy) in the analysis CRS at the source's own pixel size,
/// coarser when the longer side would exceed kBasemapMaxSidePx. A vector one: basemap.geojson,
/// the lines the maps draw. Each with basemap.qml. Written only when the spec names a basemap.
struct BasemapProduct {
  static constexpr std::string_view name = "basemap";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr std::array<std::string_view, 3> files{"basemap.tif", "basemap.geojson",
                                                         "basemap.qml"};
  static bool enabled(const PackContents& pack);
  static void write(const PackContents& pack, const std::string& dir);
};

/// The longest side of the pack's raster basemap copy, pixels (4096² grey + alpha: at most 32 MB
/// before compression).
inline constexpr int kBasemapMaxSidePx = 4096;

/// The QGIS layer of the pack's basemap copy (file, name "Basemap (<file name>)", style), for
/// hotspots.qgs; `has` false when the pack has none.
struct BasemapLayer {
  bool has = false;
  std::string file;  ///< "basemap.tif" or "basemap.geojson"
  std::string name;
  bool raster = false;
};
[[nodiscard]] BasemapLayer basemap_layer(const PackContents& pack);

}  // namespace hotspots
