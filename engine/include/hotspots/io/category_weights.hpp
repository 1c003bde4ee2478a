// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hotspots/io/incidents.hpp"

namespace hotspots {

/// A user table of weights per crime type, e.g. a crime-harm index (Cambridge Crime Harm Index
/// days of imprisonment per offence type).
struct CategoryWeights {
  std::vector<std::pair<std::string, double>> weights;  ///< category (as written), weight
};

/// Reads a CSV `category,weight` (a header row is recognised by a non-numeric weight). Names are
/// matched case-insensitively. Throws InputError with file:line for a bad weight or a duplicate.
[[nodiscard]] CategoryWeights read_category_weights(const std::string& path);

/// Multiplies each incident's weight by its category's weight. Throws Error naming the crime
/// types present in the incidents but missing from the table (no incident is silently weighed 0).
void apply_category_weights(Incidents& incidents, const CategoryWeights& table,
                            const std::string& table_path);

}  // namespace hotspots
