// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "hotspots/hotspots/hot_areas.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots {

// The layer of ranked hot areas (KDE hotspots of `kde --hotspots` and of a pack): its schema and
// its writer.

/// Optional zones whose names hot areas list.
struct ZoneNames {
  std::vector<Zone> zones;
};

/// The zones of `path` read in `crs` with `name_field` (empty: detected); no zones for an empty
/// path. Throws what read_zones throws.
[[nodiscard]] ZoneNames load_zone_names(const std::string& path, const std::string& name_field,
                                        const Crs& crs);

/// The fields of a hot-area layer: rank, incidents, share_incidents, area_km2, share_area, pai,
/// peak_<value_name>, mean_<value_name>, cells, centroid_x, centroid_y, and zones when
/// `with_zones` (the names of the zones each area overlaps, "; "-separated).
[[nodiscard]] std::vector<FieldDef> hot_area_fields(const std::string& value_name, bool with_zones,
                                                    bool with_force = false);

/// Writes ranked hot areas with hot_area_fields() as layer "hotspots" (format by extension as
/// write_polygons); `value_name` names the peak/mean fields ("density" -> peak_density).
/// With `forces` (one per area: hot_areas_by_force's), a `force` field follows `rank`, the rank
/// within that force. Throws IoError naming the file; InvalidArgument when `forces` is neither
/// empty nor one per area. Cost: O(areas · vertices), plus the zone overlay.
void write_hot_areas(const std::string& path, const std::vector<HotArea>& areas,
                     const ZoneNames& zones, const Crs& crs, bool overwrite,
                     const std::string& value_name, const std::vector<std::string>& forces = {});

}  // namespace hotspots
