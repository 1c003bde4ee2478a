// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/last_method.hpp"

#include <algorithm>

namespace hotspots {

std::vector<double> LastMethod::scores(const MethodInput& input) const {
  // The last --test months before the origin, within the training window.
  Period last = Period::ending_before(input.origin, input.test_months);
  last.first = std::max(last.first, input.train.first);
  return input.months.counts(last);
}

}  // namespace hotspots
