// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/core/progress.hpp"
#include "hotspots/stats/kernels/kernel_list.hpp"

namespace hotspots {

/// The KDE kernel function K(u), u = d/h (d = distance from a cell centre to an incident, h = the
/// radius): one of KernelList (stats/kernels/kernel_list.hpp, one trait header per kernel). Every
/// kernel has compact support d <= h and integrates to 1 over the plane once divided by h² (the
/// Gaussian to 1 − e⁻⁸). Names and constants as in GRASS v.kernel, QGIS Heatmap and ArcGIS Kernel
/// Density:
///
///   quartic       K = 3/π (1 − u²)²   (biweight; Silverman 1986 eq. 4.5; ArcGIS, QGIS default)
///   epanechnikov  K = 2/π (1 − u²)
///   triweight     K = 4/π (1 − u²)³
///   triangular    K = 3/π (1 − u)
///   uniform       K = 1/π
///   gaussian      K = h²/(2πσ²) exp(−d²/2σ²) with σ = h/4 (GRASS v.kernel), cut at d <= h = 4σ:
///                 the mass beyond the cut, e⁻⁸ ≈ 0.000335, is lost (not renormalised, like GRASS).

/// Kernel from its lower-case name (a KernelList member's `name`). Throws InvalidArgument naming
/// the valid choices. O(kernels).
[[nodiscard]] Kernel parse_kernel(std::string_view name);

/// Lower-case name of a kernel, as accepted by parse_kernel.
[[nodiscard]] std::string_view to_string(const Kernel& kernel);

/// The names of every kernel in KernelList order (the first is the default): CLI choices.
[[nodiscard]] std::vector<std::string> kernel_names();

/// What a KDE cell holds.
enum class OutputValue {
  /// Incidents per km²: 1e6 · Σ w·K(d/h)/h² (ArcGIS Kernel Density; GRASS v.kernel × 1e6).
  density,
  /// Σ w·k(d/h) with the unnormalised profile k = (1 − u²)², (1 − u²), (1 − u²)³, (1 − u), 1,
  /// exp(−d²/2σ²): QGIS Heatmap "Raw" output and R sfhotspot.
  raw,
  /// Expected incidents per cell: density per m² × cell_size_m². Over cells at least h from the
  /// grid's edge the cells sum to Σw (up to the grid sampling error, see estimate_density).
  count,
};

/// OutputValue from "density", "raw" or "count". Throws InvalidArgument naming the choices.
[[nodiscard]] OutputValue parse_output_value(std::string_view name);

/// Lower-case name of an output value, as accepted by parse_output_value.
[[nodiscard]] std::string_view to_string(OutputValue output);

/// Options of estimate_density.
struct KdeOptions {
  Kernel kernel = kernels::Quartic{};
  double radius_m = 0;  ///< bandwidth h in metres (QGIS "radius", ArcGIS "search radius")
  OutputValue output = OutputValue::density;

  /// Throws InvalidArgument (naming `radius_m` or `output`) unless radius_m is a positive finite
  /// number and output holds one of its enumerators. (A Kernel is always one of the list.)
  void validate() const;
};

/// Incident locations in the analysis CRS (metres) with optional weights: w empty means every
/// weight is 1, otherwise w.size() == x.size().
struct WeightedPoints {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> w;
};

/// Kernel density of `points` evaluated exactly at every cell centre of `grid`:
///
///   f(c) = Σᵢ wᵢ K(dᵢ/h) / h²    (incidents per m², K as in `Kernel`, dᵢ = |c − pᵢ|)
///
/// reported per `options.output` (density per km² = 1e6·f, count = f·cell_size_m², raw = the
/// unnormalised Σ wᵢ k(dᵢ/h)). The support is d <= h, INCLUSIVE, like GRASS v.kernel and QGIS
/// (the peer reference script uses d < h): this changes nothing for quartic, epanechnikov,
/// triweight and triangular, which are 0 at d = h; for uniform and the cut Gaussian it decides
/// exact ties only. No edge correction. Points outside the grid contribute to the cells within h
/// of them. Cells with mask->inside == 0 are NaN (they are still computed; a mask only hides).
///
/// Method: incidents at identical (x, y) are merged first (weights summed; police.uk snaps about
/// half of all incidents onto shared map points), then each distinct location is added to the
/// cells within its disc only (row span from h, column span of each row from the chord). The grid
/// is split into bands of rows processed in parallel (TBB); each band adds the locations that
/// reach it in one fixed order (sorted by row, x, y), so every cell's sum is formed in the same
/// order whatever the number of threads: the output is bit-identical for any thread count.
/// Accumulation in double. The grid sampling of a kernel conserves mass only approximately: with
/// h = 10 cells the cells of one incident sum to 1 within 1e-5 (triweight), 4.5e-5 (quartic),
/// 6e-5 (gaussian, after losing e⁻⁸), 7e-4 (triangular), 1.2e-3 (epanechnikov) and 2e-2
/// (uniform: a lattice-point count; each trait's `sampling_error`); errors of many incidents
/// largely cancel. The cell loops are compiled once per kernel trait (its `Terms`), chosen by
/// std::visit once per band of rows.
///
/// Cost: O(n log n + m·π(h/C)² + cells) time for n incidents at m distinct locations and cell
/// size C, O(n + cells) memory. Weights of 0 are skipped. On x86-64 Linux the cell loops also
/// have an AVX2 version chosen at load time (no FMA, so the same bits) and the output is
/// allocated with a transparent-huge-page hint (page faults are costly on VMs).
/// Throws InvalidArgument if options are invalid, x/y/w sizes differ, a coordinate or weight is
/// not finite or a weight is negative, the grid has a non-positive cell size or negative
/// dimensions, or the mask is on another grid.
/// Reference: Silverman (1986) Density Estimation for Statistics and Data Analysis, §4.2 and
/// eq. 4.5 (the quartic/biweight kernel); ArcGIS Pro "How Kernel Density works".
[[nodiscard]] Raster estimate_density(const WeightedPoints& points, const GridSpec& grid,
                                      const KdeOptions& options, const CellMask* mask = nullptr);

/// Edge incidents: which points lie within `radius_m` (inclusive, d <= h as estimate_density) of
/// the centre of a study-area cell of `grid` (mask->inside == 1; every cell without a mask).
/// Because every kernel is 0 beyond h, estimate_density over the study-area cells gives the same
/// values whether it is given every incident or only those inside the study area plus the
/// outside ones flagged here. Cost O(n + flagged · (h/C)²); a point farther than h from the grid
/// is rejected in O(1). Throws InvalidArgument if sizes differ or radius_m is not positive.
[[nodiscard]] std::vector<std::uint8_t> within_reach_of_cells(const std::vector<double>& x,
                                                              const std::vector<double>& y,
                                                              const GridSpec& grid,
                                                              const CellMask* mask,
                                                              double radius_m);

/// The points a study area's KDE smooths: the incidents inside it, followed by the incidents
/// outside it within one radius of a study-area cell (within_reach_of_cells), so that density
/// just inside the boundary is not lowered by incidents the boundary cut off (edge loss).
struct SmoothingPoints {
  WeightedPoints points;
  std::int64_t edge_incidents = 0;  ///< outside incidents added (smoothing only, never counted)
  double edge_weight = 0;           ///< their Σ weight
};

/// `inside` followed by the points of `outside` within_reach_of_cells. Empty weights mean 1.
/// `inside` is taken by value: a caller done with its points moves them in (no copy of a
/// million-point set). Throws InvalidArgument as within_reach_of_cells. Cost as
/// within_reach_of_cells.
[[nodiscard]] SmoothingPoints with_edge_points(WeightedPoints inside, const WeightedPoints& outside,
                                               const GridSpec& grid, const CellMask* mask,
                                               double radius_m);

/// How for_each_density_tile cuts the grid: square tiles of `tile_cells` cells (the last tile
/// row and column clipped to the grid), numbered from the north-west corner like GeoTIFF blocks.
struct DensityTiling {
  std::int64_t tile_cells = 256;  ///< tile side in cells (a GeoTIFF block: multiple of 16)
  /// Skip tiles that no incident reaches (all 0, or NaN where the mask is 0). When false every
  /// tile of the grid is reported (the empty ones with `empty` set).
  bool skip_empty = true;
  /// Hears the phase "density": from the calling thread, 0 first, then after each strip of
  /// tiles the share of strips done (increasing, the last call 1.0). Empty: not called.
  Progress progress;

  /// Throws InvalidArgument naming `tile_cells` unless it is a multiple of 16 in [16, 4096].
  void validate() const;
};

/// One tile of a density surface: cells [row0, row0 + rows) × [col0, col0 + cols) of the grid,
/// row-major in `values` (rows · cols values, NaN where the mask is 0).
struct DensityTile {
  std::int64_t tile_row = 0;
  std::int64_t tile_col = 0;
  std::int64_t row0 = 0;
  std::int64_t col0 = 0;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  bool empty = false;  ///< no incident within reach: every value is 0 (or NaN where masked)
  std::vector<double> values;
};

/// The surface of estimate_density, cut into tiles and handed to `sink` one tile at a time, so
/// that memory follows the cells near incidents instead of the grid's bounding rectangle: only
/// the tiles within reach (⌈h/C⌉ + 1 cells) of an incident exist (unless tiling.skip_empty is
/// false). Every reported cell is BIT-IDENTICAL to estimate_density's: each tile adds the same
/// merged, sorted locations in the same order with the same arithmetic (tests compare the two).
/// Cells of unreported tiles are 0 (or NaN where the mask is 0) in estimate_density.
///
/// Tiles are reported in row-major tile order (north to south, west to east), from the calling
/// thread; one strip of tiles (tile_cells rows across the grid) is computed at a time in parallel
/// (TBB), so the output does not depend on the thread count.
/// Returns the number of tiles reported.
/// Cost: O(n log n + m·π(h/C)² + cells of reported tiles) time; memory O(n + one strip of
/// reported tiles + tile columns), not O(grid cells) (the mask, when given, is O(cells) itself).
/// Throws as estimate_density, and InvalidArgument for a bad tiling; exceptions from `sink`
/// propagate.
std::int64_t for_each_density_tile(const WeightedPoints& points, const GridSpec& grid,
                                   const KdeOptions& options, const DensityTiling& tiling,
                                   const CellMask* mask,
                                   const std::function<void(const DensityTile&)>& sink);

/// Default bandwidth by ArcGIS Pro's spatial variant of Silverman's rule of thumb (ArcGIS Pro
/// "How Kernel Density works"; Silverman 1986 eq. 3.31):
///
///   h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−0.2)
///
/// with the weighted mean centre (x̄, ȳ), SD = √(Σw((x − x̄)² + (y − ȳ)²) / Σw) the weighted
/// standard distance, Dm the weighted median of the distances to the mean centre, and n = Σw.
/// Weighted median: distances sorted ascending, the first whose cumulative weight exceeds Σw/2;
/// when the cumulative weight equals Σw/2 exactly, the mean of that distance and the next (so it
/// is the ordinary median when all weights are 1). Metres in, metres out.
/// Cost: O(n log n). Throws InvalidArgument if sizes differ, a value is not finite or a weight
/// negative, fewer than 2 distinct locations have positive weight, or h comes out as 0.
[[nodiscard]] double silverman_radius(const WeightedPoints& points);

}  // namespace hotspots
