// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "hotspots/stats/mann_kendall.hpp"
#include "hotspots/stats/spacetime_gistar.hpp"

namespace hotspots {

/// The 17 categories of ArcGIS Emerging Hot Spot Analysis (its PATTERN field).
enum class EhsaClass : std::uint8_t {
  no_pattern,
  new_hot_spot,
  consecutive_hot_spot,
  intensifying_hot_spot,
  persistent_hot_spot,
  diminishing_hot_spot,
  sporadic_hot_spot,
  oscillating_hot_spot,
  historical_hot_spot,
  new_cold_spot,
  consecutive_cold_spot,
  intensifying_cold_spot,
  persistent_cold_spot,
  diminishing_cold_spot,
  sporadic_cold_spot,
  oscillating_cold_spot,
  historical_cold_spot,
};

/// Whose classification rules to apply (engine/src/stats/EHSA_RULES.md lists both).
enum class Compat {
  /// The definitions of ArcGIS Pro "How Emerging Hot Spot Analysis works", with the overlaps
  /// the text leaves open resolved by the final step (see classify_emerging()).
  arcgis,
  /// sfdep's `classify_hotspot()` as its code has it (R/emerging-hostpot-classifications.R,
  /// sfdep 0.2.x), including its departures from the ArcGIS text.
  sfdep,
};

/// Options of the emerging hot spot classification.
struct EhsaClassOptions {
  Compat compat = Compat::arcgis;
  /// ArcGIS: a bin is a significant hot spot when its bin >= min_bin_level and a significant
  /// cold spot when its bin <= −min_bin_level (1 = 90 %, 2 = 95 %, 3 = 99 % confidence; ArcGIS
  /// renders every non-zero Gi_Bin as significant, hence 1). Not used by Compat::sfdep.
  int min_bin_level = 1;
  /// ArcGIS: the Mann–Kendall trend of the z series is significant when its p <= trend_alpha.
  /// The category table does not state the level; 0.05 is our documented choice.
  /// Not used by Compat::sfdep.
  double trend_alpha = 0.05;
  /// sfdep's `threshold` (default 0.01): a bin is significant when its p <= threshold, and the
  /// same number is the trend's level (with sfdep's mix of < and <=). Compat::sfdep only.
  double sfdep_threshold = 0.01;

  /// Throws InvalidArgument naming the field: min_bin_level outside 1..3, trend_alpha or
  /// sfdep_threshold outside (0, 1).
  void validate() const;
};

/// Class of one unit from its series of Gi* z-scores, p-values and bins (one per time step,
/// earliest first, equal lengths >= 1) and the Mann–Kendall trend of its z series.
///
/// Compat::arcgis, with hot_t = bin_t >= L, cold_t = bin_t <= −L, H and C their counts over the
/// n steps, "90 %" meaning 10·H >= 9·n (exact integers), the trend significant when
/// trend.p <= trend_alpha and its direction the sign of trend.z:
///   final step hot:  H = 1 → new; H = length of the final run >= 2 and H < 90 % → consecutive;
///                    H >= 90 % → intensifying (significant upward), diminishing (significant
///                    downward) or persistent (no significant trend); otherwise oscillating if
///                    any step was cold, else sporadic.
///   final step cold: the mirror image (intensifying cold = significant downward trend).
///   final step neither: H >= 90 % → historical hot; C >= 90 % → historical cold; else none.
/// Compat::sfdep: sfdep's 16 tests in its order, first match wins (EHSA_RULES.md).
/// NaN z or p count as not significant; a NaN trend p as no significant trend.
/// Throws InvalidArgument if the lengths differ or are 0, or the options are invalid.
/// Cost: O(n). Cites ArcGIS Pro "How Emerging Hot Spot Analysis works"; sfdep source.
[[nodiscard]] EhsaClass classify_emerging(std::span<const double> z, std::span<const double> p,
                                          std::span<const int> bin, const MannKendallResult& trend,
                                          const EhsaClassOptions& options = {});

/// Classes and trends of every unit of a space-time Gi* result.
struct EhsaResult {
  /// One class per unit.
  std::vector<EhsaClass> classes;
  /// Mann–Kendall of each unit's z series (continuity-corrected, as ArcGIS and
  /// Kendall::MannKendall), the trend the classes use.
  std::vector<MannKendallResult> z_trends;
};

/// classify_emerging() for each unit of `gi` (its z, p and bin series over the steps).
/// Throws InvalidArgument if `gi` is inconsistent (array sizes not units · steps) or the options
/// are invalid. Cost: O(units · steps²) for the trends (steps are few), parallel over units.
[[nodiscard]] EhsaResult classify_emerging_cube(const SpaceTimeGiStarResult& gi,
                                                const EhsaClassOptions& options = {});

/// ArcGIS's label of a class ("New Hot Spot", …, "No Pattern Detected").
[[nodiscard]] std::string_view ehsa_class_label(EhsaClass c);
/// snake_case key for output fields ("new_hot_spot", …, "no_pattern").
[[nodiscard]] std::string_view ehsa_class_key(EhsaClass c);
/// sfdep's label ("new hotspot", …, "oscilating hotspot" as sfdep spells it,
/// "no pattern detected").
[[nodiscard]] std::string_view ehsa_class_sfdep_label(EhsaClass c);

}  // namespace hotspots
