// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hotspots/hotspots/gistar_cells.hpp"
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

/// One Gi* cluster as written: outline and figures (the same fields for square cells,
/// hexagons and zones).
struct ClusterRow {
  MultiPolygon outline;
  bool hot = true;
  int rank = 0;
  std::int64_t cells = 0;  ///< cells, hexagons or zones in the cluster
  double incidents = 0;
  double area_km2 = 0;
  double mean_z = 0;
  double pai = 0;
};

/// The rows of square-grid clusters, hot ones first.
std::vector<ClusterRow> cluster_rows(const GiStarClusters& clusters);

/// Writes clusters with id, type (hot/cold), rank, cells, incidents, area_km2, mean_z, pai; the
/// format follows the extension (.geojson RFC 7946, .gpkg, .shp).
void write_cluster_rows(const std::string& path, const Crs& crs,
                        const std::vector<ClusterRow>& rows, bool overwrite,
                        const std::string& layer_name);

/// The fields of a Gi* cell layer: cell_id, count, gi_z, gi_p, gi_bin, n_neighbors, lisa_i,
/// lisa_p, lisa_type (squares, hexagons and zones alike).
std::vector<FieldDef> gistar_cell_fields();

/// Cell i's values for gistar_cell_fields(); the LISA vectors are empty when local Moran's I
/// was skipped (its fields are then null / "").
std::vector<FieldValue> gistar_cell_values(std::string id, double count, const GiStarResult& gi,
                                           const std::vector<double>& lisa_i,
                                           const std::vector<double>& lisa_p,
                                           const std::vector<int>& lisa_cluster, std::size_t i);

/// Writes square Gi* cells as polygons with cell_id "r{row}c{col}", count, gi_z, gi_p, gi_bin,
/// n_neighbors, lisa_i, lisa_p, lisa_type, row-major, keeping the study-area cells for which
/// `keep(index)` is true.
void write_square_cells(const std::string& path, const Crs& crs, const GiStarCells& cells,
                        const std::function<bool(std::size_t)>& keep, bool overwrite,
                        const std::string& layer_name);

}  // namespace hotspots::cli
