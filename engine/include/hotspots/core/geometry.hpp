// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <limits>
#include <span>
#include <vector>

namespace hotspots {

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

/// Axis-aligned rectangle. An empty extent has xmin > xmax.
struct Extent {
  double xmin = std::numeric_limits<double>::infinity();
  double ymin = std::numeric_limits<double>::infinity();
  double xmax = -std::numeric_limits<double>::infinity();
  double ymax = -std::numeric_limits<double>::infinity();

  bool empty() const { return !(xmin <= xmax && ymin <= ymax); }
  double width() const { return empty() ? 0.0 : xmax - xmin; }
  double height() const { return empty() ? 0.0 : ymax - ymin; }
  void include(double x, double y) {
    xmin = std::min(xmin, x);
    ymin = std::min(ymin, y);
    xmax = std::max(xmax, x);
    ymax = std::max(ymax, y);
  }
  void include(const Extent& o) {
    if (o.empty()) return;
    include(o.xmin, o.ymin);
    include(o.xmax, o.ymax);
  }
  bool contains(double x, double y) const {
    return x >= xmin && x <= xmax && y >= ymin && y <= ymax;
  }
  Extent grown(double d) const {
    return empty() ? *this : Extent{xmin - d, ymin - d, xmax + d, ymax + d};
  }
  friend bool operator==(const Extent&, const Extent&) = default;
};

/// How many of the points (x[i], y[i]) lie in `extent`, edges included. O(points).
[[nodiscard]] inline std::size_t count_within(const Extent& extent, std::span<const double> x,
                                              std::span<const double> y) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) n += extent.contains(x[i], y[i]);
  return n;
}

/// A closed ring: the first point is repeated at the end.
using Ring = std::vector<Point>;

/// Exterior ring plus holes, in the analysis CRS (metres).
struct Polygon {
  Ring exterior;
  std::vector<Ring> holes;
};

using MultiPolygon = std::vector<Polygon>;

/// Signed area of a closed ring (positive when counter-clockwise), shoelace formula.
double signed_area(const Ring& ring);

/// Area of a polygon set in square units: exteriors minus holes.
double area(const MultiPolygon& polygons);

Extent extent_of(const MultiPolygon& polygons);

}  // namespace hotspots
