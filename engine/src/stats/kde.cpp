// SPDX-License-Identifier: MIT
#include "hotspots/stats/kde.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "detail/huge_pages.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

// "quartic, epanechnikov, ...": the valid kernels, for messages.
std::string kernel_choices() {
  std::string out;
  for_each_type(KernelList{}, [&]<class K>() {
    if (!out.empty()) out += ", ";
    out += K::name;
  });
  return out;
}

void check_points(const WeightedPoints& p, std::string_view what) {
  if (p.x.size() != p.y.size())
    throw InvalidArgument(
        fmt::format("{}: {} x coordinates but {} y coordinates", what, p.x.size(), p.y.size()));
  if (!p.w.empty() && p.w.size() != p.x.size())
    throw InvalidArgument(
        fmt::format("{}: {} weights for {} points", what, p.w.size(), p.x.size()));
  // The first bad point (smallest index) is the one named, as a loop from 0 would; the blocks
  // are searched in parallel (a serial pass over 1M points cost ~7 ms, twice per kde run).
  const auto bad = [&](std::size_t i) {
    return !std::isfinite(p.x[i]) || !std::isfinite(p.y[i]) ||
           (!p.w.empty() && !(p.w[i] >= 0 && std::isfinite(p.w[i])));
  };
  const std::size_t n = p.x.size();
  const std::size_t first_bad = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n, std::size_t{1} << 16), n,
      [&](const tbb::blocked_range<std::size_t>& r, std::size_t found) {
        for (std::size_t i = r.begin(); i < r.end() && i < found; ++i)
          if (bad(i)) return i;
        return found;
      },
      [](std::size_t a, std::size_t b) { return std::min(a, b); });
  if (first_bad == n) return;
  const std::size_t i = first_bad;
  if (!std::isfinite(p.x[i]) || !std::isfinite(p.y[i]))
    throw InvalidArgument(
        fmt::format("{}: point {} has a non-finite coordinate ({}, {})", what, i, p.x[i], p.y[i]));
  throw InvalidArgument(
      fmt::format("{}: point {} has weight {}; weights must be finite and >= 0", what, i, p.w[i]));
}

using detail::hint_huge_pages;

// A zero raster on `g`, its memory hinted to huge pages before the zero fill touches it.
Raster zero_raster(const GridSpec& g) {
  Raster r;
  r.grid = g;
  const auto n = static_cast<std::size_t>(g.cell_count());
  r.values.reserve(n);
  hint_huge_pages(r.values.data(), n * sizeof(double));
  r.values.resize(n, 0.0);
  return r;
}

// One distinct location with its summed weight; `row` = the grid row holding y (sort key).
struct Location {
  std::int64_t row;
  double x;
  double y;
  double w;
};

// An allocator whose value-less construct leaves a trivial T uninitialised: resize() of the
// locations then writes nothing (a 32 MB zero fill of 1M locations on one core, overwritten at
// once by the parallel scatter that follows).
template <class T>
struct NoZeroFill : std::allocator<T> {
  NoZeroFill() = default;
  template <class U>
  NoZeroFill(const NoZeroFill<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
};
using Locations = std::vector<Location, NoZeroFill<Location>>;

// A function object (not a function pointer) so that the sort inlines it.
struct LocationLess {
  bool operator()(const Location& a, const Location& b) const {
    if (a.row != b.row) return a.row < b.row;
    if (a.x != b.x) return a.x < b.x;
    if (a.y != b.y) return a.y < b.y;
    return a.w < b.w;
  }
};

// Merges the runs of equal (x, y) in the sorted [first, last): weights summed in sorted order
// (ascending w), so the sum does not depend on the input order either. Returns the new end.
Location* merge_equal_locations(Location* first, Location* last) {
  Location* out = first;
  for (Location* i = first; i != last;) {
    Location merged = *i;
    Location* j = i + 1;
    for (; j != last && j->x == merged.x && j->y == merged.y; ++j) merged.w += j->w;
    *out++ = merged;
    i = j;
  }
  return out;
}

// Points with positive weight that lie within `reach` of the grid's extent, sorted by
// (row, x, y, w) and merged where (x, y) coincide (weights summed in sorted order, so the sum
// does not depend on the input order either).
//
// The order is a total one on (row, x, y, w) (equivalent elements are equal), so any correct sort
// gives the same array. When the rows the points can lie in are few against the points (always,
// but for a huge radius over a few points), they are dealt to their rows first (a counting sort:
// O(n), each row's share then sorted on its own, small enough for the cache, rows in parallel);
// otherwise one parallel comparison sort. Deterministic for any thread count: the blocks are
// fixed by the number of points, and the result is the one sorted array.
Locations distinct_locations(const WeightedPoints& p, const GridSpec& g, double reach) {
  const Extent e = g.extent().grown(reach);
  const std::size_t n = p.x.size();
  const auto weight = [&](std::size_t i) { return p.w.empty() ? 1.0 : p.w[i]; };
  Locations locs;
  // Rows of the grown extent's edges: row_of is monotone in y, so every point kept (y within
  // [e.ymin, e.ymax]) lies in [first_row, first_row + span).
  const std::int64_t first_row = g.row_of(e.ymax);
  const std::int64_t span = g.row_of(e.ymin) - first_row + 1;
  const std::size_t blocks = std::clamp<std::size_t>(n / 65536, 1, 16);
  if (span <= 0 || static_cast<std::size_t>(span) > n / 8 + 4096) {
    locs.reserve(n);
    hint_huge_pages(locs.data(), n * sizeof(Location));
    for (std::size_t i = 0; i < n; ++i) {
      const double w = weight(i);
      if (w > 0 && e.contains(p.x[i], p.y[i]))
        locs.push_back({g.row_of(p.y[i]), p.x[i], p.y[i], w});
    }
    tbb::parallel_sort(locs.begin(), locs.end(), LocationLess{});
    locs.resize(static_cast<std::size_t>(
        merge_equal_locations(locs.data(), locs.data() + locs.size()) - locs.data()));
    return locs;
  }
  const auto rows = static_cast<std::size_t>(span);
  const auto block_range = [&](std::size_t b) {
    return std::pair{n * b / blocks, n * (b + 1) / blocks};
  };
  // at[b · rows + r]: first the points of block b in row first_row + r, then where they go.
  std::vector<std::size_t> at(blocks * rows, 0);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    std::size_t* count = at.data() + b * rows;
    const auto [i0, i1] = block_range(b);
    for (std::size_t i = i0; i < i1; ++i)
      if (weight(i) > 0 && e.contains(p.x[i], p.y[i]))
        ++count[static_cast<std::size_t>(g.row_of(p.y[i]) - first_row)];
  });
  std::vector<std::size_t> row_start(rows + 1, 0);
  std::size_t total = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    row_start[r] = total;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t c = at[b * rows + r];
      at[b * rows + r] = total;
      total += c;
    }
  }
  row_start[rows] = total;
  locs.reserve(total);
  hint_huge_pages(locs.data(), total * sizeof(Location));
  locs.resize(total);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    std::size_t* next = at.data() + b * rows;
    const auto [i0, i1] = block_range(b);
    for (std::size_t i = i0; i < i1; ++i) {
      const double w = weight(i);
      if (!(w > 0 && e.contains(p.x[i], p.y[i]))) continue;
      const std::int64_t row = g.row_of(p.y[i]);
      locs[next[static_cast<std::size_t>(row - first_row)]++] = {row, p.x[i], p.y[i], w};
    }
  });
  // Each row sorted and merged in place (equal (x, y) share a row); then the rows closed up.
  // A row's share is dealt to its columns the same way (col_of is monotone in x, so the order
  // by column then (x, y, w) is the order by (x, y, w)), each column's few sorted by insertion
  // (a crowded column's by std::sort).
  const std::int64_t first_col = g.col_of(e.xmin);
  const auto cols = static_cast<std::size_t>(g.col_of(e.xmax) - first_col + 1);
  std::vector<std::size_t> kept(rows, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, 16), [&](const auto& range) {
    std::vector<std::size_t> next;
    std::vector<Location> scratch;
    for (std::size_t r = range.begin(); r != range.end(); ++r) {
      Location* first = locs.data() + row_start[r];
      Location* last = locs.data() + row_start[r + 1];
      const auto m = static_cast<std::size_t>(last - first);
      if (m < 64 || m < cols / 4) {
        std::sort(first, last, LocationLess{});
      } else {
        next.assign(cols + 1, 0);
        for (const Location* l = first; l != last; ++l)
          ++next[static_cast<std::size_t>(g.col_of(l->x) - first_col) + 1];
        for (std::size_t c = 1; c <= cols; ++c) next[c] += next[c - 1];
        scratch.resize(m);
        for (const Location* l = first; l != last; ++l)
          scratch[next[static_cast<std::size_t>(g.col_of(l->x) - first_col)]++] = *l;
        // next[c] is now where column c ends; insertion sort within each column.
        std::size_t begin = 0;
        for (std::size_t c = 0; c < cols; ++c) {
          const std::size_t end = next[c];
          if (end - begin > 32) {  // a hotspot's cell: thousands of points
            std::sort(scratch.begin() + static_cast<std::ptrdiff_t>(begin),
                      scratch.begin() + static_cast<std::ptrdiff_t>(end), LocationLess{});
            begin = end;
            continue;
          }
          for (std::size_t i = begin + 1; i < end; ++i) {
            const Location v = scratch[i];
            std::size_t j = i;
            for (; j > begin && LocationLess{}(v, scratch[j - 1]); --j) scratch[j] = scratch[j - 1];
            scratch[j] = v;
          }
          begin = end;
        }
        std::copy(scratch.begin(), scratch.end(), first);
      }
      kept[r] = static_cast<std::size_t>(merge_equal_locations(first, last) - first);
    }
  });
  std::size_t out = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (out != row_start[r])
      std::copy(locs.begin() + static_cast<std::ptrdiff_t>(row_start[r]),
                locs.begin() + static_cast<std::ptrdiff_t>(row_start[r] + kept[r]),
                locs.begin() + static_cast<std::ptrdiff_t>(out));
    out += kept[r];
  }
  locs.resize(out);
  return locs;
}

// The cell loop, one instance per kernel trait K: adds w·k(u) to the cells of a row within the
// disc from the per-column terms and the row's term of K::Terms (e.g. dx²/h² and 1 − dy²/h² for
// the quartic, exp(−dx²/2σ²) and exp(−dy²/2σ²) for the Gaussian). On x86-64 the whole splat is
// also compiled for AVX2 and picked at load time (GCC function multiversioning). AVX2 without FMA:
// the same IEEE operations in the same order, so both versions give the same bits and the result
// does not depend on the machine either.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define HOTSPOTS_KDE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HOTSPOTS_KDE_CLONES
#endif

// Adds w·k to the cells out[0..n) of one row that lie within the disc (dx² + dy² <= h², the
// kernel's support), and 0 to the others. Branch-free, so the compiler vectorises it: finding
// each row's run of cells within the disc cost more than the adds themselves. Adding +0 changes
// no value: x + 0 == x for every x but −0, and no sum here is −0 (it starts at +0, and
// +0 + −0 = +0). So each cell gets the same terms in the same order as a loop over its run.
// Inlined into each clone of Splatter::run, so it is compiled for that clone's target.
template <class K>
[[gnu::always_inline]] inline void add_row(double* __restrict out, const double* __restrict dx2,
                                           const double* __restrict column, double dy2, double h2,
                                           double row, double w, std::int64_t n) {
  for (std::int64_t c = 0; c < n; ++c) {
    const double inside = dx2[c] + dy2 <= h2 ? 1.0 : 0.0;
    out[c] += K::Terms::add(w, row, column[c]) * inside;
  }
}

const Location* location(const Location& l) {
  return &l;
}
const Location* location(const Location* l) {
  return l;
}

struct Splatter {
  const GridSpec& g;
  double h;
  double h2;
  std::int64_t reach;  // rows/cols: a location in row r reaches rows r − reach .. r + reach

  // Adds every location of [first, last) to rows [r0, r1) and columns [c0, c1) of `out`
  // (row-major, `stride` values a row, out[0] = cell (r0, c0)). A cell's value does not depend on
  // the window: the same terms are added in the order of [first, last).
  // `It` iterates over Locations or over pointers to them.
  template <class K, class It>
  HOTSPOTS_KDE_CLONES void run(It first, It last, std::int64_t r0, std::int64_t r1, std::int64_t c0,
                               std::int64_t c1, std::int64_t stride, double* out) const {
    const std::int64_t width = 2 * reach + 1;
    std::vector<double> dx2(static_cast<std::size_t>(width));
    std::vector<double> column(static_cast<std::size_t>(width));
    const double inv_h2 = 1.0 / h2;
    const typename K::Terms terms(h2);
    for (It it = first; it != last; ++it) {
      const Location* p = location(*it);
      const std::int64_t row_lo = std::max(r0, p->row - reach);
      const std::int64_t row_hi = std::min(r1, p->row + reach + 1);
      if (row_lo >= row_hi) continue;
      const std::int64_t pc = g.col_of(p->x);
      std::int64_t ca = std::max<std::int64_t>(c0, pc - reach);
      std::int64_t cb = std::min(c1 - 1, pc + reach);
      // Column tables: index c − ca holds column c. (Shifting the pointers instead would form
      // out-of-range pointers, which is undefined behaviour that UBSan reports.)
      double* tdx2 = dx2.data();
      double* tcolumn = column.data();
      for (std::int64_t c = ca; c <= cb; ++c) {
        const double dx = g.centre_x(c) - p->x;
        tdx2[c - ca] = dx * dx;
      }
      // Only the columns with dx² <= h² can hold a cell within the disc (dy² >= 0, and a rounded
      // sum is at least its larger term), and they form one run: dx² is unimodal in c.
      std::int64_t lo = 0, hi = cb - ca;
      while (lo <= hi && !(tdx2[lo] <= h2)) ++lo;
      while (hi >= lo && !(tdx2[hi] <= h2)) --hi;
      if (lo > hi) continue;
      // Every row with a cell in the disc has one in the column of smallest dx², `near`.
      std::int64_t near = lo;
      for (std::int64_t c = lo; c <= hi; ++c) {
        tcolumn[c] = terms.column(tdx2[c], tdx2[c] * inv_h2);
        if (tdx2[c] < tdx2[near]) near = c;
      }
      ca += lo;
      const std::int64_t n = hi - lo + 1;
      for (std::int64_t r = row_lo; r < row_hi; ++r) {
        const double dy = g.centre_y(r) - p->y;
        const double dy2 = dy * dy;
        if (!(tdx2[near] + dy2 <= h2)) continue;  // the disc misses this row's centres
        add_row<K>(out + (r - r0) * stride + (ca - c0), tdx2 + lo, tcolumn + lo, dy2, h2,
                   terms.row(dy2, dy2 * inv_h2), p->w, n);
      }
    }
  }
};

}  // namespace

Kernel parse_kernel(std::string_view name) {
  std::optional<Kernel> kernel;
  for_each_type(KernelList{}, [&]<class K>() {
    if (name == K::name) kernel = K{};
  });
  if (!kernel)
    throw InvalidArgument(
        fmt::format("unknown kernel '{}'; valid kernels: {}", name, kernel_choices()));
  return *kernel;
}

std::string_view to_string(const Kernel& kernel) {
  return std::visit([]<class K>(const K&) { return K::name; }, kernel);
}

std::vector<std::string> kernel_names() {
  std::vector<std::string> names;
  for_each_type(KernelList{}, [&]<class K>() { names.emplace_back(K::name); });
  return names;
}

OutputValue parse_output_value(std::string_view name) {
  for (OutputValue v : {OutputValue::density, OutputValue::raw, OutputValue::count})
    if (name == to_string(v)) return v;
  throw InvalidArgument(
      fmt::format("unknown output value '{}'; valid output values: density, raw, count", name));
}

std::string_view to_string(OutputValue output) {
  switch (output) {
    case OutputValue::density:
      return "density";
    case OutputValue::raw:
      return "raw";
    case OutputValue::count:
      return "count";
  }
  return "?";
}

void KdeOptions::validate() const {
  if (!(radius_m > 0) || !std::isfinite(radius_m))
    throw InvalidArgument(
        fmt::format("radius_m must be a positive finite number of metres, got {}", radius_m));
  if (radius_m > kMaxDistanceM)
    throw InvalidArgument(fmt::format("radius_m must be at most {:.0f} m (1,000 km), got {:g}",
                                      kMaxDistanceM, radius_m));
  if (static_cast<int>(output) < 0 ||
      static_cast<int>(output) > static_cast<int>(OutputValue::count))
    throw InvalidArgument(
        fmt::format("output holds no valid output value (value {}); valid: density, raw, count",
                    static_cast<int>(output)));
}

namespace {

// The checks shared by estimate_density and for_each_density_tile.
void check_density_inputs(const WeightedPoints& points, const GridSpec& grid,
                          const KdeOptions& options, const CellMask* mask, std::string_view what) {
  options.validate();
  check_points(points, what);
  if (!(grid.cell_size_m > 0) || !std::isfinite(grid.cell_size_m) || grid.cols < 0 || grid.rows < 0)
    throw InvalidArgument(fmt::format("{}: unusable grid (cell size {} m, {} x {} cells)", what,
                                      grid.cell_size_m, grid.cols, grid.rows));
  if (mask != nullptr &&
      (!(mask->grid == grid) || mask->inside.size() != static_cast<std::size_t>(grid.cell_count())))
    throw InvalidArgument(fmt::format("{}: the mask is not on the density grid", what));
}

// Rows (and columns) a location can reach from its own: a point in row p is at least
// (|r − p| − ½)·C from the centres of row r. Capped at the grid size for huge radii.
std::int64_t reach_cells(const GridSpec& grid, double h) {
  const double reach_d = std::ceil(h / grid.cell_size_m) + 1.0;
  return reach_d > static_cast<double>(grid.rows + grid.cols + 2)
             ? grid.rows + grid.cols + 2
             : static_cast<std::int64_t>(reach_d);
}

// The factor turning Σ w·k into the requested output value.
double output_scale(const KdeOptions& options, double cell) {
  const double h = options.radius_m;
  const double constant = std::visit([]<class K>(const K&) { return K::constant; }, options.kernel);
  const double per_m2 = constant / (h * h);
  switch (options.output) {
    case OutputValue::density:
      return per_m2 * 1e6;
    case OutputValue::count:
      return per_m2 * cell * cell;
    case OutputValue::raw:
      return 1.0;
  }
  return 1.0;
}

}  // namespace

Raster estimate_density(const WeightedPoints& points, const GridSpec& grid,
                        const KdeOptions& options, const CellMask* mask) {
  check_density_inputs(points, grid, options, mask, "estimate_density");
  Raster out = zero_raster(grid);
  if (grid.cell_count() == 0) return out;
  const double h = options.radius_m;
  const double cell = grid.cell_size_m;
  const std::int64_t reach = reach_cells(grid, h);
  const Locations locs = distinct_locations(points, grid, h + cell);

  // Bands of rows: about one disc high (each location then touches about two bands) but at least
  // 16 bands when the grid allows, for load balance. Any band height gives the same result.
  const std::int64_t band_rows =
      std::max<std::int64_t>(4, std::min<std::int64_t>(2 * reach, (grid.rows + 15) / 16));
  const std::int64_t bands = (grid.rows + band_rows - 1) / band_rows;
  const double scale = output_scale(options, cell);
  const Splatter splat{grid, h, h * h, reach};

  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, bands, 1), [&](const auto& range) {
    for (std::int64_t b = range.begin(); b != range.end(); ++b) {
      const std::int64_t r0 = b * band_rows;
      const std::int64_t r1 = std::min(grid.rows, r0 + band_rows);
      // Locations whose row is within `reach` of the band, in sorted order.
      const auto by_row = [](const Location& l, std::int64_t row) { return l.row < row; };
      const auto first = std::lower_bound(locs.begin(), locs.end(), r0 - reach, by_row);
      const auto last = std::lower_bound(first, locs.end(), r1 + reach, by_row);
      const Location* lf = locs.data() + (first - locs.begin());
      const Location* ll = locs.data() + (last - locs.begin());
      double* band = out.values.data() + r0 * grid.cols;
      std::visit(
          [&]<class K>(const K&) { splat.run<K>(lf, ll, r0, r1, 0, grid.cols, grid.cols, band); },
          options.kernel);
      const std::int64_t n = (r1 - r0) * grid.cols;
      const std::uint8_t* in = mask ? mask->inside.data() + r0 * grid.cols : nullptr;
      for (std::int64_t i = 0; i < n; ++i)
        band[i] = (in && in[i] == 0) ? Raster::nodata() : band[i] * scale;
    }
  });
  return out;
}

std::int64_t for_each_density_tile(const WeightedPoints& points, const GridSpec& grid,
                                   const KdeOptions& options, const DensityTiling& tiling,
                                   const CellMask* mask,
                                   const std::function<void(const DensityTile&)>& sink) {
  check_density_inputs(points, grid, options, mask, "for_each_density_tile");
  tiling.validate();
  if (grid.cell_count() == 0) return 0;
  const std::int64_t size = tiling.tile_cells;
  const double h = options.radius_m;
  const double cell = grid.cell_size_m;
  const std::int64_t reach = reach_cells(grid, h);
  const Locations locs = distinct_locations(points, grid, h + cell);
  const double scale = output_scale(options, cell);
  const Splatter splat{grid, h, h * h, reach};
  const std::int64_t tile_rows = (grid.rows + size - 1) / size;
  const std::int64_t tile_cols = (grid.cols + size - 1) / size;
  const auto tile_of = [&](std::int64_t cell_index, std::int64_t tiles) {
    return std::clamp<std::int64_t>(cell_index < 0 ? -1 : cell_index / size, -1, tiles);
  };

  std::int64_t reported = 0;
  std::vector<std::vector<const Location*>> by_tile(static_cast<std::size_t>(tile_cols));
  // Reused strip to strip: a tile's value buffer keeps its pages (a fresh 512 KB buffer per tile
  // was a fresh mmap, its pages faulted in and zeroed by the kernel each time).
  std::vector<DensityTile> tiles;
  // Work items are bands of a tile's rows, not whole tiles: a strip of 4 tiles on 2 cores waited
  // for its busiest tile. A cell's value does not depend on the window it is computed in (the
  // same terms in the order of the tile's list), so the bands change no bit.
  // Bands are only cut when a strip has fewer tiles than ~4 a core, and no lower than 4 radii:
  // each band a location reaches computes its column terms again.
  const std::int64_t max_bands = std::max<std::int64_t>(1, size / (4 * reach));
  const std::int64_t want_items = 4 * tbb::this_task_arena::max_concurrency();
  ProgressPhase phase(tiling.progress, "density", static_cast<std::size_t>(tile_rows));
  for (std::int64_t tr = 0; tr < tile_rows; ++tr) {
    const std::int64_t r0 = tr * size;
    const std::int64_t r1 = std::min(grid.rows, r0 + size);
    // The strip's locations (row within `reach` of it), in sorted order, dealt to the tiles of
    // the strip whose columns they reach: each tile's list keeps the sorted order, so every cell
    // sums the same terms in the same order as estimate_density.
    const auto by_row = [](const Location& l, std::int64_t row) { return l.row < row; };
    const auto first = std::lower_bound(locs.begin(), locs.end(), r0 - reach, by_row);
    const auto last = std::lower_bound(first, locs.end(), r1 + reach, by_row);
    for (auto& list : by_tile) list.clear();
    for (auto it = first; it != last; ++it) {
      const std::int64_t pc = grid.col_of(it->x);
      const std::int64_t ta = std::max<std::int64_t>(0, tile_of(pc - reach, tile_cols));
      const std::int64_t tb = std::min(tile_cols - 1, tile_of(pc + reach, tile_cols));
      for (std::int64_t tc = ta; tc <= tb; ++tc)
        by_tile[static_cast<std::size_t>(tc)].push_back(&*it);
    }
    std::size_t count = 0;
    for (std::int64_t tc = 0; tc < tile_cols; ++tc) {
      if (by_tile[static_cast<std::size_t>(tc)].empty() && tiling.skip_empty) continue;
      if (count == tiles.size()) tiles.emplace_back();
      DensityTile& t = tiles[count++];
      t.tile_row = tr;
      t.tile_col = tc;
      t.row0 = r0;
      t.col0 = tc * size;
      t.rows = r1 - r0;
      t.cols = std::min(grid.cols, t.col0 + size) - t.col0;
      t.empty = by_tile[static_cast<std::size_t>(tc)].empty();
      t.values.resize(static_cast<std::size_t>(t.rows * t.cols));  // each band zeroes its rows
    }
    tiles.resize(count);
    const std::int64_t bands_per_tile =
        count == 0 ? 1
                   : std::clamp<std::int64_t>((want_items + static_cast<std::int64_t>(count) - 1) /
                                                  static_cast<std::int64_t>(count),
                                              1, max_bands);
    const std::int64_t band_rows = (size + bands_per_tile - 1) / bands_per_tile;
    const auto items = static_cast<std::int64_t>(count) * bands_per_tile;
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, items, 1), [&](const auto& range) {
      for (std::int64_t item = range.begin(); item != range.end(); ++item) {
        DensityTile& t = tiles[static_cast<std::size_t>(item / bands_per_tile)];
        const std::int64_t b0 = t.row0 + (item % bands_per_tile) * band_rows;
        const std::int64_t b1 = std::min(t.row0 + t.rows, b0 + band_rows);
        if (b0 >= b1) continue;
        double* out = t.values.data() + (b0 - t.row0) * t.cols;
        std::fill(out, out + (b1 - b0) * t.cols, 0.0);
        // The tile's list is in sorted order, so by row: the locations reaching the band.
        const auto& list = by_tile[static_cast<std::size_t>(t.tile_col)];
        const auto lf =
            std::lower_bound(list.begin(), list.end(), b0 - reach,
                             [](const Location* l, std::int64_t row) { return l->row < row; });
        const auto ll =
            std::lower_bound(lf, list.end(), b1 + reach,
                             [](const Location* l, std::int64_t row) { return l->row < row; });
        std::visit(
            [&]<class K>(const K&) {
              splat.run<K>(lf, ll, b0, b1, t.col0, t.col0 + t.cols, t.cols, out);
            },
            options.kernel);
        for (std::int64_t r = b0; r < b1; ++r) {
          const std::uint8_t* in = mask ? mask->inside.data() + r * grid.cols + t.col0 : nullptr;
          double* v = out + (r - b0) * t.cols;
          for (std::int64_t c = 0; c < t.cols; ++c)
            v[c] = (in && in[c] == 0) ? Raster::nodata() : v[c] * scale;
        }
      }
    });
    for (const DensityTile& t : tiles) sink(t);
    reported += static_cast<std::int64_t>(tiles.size());
    phase.advance(static_cast<std::size_t>(tr + 1));
  }
  phase.finish();
  return reported;
}

void DensityTiling::validate() const {
  if (tile_cells < 16 || tile_cells > 4096 || tile_cells % 16 != 0)
    throw InvalidArgument(
        fmt::format("tile_cells must be a multiple of 16 from 16 to 4096 (GeoTIFF blocks), got {}",
                    tile_cells));
}

double silverman_radius(const WeightedPoints& points) {
  check_points(points, "silverman_radius");
  struct Pw {
    double x, y, w;
  };
  std::vector<Pw> pts;
  pts.reserve(points.x.size());
  for (std::size_t i = 0; i < points.x.size(); ++i) {
    const double w = points.w.empty() ? 1.0 : points.w[i];
    if (w > 0) pts.push_back({points.x[i], points.y[i], w});
  }
  // Sorted so that every sum below is formed in one order whatever the input order.
  std::sort(pts.begin(), pts.end(), [](const Pw& a, const Pw& b) {
    return a.x != b.x ? a.x < b.x : a.y != b.y ? a.y < b.y : a.w < b.w;
  });
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < pts.size(); ++i)
    if (i == 0 || pts[i].x != pts[i - 1].x || pts[i].y != pts[i - 1].y) ++distinct;
  if (distinct < 2)
    throw InvalidArgument(fmt::format(
        "the Silverman radius needs at least 2 distinct incident locations with positive weight, "
        "got {}; give the radius explicitly",
        distinct));
  double n = 0, sx = 0, sy = 0;
  for (const Pw& p : pts) {
    n += p.w;
    sx += p.w * p.x;
    sy += p.w * p.y;
  }
  const double mx = sx / n, my = sy / n;
  struct Dw {
    double d, w;
  };
  std::vector<Dw> dist(pts.size());
  double ss = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const double dx = pts[i].x - mx, dy = pts[i].y - my;
    const double d2 = dx * dx + dy * dy;
    ss += pts[i].w * d2;
    dist[i] = {std::sqrt(d2), pts[i].w};
  }
  const double sd = std::sqrt(ss / n);
  std::stable_sort(dist.begin(), dist.end(), [](const Dw& a, const Dw& b) { return a.d < b.d; });
  const double half = n / 2;
  double cum = 0, median = dist.back().d;
  for (std::size_t i = 0; i < dist.size(); ++i) {
    cum += dist[i].w;
    if (cum > half) {
      median = dist[i].d;
      break;
    }
    if (cum == half) {
      median = i + 1 < dist.size() ? 0.5 * (dist[i].d + dist[i + 1].d) : dist[i].d;
      break;
    }
  }
  const double h =
      0.9 * std::min(sd, std::sqrt(1.0 / std::numbers::ln2) * median) * std::pow(n, -0.2);
  if (!(h > 0) || !std::isfinite(h))
    throw InvalidArgument(fmt::format(
        "the Silverman radius of these incidents is {} m (standard distance {} m, median "
        "distance {} m); give the radius explicitly",
        h, sd, median));
  return h;
}

std::vector<std::uint8_t> within_reach_of_cells(const std::vector<double>& x,
                                                const std::vector<double>& y, const GridSpec& grid,
                                                const CellMask* mask, double radius_m) {
  if (x.size() != y.size())
    throw InvalidArgument(fmt::format(
        "within_reach_of_cells: {} x coordinates but {} y coordinates", x.size(), y.size()));
  if (!(radius_m > 0) || !std::isfinite(radius_m))
    throw InvalidArgument(fmt::format("radius_m must be a positive number, got {}", radius_m));
  if (mask != nullptr && !(mask->grid == grid))
    throw InvalidArgument("within_reach_of_cells: the mask is on another grid");
  const double h = radius_m;
  const double h2 = h * h;
  const Extent e = grid.extent();
  std::vector<std::uint8_t> out(x.size(), 0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double px = x[i];
    const double py = y[i];
    if (!(px >= e.xmin - h && px <= e.xmax + h && py >= e.ymin - h && py <= e.ymax + h)) continue;
    const std::int64_t r0 = std::max<std::int64_t>(0, grid.row_of(py + h));
    const std::int64_t r1 = std::min<std::int64_t>(grid.rows - 1, grid.row_of(py - h));
    for (std::int64_t r = r0; r <= r1 && !out[i]; ++r) {
      const double dy = grid.centre_y(r) - py;
      if (dy * dy > h2) continue;
      const double half = std::sqrt(h2 - dy * dy);
      const std::int64_t c0 = std::max<std::int64_t>(0, grid.col_of(px - half) - 1);
      const std::int64_t c1 = std::min<std::int64_t>(grid.cols - 1, grid.col_of(px + half) + 1);
      for (std::int64_t c = c0; c <= c1; ++c) {
        const double dx = grid.centre_x(c) - px;
        if (dx * dx + dy * dy > h2) continue;
        if (mask != nullptr && !mask->inside[static_cast<std::size_t>(grid.index(r, c))]) continue;
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}

SmoothingPoints with_edge_points(WeightedPoints inside, const WeightedPoints& outside,
                                 const GridSpec& grid, const CellMask* mask, double radius_m) {
  check_points(inside, "with_edge_points (inside)");
  check_points(outside, "with_edge_points (outside)");
  SmoothingPoints out;
  const std::size_t inside_count = inside.x.size();
  const bool inside_weighted = !inside.w.empty();
  out.points = std::move(inside);
  const auto reach = within_reach_of_cells(outside.x, outside.y, grid, mask, radius_m);
  const bool weighted = inside_weighted || !outside.w.empty();
  if (weighted && out.points.w.empty()) out.points.w.assign(inside_count, 1.0);
  for (std::size_t i = 0; i < reach.size(); ++i) {
    if (!reach[i]) continue;
    const double w = outside.w.empty() ? 1.0 : outside.w[i];
    out.points.x.push_back(outside.x[i]);
    out.points.y.push_back(outside.y[i]);
    if (weighted) out.points.w.push_back(w);
    ++out.edge_incidents;
    out.edge_weight += w;
  }
  return out;
}

}  // namespace hotspots
