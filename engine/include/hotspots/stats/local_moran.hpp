// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/core/progress.hpp"
#include "hotspots/stats/gistar.hpp"

namespace hotspots {

/// Which grid cells touch: rook = the 4 sharing an edge, queen = the 8 sharing an edge or a
/// corner.
enum class Contiguity { rook, queen };

/// Contiguity neighbours of the cells inside a mask. Location k is the k-th inside cell in
/// row-major order; cells[k] is its row-major cell index (row · cols + col), so the values of a
/// Raster on the same grid are gathered as values[cells[k]].
struct GridNeighbours {
  Neighbours neighbours;
  std::vector<std::int64_t> cells;
};

/// Rook or queen contiguity between the cells of `mask` that are inside (non-zero); cells
/// outside the mask are nobody's neighbour, so cells on the mask's border have fewer neighbours
/// (possibly none: an island). Lists exclude the cell itself and are sorted ascending.
/// Throws InvalidArgument if mask.inside does not match mask.grid or 2^31 or more cells are
/// inside. Cost: O(cells) time and memory.
[[nodiscard]] GridNeighbours grid_contiguity_neighbours(const CellMask& mask,
                                                        Contiguity contiguity);

/// Options of local_moran().
struct LocalMoranOptions {
  /// Conditional permutations per location for the pseudo p-value (GeoDa/PySAL default 999).
  int permutations = 999;
  /// Seed of the permutations; equal seeds give identical results on any number of threads.
  std::uint64_t seed = 12345;

  /// Throws InvalidArgument naming the field: permutations must be at least 1.
  void validate() const;
};

/// Per-location output of local_moran(), in the order of the input values.
struct LocalMoranResult {
  /// I_i = (z_i / m2) Σ_j w_ij z_j, z = x − x̄, m2 = Σ z² / n, w row-standardised (1/|N_i|).
  /// 0 for a location without neighbours; NaN if all values are equal (m2 = 0).
  std::vector<double> local_i;
  /// Moran scatterplot quadrant with PySAL's codes (esda Moran_Local q): 1 = HH (z_i > 0 and
  /// lag > 0), 2 = LH (z_i <= 0, lag > 0), 3 = LL (z_i <= 0, lag <= 0), 4 = HL (z_i > 0,
  /// lag <= 0), lag = Σ_j w_ij z_j. GeoDa numbers them HH 1, LL 2, LH 3, HL 4: map before
  /// comparing. 0 for a location without neighbours or when m2 = 0.
  std::vector<int> quadrant;
  /// Conditional-permutation pseudo p-value with ties counted in both tails: with R
  /// permutations, p = (min(#{permuted I >= I_i}, #{permuted I <= I_i}) + 1) / (R + 1), in
  /// [1/(R+1), 1]; p = 1 when every permuted I ties the observed one (z_i = 0 exactly). A cell
  /// whose value and neighbours are all at the common low count (0 on sparse counts) is then never
  /// significant: most draws tie it, and the ties count against both tails.
  /// PySAL esda (p_sim) and R spdep localmoran_perm ("Pr(folded) Sim") fold differently:
  /// larger = #{permuted I >= I_i}, if larger > R/2 then larger = R − larger, so where most draws
  /// tie, the folded count is the few STRICTLY smaller draws and the cell comes out significant
  /// (typically LL). That is the same as ours whenever no draw ties (continuous values), and
  /// wrong on counts with many ties; we do not follow it. NaN for a location without neighbours
  /// or when m2 = 0.
  std::vector<double> p_sim;
  /// (I_i − mean of permuted I) / SD of permuted I (population SD, as PySAL z_sim); NaN where
  /// that SD is 0 or p_sim is NaN.
  std::vector<double> z_sim;
  /// Analytic E[I_i] under conditional randomisation (Sokal, Oden & Thomson 1998), as R spdep
  /// localmoran() with its defaults conditional = TRUE, mlvar = TRUE: with W_i = Σ_j w_ij = 1,
  /// E[I_i] = −z_i² W_i / ((n − 1) m2). NaN for a location without neighbours or when m2 = 0.
  std::vector<double> e_i;
  /// Analytic Var[I_i], same assumptions (spdep localmoran conditional = TRUE):
  /// (z_i/m2)² · n/(n − 2) · (W2_i − W_i²/(n − 1)) · (m2 − z_i²/(n − 1)), W2_i = Σ_j w_ij² =
  /// 1/|N_i|. 0 where z_i = 0; NaN for a location without neighbours, when m2 = 0 or n < 3.
  std::vector<double> var_i;
  /// (I_i − E[I_i]) / √Var[I_i] (spdep Z.Ii); NaN where Var[I_i] is 0 or NaN.
  std::vector<double> z_norm;
  /// Two-sided normal p-value erfc(|z_norm| / √2) (spdep localmoran alternative = "two.sided",
  /// "Pr(z != E(Ii))"); NaN where z_norm is NaN.
  std::vector<double> p_norm;
  /// |N_i|, the location itself not counted.
  std::vector<std::int32_t> n_neighbors;
};

/// Local Moran's I (Anselin 1995, "Local indicators of spatial association — LISA") with
/// row-standardised binary weights, the location itself NOT a neighbour (w_ii = 0):
///
///   I_i = (z_i / m2) · (1/|N_i|) Σ_{j∈N_i} z_j,   z = x − x̄,   m2 = Σ_k z_k² / n
///
/// m2 uses n, as R spdep localmoran/localmoran_perm with their default mlvar = TRUE, so I_i
/// equals spdep's Ii; PySAL esda's Is divides Σ z² by n − 1 instead, i.e. PySAL's Is =
/// (n − 1)/n × this; p-values and quadrants are unaffected.
/// Inference by conditional permutation (Anselin 1995): for location i, x_i is held fixed and
/// |N_i| values are drawn without replacement from the other n − 1 locations,
/// options.permutations times; see LocalMoranResult::p_sim. Analytic moments, z and p under
/// conditional randomisation come alongside (LocalMoranResult::e_i … p_norm).
/// "Permuted I >= observed I" is decided by comparing the raw sums of the drawn and the actual
/// neighbour values (sign-adjusted by z_i), which is the same inequality and is exact for
/// whole-number counts, so equal draws tie exactly.
/// Draws (as PySAL esda's crand): one set of R draws per neighbour count k, shared by every
/// location with k neighbours. Permutation t is a k-subset of the positions 0..n − 2 of "the
/// others" (Floyd's sampling with Lemire's bounded integers on raw 32-bit outputs of a
/// xoshiro256** stream seeded by splitmix64 from (options.seed, k); no std:: distributions);
/// for location i, position p is location p if p < i and p + 1 otherwise (location i skipped).
/// Each location's permutation distribution is thus exactly the conditional one, but locations
/// with equal k reuse the same draws, so their p-values are not independent of each other
/// (they were not independent of the data either: the same x is permuted). Results are
/// reproducible across platforms and thread counts (TBB over locations, each location summed
/// in a fixed order). Before this, each location had its own stream (seeded from (seed, i)):
/// p-values of a given seed changed with that switch.
/// Identity used in the tests: with no islands, S0 = Σ_ij w_ij = n, so global Moran's
/// I = (n/S0) Σ_i z_i Σ_j w_ij z_j / Σ z² = Σ_i I_i / n.
/// Throws InvalidArgument from options.validate() or neighbours.validate(values.size()), if
/// n < 2, or a value is not finite.
/// Cost: O(n + permutations · Σ|N_i|) time, but the shared draws stay in cache (R·k·24 bytes per
/// distinct k), so the inner loop streams instead of gathering at random; O(permutations · Σ_k k)
/// memory for the draws, O(permutations) per thread. `progress` hears the phase
/// "local Moran's I", a step per round of location blocks (about 20 rounds).
[[nodiscard]] LocalMoranResult local_moran(const std::vector<double>& values,
                                           const Neighbours& neighbours,
                                           const LocalMoranOptions& options = {},
                                           const Progress& progress = {});

/// LISA cluster codes as in GeoDa/PySAL cluster maps: the quadrant (PySAL codes, see
/// LocalMoranResult::quadrant) where p_sim <= alpha, else 0 (not significant).
/// Throws InvalidArgument if alpha is not in (0, 1). O(n).
[[nodiscard]] std::vector<int> lisa_clusters(const LocalMoranResult& result, double alpha = 0.05);

}  // namespace hotspots
