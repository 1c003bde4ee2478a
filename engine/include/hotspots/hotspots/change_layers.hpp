// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/hotspots/change.hpp"
#include "hotspots/io/crs.hpp"

namespace hotspots {

// The files of a two-period change (hotspots/change.hpp) and their writers.

/// What the folder shows besides the result.
struct ChangeFolderOptions {
  std::string title;     ///< map title, e.g. "Violence and sexual offences: change"
  std::string subtitle;  ///< e.g. "2021-11 to 2022-10 against 2020-11 to 2021-10 · quartic 300 m"
  std::string attribution;
  /// Outlines drawn over the surface (the study-area boundary); may be empty.
  std::vector<MultiPolygon> boundary;
  /// GDAL metadata items of both GeoTIFFs (version, command line...), written first.
  std::vector<std::pair<std::string, std::string>> metadata;
};

/// The files write_change_folder() writes, relative to the folder, in writing order.
[[nodiscard]] std::vector<std::string> change_folder_files();

/// The cells table: `cell_id,row,col,x,y,before,after,change,change_pct,change_p,change_q,flag`,
/// one row per ChangeResult::cells entry (cell_id = row · cols + col of the grid; x, y its centre
/// in the analysis CRS), numbers in shortest round-trip form, NaN empty.
[[nodiscard]] std::string change_cells_csv(const ChangeResult& result);

/// The places table: `period,place_id,fate,matched_id,overlap,incidents,per_month,x,y,radius_m,
/// persistence_periods,persistence_streak,persistence_of`, the before period's places first
/// (fate persists or ceased; persistence empty), then the after period's (persists or new).
[[nodiscard]] std::string change_places_csv(const ChangeResult& result);

/// Writes into `folder` (an existing, empty folder, e.g. AtomicDirectory::temp_path()):
/// difference.tif (after − before, incidents per km²) and ratio.tif (after / before, nodata where
/// before = 0), Float32 GeoTIFFs in `crs` with the metadata; cells.csv and cells.geojson (the cell
/// squares, RFC 7946); places.csv and places.geojson (the patrol places of both periods as
/// circles); map.png: the difference in six diverging classes (blue = fall, red = rise, cells
/// below a tenth of the largest change left blank), the places of B outlined by fate (black =
/// persists, purple = new) and the ceased places of A in grey, labelled with their ids, the
/// boundary, legend, scale bar and attribution. Deterministic. Throws IoError naming the file.
void write_change_folder(const std::string& folder, const Crs& crs, const ChangeResult& result,
                         const ChangeFolderOptions& options);

}  // namespace hotspots
