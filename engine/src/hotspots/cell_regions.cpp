// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/cell_regions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <utility>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

// Directions of travel along cell edges, counter-clockwise in the north-up plane:
// left(d) = (d + 1) % 4, right(d) = (d + 3) % 4. Offsets in (row, col); row grows southwards.
enum Dir : int { east = 0, north = 1, west = 2, south = 3 };
constexpr std::array<int, 4> kDr = {0, -1, 0, 1};
constexpr std::array<int, 4> kDc = {1, 0, -1, 0};
constexpr int left_of(int d) {
  return (d + 1) & 3;
}
constexpr int right_of(int d) {
  return (d + 3) & 3;
}

// Flood fill of cells whose `member(i)` is true, numbering regions in raster-scan order of their
// first cell. `queue` is reused scratch.
template <typename Member>
std::int32_t flood_fill(std::int64_t rows, std::int64_t cols, bool diagonals, Member member,
                        std::vector<std::int32_t>& label, std::vector<CellBox>* boxes) {
  static constexpr std::array<std::array<int, 2>, 8> kNeighbours = {
      {{0, 1}, {1, 0}, {0, -1}, {-1, 0}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}}};
  const int neighbours = diagonals ? 8 : 4;
  std::vector<std::int32_t> queue;
  std::int32_t count = 0;
  const std::int64_t n = rows * cols;
  for (std::int64_t start = 0; start < n; ++start) {
    if (!member(start) || label[static_cast<std::size_t>(start)] >= 0) continue;
    const std::int32_t id = count++;
    CellBox box{start / cols, start / cols, start % cols, start % cols};
    label[static_cast<std::size_t>(start)] = id;
    queue.assign(1, static_cast<std::int32_t>(start));
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::int64_t cell = queue[head];
      const std::int64_t r = cell / cols, c = cell % cols;
      box.row_min = std::min(box.row_min, r);
      box.row_max = std::max(box.row_max, r);
      box.col_min = std::min(box.col_min, c);
      box.col_max = std::max(box.col_max, c);
      for (int k = 0; k < neighbours; ++k) {
        const std::int64_t rr = r + kNeighbours[static_cast<std::size_t>(k)][0];
        const std::int64_t cc = c + kNeighbours[static_cast<std::size_t>(k)][1];
        if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
        const std::int64_t j = rr * cols + cc;
        if (!member(j) || label[static_cast<std::size_t>(j)] >= 0) continue;
        label[static_cast<std::size_t>(j)] = id;
        queue.push_back(static_cast<std::int32_t>(j));
      }
    }
    if (boxes) boxes->push_back(box);
  }
  return count;
}

}  // namespace

Connectivity parse_connectivity(std::string_view name) {
  if (name == "rook") return Connectivity::rook;
  if (name == "queen") return Connectivity::queen;
  throw InvalidArgument(
      fmt::format("unknown connectivity '{}'; valid connectivities: rook, queen", name));
}

std::string_view to_string(Connectivity connectivity) {
  return connectivity == Connectivity::rook ? "rook" : "queen";
}

CellRegions label_regions(const GridSpec& grid, const std::vector<std::uint8_t>& selected,
                          Connectivity connectivity) {
  if (grid.cols < 0 || grid.rows < 0 ||
      grid.cell_count() >= std::numeric_limits<std::int32_t>::max())
    throw InvalidArgument(
        fmt::format("label_regions: a {} x {} grid is not supported (at most 2^31 - 2 cells)",
                    grid.cols, grid.rows));
  if (selected.size() != static_cast<std::size_t>(grid.cell_count()))
    throw InvalidArgument(fmt::format("label_regions: {} mask values for a {} x {} grid",
                                      selected.size(), grid.cols, grid.rows));
  CellRegions out;
  out.label.assign(selected.size(), -1);
  out.count = flood_fill(
      grid.rows, grid.cols, connectivity == Connectivity::queen,
      [&](std::int64_t i) { return selected[static_cast<std::size_t>(i)] != 0; }, out.label,
      &out.boxes);
  return out;
}

MultiPolygon region_outline(const GridSpec& grid, const CellRegions& regions, std::int32_t region) {
  if (regions.label.size() != static_cast<std::size_t>(grid.cell_count()))
    throw InvalidArgument(fmt::format("region_outline: {} labels for a {} x {} grid",
                                      regions.label.size(), grid.cols, grid.rows));
  if (region < 0 || region >= regions.count)
    throw InvalidArgument(
        fmt::format("region_outline: no region {} (there are {})", region, regions.count));

  CellBox box;
  if (regions.boxes.size() == static_cast<std::size_t>(regions.count)) {
    box = regions.boxes[static_cast<std::size_t>(region)];
  } else {
    box = {grid.rows, -1, grid.cols, -1};
    for (std::int64_t r = 0; r < grid.rows; ++r)
      for (std::int64_t c = 0; c < grid.cols; ++c)
        if (regions.label[static_cast<std::size_t>(grid.index(r, c))] == region) {
          box.row_min = std::min(box.row_min, r);
          box.row_max = std::max(box.row_max, r);
          box.col_min = std::min(box.col_min, c);
          box.col_max = std::max(box.col_max, c);
        }
  }
  if (box.row_min > box.row_max) return {};

  // Work in the box: local (r, c) = (row − row_min, col − col_min).
  const std::int64_t rows = box.row_max - box.row_min + 1;
  const std::int64_t cols = box.col_max - box.col_min + 1;
  const auto in = [&](std::int64_t r, std::int64_t c) {
    return r >= 0 && r < rows && c >= 0 && c < cols &&
           regions.label[static_cast<std::size_t>(grid.index(r + box.row_min, c + box.col_min))] ==
               region;
  };
  // Rook-connected parts of the region, numbered in scan order: one polygon each.
  std::vector<std::int32_t> part(static_cast<std::size_t>(rows * cols), -1);
  const std::int32_t parts = flood_fill(
      rows, cols, false, [&](std::int64_t i) { return in(i / cols, i % cols); }, part, nullptr);
  MultiPolygon out(static_cast<std::size_t>(parts));

  // visited[cell] bit d: the edge with this cell on its left travelled in direction d is traced.
  std::vector<std::uint8_t> visited(static_cast<std::size_t>(rows * cols), 0);
  struct Step {
    std::int64_t vc, vr;  // start vertex (vertex lattice: column, row)
    int d;
  };
  std::vector<Step> steps;
  // Start vertex of the edge travelled in direction d with cell (r, c) on its left.
  const auto start_vertex = [](std::int64_t r, std::int64_t c, int d) -> Step {
    switch (d) {
      case east:
        return {c, r + 1, d};  // south side, from its west end
      case north:
        return {c + 1, r + 1, d};  // east side, from its south end
      case west:
        return {c + 1, r, d};  // north side, from its east end
      default:
        return {c, r, d};  // west side, from its north end
    }
  };
  // West side first: a part's first cell has its west and north sides on the exterior, so its
  // exterior ring starts at that cell's north-west corner.
  constexpr std::array<int, 4> kSideOrder = {south, west, east, north};
  for (std::int64_t r0 = 0; r0 < rows; ++r0)
    for (std::int64_t c0 = 0; c0 < cols; ++c0) {
      if (!in(r0, c0)) continue;
      for (int d0 : kSideOrder) {
        const int rd = right_of(d0);
        if (in(r0 + kDr[rd], c0 + kDc[rd])) continue;  // not a boundary edge
        if (visited[static_cast<std::size_t>(r0 * cols + c0)] & (1u << d0)) continue;
        // Follow the boundary keeping the region on the left. At a corner where only the cell
        // ahead-right is in the region (two cells touching diagonally), cross to it when it is in
        // the same rook part (the background on either side then gets its own ring: a hole
        // touching at that corner), else turn left and stay on this part's own outline. Either
        // way no ring passes through a vertex twice. The choice is symmetric in the two cells,
        // so every boundary edge has exactly one successor and one predecessor.
        steps.clear();
        std::int64_t r = r0, c = c0;
        int d = d0;
        do {
          visited[static_cast<std::size_t>(r * cols + c)] |= static_cast<std::uint8_t>(1u << d);
          steps.push_back(start_vertex(r, c, d));
          const int rgt = right_of(d);
          const std::int64_t alr = r + kDr[d], alc = c + kDc[d];          // ahead on the left
          const std::int64_t arr = alr + kDr[rgt], arc = alc + kDc[rgt];  // ahead on the right
          const bool ahead_left = in(alr, alc);
          const bool ahead_right = in(arr, arc);
          if (ahead_left && !ahead_right) {  // straight on
            r = alr;
            c = alc;
          } else if (ahead_right &&
                     (ahead_left || part[static_cast<std::size_t>(arr * cols + arc)] ==
                                        part[static_cast<std::size_t>(r * cols + c)])) {
            r = arr;  // right turn (concave corner, or a diagonal contact within one part)
            c = arc;
            d = rgt;
          } else {
            d = left_of(d);  // left turn (convex corner, or a contact with another part)
          }
        } while (r != r0 || c != c0 || d != d0);

        // Keep the corners only (direction changes), starting at the first corner.
        const std::size_t n = steps.size();
        std::size_t first = 0;
        while (steps[first].d == steps[(first + n - 1) % n].d) ++first;
        Ring ring;
        std::int64_t twice_area = 0;  // shoelace in lattice units, y = −row (north-up)
        std::int64_t pc = 0, pr = 0;
        bool have_prev = false;
        for (std::size_t k = 0; k < n; ++k) {
          const Step& s = steps[(first + k) % n];
          if (s.d == steps[(first + k + n - 1) % n].d) continue;
          const std::int64_t vc = s.vc + box.col_min, vr = s.vr + box.row_min;
          if (have_prev) twice_area += pc * (-vr) - vc * (-pr);
          pc = vc;
          pr = vr;
          have_prev = true;
          ring.push_back({grid.xmin + static_cast<double>(vc) * grid.cell_size_m,
                          grid.ymax - static_cast<double>(vr) * grid.cell_size_m});
        }
        const Step& s0 = steps[first];
        twice_area += pc * (-(s0.vr + box.row_min)) - (s0.vc + box.col_min) * (-pr);
        ring.push_back(ring.front());
        Polygon& poly =
            out[static_cast<std::size_t>(part[static_cast<std::size_t>(r0 * cols + c0)])];
        if (twice_area > 0)
          poly.exterior = std::move(ring);
        else
          poly.holes.push_back(std::move(ring));
      }
    }
  return out;
}

}  // namespace hotspots
