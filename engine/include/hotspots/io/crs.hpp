// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/geometry.hpp"

namespace hotspots {

/// A coordinate reference system as a plain value. Axis order is always the GIS one: x =
/// longitude or easting, y = latitude or northing.
struct Crs {
  std::string wkt;   ///< WKT2 definition (empty = unknown)
  std::string name;  ///< e.g. "OSGB36 / British National Grid"
  int epsg = 0;      ///< 0 when the CRS has no EPSG code
  bool geographic = false;

  bool empty() const { return wkt.empty(); }
  /// "EPSG:27700" when there is a code, otherwise the name.
  std::string label() const;
};

/// Parses what a user or a file gives: "EPSG:27700", "27700", a PROJ string, WKT or a file.
/// Throws CrsError naming the text when PROJ does not know it.
[[nodiscard]] Crs crs_from_user_text(std::string_view text);

[[nodiscard]] Crs crs_from_epsg(int code);

/// The area where the CRS is valid, in WGS84 longitude/latitude; empty when PROJ has none.
[[nodiscard]] Extent area_of_use_lonlat(const Crs& crs);

/// The same area in the CRS's own units (x/y bounds of the area of use, densified, taken to the
/// CRS from datum_lonlat(crs): within ~200 m of the WGS84 area's, which is plenty for a range
/// check).
[[nodiscard]] Extent area_of_use_native(const Crs& crs);

/// Longitude and latitude in degrees from Greenwich on the datum of `crs` itself (OSGB36 for
/// EPSG:27700; `crs` when it is geographic), or WGS84 (EPSG:4326) when its geographic CRS counts
/// from another meridian or in other units (NTF (Paris), in grads). Going between `crs` and this
/// is a conversion, not a datum transformation: PROJ makes it in ~0.2 ms, where finding the best
/// of OSGB36's transformations to WGS84 takes 15–50 ms of database queries. The two lon/lat differ
/// by up to ~200 m (OSGB36 against WGS84 in Great Britain): enough for an area of use or the
/// choice of an analysis CRS, not for output (GeoJSON is written in WGS84 proper).
[[nodiscard]] Crs datum_lonlat(const Crs& crs);

/// True when (lon, lat) lies in Great Britain (England, Scotland, Wales and islands, not Northern
/// Ireland), where EPSG:27700 applies.
[[nodiscard]] bool in_great_britain(double lon, double lat);

/// True when (lon, lat) lies on the island of Ireland (Northern Ireland and the Republic), where
/// EPSG:2157 (Irish Transverse Mercator) applies.
[[nodiscard]] bool in_ireland(double lon, double lat);

/// The analysis CRS for data whose coordinate-wise median point is (lon, lat): EPSG:27700 in Great
/// Britain, EPSG:2157 (Irish Transverse Mercator, metres; the grid OSNI and Ireland map in
/// today, preferred to the older TM75 Irish Grid EPSG:29902) on the island of Ireland, otherwise
/// the WGS84 UTM zone (EPSG:326zz north, 327zz south) of that point. The median is used so that
/// a few stray far-away points do not move the choice.
[[nodiscard]] Crs default_analysis_crs(double median_lon, double median_lat);

/// Throws CrsError when `crs` is geographic (degrees are no unit for a radius or a cell size) or
/// projected in a linear unit other than the metre (US survey feet, EPSG:3435: the message names
/// the CRS and its unit), with a hint naming `option`.
void require_projected(const Crs& crs, std::string_view option);

/// Transforms coordinates between two CRSs (GIS axis order). Not thread-safe: one per thread.
///
/// PROJ's search for the transformation between two CRSs costs 15–50 ms of database queries
/// (27700 ↔ 4326), and a pack makes ~30 CoordinateTransforms (one per GeoJSON file): so the
/// first one made for a pair of CRSs is kept, for the life of the process, and later ones for
/// that pair are copies of it (OGRCoordinateTransformation::Clone, ~0.5 ms), which transform
/// exactly as the original does. The only state the engine keeps between calls; it changes no
/// result.
class CoordinateTransform {
 public:
  CoordinateTransform(const Crs& from, const Crs& to);
  ~CoordinateTransform();
  CoordinateTransform(CoordinateTransform&&) noexcept;
  CoordinateTransform& operator=(CoordinateTransform&&) noexcept;

  /// Transforms in place. Points that cannot be transformed become NaN; returns how many did.
  std::size_t transform(std::span<double> x, std::span<double> y) const;
  bool is_identity() const { return impl_ == nullptr; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotspots
