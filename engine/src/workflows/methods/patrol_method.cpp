// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/patrol_method.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "hotspots/core/error.hpp"

namespace hotspots {

void PatrolMethod::set(std::string_view key, std::string_view value, std::string_view where) {
  if (key == "shape") {
    try {
      shape = parse_patrol_shape(value);
    } catch (const InvalidArgument&) {
      throw InvalidArgument(
          fmt::format("{}: shape={} is not one of: cells, circle", where, std::string(value)));
    }
  } else if (key == "cell") {
    cell_size_m = parse_positive_metres(where, key, value);
  } else if (key == "radius") {
    radius_m = parse_positive_metres(where, key, value);
  } else if (key == "spacing") {
    // 0 is allowed (places may then overlap), so not parse_positive_metres.
    double v = -1;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || end != value.data() + value.size() || !(v >= 0) || !std::isfinite(v))
      throw InvalidArgument(
          fmt::format("{}: spacing={} is not a number of metres >= 0", where, value));
    spacing_m = v;
  } else {
    double v = -1;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || end != value.data() + value.size() || !(v >= 0) || !std::isfinite(v))
      throw InvalidArgument(fmt::format("{}: {}={} is not a number of incidents >= 0", where,
                                        std::string(key), value));
    (key == "cell_min_per_month" ? cell_min_per_month : min_per_month) = v;
  }
}

void PatrolMethod::validate(std::string_view where) const {
  if (!(radius_m > 0 && std::isfinite(radius_m)))
    throw InvalidArgument(fmt::format("{}: patrol radius must be > 0 metres", where));
}

std::string PatrolMethod::label() const {
  const PatrolMethod d;
  std::string s(name);
  if (shape != d.shape) s += ":shape=" + to_string(shape);
  if (cell_size_m != d.cell_size_m) s += ":cell=" + method_number(cell_size_m);
  if (radius_m != d.radius_m) s += ":radius=" + method_number(radius_m);
  if (spacing_m != d.spacing_m) s += ":spacing=" + method_number(spacing_m);
  if (min_per_month != d.min_per_month) s += ":min_per_month=" + method_number(min_per_month);
  if (cell_min_per_month != d.cell_min_per_month)
    s += ":cell_min_per_month=" + method_number(cell_min_per_month);
  return s;
}

std::vector<double> PatrolMethod::scores(const MethodInput& input) const {
  const WeightedPoints pts = input.months.points(input.train);
  Incidents inc;
  inc.x = pts.x;
  inc.y = pts.y;
  inc.weight = pts.w;
  inc.date.assign(inc.x.size(), Date{});
  inc.category.assign(inc.x.size(), -1);
  PatrolPlaceOptions o;
  o.shape = shape;
  o.cell_size_m = cell_size_m;
  o.radius_m = radius_m;
  o.min_spacing_m = spacing_m;
  o.min_incidents_per_month = min_per_month;
  o.min_cell_incidents_per_month = cell_min_per_month;
  o.max_count = 0;
  const PatrolPlaces places = select_patrol_places(inc, input.train.months(), 0.0, o);

  std::vector<double> scores = input.train_counts;
  const double total = std::accumulate(scores.begin(), scores.end(), 0.0);
  const double step = total + 1;  // above any cell's training count
  const auto n_places = static_cast<double>(places.places.size());
  std::vector<std::uint8_t> taken(scores.size(), 0);
  const GridSpec& g = input.grid;
  auto position = [&](std::int64_t row, std::int64_t col) -> std::int64_t {
    if (!g.contains_cell(row, col)) return -1;
    const std::int64_t idx = g.index(row, col);
    const auto it = std::lower_bound(input.cells.begin(), input.cells.end(), idx);
    return it != input.cells.end() && *it == idx ? it - input.cells.begin() : -1;
  };
  if (shape == PatrolShape::cells) {
    // The walk's order: the places' cells by their training counts, before every other cell.
    for (const PatrolPlace& p : places.places)
      for (const Extent& c : p.cells) {
        const std::int64_t pos =
            position(g.row_of((c.ymin + c.ymax) / 2), g.col_of((c.xmin + c.xmax) / 2));
        if (pos < 0 || taken[static_cast<std::size_t>(pos)]) continue;
        taken[static_cast<std::size_t>(pos)] = 1;
        scores[static_cast<std::size_t>(pos)] =
            step + input.train_counts[static_cast<std::size_t>(pos)];
      }
    return scores;
  }
  for (std::size_t k = 0; k < places.places.size(); ++k) {
    const PatrolPlace& p = places.places[k];
    const double base = (n_places - static_cast<double>(k)) * step;
    auto take = [&](std::int64_t pos) {
      if (pos < 0 || taken[static_cast<std::size_t>(pos)]) return;
      taken[static_cast<std::size_t>(pos)] = 1;
      scores[static_cast<std::size_t>(pos)] =
          base + input.train_counts[static_cast<std::size_t>(pos)];
    };
    take(position(g.row_of(p.centre.y), g.col_of(p.centre.x)));
    const double r2 = p.radius_m * p.radius_m;
    for (std::int64_t row = g.row_of(p.centre.y + p.radius_m);
         row <= g.row_of(p.centre.y - p.radius_m); ++row)
      for (std::int64_t col = g.col_of(p.centre.x - p.radius_m);
           col <= g.col_of(p.centre.x + p.radius_m); ++col) {
        const double dx = g.centre_x(col) - p.centre.x;
        const double dy = g.centre_y(row) - p.centre.y;
        if (dx * dx + dy * dy <= r2) take(position(row, col));
      }
  }
  return scores;
}

std::string PatrolMethod::command(double /*cell_size_m*/) const {
  std::string s =
      fmt::format("hotspots patrol INPUT --boundary BOUNDARY --shape {}", to_string(shape));
  if (shape == PatrolShape::cells) s += " --cell-size " + method_number(cell_size_m);
  s += " --radius " + method_number(radius_m) + " --min-spacing " + method_number(spacing_m);
  s += " --min-per-month " + method_number(min_per_month);
  if (shape == PatrolShape::cells)
    s += " --min-cell-per-month " + method_number(cell_min_per_month);
  return s + " -o patrol.geojson (or the patrol places of hotspots analyse)";
}

}  // namespace hotspots
