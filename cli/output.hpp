// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "hotspots/crs.hpp"
#include "hotspots/hot_areas.hpp"
#include "hotspots/zones.hpp"

namespace hotspots::cli {

/// Throws IoError when `path` exists and overwrite is off, or its folder is missing, so that a
/// run fails before doing any work. Empty path: nothing to check.
void check_writable(const std::string& path, bool overwrite);

/// "xmin,ymin,xmax,ymax" -> Extent; throws InvalidArgument naming --extent.
Extent parse_extent(const std::string& text);

/// Optional zones whose names hot areas list.
struct ZoneNames {
  std::vector<Zone> zones;
};
ZoneNames load_zone_names(const std::string& path, const std::string& name_field, const Crs& crs);

/// Writes ranked hot areas with their figures; `value_name` names the peak/mean fields
/// ("density" -> peak_density, mean_density).
void write_hot_areas(const std::string& path, const std::vector<HotArea>& areas,
                     const ZoneNames& zones, const Crs& crs, bool overwrite,
                     const std::string& value_name);

}  // namespace hotspots::cli
