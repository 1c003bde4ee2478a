// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"

namespace hotspots {

/// Which cells touch. rook: the 4 cells sharing an edge. queen: the 8 cells sharing an edge or a
/// corner. Under rook, two cells touching only at a corner are in separate regions.
enum class Connectivity { rook, queen };

/// Connectivity from "rook" or "queen". Throws InvalidArgument naming the choices.
[[nodiscard]] Connectivity parse_connectivity(std::string_view name);

/// "rook" or "queen".
[[nodiscard]] std::string_view to_string(Connectivity connectivity);

/// Inclusive bounding box of a region in rows and columns.
struct CellBox {
  std::int64_t row_min = 0;
  std::int64_t row_max = -1;
  std::int64_t col_min = 0;
  std::int64_t col_max = -1;
};

/// Contiguous regions of selected cells on a grid.
struct CellRegions {
  /// Per cell, row-major: the region's number in [0, count), or -1 for a cell not selected.
  std::vector<std::int32_t> label;
  std::int32_t count = 0;
  /// Per region, its bounding box (filled by label_regions; lets region_outline look at the
  /// region's box only). May be left empty by hand-made CellRegions: then region_outline scans
  /// the whole grid.
  std::vector<CellBox> boxes{};
};

/// Labels the connected regions of the selected cells (selected[i] != 0, row-major). Regions are
/// numbered 0, 1, ... in the raster-scan order (row 0 first, west to east) of their first cell, so
/// the labels depend on the mask only. Breadth-first flood fill.
/// Cost: O(cells) time, O(cells) memory.
/// Throws InvalidArgument if selected.size() != grid.cell_count() or the grid has 2^31 or more
/// cells.
[[nodiscard]] CellRegions label_regions(const GridSpec& grid,
                                        const std::vector<std::uint8_t>& selected,
                                        Connectivity connectivity);

/// The exact cell-edge outline of region `region`, in the grid's CRS, by tracing the boundary
/// edges (no GEOS). Rings are closed, have no collinear vertices, exteriors run counter-clockwise
/// and holes clockwise (the right-hand rule of RFC 7946 once projected north-up); vertices lie on
/// cell corners (xmin + i·C, ymax − j·C).
///
/// One polygon per rook-connected part of the region, in the raster-scan order of the parts'
/// first cells; under rook connectivity that is exactly one. A queen region whose parts touch
/// only at corners therefore gives several polygons touching at those corners. Where two cells of
/// the SAME part touch diagonally, the empty cells on either side of that corner are kept apart:
/// the enclosed side becomes a hole touching the exterior (or another hole) at that corner. So no
/// ring passes through a vertex twice, and the result is a valid OGC MultiPolygon (polygons and
/// holes touch at isolated corners only) whose area is (number of cells)·C².
/// Cost: O(cells of the region's bounding box + boundary length) when regions.boxes is filled,
/// else O(cells) more to find the box.
/// Throws InvalidArgument if `region` is not in [0, regions.count) or regions.label does not
/// match the grid.
[[nodiscard]] MultiPolygon region_outline(const GridSpec& grid, const CellRegions& regions,
                                          std::int32_t region);

}  // namespace hotspots
