// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/counts_method.hpp"

#include <fmt/format.h>

namespace hotspots {

std::vector<double> CountsMethod::scores(const MethodInput& input) const {
  return input.train_counts;
}

std::string CountsMethod::command(double cell_size_m) const {
  return fmt::format(
      "hotspots gistar INPUT --boundary BOUNDARY --cell-size {} --cells-subset nonzero --cells "
      "cells.csv (the same grid; cells ranked by count)",
      method_number(cell_size_m));
}

}  // namespace hotspots
