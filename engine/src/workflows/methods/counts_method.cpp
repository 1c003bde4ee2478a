// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/counts_method.hpp"

namespace hotspots {

std::vector<double> CountsMethod::scores(const MethodInput& input) const {
  return input.train_counts;
}

}  // namespace hotspots
