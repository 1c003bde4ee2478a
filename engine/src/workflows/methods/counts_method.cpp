// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/counts_method.hpp"

#include <fmt/format.h>

#include "hotspots/tables/busiest_cells.hpp"

namespace hotspots {

std::vector<double> CountsMethod::scores(const MethodInput& input) const {
  return input.train_counts;
}

std::string CountsMethod::command(double cell_size_m) const {
  if (cell_size_m == kBusiestCellSizeM)
    return "hotspots analyse INPUT --boundary BOUNDARY -o pack (G/busiest_cells.csv and .geojson: "
           "the same 100 m cells ranked by count; take them down to the share of the area)";
  return fmt::format(
      "hotspots gistar INPUT --boundary BOUNDARY --cell-size {} --cells-subset nonzero --cells "
      "cells.csv (the same grid; cells ranked by count)",
      method_number(cell_size_m));
}

}  // namespace hotspots
