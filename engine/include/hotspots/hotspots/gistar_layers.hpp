// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "hotspots/hotspots/gistar_cells.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

// The layers of a Gi* analysis (one schema for squares, hexagons and zones) and their writers.

/// The fields of a Gi* cell layer: cell_id, count, gi_z, gi_p, gi_bin, n_neighbors, then the
/// local statistics' fields (local_statistic_fields(): lisa_i, lisa_p, lisa_type) (squares,
/// hexagons and zones alike).
[[nodiscard]] std::vector<FieldDef> gistar_cell_fields();

/// Cell i's values for gistar_cell_fields(); a local statistic not computed (empty columns)
/// gives nulls / "".
[[nodiscard]] std::vector<FieldValue> gistar_cell_values(std::string id, double count,
                                                         const GiStarResult& gi,
                                                         const LocalStatisticResults& local,
                                                         std::size_t i);

/// Which units a cell layer holds.
enum class CellSubset {
  all,          ///< every unit (every study-area cell)
  nonzero,      ///< count > 0
  significant,  ///< gi_bin != 0 or significant by a local statistic (a LISA quadrant)
};

/// Writes the units of a Gi* analysis in unit order with gistar_cell_fields(): as polygons
/// (write_polygons: .geojson, .gpkg, .shp), or, for a path ending in .csv (any case), one row
/// per grid cell with cell_id, row, col, the centre x, y in the analysis CRS and the other
/// fields (NaN as an empty value). Throws InvalidArgument for .csv with zones (they have no
/// row and column), IoError when writing fails. Cost: O(units written).
void write_gistar_cells(const std::string& path, const Crs& crs, const Units& units,
                        const GiStarAnalysis& analysis, CellSubset subset,
                        const VectorWriteOptions& options);

/// Writes square Gi* cells laid out on their grid (compute_gistar_cells) as polygons with
/// cell_id "r{row}c{col}" and gistar_cell_fields(), row-major, keeping the study-area cells for
/// which `keep(index)` is true.
void write_square_cells(const std::string& path, const Crs& crs, const GiStarCells& cells,
                        const std::function<bool(std::size_t)>& keep, bool overwrite,
                        const std::string& layer_name);

/// What a GeoTIFF of z-scores records besides what the analysis knows.
struct ZscoreProvenance {
  std::string version;             ///< HOTSPOTS_VERSION
  std::string command_line;        ///< HOTSPOTS_COMMAND
  bool cell_size_default = false;  ///< the cell size came from default_cell_size()
  bool overwrite = false;
  /// Not empty: CELL_SIZE_SOURCE says this instead (e.g. the optimized nearest-neighbour rule).
  std::string cell_size_source;
  /// More KEY=value items written after the standard ones (e.g. optimized_metadata()).
  std::vector<std::pair<std::string, std::string>> extra;
};

/// Writes the Gi* z-scores of square units as a GeoTIFF (write_geotiff; NaN outside the study
/// area) with metadata: version, command, statistic, cell size and its source, neighbours, cell
/// value, study cells, incidents, CRS. Throws InvalidArgument unless the units are square.
void write_gistar_zscores(const std::string& path, const Crs& crs, const Units& units,
                          const GiStarAnalysis& analysis, const ZscoreProvenance& provenance);

/// The fields of a Gi* cluster layer: id, type (hot/cold), rank, cells, incidents, area_km2,
/// mean_z, pai.
[[nodiscard]] std::vector<FieldDef> gistar_cluster_fields();

/// Writes the clusters, hot ones first, with gistar_cluster_fields() (id 1, 2, ... across both
/// types; cells = members). Format by extension as write_polygons.
void write_gistar_clusters(const std::string& path, const Crs& crs, const GiStarClusters& clusters,
                           const VectorWriteOptions& options);

}  // namespace hotspots
