// SPDX-License-Identifier: MIT
#include "hotspots/io/data_study_area.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "detail/geos_util.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {

void DataStudyAreaOptions::validate() const {
  if (!(buffer_m > 0) || !std::isfinite(buffer_m))
    throw InvalidArgument(fmt::format("buffer_m must be > 0 (got {})", buffer_m));
  if (!(outlier_distance_m > 0) || !std::isfinite(outlier_distance_m))
    throw InvalidArgument(
        fmt::format("outlier_distance_m must be > 0 (got {})", outlier_distance_m));
  if (min_neighbours < 0)
    throw InvalidArgument(fmt::format("min_neighbours must be >= 0 (got {})", min_neighbours));
  if (!(concavity >= 0 && concavity <= 1))
    throw InvalidArgument(fmt::format("concavity must be in 0 .. 1 (got {})", concavity));
}

DataStudyArea study_area_from_data(const std::vector<double>& x, const std::vector<double>& y,
                                   const DataStudyAreaOptions& options) {
  options.validate();
  DataStudyArea out;
  out.inside.assign(x.size(), 1);
  // Distinct locations, and the location of each incident.
  std::vector<std::pair<double, double>> loc(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) loc[i] = {x[i], y[i]};
  std::sort(loc.begin(), loc.end());
  loc.erase(std::unique(loc.begin(), loc.end()), loc.end());
  out.locations = static_cast<std::int64_t>(loc.size());

  // Neighbours within d: distinct locations bucketed in d x d cells, each counting the others
  // in its 3 x 3 block until min_neighbours are found.
  const double d = options.outlier_distance_m;
  const double d2 = d * d;
  auto key = [&](double px, double py) {
    const auto cx = static_cast<std::int64_t>(std::floor(px / d));
    const auto cy = static_cast<std::int64_t>(std::floor(py / d));
    return std::pair{cx, cy};
  };
  struct PairHash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& p) const {
      return std::hash<std::int64_t>{}(p.first * 73856093 ^ p.second * 19349663);
    }
  };
  std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::vector<std::uint32_t>, PairHash>
      cells;
  for (std::size_t i = 0; i < loc.size(); ++i)
    cells[key(loc[i].first, loc[i].second)].push_back(static_cast<std::uint32_t>(i));
  std::vector<std::uint8_t> outlier(loc.size(), 0);
  for (std::size_t i = 0; i < loc.size(); ++i) {
    const auto [cx, cy] = key(loc[i].first, loc[i].second);
    int found = 0;
    for (std::int64_t gx = cx - 1; gx <= cx + 1 && found < options.min_neighbours; ++gx)
      for (std::int64_t gy = cy - 1; gy <= cy + 1 && found < options.min_neighbours; ++gy) {
        const auto it = cells.find({gx, gy});
        if (it == cells.end()) continue;
        for (std::uint32_t j : it->second) {
          if (j == i) continue;
          const double dx = loc[j].first - loc[i].first;
          const double dy = loc[j].second - loc[i].second;
          if (dx * dx + dy * dy <= d2 && ++found >= options.min_neighbours) break;
        }
      }
    if (found < options.min_neighbours) {
      outlier[i] = 1;
      ++out.outlier_locations;
    }
  }
  if (out.outlier_locations > 0) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto at = std::lower_bound(loc.begin(), loc.end(), std::pair{x[i], y[i]});
      if (outlier[static_cast<std::size_t>(at - loc.begin())]) {
        out.inside[i] = 0;
        ++out.outlier_incidents;
      }
    }
  }
  if (out.outlier_locations == out.locations)
    throw Error(fmt::format(
        "no study area can be made from the data: every one of the {} distinct locations has "
        "fewer than {} others within {:.0f} m; give a --boundary",
        out.locations, options.min_neighbours, d));

  detail::GeosContext geos;
  GEOSContextHandle_t h = geos.get();
  std::vector<GEOSGeometry*> points;
  points.reserve(loc.size());
  for (std::size_t i = 0; i < loc.size(); ++i)
    if (!outlier[i]) points.push_back(GEOSGeom_createPointFromXY_r(h, loc[i].first, loc[i].second));
  detail::GeosGeometryPtr multi(GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, points.data(),
                                                            static_cast<unsigned>(points.size())),
                                detail::GeosDeleter{h});
  if (!multi) throw Error("GEOS: cannot build the locations: " + geos.last_error());
  detail::GeosGeometryPtr hull(points.size() >= 3
                                   ? GEOSConcaveHull_r(h, multi.get(), options.concavity, 0)
                                   : GEOSGeom_clone_r(h, multi.get()),
                               detail::GeosDeleter{h});
  if (!hull) throw Error("GEOS: concave hull failed: " + geos.last_error());
  detail::GeosGeometryPtr buffered(GEOSBuffer_r(h, hull.get(), options.buffer_m, 8),
                                   detail::GeosDeleter{h});
  if (!buffered) throw Error("GEOS: buffer failed: " + geos.last_error());
  out.area = detail::from_geos(geos, buffered.get());
  return out;
}

}  // namespace hotspots
