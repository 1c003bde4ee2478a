// SPDX-License-Identifier: MIT
#include "hotspots/pack/analyse_memory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace hotspots {

MemoryEstimate estimate_analyse_memory(const AnalyseMemoryInput& in) {
  const auto cells = static_cast<double>(in.grid_cells);
  const int extra_groups = std::max(1, in.groups_at_once) - 1;
  MemoryEstimate e;
  e.peak_phase = extra_groups > 0 ? fmt::format("{} groups' analyses and products side by side",
                                                extra_groups + 1)
                                  : std::string("one group's analysis and products");
  e.add("program, libraries, zones and maps", kAnalyseBaseBytes);
  e.add("incidents", static_cast<double>(in.incidents) * 2 * kBytesPerIncidentRead);
  e.add("surfaces and Gi* cells", cells * kAnalyseBytesPerCell);
  if (in.permutations > 0) e.add("local Moran's I", cells * kAnalyseLocalMoranBytesPerCell);
  if (extra_groups > 0)
    e.add(extra_groups == 1 ? "the group beside it" : "the groups beside it",
          extra_groups * (kAnalyseExtraGroupBytes + cells * kAnalyseExtraGroupBytesPerCell));
  MemoryEstimate products;
  products.peak_phase = "the report, workbook and other pack-wide products";
  products.add("program, libraries, zones, report and workbook", kAnalyseProductsBytes);
  products.add("incidents", static_cast<double>(in.incidents) * 2 * kBytesPerIncidentRead);
  return larger_of(larger_of(std::move(e), std::move(products)), reading_memory(in.rows_read));
}

double analyse_cell_size_that_fits(const AnalyseMemoryInput& in, double cell_size_m,
                                   double budget_bytes) {
  AnalyseMemoryInput none = in;
  none.grid_cells = 0;
  if (estimate_analyse_memory(none).bytes > budget_bytes)
    return std::numeric_limits<double>::infinity();
  const int extra_groups = std::max(1, in.groups_at_once) - 1;
  const double fixed = kAnalyseBaseBytes +
                       static_cast<double>(in.incidents) * 2 * kBytesPerIncidentRead +
                       extra_groups * kAnalyseExtraGroupBytes;
  const double per_cell = kAnalyseBytesPerCell +
                          (in.permutations > 0 ? kAnalyseLocalMoranBytesPerCell : 0) +
                          extra_groups * kAnalyseExtraGroupBytesPerCell;
  const double cells_that_fit = (budget_bytes - fixed) / per_cell;
  const auto cells = static_cast<double>(in.grid_cells);
  if (cells <= cells_that_fit) return cell_size_m;
  return std::ceil(cell_size_m * std::sqrt(cells / cells_that_fit));
}

}  // namespace hotspots
