// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "hotspots/core/progress.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/stats/gistar.hpp"

namespace hotspots {

/// Local Moran's I (Anselin 1995) beside Gi*: local_moran() on the incidents per unit with
/// row-standardised contiguity weights and conditional permutations (ties counted in both tails),
/// quadrants by lisa_clusters(). Fields lisa_i, lisa_p, lisa_type (HH, LH, LL, HL where
/// lisa_p <= lisa_alpha, "" otherwise). Cost: O(permutations · Σ|N_i|).
struct LocalMoranStatistic {
  static constexpr std::string_view name = "local_moran";
  static constexpr std::string_view summary =
      "Local Moran's I (Anselin 1995): row-standardised contiguity, conditional permutations; "
      "fields lisa_i, lisa_p, lisa_type";

  struct Options {
    /// Conditional permutations; 0 skips local Moran's I (its columns are then empty).
    int permutations = 999;
    std::uint64_t seed = 12345;
    /// Pseudo p-value at or below which a quadrant is reported (GeoDa's default 0.05).
    double lisa_alpha = 0.05;
    /// Throws InvalidArgument naming permutations (< 0) or lisa_alpha (outside (0, 1)).
    void validate() const;
  };

  struct Result {
    /// I_i, NaN for a unit without contiguous neighbours (local_moran gives it 0: undefined).
    std::vector<double> lisa_i;
    std::vector<double> lisa_p;  ///< pseudo p-value
    /// Significant quadrant with PySAL's codes (1 HH, 2 LH, 3 LL, 4 HL), 0 otherwise.
    std::vector<int> lisa_cluster;

    template <class F>
    void for_each_column(F&& f) {
      f(lisa_i, std::numeric_limits<double>::quiet_NaN());
      f(lisa_p, std::numeric_limits<double>::quiet_NaN());
      f(lisa_cluster, 0);
    }
  };

  /// Calls v(name, field, help) for each option: spec JSON keys, command-line flags
  /// (--permutations, --seed, --lisa-alpha) and messages follow from it.
  template <class O, class V>
  static void visit_options(O& o, V&& v) {
    v("permutations", o.permutations,
      "local Moran's I conditional permutations (the smallest pseudo p-value is 1/(N+1); 0 "
      "skips local Moran's I)");
    v("seed", o.seed, "seed of the permutations (equal seeds: identical results)");
    v("lisa_alpha", o.lisa_alpha, "pseudo p-value at or below which a lisa_type is reported");
  }

  [[nodiscard]] static bool enabled(const Options& o) { return o.permutations > 0; }
  static void disable(Options& o) { o.permutations = 0; }
  static void compute(const std::vector<double>& values, const Neighbours& contiguity,
                      const Options& options, Result& result, const Progress& progress = {});
  [[nodiscard]] static std::vector<FieldDef> fields();
  static void append_values(const Result& result, std::size_t i, std::vector<FieldValue>& out);
  [[nodiscard]] static bool significant(const Result& result, std::size_t i) {
    return !result.lisa_cluster.empty() && result.lisa_cluster[i] != 0;
  }
};

/// "HH", "LH", "LL", "HL" for PySAL quadrant codes 1..4, "" for anything else.
[[nodiscard]] std::string_view lisa_type_name(int quadrant);

}  // namespace hotspots
