// SPDX-License-Identifier: MIT
#include "hotspots/units/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hotspots/core/error.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/units/polygon_contiguity.hpp"

namespace hotspots {
namespace {

/// Relative padding of distance bands so exact lattice distances count as inside (the
/// convention of gistar_grid and hex_band_neighbours).
constexpr double kBandTolerance = 1 + 1e-9;

constexpr auto kMaxUnits = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

Extent bounding_box(std::span<const double> x, std::span<const double> y) {
  Extent e;
  for (std::size_t i = 0; i < x.size(); ++i) e.include(x[i], y[i]);
  return e;
}

/// cell -> unit for every cell of a grid of `cell_count` cells (−1: no unit).
std::vector<std::int32_t> cell_to_unit_table(std::int64_t cell_count,
                                             const std::vector<std::int64_t>& cells) {
  std::vector<std::int32_t> out(static_cast<std::size_t>(cell_count), -1);
  for (std::size_t k = 0; k < cells.size(); ++k)
    out[static_cast<std::size_t>(cells[k])] = static_cast<std::int32_t>(k);
  return out;
}

}  // namespace

std::string_view to_string(UnitShape shape) {
  switch (shape) {
    case UnitShape::square:
      return "square";
    case UnitShape::hexagon:
      return "hexagon";
    case UnitShape::zone:
      return "zone";
  }
  return "";
}

Units Units::squares(const GridSpec& grid, const CellMask* mask) {
  if (!(grid.cell_size_m > 0) || grid.cols < 1 || grid.rows < 1)
    throw InvalidArgument("square units: the grid has no cell");
  Units u;
  u.shape_ = UnitShape::square;
  u.square_ = grid;
  if (mask) {
    if (!(mask->grid == grid) || mask->inside.size() != static_cast<std::size_t>(grid.cell_count()))
      throw InvalidArgument("square units: the study-area mask does not match the grid");
    for (std::size_t i = 0; i < mask->inside.size(); ++i)
      if (mask->inside[i]) u.cells_.push_back(static_cast<std::int64_t>(i));
  } else {
    u.every_cell_ = true;
  }
  if (u.size() > kMaxUnits)
    throw InvalidArgument(fmt::format("square units: {} cells, at most 2^31 - 1", u.size()));
  return u;
}

Units Units::hexagons(const HexGridSpec& grid, std::vector<std::int64_t> cells) {
  grid.validate();
  for (std::size_t k = 0; k < cells.size(); ++k)
    if (cells[k] < 0 || cells[k] >= grid.cell_count() || (k > 0 && cells[k] <= cells[k - 1]))
      throw InvalidArgument(fmt::format(
          "hexagon units: cell {} is out of the window or not in ascending order", cells[k]));
  Units u;
  u.shape_ = UnitShape::hexagon;
  u.hex_ = grid;
  u.cells_ = std::move(cells);
  return u;
}

Units Units::zones(std::vector<std::string> ids, std::vector<MultiPolygon> polygons) {
  if (ids.size() != polygons.size())
    throw InvalidArgument(
        fmt::format("zone units: {} ids and {} polygons", ids.size(), polygons.size()));
  if (ids.size() > kMaxUnits)
    throw InvalidArgument(fmt::format("zone units: {} zones, at most 2^31 - 1", ids.size()));
  Units u;
  u.shape_ = UnitShape::zone;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const double a = area(polygons[i]);
    if (!(a > 0)) throw InvalidArgument(fmt::format("zone {} has no area", ids[i]));
    const Point c = polygon_centroid(polygons[i]);
    u.area_m2_.push_back(a);
    u.cx_.push_back(c.x);
    u.cy_.push_back(c.y);
  }
  u.ids_ = std::move(ids);
  u.polygons_ = std::move(polygons);
  return u;
}

std::size_t Units::size() const {
  if (shape_ == UnitShape::zone) return ids_.size();
  if (every_cell_) return static_cast<std::size_t>(square_.cell_count());
  return cells_.size();
}

double Units::cell_size_m() const {
  switch (shape_) {
    case UnitShape::square:
      return square_.cell_size_m;
    case UnitShape::hexagon:
      return hex_.cell_size_m;
    case UnitShape::zone:
      break;
  }
  return 0;
}

const GridSpec& Units::square_grid() const {
  if (shape_ != UnitShape::square)
    throw InvalidArgument(fmt::format("{} units have no square grid", to_string(shape_)));
  return square_;
}

const HexGridSpec& Units::hex_grid() const {
  if (shape_ != UnitShape::hexagon)
    throw InvalidArgument(fmt::format("{} units have no hexagon grid", to_string(shape_)));
  return hex_;
}

std::int64_t Units::cell(std::size_t unit) const {
  if (shape_ == UnitShape::zone || every_cell_) return static_cast<std::int64_t>(unit);
  return cells_[unit];
}

std::int32_t Units::unit_of_cell(std::int64_t cell) const {
  if (cell < 0) return -1;
  if (shape_ == UnitShape::zone || every_cell_)
    return cell < static_cast<std::int64_t>(size()) ? static_cast<std::int32_t>(cell) : -1;
  const auto it = std::lower_bound(cells_.begin(), cells_.end(), cell);
  return it != cells_.end() && *it == cell ? static_cast<std::int32_t>(it - cells_.begin()) : -1;
}

std::int64_t Units::row(std::size_t unit) const {
  switch (shape_) {
    case UnitShape::square:
      return cell(unit) / square_.cols;
    case UnitShape::hexagon:
      return cell(unit) / hex_.cols;
    case UnitShape::zone:
      break;
  }
  return -1;
}

std::int64_t Units::col(std::size_t unit) const {
  switch (shape_) {
    case UnitShape::square:
      return cell(unit) % square_.cols;
    case UnitShape::hexagon:
      return cell(unit) % hex_.cols;
    case UnitShape::zone:
      break;
  }
  return -1;
}

std::string Units::id(std::size_t unit) const {
  if (shape_ == UnitShape::zone) return ids_[unit];
  return fmt::format("r{}c{}", row(unit), col(unit));
}

double Units::centre_x(std::size_t unit) const {
  switch (shape_) {
    case UnitShape::square:
      return square_.centre_x(col(unit));
    case UnitShape::hexagon:
      return hex_.centre_x(row(unit), col(unit));
    case UnitShape::zone:
      break;
  }
  return cx_[unit];
}

double Units::centre_y(std::size_t unit) const {
  switch (shape_) {
    case UnitShape::square:
      return square_.centre_y(row(unit));
    case UnitShape::hexagon:
      return hex_.centre_y(row(unit));
    case UnitShape::zone:
      break;
  }
  return cy_[unit];
}

std::vector<double> Units::centres_x() const {
  std::vector<double> out(size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = centre_x(i);
  return out;
}

std::vector<double> Units::centres_y() const {
  std::vector<double> out(size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = centre_y(i);
  return out;
}

double Units::area_m2(std::size_t unit) const {
  switch (shape_) {
    case UnitShape::square:
      return square_.cell_size_m * square_.cell_size_m;
    case UnitShape::hexagon:
      return hex_.cell_area_m2();
    case UnitShape::zone:
      break;
  }
  return area_m2_[unit];
}

MultiPolygon Units::polygon(std::size_t unit) const {
  switch (shape_) {
    case UnitShape::square: {
      const GridSpec& g = square_;
      const double x0 = g.xmin + static_cast<double>(col(unit)) * g.cell_size_m;
      const double y1 = g.ymax - static_cast<double>(row(unit)) * g.cell_size_m;
      const double x1 = x0 + g.cell_size_m;
      const double y0 = y1 - g.cell_size_m;
      // Counter-clockwise exterior (RFC 7946 right-hand rule).
      return {Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
    }
    case UnitShape::hexagon:
      return {Polygon{hex_.polygon(row(unit), col(unit)), {}}};
    case UnitShape::zone:
      break;
  }
  return polygons_[unit];
}

std::vector<std::int32_t> Units::locate(std::span<const double> x,
                                        std::span<const double> y) const {
  if (x.size() != y.size())
    throw InvalidArgument(fmt::format("locate: {} x and {} y", x.size(), y.size()));
  std::vector<std::int32_t> out(x.size(), -1);
  switch (shape_) {
    case UnitShape::square: {
      const GridSpec& g = square_;
      const std::vector<std::int32_t> unit =
          every_cell_ ? std::vector<std::int32_t>{} : cell_to_unit_table(g.cell_count(), cells_);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const std::int64_t r = g.row_of(y[i]);
        const std::int64_t c = g.col_of(x[i]);
        if (!g.contains_cell(r, c)) continue;
        const std::int64_t k = g.index(r, c);
        out[i] = every_cell_ ? static_cast<std::int32_t>(k) : unit[static_cast<std::size_t>(k)];
      }
      break;
    }
    case UnitShape::hexagon: {
      const std::vector<std::int32_t> unit = cell_to_unit_table(hex_.cell_count(), cells_);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const std::int64_t k = hex_.locate(x[i], y[i]);
        if (k >= 0) out[i] = unit[static_cast<std::size_t>(k)];
      }
      break;
    }
    case UnitShape::zone: {
      std::vector<const MultiPolygon*> zones;
      zones.reserve(polygons_.size());
      for (const MultiPolygon& p : polygons_) zones.push_back(&p);
      out = ZoneIndex(zones).locate(x, y);
      break;
    }
  }
  return out;
}

Neighbours Units::contiguity(Contiguity contiguity, double snap_m) const {
  switch (shape_) {
    case UnitShape::square: {
      CellMask mask;
      mask.grid = square_;
      mask.inside.assign(static_cast<std::size_t>(square_.cell_count()), every_cell_ ? 1 : 0);
      for (const std::int64_t k : cells_) mask.inside[static_cast<std::size_t>(k)] = 1;
      return grid_contiguity_neighbours(mask, contiguity).neighbours;
    }
    case UnitShape::hexagon:
      return hex_edge_neighbours(hex_, cells_);
    case UnitShape::zone:
      break;
  }
  return polygon_contiguity(polygons_, contiguity, snap_m);
}

Neighbours Units::distance_band(double band_m) const {
  if (shape_ == UnitShape::hexagon) return hex_band_neighbours(hex_, cells_, band_m);
  if (!(band_m > 0) || !std::isfinite(band_m))
    throw InvalidArgument(fmt::format("distance_band_m {}: must be a positive number", band_m));
  return distance_band_neighbours(centres_x(), centres_y(), band_m * kBandTolerance);
}

Neighbours Units::nearest(int k) const {
  return knn_neighbours(centres_x(), centres_y(), k);
}

Raster Units::square_raster(std::vector<double> values) const {
  const GridSpec& g = square_grid();
  if (values.size() != size())
    throw InvalidArgument(
        fmt::format("square raster: {} values for {} units", values.size(), size()));
  Raster out;
  out.grid = g;
  if (every_cell_) {
    out.values = std::move(values);
    return out;
  }
  out.values.assign(static_cast<std::size_t>(g.cell_count()), Raster::nodata());
  for (std::size_t k = 0; k < cells_.size(); ++k)
    out.values[static_cast<std::size_t>(cells_[k])] = values[k];
  return out;
}

UnitCounts count_incidents(const Units& units, std::span<const double> x, std::span<const double> y,
                           std::span<const double> weight) {
  if (x.size() != y.size() || (!weight.empty() && weight.size() != x.size()))
    throw InvalidArgument(fmt::format("count incidents: {} x, {} y and {} weights", x.size(),
                                      y.size(), weight.size()));
  const std::vector<std::int32_t> unit = units.locate(x, y);
  UnitCounts out;
  out.values.assign(units.size(), 0.0);
  double total = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double w = weight.empty() ? 1.0 : weight[i];
    total += w;
    if (unit[i] >= 0) out.values[static_cast<std::size_t>(unit[i])] += w;
  }
  for (const double v : out.values) out.counted_weight += v;
  out.uncounted_weight = total - out.counted_weight;
  return out;
}

GridUnitsLayout grid_units_layout(const GridUnitsOptions& options, const MultiPolygon& study_area,
                                  std::span<const double> x, std::span<const double> y) {
  if (options.shape == UnitShape::zone)
    throw InvalidArgument("grid units: shape must be square or hexagon");
  if (x.size() != y.size())
    throw InvalidArgument(fmt::format("grid units: {} x and {} y", x.size(), y.size()));
  const bool masked = !study_area.empty();
  const bool given_extent = options.extent.has_value();
  Extent extent = masked ? extent_of(study_area) : bounding_box(x, y);
  if (given_extent) extent = *options.extent;
  const bool cell_default = !(options.cell_size_m > 0);
  GridUnitsLayout layout;
  layout.shape = options.shape;
  double cell_area = 0;
  if (options.shape == UnitShape::square) {
    const double cell = cell_default ? default_cell_size(extent) : options.cell_size_m;
    layout.square =
        masked || given_extent ? snapped_grid(extent, cell) : grid_over_points(x, y, cell);
    layout.cell_size_m = cell;
    layout.window_cells = layout.square.cell_count();
    cell_area = cell * cell;
  } else {
    const double cell = cell_default ? hex_cell_size_for_square_area(default_cell_size(extent))
                                     : options.cell_size_m;
    layout.hex = masked || given_extent ? hex_grid_over_extent(extent, cell)
                                        : hex_grid_over_points(x, y, cell);
    layout.cell_size_m = cell;
    layout.window_cells = layout.hex.cell_count();
    cell_area = layout.hex.cell_area_m2();
  }
  const auto window = static_cast<double>(layout.window_cells);
  layout.expected_units = masked ? std::min(window, area(study_area) / cell_area) : window;
  return layout;
}

Units grid_units(const GridUnitsOptions& options, const MultiPolygon& study_area,
                 std::span<const double> x, std::span<const double> y) {
  const GridUnitsLayout layout = grid_units_layout(options, study_area, x, y);
  const bool masked = !study_area.empty();
  const bool given_extent = options.extent.has_value();
  Extent extent = masked ? extent_of(study_area) : bounding_box(x, y);
  if (given_extent) extent = *options.extent;
  if (options.shape == UnitShape::square) {
    const GridSpec& grid = layout.square;
    if (!masked) return Units::squares(grid, nullptr);
    const CellMask mask = cell_mask(grid, study_area);
    return Units::squares(grid, &mask);
  }
  const double cell = layout.cell_size_m;
  const HexGridSpec& grid = layout.hex;
  if (options.max_memory_mb > 0) {
    const double hexagons = static_cast<double>(grid.cols) * static_cast<double>(grid.rows);
    const double need_mb = hexagons * kHexBuildBytesPerCell / 1e6;
    if (need_mb > options.max_memory_mb)
      // Hexagons per area go as 1/w²: scale the cell size by the square root of the excess.
      throw InvalidArgument(fmt::format(
          "a hexagon grid of cell_size_m {:g} over {:.0f} m x {:.0f} m has {} x {} = {:.0f} "
          "hexagons and needs about {:.0f} MB to build, more than max_memory_mb {:.0f} MB; use "
          "cell_size_m {:.0f} or larger, or limit the area",
          cell, extent.width(), extent.height(), grid.cols, grid.rows, hexagons, need_mb,
          options.max_memory_mb, std::ceil(cell * std::sqrt(need_mb / options.max_memory_mb))));
  }
  // Study area: hexagons whose centre lies in the boundary (closed polygon) or in the extent;
  // without either, every hexagon of the window over the incidents.
  std::vector<double> gx, gy;
  gx.reserve(static_cast<std::size_t>(grid.cell_count()));
  gy.reserve(static_cast<std::size_t>(grid.cell_count()));
  for (std::int64_t r = 0; r < grid.rows; ++r)
    for (std::int64_t c = 0; c < grid.cols; ++c)
      gx.push_back(grid.centre_x(r, c)), gy.push_back(grid.centre_y(r));
  std::vector<std::uint8_t> inside(gx.size(), 1);
  if (masked) {
    const ZoneIndex index({&study_area});
    const std::vector<std::int32_t> hit = index.locate(gx, gy);
    for (std::size_t i = 0; i < gx.size(); ++i) inside[i] = hit[i] >= 0;
  } else if (given_extent) {
    for (std::size_t i = 0; i < gx.size(); ++i) inside[i] = extent.contains(gx[i], gy[i]);
  }
  std::vector<std::int64_t> cells;
  for (std::size_t i = 0; i < inside.size(); ++i)
    if (inside[i]) cells.push_back(static_cast<std::int64_t>(i));
  if (cells.size() < 2)
    throw Error(
        fmt::format("only {} hexagon(s) of {:.1f} m in the study area; use a smaller cell_size_m",
                    cells.size(), cell));
  return Units::hexagons(grid, std::move(cells));
}

Units zone_units(const ZoneLayer& layer) {
  if (layer.zones.size() < 2)
    throw InputError(layer.path, 0, "",
                     fmt::format("{} zone(s); Gi* needs at least two", layer.zones.size()));
  require_unique_zone_ids(layer);
  std::vector<std::string> ids;
  std::vector<MultiPolygon> polygons;
  for (const Zone& z : layer.zones) {
    if (!(area(z.geometry) > 0))
      throw InputError(layer.path, 0, layer.id_field,
                       fmt::format("zone {} has no area; remove it or fix its geometry", z.id));
    ids.push_back(z.id);
    polygons.push_back(z.geometry);
  }
  return Units::zones(std::move(ids), std::move(polygons));
}

}  // namespace hotspots
