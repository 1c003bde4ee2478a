// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/pack/products/product.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

/// `analyse --emerging` (PackSpec::emerging, off by default): an emerging hot spot analysis of
/// the group's incidents over the pack's period (hotspots/emerging.hpp: monthly or N-month steps,
/// space-time Gi* with FDR, Mann-Kendall, the 17 ArcGIS classes) on hexagons over the study area,
/// written to the group's `emerging/` folder as `hotspots emerging` writes its folder:
/// units.geojson, units.qml, bins.csv, sensitivity.csv and map.png. Months of the period without
/// an incident of the group are steps of zeros (allow_gaps), so one quiet month never costs the
/// pack. Throws Error naming the group when the analysis cannot run (e.g. undated incidents).
struct EmergingProduct {
  static constexpr std::string_view name = "emerging";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 5> files{
      "emerging/units.geojson", "emerging/units.qml", "emerging/bins.csv",
      "emerging/sensitivity.csv", "emerging/map.png"};
  /// Written only when the spec asks for it.
  static bool enabled(const PackContents& pack) { return pack.request.spec.emerging.enabled; }
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// The hexagons and the analysis EmergingProduct writes.
struct PackEmerging {
  Units units;
  EmergingResult result;
};

/// The group's emerging hot spot analysis as the pack runs it (see EmergingProduct): what
/// EmergingProduct writes (group.emerging_result, else made here). Throws Error naming the group
/// when the analysis cannot run.
[[nodiscard]] PackEmerging pack_emerging(const PackContents& pack, const GroupResult& group);

/// The figures summary.md quotes of it: units per class, the cube's size and time steps.
[[nodiscard]] EmergingFigures emerging_figures(const PackEmerging& emerging,
                                               const PackEmergingSpec& spec);

}  // namespace hotspots
