// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/last_method.hpp"

#include <algorithm>

namespace hotspots {

std::vector<double> LastMethod::scores(const MethodInput& input) const {
  return input.months.counts(
      Period{std::max(input.origin - input.test_months, input.train.first), input.origin - 1});
}

}  // namespace hotspots
