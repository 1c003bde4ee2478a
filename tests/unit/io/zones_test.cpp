// SPDX-License-Identifier: MIT
// Boundaries: reading and repairing polygon layers, attribute filters, CRS errors,
// point-in-polygon with a deterministic rule for shared edges, dissolve and the cell mask.
// Fixtures are hand-made squares in EPSG:27700 metres, so every area and count is exact.

#include "hotspots/io/zones.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"
#include "support/scratch_dir.hpp"
#include "support/vector_fixtures.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;
using testing::ScratchDir;

constexpr double kX0 = 450000;  // south-west corner of the fixtures (British National Grid)
constexpr double kY0 = 300000;

std::string ring_json(const std::vector<Point>& pts) {
  std::string s = "[";
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (i) s += ',';
    s += '[';
    s += std::to_string(pts[i].x);
    s += ',';
    s += std::to_string(pts[i].y);
    s += ']';
  }
  return s + "]";
}

// Square [x0, x0 + size] x [y0, y0 + size], closed, counter-clockwise.
std::vector<Point> square(double x0, double y0, double size) {
  return {{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}};
}

std::string feature_json(const std::string& code, const std::string& name,
                         const std::vector<Point>& ring) {
  return R"({"type":"Feature","properties":{"code":")" + code + R"(","name":")" + name +
         R"("},"geometry":{"type":"Polygon","coordinates":[)" + ring_json(ring) + "]}}";
}

// A: 100 m square at the origin; B: the square east of it (shared edge x = kX0 + 100);
// C: a bow-tie (self-intersecting at its centre) north of A: two triangles of 2,500 m² each.
std::string zones_geojson() {
  const std::vector<Point> bowtie = {{kX0, kY0 + 200},
                                     {kX0 + 100, kY0 + 300},
                                     {kX0 + 100, kY0 + 200},
                                     {kX0, kY0 + 300},
                                     {kX0, kY0 + 200}};
  return R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[)" +
         feature_json("A", "Alpha", square(kX0, kY0, 100)) + ",\n" +
         feature_json("B", "Beta", square(kX0 + 100, kY0, 100)) + ",\n" +
         feature_json("C", "Bow tie", bowtie) + "]}\n";
}

const Crs& bng() {
  static const Crs crs = crs_from_epsg(27700);
  return crs;
}

ZoneLayer read_fixture(const ScratchDir& dir, const ZoneReadOptions& options = {}) {
  dir.write("zones.geojson", zones_geojson());
  return read_zones(dir.file("zones.geojson"), options, bng());
}

MultiPolygon square_zone(double x0, double y0, double size) {
  return {Polygon{square(x0, y0, size), {}}};
}

TEST(Zones, ReadsPolygonsWithIdsNamesAndAreas) {
  ScratchDir dir("zones_read");
  const ZoneLayer layer = read_fixture(dir);
  EXPECT_EQ(layer.layer_name, "zones");
  EXPECT_EQ(layer.id_field, "code");
  EXPECT_EQ(layer.name_field, "name");
  EXPECT_EQ(layer.source_crs.epsg, 27700);
  ASSERT_EQ(layer.zones.size(), 3u);
  EXPECT_EQ(layer.zones[0].id, "A");
  EXPECT_EQ(layer.zones[1].name, "Beta");
  EXPECT_DOUBLE_EQ(layer.zones[0].area_m2, 100.0 * 100.0);
  EXPECT_DOUBLE_EQ(layer.zones[1].area_m2, 100.0 * 100.0);
  const Extent e = extent_of(layer.zones[1].geometry);
  EXPECT_EQ(e, (Extent{kX0 + 100, kY0, kX0 + 200, kY0 + 100}));
}

TEST(Zones, RepairsInvalidBowTieAndListsTheRepair) {
  ScratchDir dir("zones_bowtie");
  const ZoneLayer layer = read_fixture(dir);
  ASSERT_EQ(layer.repairs.size(), 1u);
  EXPECT_EQ(layer.repairs[0].zone_id, "C");
  EXPECT_THAT(layer.repairs[0].reason, HasSubstr("Self-intersection"));
  const Zone& c = layer.zones[2];
  // MakeValid splits the bow-tie at its crossing (kX0 + 50, kY0 + 250) into two triangles of
  // base 100 m and height 50 m: 2 x 2,500 m².
  EXPECT_EQ(c.geometry.size(), 2u);
  EXPECT_NEAR(c.area_m2, 5000.0, 1e-6);
  // The repaired zone locates points in both triangles, not at the pinch's far side.
  const ZoneIndex index({&c.geometry});
  const std::vector<double> x = {kX0 + 10, kX0 + 90, kX0 + 50};
  const std::vector<double> y = {kY0 + 250, kY0 + 250, kY0 + 210};
  EXPECT_EQ(index.locate(x, y), (std::vector<std::int32_t>{0, 0, -1}));
}

TEST(Zones, WhereSelectsASubset) {
  ScratchDir dir("zones_where");
  ZoneReadOptions o;
  o.where = "name = 'Beta'";
  const ZoneLayer layer = read_fixture(dir, o);
  ASSERT_EQ(layer.zones.size(), 1u);
  EXPECT_EQ(layer.zones[0].id, "B");
  EXPECT_TRUE(layer.repairs.empty());
}

TEST(Zones, WhereSelectingNothingIsInputError) {
  ScratchDir dir("zones_where_none");
  ZoneReadOptions o;
  o.where = "name = 'Gamma'";
  try {
    (void)read_fixture(dir, o);
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--boundary-where \"name = 'Gamma'\" selects no feature"));
    EXPECT_EQ(e.path(), dir.file("zones.geojson"));
  }
  o.where = "no_such_field = 1";
  try {
    (void)read_fixture(dir, o);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("--boundary-where"));
    EXPECT_THAT(e.what(), HasSubstr("fields: code, name"));
  }
}

TEST(Zones, MissingLayerIsInputErrorListingLayers) {
  ScratchDir dir("zones_layer");
  const std::string path = dir.file("two.gpkg");
  testing::write_vector_layer(path, "GPKG", 27700, "beats", wkbPolygon, {"code"},
                              {{"POLYGON ((0 0,1 0,1 1,0 0))", {"b1"}}});
  // A second layer in the same GeoPackage.
  {
    GDALDatasetH ds =
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 27700);
    ASSERT_NE(GDALDatasetCreateLayer(ds, "wards", srs, wkbPolygon, nullptr), nullptr);
    OSRRelease(srs);
    GDALClose(ds);
  }
  ZoneReadOptions o;
  o.layer = "districts";
  try {
    (void)read_zones(path, o, bng());
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("no layer 'districts'"));
    EXPECT_THAT(e.what(), HasSubstr("layers: beats, wards"));
  }
  o.layer = "beats";
  EXPECT_EQ(read_zones(path, o, bng()).zones.size(), 1u);
}

TEST(Zones, LayerWithoutCrsNeedsBoundaryCrs) {
  ScratchDir dir("zones_nocrs");
  const std::string path = dir.file("beats.shp");
  testing::write_vector_layer(path, "ESRI Shapefile", 0, "beats", wkbPolygon, {"code"},
                              {{"POLYGON ((450000 300000,450100 300000,450100 300100,450000 "
                                "300100,450000 300000))",
                                {"b1"}}});
  ASSERT_FALSE(std::filesystem::exists(dir.file("beats.prj")));
  try {
    (void)read_zones(path, {}, bng());
    FAIL() << "no exception";
  } catch (const CrsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("has no CRS"));
    // Metre-sized coordinates: the example is not the lon/lat one (see RealData.TopoJson*).
    EXPECT_THAT(e.what(), HasSubstr("--boundary-crs EPSG:27700"));
  }
  ZoneReadOptions o;
  o.assume_crs = "EPSG:27700";
  const ZoneLayer layer = read_zones(path, o, bng());
  ASSERT_EQ(layer.zones.size(), 1u);
  EXPECT_DOUBLE_EQ(layer.zones[0].area_m2, 10000.0);
}

TEST(Zones, LayerOfPointsHoldsNoPolygon) {
  ScratchDir dir("zones_points");
  dir.write("pts.geojson",
            R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
            R"("geometry":{"type":"Point","coordinates":[-1.13,52.63]}}]})");
  try {
    (void)read_zones(dir.file("pts.geojson"), {}, bng());
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("holds no polygon"));
  }
  EXPECT_THROW((void)read_zones(dir.file("missing.geojson"), {}, bng()), IoError);
}

TEST(Zones, ReprojectsLonLatPolygonsIntoTheAnalysisCrs) {
  ScratchDir dir("zones_lonlat");
  // A 0.01° x 0.01° cell at Leicester (no crs member: GeoJSON means WGS84 lon/lat).
  dir.write("ll.geojson",
            R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"q"},)"
            R"("geometry":{"type":"Polygon","coordinates":[[[-1.14,52.63],[-1.13,52.63],)"
            R"([-1.13,52.64],[-1.14,52.64],[-1.14,52.63]]]}}]})");
  const ZoneLayer layer = read_zones(dir.file("ll.geojson"), {}, bng());
  ASSERT_EQ(layer.zones.size(), 1u);
  EXPECT_TRUE(layer.source_crs.geographic);
  // Reference corners from an implementation of the Ordnance Survey's "A guide to coordinate
  // systems in Great Britain" (Helmert WGS84 -> OSGB36, then Airy 1830 Transverse Mercator;
  // see crs_test), independent of PROJ:
  //   (-1.14, 52.63) -> (458305.325, 303929.671)   (-1.13, 52.63) -> (458982.151, 303937.789)
  //   (-1.13, 52.64) -> (458968.730, 305050.137)   (-1.14, 52.64) -> (458292.058, 305042.019)
  // Shoelace area of that quadrilateral: 752,888.7 m². Edges stay straight between projected
  // vertices, so the tolerance only covers PROJ vs the script (< 0.01 m per vertex).
  EXPECT_NEAR(layer.zones[0].area_m2, 752888.7, 20.0);
  const Extent e = extent_of(layer.zones[0].geometry);
  EXPECT_NEAR(e.xmin, 458292.058, 0.1);
  EXPECT_NEAR(e.ymin, 303929.671, 0.1);
  EXPECT_NEAR(e.xmax, 458982.151, 0.1);
  EXPECT_NEAR(e.ymax, 305050.137, 0.1);
}

// ---------------------------------------------------------------------------------------------
// Point in polygon

TEST(ZoneIndex, LocatesInsideOutsideEdgesAndVertices) {
  const MultiPolygon a = square_zone(kX0, kY0, 100);
  const MultiPolygon b = square_zone(kX0 + 100, kY0, 100);
  const std::vector<double> x = {kX0 + 50,  kX0 + 150, kX0 - 50,  kX0 + 100,
                                 kX0 + 100, kX0,       kX0 + 200, kX0 - 1e-6};
  const std::vector<double> y = {kY0 + 50,  kY0 + 50, kY0 + 50,  kY0 + 50,
                                 kY0 + 100, kY0,      kY0 + 100, kY0 + 50};
  // inside A, inside B, outside, on the shared edge, on the shared vertex (top), A's outer
  // corner, B's outer corner, just outside A's west edge.
  const ZoneIndex ab({&a, &b});
  EXPECT_EQ(ab.locate(x, y), (std::vector<std::int32_t>{0, 1, -1, 0, 0, 0, 1, -1}));
  // Reversed layer order: the shared edge and vertex now go to B, which comes first.
  const ZoneIndex ba({&b, &a});
  EXPECT_EQ(ba.locate(x, y), (std::vector<std::int32_t>{1, 0, -1, 0, 0, 1, 0, -1}));
}

TEST(ZoneIndex, HolesAreOutside) {
  MultiPolygon ring = square_zone(kX0, kY0, 300);
  Ring hole = square(kX0 + 100, kY0 + 100, 100);
  std::reverse(hole.begin(), hole.end());
  ring[0].holes.push_back(hole);
  const MultiPolygon island = square_zone(kX0 + 120, kY0 + 120, 60);
  const ZoneIndex index({&ring, &island});
  const std::vector<double> x = {kX0 + 50, kX0 + 110, kX0 + 150};
  const std::vector<double> y = {kY0 + 50, kY0 + 110, kY0 + 150};
  // in the ring, in the hole (not in the island), in the island inside the hole.
  EXPECT_EQ(index.locate(x, y), (std::vector<std::int32_t>{0, -1, 1}));
}

// ---------------------------------------------------------------------------------------------
// Dissolve and cell mask

TEST(Zones, DissolveOfAdjacentSquaresIsOnePolygonWithTheSummedArea) {
  const MultiPolygon a = square_zone(kX0, kY0, 100);
  const MultiPolygon b = square_zone(kX0 + 100, kY0, 100);
  std::int64_t dropped = -1;
  const MultiPolygon u = dissolve({&a, &b}, 0.0, &dropped);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_TRUE(u[0].holes.empty());
  EXPECT_EQ(dropped, 0);
  EXPECT_NEAR(area(u), 20000.0, 1e-6);
  EXPECT_EQ(extent_of(u), (Extent{kX0, kY0, kX0 + 200, kY0 + 100}));
}

TEST(Zones, DissolveDropsHolesSmallerThanTheThreshold) {
  // Eight 100 m squares around an empty centre square: the union has one 10,000 m² hole.
  std::vector<MultiPolygon> squares;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (i != 1 || j != 1) squares.push_back(square_zone(kX0 + 100 * i, kY0 + 100 * j, 100));
  std::vector<const MultiPolygon*> parts;
  for (const auto& s : squares) parts.push_back(&s);
  std::int64_t dropped = -1;
  const MultiPolygon kept = dissolve(parts, 5000.0, &dropped);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].holes.size(), 1u);
  EXPECT_EQ(dropped, 0);
  EXPECT_NEAR(area(kept), 80000.0, 1e-6);
  const MultiPolygon closed = dissolve(parts, 20000.0, &dropped);
  EXPECT_TRUE(closed[0].holes.empty());
  EXPECT_EQ(dropped, 1);
  EXPECT_NEAR(area(closed), 90000.0, 1e-6);
}

TEST(Zones, CellMaskTakesCellsWhoseCentreIsInside) {
  // 10 x 10 cells of 10 m over [0, 100]²; row 0 is the northern row.
  const GridSpec grid{0.0, 100.0, 10.0, 10, 10};
  // Right triangle x + y < 104: cell (row r, col c) has its centre at
  // ((c + 0.5)·10, 100 − (r + 0.5)·10), inside iff (c + 0.5)·10 + 100 − (r + 0.5)·10 < 104,
  // i.e. c − r < 0.4, i.e. c <= r: 1 + 2 + ... + 10 = 55 cells. No centre lies on an edge.
  const MultiPolygon triangle = {Polygon{{{0, 0}, {104, 0}, {0, 104}, {0, 0}}, {}}};
  const CellMask mask = cell_mask(grid, triangle);
  ASSERT_EQ(mask.inside.size(), 100u);
  std::int64_t count = 0;
  for (std::int64_t r = 0; r < 10; ++r)
    for (std::int64_t c = 0; c < 10; ++c) {
      const bool expected = c <= r;
      EXPECT_EQ(mask.inside[static_cast<std::size_t>(grid.index(r, c))] != 0, expected)
          << "row " << r << " col " << c;
      count += mask.inside[static_cast<std::size_t>(grid.index(r, c))] != 0;
    }
  EXPECT_EQ(count, 55);
}

TEST(Zones, CellMaskLeavesHolesOut) {
  // [0, 100]² less the hole [32, 68]²: the centres 35, 45, 55, 65 in each direction fall in the
  // hole, so 100 − 4·4 = 84 cells are inside.
  const GridSpec grid{0.0, 100.0, 10.0, 10, 10};
  Ring hole = square(32, 32, 36);
  std::reverse(hole.begin(), hole.end());
  const MultiPolygon area_with_hole = {Polygon{square(0, 0, 100), {hole}}};
  const CellMask mask = cell_mask(grid, area_with_hole);
  std::int64_t count = 0;
  for (auto v : mask.inside) count += v != 0;
  EXPECT_EQ(count, 84);
  EXPECT_EQ(mask.inside[static_cast<std::size_t>(grid.index(5, 5))], 0);  // centre (55, 45)
  EXPECT_EQ(mask.inside[static_cast<std::size_t>(grid.index(0, 0))], 1);  // centre (5, 95)
  EXPECT_EQ(cell_mask(grid, {}).inside, std::vector<std::uint8_t>(100, 0));
}

}  // namespace
}  // namespace hotspots
