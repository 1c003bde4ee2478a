// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/last_method.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hotspots {

std::vector<double> LastMethod::scores(const MethodInput& input) const {
  // The last --test months before the origin, within the training window.
  Period last = Period::ending_before(input.origin, input.test_months);
  last.first = std::max(last.first, input.train.first);
  return input.months.counts(last);
}

std::string LastMethod::command(double cell_size_m) const {
  return fmt::format(
      "hotspots gistar INPUT --from LAST --to LAST --boundary BOUNDARY --cell-size {} "
      "--cells-subset nonzero --cells cells.csv (last month's cells ranked by count)",
      method_number(cell_size_m));
}

}  // namespace hotspots
