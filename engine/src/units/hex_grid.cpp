// SPDX-License-Identifier: MIT
#include "hotspots/units/hex_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

constexpr double kSqrt3 = 1.7320508075688772;

// x unit: w/2; y unit: w/(2√3) (a third of the row spacing, half the circumradius).
double x_unit(double w) {
  return w / 2.0;
}
double y_unit(double w) {
  return w / (2.0 * kSqrt3);
}

std::int64_t parity(std::int64_t r) {
  return ((r % 2) + 2) % 2;
}

// Centre of global lattice cell (R, C), as integer multiples of the units.
double gx(std::int64_t R, std::int64_t C, double w) {
  return static_cast<double>(2 * C + parity(R)) * x_unit(w);
}
double gy(std::int64_t R, double w) {
  return -static_cast<double>(3 * R) * y_unit(w);
}

void check_size(double w) {
  if (!(w > 0) || !std::isfinite(w))
    throw InvalidArgument(fmt::format("hex cell size {} m: must be a positive number", w));
}

// Nearest global lattice cell of (x, y); ties to the smaller (R, C). Rows floor(Rf) and
// floor(Rf) + 1 bracket the point and a centre two rows away is at least 1.5 circumradii away
// vertically, farther than the nearest centre can be; one extra row each side costs nothing.
void nearest(double x, double y, double w, std::int64_t& R_out, std::int64_t& C_out) {
  const double rf = -y / (3.0 * y_unit(w));
  const auto r_lo = static_cast<std::int64_t>(std::floor(rf)) - 1;
  double best = std::numeric_limits<double>::infinity();
  for (std::int64_t R = r_lo; R <= r_lo + 3; ++R) {
    const double cf = (x / x_unit(w) - static_cast<double>(parity(R))) / 2.0;
    const auto c_mid = static_cast<std::int64_t>(std::llround(cf));
    for (std::int64_t C = c_mid - 1; C <= c_mid + 1; ++C) {
      const double dx = x - gx(R, C, w);
      const double dy = y - gy(R, w);
      const double d2 = dx * dx + dy * dy;
      // Candidates are visited in ascending (R, C), so strict < keeps the smaller on ties.
      if (d2 < best) {
        best = d2;
        R_out = R;
        C_out = C;
      }
    }
  }
}

std::int64_t floor_even(std::int64_t r) {
  return r - parity(r);
}

}  // namespace

double HexGridSpec::centre_x(std::int64_t row, std::int64_t col) const {
  return gx(row0 + row, col0 + col, cell_size_m);
}

double HexGridSpec::centre_y(std::int64_t row) const {
  return gy(row0 + row, cell_size_m);
}

double HexGridSpec::cell_area_m2() const {
  return kSqrt3 / 2.0 * cell_size_m * cell_size_m;
}

Ring HexGridSpec::polygon(std::int64_t row, std::int64_t col) const {
  const std::int64_t R = row0 + row;
  const std::int64_t X = 2 * (col0 + col) + parity(R);  // centre x in x units
  const std::int64_t Y = -3 * R;                        // centre y in y units
  const double ux = x_unit(cell_size_m);
  const double uy = y_unit(cell_size_m);
  const auto p = [&](std::int64_t i, std::int64_t j) {
    return Point{static_cast<double>(i) * ux, static_cast<double>(j) * uy};
  };
  // Counter-clockwise from the top vertex.
  return {p(X, Y + 2),     p(X - 1, Y + 1), p(X - 1, Y - 1), p(X, Y - 2),
          p(X + 1, Y - 1), p(X + 1, Y + 1), p(X, Y + 2)};
}

std::int64_t HexGridSpec::locate(double x, double y) const {
  if (!std::isfinite(x) || !std::isfinite(y)) return -1;
  std::int64_t R = 0;
  std::int64_t C = 0;
  nearest(x, y, cell_size_m, R, C);
  const std::int64_t r = R - row0;
  const std::int64_t c = C - col0;
  if (r < 0 || r >= rows || c < 0 || c >= cols) return -1;
  return index(r, c);
}

void HexGridSpec::validate() const {
  check_size(cell_size_m);
  if (rows <= 0 || cols <= 0)
    throw InvalidArgument(fmt::format("hex grid {} x {}: needs at least one cell", cols, rows));
  if (parity(row0) != 0) throw InvalidArgument("hex grid: row0 must be even");
  if (rows > std::numeric_limits<std::int32_t>::max() / cols)
    throw InvalidArgument(fmt::format("hex grid {} x {}: 2^31 cells or more", cols, rows));
}

HexGridSpec hex_grid_over_extent(const Extent& extent, double cell_size_m) {
  check_size(cell_size_m);
  if (extent.empty() || !std::isfinite(extent.xmin) || !std::isfinite(extent.xmax) ||
      !std::isfinite(extent.ymin) || !std::isfinite(extent.ymax))
    throw InvalidArgument("hex grid: the extent is empty or not finite");
  const double w = cell_size_m;
  const double row_h = 3.0 * y_unit(w);
  HexGridSpec g;
  g.cell_size_m = w;
  g.row0 = floor_even(static_cast<std::int64_t>(std::floor(-extent.ymax / row_h)) - 1);
  const auto r1 = static_cast<std::int64_t>(std::ceil(-extent.ymin / row_h)) + 1;
  g.col0 = static_cast<std::int64_t>(std::floor(extent.xmin / w)) - 1;
  const auto c1 = static_cast<std::int64_t>(std::ceil(extent.xmax / w)) + 1;
  g.rows = r1 - g.row0 + 1;
  g.cols = c1 - g.col0 + 1;
  g.validate();
  return g;
}

HexGridSpec hex_grid_over_points(std::span<const double> x, std::span<const double> y,
                                 double cell_size_m) {
  check_size(cell_size_m);
  if (x.size() != y.size()) throw InvalidArgument("hex grid: x and y differ in length");
  if (x.empty()) throw InvalidArgument("hex grid: no point");
  std::int64_t rmin = std::numeric_limits<std::int64_t>::max();
  std::int64_t rmax = std::numeric_limits<std::int64_t>::min();
  std::int64_t cmin = rmin;
  std::int64_t cmax = rmax;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw InvalidArgument(fmt::format("hex grid: point {} has a non-finite coordinate", i));
    std::int64_t R = 0;
    std::int64_t C = 0;
    nearest(x[i], y[i], cell_size_m, R, C);
    rmin = std::min(rmin, R);
    rmax = std::max(rmax, R);
    cmin = std::min(cmin, C);
    cmax = std::max(cmax, C);
  }
  HexGridSpec g;
  g.cell_size_m = cell_size_m;
  g.row0 = floor_even(rmin);
  g.col0 = cmin;
  g.rows = rmax - g.row0 + 1;
  g.cols = cmax - cmin + 1;
  g.validate();
  return g;
}

namespace {

void check_cells(const HexGridSpec& grid, const std::vector<std::int64_t>& cells) {
  grid.validate();
  for (std::size_t k = 0; k < cells.size(); ++k)
    if (cells[k] < 0 || cells[k] >= grid.cell_count() || (k > 0 && cells[k] <= cells[k - 1]))
      throw InvalidArgument(fmt::format(
          "hex neighbours: cell {} is out of the grid or not in ascending order", cells[k]));
}

}  // namespace

Neighbours hex_band_neighbours(const HexGridSpec& grid, const std::vector<std::int64_t>& cells,
                               double band_m) {
  check_cells(grid, cells);
  if (!(band_m > 0) || !std::isfinite(band_m))
    throw InvalidArgument(fmt::format("hex band {} m: must be a positive number", band_m));
  const double b = band_m / grid.cell_size_m * (1 + 1e-9);
  const double limit = 4.0 * b * b;
  const auto max_dr = static_cast<std::int64_t>(std::floor(b / (kSqrt3 / 2.0))) + 1;
  const auto max_dc = static_cast<std::int64_t>(std::floor(b)) + 1;
  // stencil[p]: offsets (dr, dc) in row-major order for a cell on a row of parity p.
  std::vector<std::pair<std::int64_t, std::int64_t>> stencil[2];
  for (std::int64_t p = 0; p < 2; ++p)
    for (std::int64_t dr = -max_dr; dr <= max_dr; ++dr)
      for (std::int64_t dc = -max_dc - 1; dc <= max_dc + 1; ++dc) {
        if (dr == 0 && dc == 0) continue;
        const std::int64_t dx2 = 2 * dc + parity(p + dr) - p;  // x offset in units of w/2
        if (static_cast<double>(dx2 * dx2 + 3 * dr * dr) <= limit) stencil[p].emplace_back(dr, dc);
      }
  std::vector<std::int32_t> location(static_cast<std::size_t>(grid.cell_count()), -1);
  for (std::size_t k = 0; k < cells.size(); ++k)
    location[static_cast<std::size_t>(cells[k])] = static_cast<std::int32_t>(k);
  Neighbours nb;
  nb.lists.resize(cells.size());
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const std::int64_t r = cells[k] / grid.cols;
    const std::int64_t c = cells[k] % grid.cols;
    for (const auto& [dr, dc] : stencil[parity(grid.row0 + r)]) {
      const std::int64_t rr = r + dr;
      const std::int64_t cc = c + dc;
      if (rr < 0 || rr >= grid.rows || cc < 0 || cc >= grid.cols) continue;
      const std::int32_t j = location[static_cast<std::size_t>(grid.index(rr, cc))];
      if (j >= 0) nb.lists[k].push_back(j);  // row-major offsets: ascending already
    }
  }
  return nb;
}

Neighbours hex_edge_neighbours(const HexGridSpec& grid, const std::vector<std::int64_t>& cells) {
  check_cells(grid, cells);
  const auto location = [&](std::int64_t r, std::int64_t c) -> std::int32_t {
    if (r < 0 || r >= grid.rows || c < 0 || c >= grid.cols) return -1;
    const auto it = std::lower_bound(cells.begin(), cells.end(), grid.index(r, c));
    if (it == cells.end() || *it != grid.index(r, c)) return -1;
    return static_cast<std::int32_t>(it - cells.begin());
  };
  Neighbours nb;
  nb.lists.resize(cells.size());
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const std::int64_t r = cells[k] / grid.cols;
    const std::int64_t c = cells[k] % grid.cols;
    // Odd rows are shifted east by half a cell: the diagonal neighbours of an even row sit at
    // columns c − 1 and c of the rows above and below, those of an odd row at c and c + 1.
    const std::int64_t shift = parity(grid.row0 + r) == 0 ? -1 : 0;
    const std::int64_t cand[6][2] = {{r - 1, c + shift}, {r - 1, c + shift + 1},
                                     {r, c - 1},         {r, c + 1},
                                     {r + 1, c + shift}, {r + 1, c + shift + 1}};
    for (const auto& rc : cand) {
      const std::int32_t j = location(rc[0], rc[1]);
      if (j >= 0) nb.lists[k].push_back(j);
    }
    std::sort(nb.lists[k].begin(), nb.lists[k].end());
  }
  return nb;
}

}  // namespace hotspots
