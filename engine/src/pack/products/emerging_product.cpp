// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/emerging_product.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <tuple>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/hotspots/emerging_layers.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/units/units.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

PackEmerging pack_emerging(const PackContents& pack, const GroupResult& group) {
  const PackSpec& spec = pack.request.spec;
  const PackEmergingSpec& e = spec.emerging;
  const Incidents incidents = select_group(pack.study.data.incidents, group.name);
  std::vector<std::int32_t> month(incidents.size());
  for (std::size_t i = 0; i < month.size(); ++i) month[i] = incidents.date[i].month_index;

  GridUnitsOptions grid;
  grid.shape = UnitShape::hexagon;
  grid.cell_size_m = e.cell_size_m;  // 0: as `hotspots emerging`, the grid policy's default
  PackEmerging out{grid_units(grid, pack.study.study_area, incidents.x, incidents.y), {}};
  const Units& units = out.units;
  EmergingOptions o;
  o.time_step_months = e.time_step_months;
  o.gi.time_lags = e.time_lags;
  o.gi.fdr = true;  // ArcGIS Pro's Emerging Hot Spot Analysis always applies it
  o.allow_gaps = true;
  o.span = pack.request.period.current;
  try {
    out.result = analyse_emerging(units, incidents.x, incidents.y, incidents.weight, month, o);
  } catch (const IoError&) {
    throw;
  } catch (const Error& err) {
    throw Error(fmt::format("{}: emerging hot spots: {}", group.name, err.what()));
  }
  return out;
}

EmergingFigures emerging_figures(const PackEmerging& emerging, const PackEmergingSpec& spec) {
  EmergingFigures f;
  f.hexagon_m = emerging.units.cell_size_m();
  f.units = emerging.result.units.size();
  f.steps = emerging.result.steps.size();
  f.time_step_months = spec.time_step_months;
  f.time_lags = spec.time_lags;
  f.span = emerging.result.span.label();
  static_assert(std::tuple_size_v<decltype(f.class_counts)> == kEhsaClassCount);
  f.class_counts = emerging.result.class_counts;
  return f;
}

void EmergingProduct::write(const PackContents& pack, const GroupResult& group,
                            const std::string& folder) {
  const PackEmergingSpec& e = pack.request.spec.emerging;
  std::optional<PackEmerging> made;
  if (!group.emerging_result) made = pack_emerging(pack, group);
  const PackEmerging& em = group.emerging_result ? *group.emerging_result : *made;
  const Units& units = em.units;
  const EmergingResult& result = em.result;

  const std::string out = pack_io::join(folder, "emerging");
  std::error_code ec;
  std::filesystem::create_directory(out, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create: {}", out, ec.message()));
  EmergingFolderOptions f;
  f.title = group_title(group.name) + ": emerging hot spots";
  f.subtitle = fmt::format("{:.0f} m hexagons · {} steps of {} month{} ({}) · {} time lag{} · FDR",
                           units.cell_size_m(), result.steps.size(), e.time_step_months,
                           e.time_step_months > 1 ? "s" : "", result.span.label(), e.time_lags,
                           e.time_lags == 1 ? "" : "s");
  f.attribution = kPoliceUkAttribution;
  for (const ZoneLayer& layer : pack.study.boundaries)
    for (const Zone& z : layer.zones) f.boundary.push_back(z.geometry);
  write_emerging_folder(out, pack.study.analysis_crs, units, result, f);
}

}  // namespace hotspots
