// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/emerging_product.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/hotspots/emerging_layers.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/units/units.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void EmergingProduct::write(const PackContents& pack, const GroupResult& group,
                            const std::string& folder) {
  const PackSpec& spec = pack.request.spec;
  const PackEmergingSpec& e = spec.emerging;
  const Incidents incidents = select_group(pack.study.data.incidents, group.name);
  std::vector<std::int32_t> month(incidents.size());
  for (std::size_t i = 0; i < month.size(); ++i) month[i] = incidents.date[i].month_index;

  GridUnitsOptions grid;
  grid.shape = UnitShape::hexagon;
  grid.cell_size_m = e.cell_size_m;  // 0: as `hotspots emerging`, the grid policy's default
  const Units units = grid_units(grid, pack.study.study_area, incidents.x, incidents.y);
  EmergingOptions o;
  o.time_step_months = e.time_step_months;
  o.gi.time_lags = e.time_lags;
  o.gi.fdr = true;  // ArcGIS Pro's Emerging Hot Spot Analysis always applies it
  o.allow_gaps = true;
  o.span = pack.request.period.current;
  EmergingResult result;
  try {
    result = analyse_emerging(units, incidents.x, incidents.y, incidents.weight, month, o);
  } catch (const IoError&) {
    throw;
  } catch (const Error& err) {
    throw Error(fmt::format("{}: emerging hot spots: {}", group.name, err.what()));
  }

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
