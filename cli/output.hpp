// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspots/hotspots/gistar_layers.hpp"
#include "hotspots/hotspots/hot_areas.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots::cli {

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

/// The Gi* clusters as pack_writer hands them to write_cluster_rows() (kept so the pack's
/// writer reads unchanged; the layer itself is the engine's write_gistar_clusters()).
inline const GiStarClusters& cluster_rows(const GiStarClusters& clusters) {
  return clusters;
}

/// write_gistar_clusters() with these options.
void write_cluster_rows(const std::string& path, const Crs& crs, const GiStarClusters& clusters,
                        bool overwrite, const std::string& layer_name);

}  // namespace hotspots::cli
