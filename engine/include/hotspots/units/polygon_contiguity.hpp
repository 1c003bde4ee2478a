// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/stats/gistar.hpp"
#include "hotspots/stats/local_moran.hpp"

namespace hotspots {

/// Contiguity between polygons (zones such as LSOAs), the polygon counterpart of
/// grid_contiguity_neighbours():
///  - queen: the two polygons are at most snap_m apart (GEOS distance), i.e. their boundaries
///    share at least one point once gaps up to snap_m are closed;
///  - rook: queen, and they share a boundary stretch of positive length: polygon j is snapped to
///    polygon i's vertices and segments with tolerance snap_m (GEOSSnap), and the intersection
///    of the two boundaries must have a total length greater than snap_m.
/// R spdep poly2nb compares VERTICES instead (queen: one vertex of each within snap; rook: at
/// least two such vertex pairs), so the two can differ where one polygon's vertex lies on the
/// other's edge without a matching vertex (we see it, poly2nb does not), or where two polygons
/// share two vertices that are not joined by a common edge (poly2nb's rook says yes, we say
/// queen only).
/// Candidate pairs come from a Boost.Geometry R-tree of the bounding boxes grown by snap_m.
/// Lists exclude the polygon itself, are symmetric and sorted ascending; an empty list is an
/// island. Cost: O(z log z) for the index plus one GEOS distance (and, for rook, one snap and
/// one boundary intersection) per candidate pair, O(v log v) each for v vertices.
/// Throws InvalidArgument if snap_m is negative or not finite, or there are 2^31 or more
/// polygons; Error if GEOS fails.
[[nodiscard]] Neighbours polygon_contiguity(const std::vector<MultiPolygon>& polygons,
                                            Contiguity contiguity, double snap_m);

/// Area-weighted centroid of a polygon set (exterior rings minus holes; shoelace formula), in
/// its CRS. Throws InvalidArgument if the area is zero. O(vertices).
[[nodiscard]] Point polygon_centroid(const MultiPolygon& polygons);

}  // namespace hotspots
