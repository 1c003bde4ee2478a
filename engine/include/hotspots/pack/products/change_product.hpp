// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/hotspots/change.hpp"
#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The change from the previous period to the pack's period (hotspots/change.hpp), per mapped
/// group in its `change/` folder, as `hotspots change` writes it: difference.tif and ratio.tif
/// (the group's KDE radius and the pack's grid), cells.csv/.geojson (incidents before and after
/// per cell with the exact test), places.csv/.geojson (the patrol places of both periods by the
/// pack's patrol rules, persisting, new or ceased; persistence over the two periods) and map.png.
/// Written when the pack has change figures (PackPeriod::previous_available: every month of both
/// periods has data), as the zone table's change columns are.
struct ChangeProduct {
  static constexpr std::string_view name = "change";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 7> files{
      "change/difference.tif", "change/ratio.tif",      "change/cells.csv", "change/cells.geojson",
      "change/places.csv",     "change/places.geojson", "change/map.png"};
  static constexpr std::array<ProductFigure, 1> figures{
      {{"change/map.png",
        "Change of the density from the previous period (difference per km²), patrol places "
        "that persist, are new or have ceased."}}};
  static bool enabled(const PackContents& pack) { return pack.request.period.previous_available; }
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// The group's change between the pack's previous period and its period (analyse_change with the
/// group's KDE radius, the pack's grid, patrol rules and alpha; persistence over the two
/// periods): what ChangeProduct writes (group.change_result, else made here). Throws as
/// analyse_change.
[[nodiscard]] ChangeResult pack_change(const PackContents& pack, const GroupResult& group);

/// The figures summary.md quotes of a change: incidents of both periods, the difference
/// surface's smallest and largest value, the cells the ratio leaves undefined, the cells of
/// cells.csv and those flagged up and down, the places of places.csv and their fates. O(cells).
[[nodiscard]] ChangeFigures change_figures(const ChangeResult& result);

}  // namespace hotspots
