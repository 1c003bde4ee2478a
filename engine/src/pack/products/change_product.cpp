// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/change_product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <unordered_map>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/change.hpp"
#include "hotspots/hotspots/change_layers.hpp"
#include "hotspots/render/map_png.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

ChangeResult pack_change(const PackContents& pack, const GroupResult& group) {
  const PackRequest& request = pack.request;
  const Period after = request.period.current;
  const Period before = request.period.previous();
  // The group's incidents of both periods in one set, with their months.
  Incidents both = select_group(request.previous, group.name);
  const Incidents current = select_group(pack.study.data.incidents, group.name);
  // Both were sliced from one study, so their name lists normally agree; map by name anyway.
  // Each name list gets a lookup built once (location names run to thousands).
  struct Names {
    std::vector<std::string>& names;
    std::unordered_map<std::string, std::int32_t> index;
    explicit Names(std::vector<std::string>& n) : names(n) {
      for (std::size_t k = 0; k < names.size(); ++k)
        index.emplace(names[k], static_cast<std::int32_t>(k));
    }
    std::int32_t of(const std::vector<std::string>& from, std::int32_t k) {
      if (k < 0) return -1;
      const std::string& name = from[static_cast<std::size_t>(k)];
      const auto [it, added] = index.emplace(name, static_cast<std::int32_t>(names.size()));
      if (added) names.push_back(name);
      return it->second;
    }
  };
  Names categories(both.category_names);
  Names locations(both.location_names);
  for (std::size_t i = 0; i < current.size(); ++i)
    both.append(current.x[i], current.y[i], current.weight[i], current.date[i],
                categories.of(current.category_names, current.category[i]), current.source[i],
                current.line[i], locations.of(current.location_names, current.location_of(i)));
  std::vector<std::int32_t> month(both.size());
  for (std::size_t i = 0; i < month.size(); ++i) month[i] = both.date[i].month_index;

  ChangeOptions o;
  o.kde = request.options.kde;
  o.kde.radius_m = group.analysis.radius_m;
  o.alpha = request.options.zone_table.alpha;
  o.places = request.options.patrol;
  o.persistence_periods = 2;  // the pack holds the two periods only
  return analyse_change(both, month, before, after, request.grid, &request.mask,
                        area(pack.study.study_area) / 1e6, o);
}

ChangeFigures change_figures(const ChangeResult& r) {
  ChangeFigures f;
  f.before_incidents = r.before_incidents;
  f.after_incidents = r.after_incidents;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const double v : r.surfaces.difference.values)
    if (!std::isnan(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  f.largest_fall_per_km2 = std::isfinite(lo) ? lo : std::nan("");
  f.largest_rise_per_km2 = std::isfinite(hi) ? hi : std::nan("");
  f.new_ground_cells = r.surfaces.new_ground_cells;
  f.cells = static_cast<std::int64_t>(r.cells.size());
  for (const CellChange& c : r.cells) {
    f.cells_up += c.flag == "up";
    f.cells_down += c.flag == "down";
  }
  f.places_before = static_cast<std::int64_t>(r.before_places.size());
  f.places_after = static_cast<std::int64_t>(r.after_places.size());
  f.persists = r.persists;
  f.ceased = r.ceased;
  f.new_places = r.new_places;
  return f;
}

void ChangeProduct::write(const PackContents& pack, const GroupResult& group,
                          const std::string& folder) {
  const PackRequest& request = pack.request;
  const Period after = request.period.current;
  const Period before = request.period.previous();
  std::optional<ChangeResult> made;
  if (!group.change_result) made = pack_change(pack, group);
  const ChangeResult& r = group.change_result ? *group.change_result : *made;
  ChangeOptions o;
  o.kde = request.options.kde;
  o.kde.radius_m = group.analysis.radius_m;
  o.places = request.options.patrol;

  const std::string out = pack_io::join(folder, "change");
  std::error_code ec;
  std::filesystem::create_directory(out, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create: {}", out, ec.message()));
  ChangeFolderOptions f;
  f.title =
      fmt::format("{}: {} against {}", group_title(group.name), after.label(), before.label());
  f.subtitle = fmt::format(
      "KDE difference ({} {:.0f} m, {:.4g} m cells) · patrol places ({}), matched at {:g} overlap",
      to_string(o.kde.kernel), o.kde.radius_m, request.grid.cell_size_m,
      patrol_shape_text(o.places), o.min_overlap_share);
  f.attribution = kPoliceUkAttribution;
  for (const ZoneLayer& layer : pack.study.boundaries)
    for (const Zone& z : layer.zones) f.boundary.push_back(z.geometry);
  // No command line: a pack rebuilt from its spec must be byte-identical (as density.tif).
  f.metadata = {{"HOTSPOTS_VERSION", request.version},
                {"CRIME_GROUP", group.name},
                {"KERNEL", std::string(to_string(o.kde.kernel))},
                {"RADIUS_M", fmt::format("{}", o.kde.radius_m)},
                {"CELL_SIZE_M", fmt::format("{}", request.grid.cell_size_m)},
                {"CRS", pack.study.analysis_crs.label()}};
  write_change_folder(out, pack.study.analysis_crs, r, f);
}

}  // namespace hotspots
