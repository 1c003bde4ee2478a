// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots {

/// Incident locations in the analysis CRS (metres), as two parallel columns, e.g.
/// `{incidents.x, incidents.y}`. Views only: the caller keeps the data alive.
struct PointColumns {
  std::span<const double> x;
  std::span<const double> y;
};

struct ZoneTableOptions {
  /// Significance level of the change test, for ZoneRow::change_flag (raw p) and
  /// ZoneRow::change_flag_fdr (Benjamini–Hochberg adjusted across zones). In (0, 1).
  double alpha = 0.05;

  /// Throws InvalidArgument naming `alpha` when it is not in (0, 1).
  void validate() const;
};

/// One zone's figures. Counts are incidents (each incident counts 1: the change test needs
/// counts, so incident weights are not used here).
struct ZoneRow {
  std::int32_t zone = -1;  ///< index into the zones given
  std::string id;
  std::string name;
  double area_km2 = 0;
  std::int64_t incidents = 0;  ///< current period, incidents located in this zone
  double per_km2 = 0;          ///< incidents / area_km2 (NaN for a zone of zero area)
  double population = 0;       ///< NaN when no population was given for this zone
  double per_1000 = 0;         ///< 1000 · incidents / population (NaN unless population > 0)
  /// Competition ranking by incidents ("1224"): 1 = most; zones with equal counts share the
  /// best rank of their group and the next rank skips accordingly.
  int rank = 0;
  double share = 0;             ///< incidents / all incidents of the period (NaN if none)
  std::int64_t previous = 0;    ///< previous period (equal length, immediately before)
  std::int64_t change = 0;      ///< incidents − previous
  double change_pct = 0;        ///< 100 · change / previous; NaN when previous = 0
  double change_p = 1;          ///< two-sided exact test of equal rates, see change_test_p
  double change_q = 1;          ///< change_p adjusted across all zones, Benjamini–Hochberg
  std::string change_flag;      ///< "up" / "down" when change_p < alpha, else ""
  std::string change_flag_fdr;  ///< "up" / "down" when change_q < alpha, else ""
  /// area(zone ∩ ∪ hotspot polygons) / area(zone), in [0, 1]; NaN for a zone of zero area.
  double hotspot_share = 0;
};

struct ZoneTable {
  std::vector<ZoneRow> rows;  ///< one per zone, in the order of the zones given (layer order)
  std::int64_t total = 0;     ///< incidents of the current period (in zones or not)
  std::int64_t total_previous = 0;
  std::int64_t outside = 0;  ///< current-period incidents in no zone (counted, not dropped)
  std::int64_t outside_previous = 0;
  bool has_population = false;
};

/// Two-sided exact conditional test that two Poisson counts over periods of equal length have
/// the same rate (Przyborowski & Wilenski 1940): given n = n1 + n2, under H0 n2 ~ Binomial(n,
/// 1/2), and because that distribution is symmetric the two-sided p-value is
///   p = min(1, 2 · P(X ≤ min(n1, n2))),   X ~ Binomial(n, 1/2),
/// the same as R's `binom.test(n2, n1 + n2, 0.5)$p.value` and `poisson.test(c(n2, n1))`.
/// n = 0 gives 1 (no evidence). Example: (0, 5) → 2/32 = 0.0625.
/// Throws InvalidArgument for a negative count. Cost: O(min(n1, n2)) terms at most. Up to
/// n = 10,000 the binomial coefficients are summed exactly-scaled (small cases equal their
/// closed forms to the last bit); above, from the largest term down with lgamma (relative error
/// below 1e-9), so large counts neither overflow nor underflow.
[[nodiscard]] double change_test_p(std::int64_t n1, std::int64_t n2);

/// The zone table: per zone, incidents of the current and previous periods located with
/// ZoneIndex (first zone in order whose closed polygon covers the point), rates, rank, share,
/// change with change_test_p and its Benjamini–Hochberg adjustment (bh_adjust, over all zones),
/// and the share of the zone's area inside the hotspot polygons (GEOS union of the hotspots,
/// then intersection area per zone).
/// `population`: empty when none was given, else one value per zone (NaN = unknown).
/// `hotspots`: the KDE hot area outlines (may be empty: every hotspot_share is then 0).
/// Throws InvalidArgument from options.validate(), if x and y differ in length, or if
/// population is neither empty nor one per zone; Error if GEOS fails.
/// Cost: O((n_current + n_previous) log z) point-in-polygon, plus one GEOS union of the
/// hotspots and one intersection per zone whose bounding box meets them.
[[nodiscard]] ZoneTable compute_zone_table(const std::vector<Zone>& zones,
                                           const std::vector<double>& population,
                                           PointColumns current, PointColumns previous,
                                           const std::vector<const MultiPolygon*>& hotspots,
                                           const ZoneTableOptions& options);

}  // namespace hotspots
