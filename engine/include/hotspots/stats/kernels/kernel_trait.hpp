// SPDX-License-Identifier: MIT
#pragma once

#include <concepts>
#include <string_view>

namespace hotspots::kernels {

/// How well the grid samples a kernel: for one incident and h = 10 cells, the cells' sum (count
/// output) minus the kernel's mass, over random positions of the incident within a cell.
/// Measured with an independent numpy script over 4000 positions (see tests/unit/stats).
struct SamplingError {
  double max = 0;  ///< largest |error|
  double sd = 0;   ///< standard deviation of the error
};

/// What estimate_density needs of a kernel K(u) = constant · profile(u), u = d/h, support d <= h.
///
///  - `name`: lower-case name, as GRASS v.kernel, QGIS Heatmap and ArcGIS spell it (parsing,
///    CLI choices, manifests and GeoTIFF metadata);
///  - `constant`: c with ∫ c·profile over the unit disc = mass() (1 unless the kernel is cut);
///  - `profile(u)`: the textbook unnormalised k(u) for 0 <= u <= 1, for references and tests;
///  - `sampling_error`: measured grid sampling accuracy (documentation and test bounds);
///  - `Terms`: the cell loop's split of w·k into a column term (from dx², dx²/h²), a row term
///    (from dy², dy²/h²) and the addend from both. The KDE computes each column's term once per
///    incident and each row's once per row, and adds `Terms::add(w, row, column)` to each cell of
///    the row's run: the split decides the rounding, so it is part of the kernel's definition
///    (results are bit-identical across releases as long as it is kept).
template <class K>
concept KernelTrait = requires(double x, const typename K::Terms& terms) {
  { K::name } -> std::convertible_to<std::string_view>;
  { K::constant } -> std::convertible_to<double>;
  { K::mass() } -> std::convertible_to<double>;
  { K::profile(x) } -> std::convertible_to<double>;
  { K::sampling_error } -> std::convertible_to<SamplingError>;
  typename K::Terms;
  {typename K::Terms(x)};
  { terms.column(x, x) } -> std::convertible_to<double>;
  { terms.row(x, x) } -> std::convertible_to<double>;
  { K::Terms::add(x, x, x) } -> std::convertible_to<double>;
};

}  // namespace hotspots::kernels
