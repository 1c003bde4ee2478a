// SPDX-License-Identifier: MIT
// CRS parsing, the default analysis CRS and coordinate transformation against independently
// computed reference values.

#include "hotspots/io/crs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

TEST(Crs, ParsesEpsgCodeWithAndWithoutAuthority) {
  for (const char* text : {"EPSG:27700", "27700", "epsg:27700"}) {
    SCOPED_TRACE(text);
    const Crs crs = crs_from_user_text(text);
    EXPECT_EQ(crs.epsg, 27700);
    EXPECT_FALSE(crs.geographic);
    EXPECT_EQ(crs.name, "OSGB36 / British National Grid");
    EXPECT_EQ(crs.label(), "EPSG:27700");
    EXPECT_FALSE(crs.empty());
  }
  const Crs wgs84 = crs_from_user_text("EPSG:4326");
  EXPECT_EQ(wgs84.epsg, 4326);
  EXPECT_TRUE(wgs84.geographic);
  EXPECT_EQ(crs_from_epsg(32630).name, "WGS 84 / UTM zone 30N");
}

TEST(Crs, ParsesWktAndProjStrings) {
  const Crs bng = crs_from_epsg(27700);
  // Its own WKT2 reads back as the same CRS.
  const Crs again = crs_from_user_text(bng.wkt);
  EXPECT_EQ(again.epsg, 27700);
  EXPECT_EQ(again.name, bng.name);
  const Crs lonlat = crs_from_user_text("+proj=longlat +datum=WGS84 +no_defs");
  EXPECT_TRUE(lonlat.geographic);
  // A custom projection without an EPSG code is labelled by its name.
  const Crs custom = crs_from_user_text(
      "+proj=tmerc +lat_0=0 +lon_0=3 +k=1 +x_0=0 +y_0=0 "
      "+ellps=GRS80 +units=m +no_defs");
  EXPECT_FALSE(custom.geographic);
  EXPECT_EQ(custom.epsg, 0);
  EXPECT_EQ(custom.label(), custom.name);
}

TEST(Crs, UnknownTextIsCrsErrorNamingIt) {
  for (const char* text : {"EPSG:999999", "not a crs", "999999"}) {
    SCOPED_TRACE(text);
    try {
      (void)crs_from_user_text(text);
      FAIL() << "no exception";
    } catch (const CrsError& e) {
      EXPECT_THAT(e.what(), HasSubstr(text));
    }
  }
  EXPECT_THROW((void)crs_from_user_text(""), CrsError);
}

TEST(Crs, AreaOfUseOfBritishNationalGrid) {
  // EPSG registry, area of use of EPSG:27700 (code 4390): 9.01°W to 2.01°E, 49.75°N to 61.01°N.
  const Extent e = area_of_use_lonlat(crs_from_epsg(27700));
  EXPECT_NEAR(e.xmin, -9.01, 0.01);
  EXPECT_NEAR(e.xmax, 2.01, 0.01);
  EXPECT_NEAR(e.ymin, 49.75, 0.01);
  EXPECT_NEAR(e.ymax, 61.01, 0.01);
  // In metres it holds the whole National Grid area around Leicester (E 458737 N 304591).
  const Extent native = area_of_use_native(crs_from_epsg(27700));
  EXPECT_TRUE(native.contains(458737, 304591));
  // ... and nothing 2,000 km east of the false origin.
  EXPECT_FALSE(native.contains(2'000'000, 304591));
}

TEST(Crs, GreatBritainExcludesIreland) {
  EXPECT_TRUE(in_great_britain(-1.1335, 52.6359));  // Leicester
  EXPECT_TRUE(in_great_britain(-3.19, 55.95));      // Edinburgh
  EXPECT_TRUE(in_great_britain(-6.3, 58.2));        // Stornoway, Outer Hebrides
  EXPECT_FALSE(in_great_britain(-5.93, 54.6));      // Belfast
  EXPECT_FALSE(in_great_britain(-6.26, 53.35));     // Dublin
  EXPECT_FALSE(in_great_britain(2.35, 48.85));      // Paris
}

TEST(Crs, DefaultAnalysisCrsIsBritishNationalGridInGbIrishTmInIrelandElseUtm) {
  // UTM zone = floor((lon + 180) / 6) + 1; EPSG 32600 + zone north of the equator, 32700 south.
  EXPECT_EQ(default_analysis_crs(-1.1335, 52.6359).epsg, 27700);  // Leicester
  // The island of Ireland gets Irish Transverse Mercator (EPSG:2157), not a UTM zone.
  EXPECT_EQ(default_analysis_crs(-5.93, 54.6).epsg, 2157);      // Belfast
  EXPECT_EQ(default_analysis_crs(-6.26, 53.35).epsg, 2157);     // Dublin
  EXPECT_EQ(default_analysis_crs(-7.31, 54.99).epsg, 2157);     // Derry/Londonderry
  EXPECT_EQ(default_analysis_crs(-5.6, 55.4).epsg, 27700);      // Campbeltown, Kintyre: Scotland
  EXPECT_EQ(default_analysis_crs(2.35, 48.85).epsg, 32631);     // Paris: floor(30.39)+1
  EXPECT_EQ(default_analysis_crs(151.21, -33.87).epsg, 32756);  // Sydney: floor(55.2)+1, south
  EXPECT_EQ(default_analysis_crs(-74.0, 40.7).epsg, 32618);     // New York: floor(17.7)+1
  EXPECT_EQ(default_analysis_crs(179.99, 10).epsg, 32660);      // the last zone
  EXPECT_EQ(default_analysis_crs(-180.0, 10).epsg, 32601);      // the first zone
  EXPECT_THROW((void)default_analysis_crs(std::nan(""), std::nan("")), CrsError);
}

TEST(Crs, RequireProjectedRejectsDegreesNamingTheOption) {
  try {
    require_projected(crs_from_epsg(4326), "--t_srs");
    FAIL() << "no exception";
  } catch (const CrsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("EPSG:4326 is geographic"));
    EXPECT_THAT(e.what(), HasSubstr("--t_srs"));
  }
  EXPECT_NO_THROW(require_projected(crs_from_epsg(27700), "--t_srs"));
  EXPECT_NO_THROW(require_projected(crs_from_epsg(32630), "--t_srs"));
}

TEST(Crs, TransformsLeicesterClockTowerToNationalGrid) {
  // Reference E 458737.376 N 304591.221 for (-1.1335, 52.6359), computed three ways:
  //  * `echo "52.6359 -1.1335" | cs2cs -f "%.6f" EPSG:4326 EPSG:27700` (proj-bin 9.1.1; EPSG
  //    axis order lat, lon) -> 458737.376040 304591.221498;
  //  * `echo "-1.1335 52.6359" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:27700`
  //    (GDAL 3.6.2) -> 458737.376039928 304591.221497822;
  //  * independently of PROJ, a script implementing the Ordnance Survey's "A guide to coordinate
  //    systems in Great Britain": WGS84 -> OSGB36 7-parameter Helmert (tx -446.448, ty 125.157,
  //    tz -542.060 m, s 20.4894 ppm, rx -0.1502", ry -0.2470", rz -0.8421") then the Airy 1830
  //    Transverse Mercator series -> 458737.375 304591.222 (the same script reproduces the
  //    guide's worked example E 651409.903 N 313177.270 to the millimetre).
  // Debian's PROJ has no OSTN15 grid, so this is the Helmert transformation (about 1-2 m from
  // OSTN15 truth); the tolerance, 1 m, only has to absorb implementation differences.
  std::vector<double> x = {-1.1335};
  std::vector<double> y = {52.6359};
  const CoordinateTransform ct(crs_from_epsg(4326), crs_from_epsg(27700));
  EXPECT_FALSE(ct.is_identity());
  ASSERT_EQ(ct.transform(x, y), 1u);
  EXPECT_NEAR(x[0], 458737.376, 1.0);
  EXPECT_NEAR(y[0], 304591.221, 1.0);
}

// Transforms lon/lat there and back and returns the largest error in degrees.
double round_trip_error(const std::vector<double>& lon0, const std::vector<double>& lat0,
                        int epsg) {
  std::vector<double> x = lon0;
  std::vector<double> y = lat0;
  const CoordinateTransform there(crs_from_epsg(4326), crs_from_epsg(epsg));
  const CoordinateTransform back(crs_from_epsg(epsg), crs_from_epsg(4326));
  EXPECT_EQ(there.transform(x, y), x.size());
  EXPECT_EQ(back.transform(x, y), x.size());
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    worst = std::max({worst, std::abs(x[i] - lon0[i]), std::abs(y[i] - lat0[i])});
  return worst;
}

TEST(Crs, RoundTripThroughUtmIsExact) {
  // A projection on the same datum: the inverse Transverse Mercator is accurate to far below
  // 1e-9 degrees (0.1 mm) within the zone.
  EXPECT_LT(round_trip_error({-1.1335, -5.7, -3.19, -4.0}, {52.6359, 50.06, 55.95, 58.6}, 32630),
            1e-9);
  EXPECT_LT(round_trip_error({151.21, 150.1}, {-33.87, -35.3}, 32756), 1e-9);
}

TEST(Crs, RoundTripThroughNationalGridIsWithinAMillimetre) {
  // WGS84 -> OSGB36 goes through a 7-parameter Helmert whose reverse EPSG defines by changing
  // the signs of the parameters; that is not the exact inverse of the small-angle rotation,
  // so there and back drifts by about 1e-8 degrees (~1 mm; measured 1.4e-8 at 1.75 E). The
  // tolerance 5e-8 degrees (~5 mm) would still catch any real inversion error (metres).
  EXPECT_LT(round_trip_error({-1.1335, -5.7, 1.75, -3.19, -4.0},
                             {52.6359, 50.06, 52.48, 55.95, 58.6}, 27700),
            5e-8);
}

TEST(Crs, IdentityAndUntransformablePoints) {
  const CoordinateTransform same(crs_from_epsg(27700), crs_from_epsg(27700));
  EXPECT_TRUE(same.is_identity());
  std::vector<double> x = {1.5, -1.1335};
  std::vector<double> y = {2.5, 95.0};  // the second latitude does not exist
  EXPECT_EQ(same.transform(x, y), 2u);
  EXPECT_EQ(x[0], 1.5);
  const CoordinateTransform ct(crs_from_epsg(4326), crs_from_epsg(27700));
  x = {-1.1335, -1.1335};
  y = {52.6359, 95.0};
  EXPECT_EQ(ct.transform(x, y), 1u);
  EXPECT_FALSE(std::isnan(x[0]));
  EXPECT_TRUE(std::isnan(x[1]));
  EXPECT_TRUE(std::isnan(y[1]));
}

TEST(Crs, DatumLonLatOfNationalGridIsOsgb36) {
  // EPSG:27700's own geographic CRS is OSGB36 (EPSG:4277). Reference for the Leicester clock
  // tower (E 458737.376 N 304591.221): `echo "458737.376 304591.221" | gdaltransform -s_srs
  // EPSG:27700 -t_srs EPSG:4277 -output_xy` (GDAL 3.6.2) -> -1.13196339147759 52.6355364854006,
  // against -1.13349998805386 52.6358999918289 in WGS84 (-t_srs EPSG:4326): ~104 m apart in
  // longitude and ~40 m in latitude, which is why datum_lonlat is for choices, not for output.
  const Crs bng = crs_from_epsg(27700);
  const Crs osgb36 = datum_lonlat(bng);
  EXPECT_TRUE(osgb36.geographic);
  EXPECT_EQ(osgb36.epsg, 4277);
  std::vector<double> x = {458737.376};
  std::vector<double> y = {304591.221};
  const CoordinateTransform to_datum(bng, osgb36);
  ASSERT_EQ(to_datum.transform(x, y), 1u);
  EXPECT_NEAR(x[0], -1.13196339147759, 1e-9);  // 1e-9 degrees: 0.1 mm
  EXPECT_NEAR(y[0], 52.6355364854006, 1e-9);
  // A geographic CRS is its own; UTM's is WGS84 itself.
  const Crs wgs84 = crs_from_epsg(4326);
  EXPECT_EQ(datum_lonlat(wgs84).wkt, wgs84.wkt);
  EXPECT_EQ(datum_lonlat(crs_from_epsg(32630)).epsg, 4326);
}

TEST(Crs, DatumLonLatCountingFromParisInGradsIsWgs84Instead) {
  // NTF (Paris) / Lambert zone II (EPSG:27572): its geographic CRS, NTF (Paris), counts
  // longitude from the Paris meridian in grads; the median point must be in degrees from
  // Greenwich, so WGS84 is used.
  EXPECT_EQ(datum_lonlat(crs_from_epsg(27572)).epsg, 4326);
}

TEST(Crs, AKeptTransformationTransformsAsTheFirstDid) {
  // The second CoordinateTransform for a pair is a copy of the first one made: every point must
  // come out with the same bits, whichever is used, and in another thread's copies too.
  const Crs bng = crs_from_epsg(27700);
  const Crs wgs84 = crs_from_epsg(4326);
  std::vector<double> x0, y0;
  for (int i = 0; i < 70'000; ++i) {  // more than two of transform()'s blocks of 32,768
    x0.push_back(90'000 + 7.3 * i);
    y0.push_back(20'000 + 13.1 * i);
  }
  std::vector<double> x1 = x0, y1 = y0, x2 = x0, y2 = y0;
  const CoordinateTransform first(bng, wgs84);
  const CoordinateTransform second(bng, wgs84);
  EXPECT_EQ(first.transform(x1, y1), x0.size());
  EXPECT_EQ(second.transform(x2, y2), x0.size());
  for (std::size_t i = 0; i < x0.size(); ++i) {
    ASSERT_EQ(x1[i], x2[i]) << i;
    ASSERT_EQ(y1[i], y2[i]) << i;
  }
  // And it is the transformation to WGS84, not to the datum's lon/lat (the clock tower above).
  std::vector<double> x = {458737.376};
  std::vector<double> y = {304591.221};
  const CoordinateTransform third(bng, wgs84);
  ASSERT_EQ(third.transform(x, y), 1u);
  EXPECT_NEAR(x[0], -1.13349998805386, 1e-8);
  EXPECT_NEAR(y[0], 52.6358999918289, 1e-8);
}

}  // namespace
}  // namespace hotspots
