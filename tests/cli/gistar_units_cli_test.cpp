// SPDX-License-Identifier: MIT
// Golden runs of `hotspots gistar --grid hex` and `--zones`: hexagon counts against a
// brute-force nearest centre, hexagon Gi* against a dense O(n²) formula, zone counts against the
// sample's own `LSOA code` column (written by the data generator, which does not use the
// engine), queen/rook neighbour counts on the 8 x 6 tiling, outputs read back through GDAL,
// determinism and usage errors.

#include <fmt/format.h>
#include <gdal.h>
#include <gtest/gtest.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

// 700 incidents in EPSG:27700 over x 450000-452000, y 300000-302000: 300 in a planted cluster
// (x 450900-451200, y 300900-301200) and 400 uniform background points (as gistar_cli_test).
std::string cluster_csv() {
  std::mt19937_64 rng(11);
  auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::string csv = "x,y\n450000.5,300000.5\n451999.5,301999.5\n";
  for (int i = 0; i < 300; ++i)
    csv += std::to_string(450900 + 300 * uniform()) + "," +
           std::to_string(300900 + 300 * uniform()) + "\n";
  for (int i = 0; i < 398; ++i)
    csv += std::to_string(450000 + 2000 * uniform()) + "," +
           std::to_string(300000 + 2000 * uniform()) + "\n";
  return csv;
}

std::vector<std::vector<std::string>> read_csv_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cur;
    bool quoted = false;
    for (char ch : line) {
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        f.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    f.push_back(cur);
    rows.push_back(f);
  }
  return rows;
}

double num(const std::string& s) {
  return s.empty() ? std::nan("") : std::stod(s);
}

TEST(GiStarHexCli, CountsAndGiStarMatchBruteForce) {
  ScratchDir dir("gistar_hex");
  dir.write("pts.csv", cluster_csv());
  const auto r = run_cli({"gistar", dir.file("pts.csv"), "--src-crs", "EPSG:27700", "--grid", "hex",
                          "--cell-size", "100", "--distance-band", "300", "--permutations", "0",
                          "--cells", dir.file("c.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // explicit size and band: quiet
  const auto rows = read_csv_rows(dir.file("c.csv"));
  ASSERT_EQ(rows[0][0], "cell_id");
  ASSERT_EQ(rows[0][3], "x");
  std::vector<double> cx, cy, count, z;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    cx.push_back(num(rows[i][3]));
    cy.push_back(num(rows[i][4]));
    count.push_back(num(rows[i][5]));
    z.push_back(num(rows[i][6]));
  }
  const std::size_t n = cx.size();
  // Brute force: every incident to the nearest written centre.
  std::vector<double> expected(n, 0.0);
  const auto pts = read_csv_rows(dir.file("pts.csv"));
  for (std::size_t p = 1; p < pts.size(); ++p) {
    const double x = num(pts[p][0]);
    const double y = num(pts[p][1]);
    std::size_t best = 0;
    double bd = INFINITY;
    for (std::size_t k = 0; k < n; ++k) {
      const double d = std::hypot(x - cx[k], y - cy[k]);
      if (d < bd) bd = d, best = k;
    }
    ASSERT_LE(bd, 100 / std::sqrt(3.0) + 1e-6);  // within the circumradius: a real hexagon
    expected[best] += 1;
  }
  EXPECT_EQ(count, expected);
  // Dense Gi*: band 300 m between centres (3 spacings, inclusive).
  double mean = 0;
  for (double v : count) mean += v;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double v : count) ss += (v - mean) * (v - mean);
  const double s = std::sqrt(ss / static_cast<double>(n));
  std::size_t top = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double wx = 0;
    double w = 0;
    for (std::size_t j = 0; j < n; ++j)
      if (std::hypot(cx[i] - cx[j], cy[i] - cy[j]) <= 300 * (1 + 1e-9)) wx += count[j], w += 1;
    const auto dn = static_cast<double>(n);
    const double zi = (wx - mean * w) / (s * std::sqrt((dn * w - w * w) / (dn - 1)));
    // CSV numbers are written with the shortest round-trip representation.
    ASSERT_NEAR(z[i], zi, 1e-9) << rows[i + 1][0];
    if (z[i] > z[top]) top = i;
  }
  // The hottest hexagon lies in the planted 300 m square.
  EXPECT_NEAR(cx[top], 451050, 150);
  EXPECT_NEAR(cy[top], 301050, 150);
}

TEST(GiStarHexCli, GeoJsonHexagonsAndClustersReadBackThroughGdal) {
  ScratchDir dir("gistar_hex_geo");
  dir.write("pts.csv", cluster_csv());
  std::vector<std::string> args = {
      "gistar",  dir.file("pts.csv"),   "--src-crs",  "EPSG:27700",      "--grid",
      "hex",     "--cell-size",         "100",        "--distance-band", "300",
      "--cells", dir.file("c.geojson"), "--clusters", dir.file("k.gpkg")};
  ASSERT_EQ(run_cli(args).code, 0);
  const auto j = nlohmann::json::parse(read_file(dir.file("c.geojson")));
  ASSERT_GT(j["features"].size(), 400u);
  for (const auto& f : j["features"]) {
    const auto& ring = f["geometry"]["coordinates"][0];
    ASSERT_EQ(ring.size(), 7u);  // a hexagon, closed
    double a = 0;
    for (std::size_t k = 0; k + 1 < ring.size(); ++k)
      a += ring[k][0].get<double>() * ring[k + 1][1].get<double>() -
           ring[k + 1][0].get<double>() * ring[k][1].get<double>();
    ASSERT_GT(a, 0) << "counter-clockwise (RFC 7946)";
    ASSERT_EQ(f["properties"].size(), 9u);
  }
  // Clusters in a GeoPackage, read back with OGR: fields, the planted cluster first and big.
  GDALAllRegister();
  GDALDatasetH ds =
      GDALOpenEx(dir.file("k.gpkg").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds, "clusters");
  ASSERT_NE(layer, nullptr);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  for (const char* name : {"id", "type", "rank", "cells", "incidents", "area_km2", "mean_z", "pai"})
    EXPECT_GE(OGR_FD_GetFieldIndex(defn, name), 0) << name;
  OGRFeatureH f = OGR_L_GetNextFeature(layer);
  ASSERT_NE(f, nullptr);
  EXPECT_STREQ(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(defn, "type")), "hot");
  EXPECT_GE(OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(defn, "incidents")), 250);
  const double cells = OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(defn, "cells"));
  const double hex_km2 = std::sqrt(3.0) / 2 * 100 * 100 / 1e6;
  EXPECT_NEAR(OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(defn, "area_km2")), cells * hex_km2,
              1e-12);
  // The dissolved outline has the area of its hexagons.
  EXPECT_NEAR(OGR_G_Area(OGR_F_GetGeometryRef(f)), cells * hex_km2 * 1e6, 1e-3);
  OGR_F_Destroy(f);
  GDALClose(ds);
  // Byte-identical rerun.
  const std::string first = read_file(dir.file("c.geojson"));
  args.push_back("--overwrite");
  ASSERT_EQ(run_cli(args).code, 0);
  EXPECT_EQ(read_file(dir.file("c.geojson")), first);
}

TEST(GiStarHexCli, BoundaryKeepsHexagonsWhoseCentreIsInside) {
  ScratchDir dir("gistar_hex_bnd");
  const auto r = run_cli({"gistar", kSample + "/police_uk", "--crime-type", "asb", "--boundary",
                          kSample + "/districts.geojson", "--boundary-where", "district_id = 'D02'",
                          "--skip-bad-rows", "--grid", "hex", "--cell-size", "400",
                          "--permutations", "0", "--cells", dir.file("c.csv"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = read_csv_rows(dir.file("c.csv"));
  // Hexagon area × number of hexagons ≈ the district's area (centre-inside rule): within 5 %.
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx((kSample + "/districts.geojson").c_str(), GDAL_OF_VECTOR, nullptr,
                               nullptr, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
  OGR_L_SetAttributeFilter(layer, "district_id = 'D02'");
  OGRFeatureH f = OGR_L_GetNextFeature(layer);
  ASSERT_NE(f, nullptr);
  OGRGeometryH g = OGR_G_Clone(OGR_F_GetGeometryRef(f));
  OGRSpatialReferenceH bng = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(bng, 27700);
  OSRSetAxisMappingStrategy(bng, OAMS_TRADITIONAL_GIS_ORDER);
  ASSERT_EQ(OGR_G_TransformTo(g, bng), OGRERR_NONE);
  const double district_m2 = OGR_G_Area(g);
  const double hex_m2 = std::sqrt(3.0) / 2 * 400 * 400;
  EXPECT_NEAR(static_cast<double>(rows.size() - 1) * hex_m2 / district_m2, 1.0, 0.05);
  // Every written centre lies inside the district.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(p, 0, num(rows[i][3]), num(rows[i][4]));
    EXPECT_TRUE(OGR_G_Intersects(g, p)) << rows[i][0];
    OGR_G_DestroyGeometry(p);
  }
  OGR_G_DestroyGeometry(g);
  OSRDestroySpatialReference(bng);
  OGR_F_Destroy(f);
  GDALClose(ds);
}

// ASB incidents per small area from the sample's `LSOA code` column (rows whose coordinates
// parse), the generator's own point-in-polygon.
std::map<std::string, double> asb_by_lsoa() {
  std::map<std::string, double> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kSample + "/police_uk")) {
    if (e.path().extension() != ".csv") continue;
    const auto rows = read_csv_rows(e.path().string());
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto& r = rows[i];
      if (r.size() < 10 || r[9] != "Anti-social behaviour" || r[7].empty()) continue;
      char* end = nullptr;
      std::strtod(r[4].c_str(), &end);
      if (r[4].empty() || *end) continue;
      std::strtod(r[5].c_str(), &end);
      if (r[5].empty() || *end) continue;
      out[r[7]] += 1;
    }
  }
  return out;
}

TEST(GiStarZonesCli, CountsMatchTheLsoaColumnAndContiguityTheTiling) {
  ScratchDir dir("gistar_zones");
  const std::vector<std::string> base = {
      "gistar",  kSample + "/police_uk",           "--crime-type",    "asb",     "--skip-bad-rows",
      "--zones", kSample + "/small_areas.geojson", "--zone-id-field", "area_id", "--permutations",
      "99"};
  auto queen = base;
  queen.insert(queen.end(),
               {"--cells", dir.file("q.geojson"), "--clusters", dir.file("k.geojson"), "--cold"});
  const auto r = run_cli(queen);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("zone SA008 repaired: Self-intersection"), std::string::npos) << r.err;
  auto rook = base;
  rook.insert(rook.end(), {"--contiguity", "rook", "--cells", dir.file("r.geojson"), "-q"});
  ASSERT_EQ(run_cli(rook).code, 0);

  const auto expected = asb_by_lsoa();
  const auto q = nlohmann::json::parse(read_file(dir.file("q.geojson")));
  const auto rk = nlohmann::json::parse(read_file(dir.file("r.geojson")));
  ASSERT_EQ(q["features"].size(), 48u);
  ASSERT_EQ(rk["features"].size(), 48u);
  std::map<int, int> queen_hist;
  std::map<int, int> rook_hist;
  for (std::size_t i = 0; i < 48; ++i) {
    const auto& p = q["features"][i]["properties"];
    const std::string id = p["cell_id"];
    EXPECT_EQ(id, fmt::format("SA{:03d}", i + 1));  // layer order
    EXPECT_EQ(p["count"].get<double>(), expected.count(id) ? expected.at(id) : 0.0) << id;
    EXPECT_TRUE(p["gi_z"].is_number()) << id;
    queen_hist[p["n_neighbors"].get<int>() - 1]++;
    rook_hist[rk["features"][i]["properties"]["n_neighbors"].get<int>() - 1]++;
  }
  // 8 x 6 tiles: queen 4 corners x 3, 20 edge tiles x 5, 24 inner x 8; rook 2, 3, 4.
  EXPECT_EQ(queen_hist, (std::map<int, int>{{3, 4}, {5, 20}, {8, 24}}));
  EXPECT_EQ(rook_hist, (std::map<int, int>{{2, 4}, {3, 20}, {4, 24}}));
  // The planted ASB hotspot's area SA023 is hot; clusters come back with the documented fields.
  for (const auto& f : q["features"])
    if (f["properties"]["cell_id"] == "SA023") {
      EXPECT_GE(f["properties"]["gi_bin"].get<int>(), 2);
    }
  const auto k = nlohmann::json::parse(read_file(dir.file("k.geojson")));
  ASSERT_GE(k["features"].size(), 1u);
  EXPECT_EQ(k["features"][0]["properties"]["type"], "hot");
  EXPECT_GE(k["features"][0]["properties"]["cells"].get<int>(), 1);
}

TEST(GiStarZonesCli, IslandIsReportedWithNullZ) {
  ScratchDir dir("gistar_island");
  // Two touching 100 m squares and one 400 m away, EPSG:27700; 6 points.
  dir.write(
      "z.geojson",
      R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{"zid":"A"},"geometry":{"type":"Polygon","coordinates":[[[450000,300000],[450100,300000],[450100,300100],[450000,300100],[450000,300000]]]}},
{"type":"Feature","properties":{"zid":"B"},"geometry":{"type":"Polygon","coordinates":[[[450100,300000],[450200,300000],[450200,300100],[450100,300100],[450100,300000]]]}},
{"type":"Feature","properties":{"zid":"C"},"geometry":{"type":"Polygon","coordinates":[[[450000,300500],[450100,300500],[450100,300600],[450000,300600],[450000,300500]]]}}]})");
  dir.write("p.csv",
            "x,y\n450010,300010\n450020,300020\n450150,300050\n450160,300060\n450170,"
            "300070\n450050,300550\n");
  const auto r = run_cli({"gistar", dir.file("p.csv"), "--src-crs", "EPSG:27700", "--zones",
                          dir.file("z.geojson"), "--zone-id-field", "zid", "--permutations", "0",
                          "--cells", dir.file("c.geojson")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("1 zone(s) without Gi* neighbours (islands; gi_z is null): C"),
            std::string::npos)
      << r.err;
  const auto j = nlohmann::json::parse(read_file(dir.file("c.geojson")));
  ASSERT_EQ(j["features"].size(), 3u);
  EXPECT_TRUE(j["features"][2]["properties"]["gi_z"].is_null());
  EXPECT_EQ(j["features"][0]["properties"]["count"], 2.0);
  EXPECT_EQ(j["features"][1]["properties"]["count"], 3.0);
  EXPECT_EQ(j["features"][0]["properties"]["n_neighbors"], 2);
}

TEST(GiStarUnitsCli, BadCombinationsExitTwo) {
  ScratchDir dir("gistar_units_usage");
  dir.write("pts.csv", cluster_csv());
  const std::string out = dir.file("c.geojson");
  const std::string zones = kSample + "/small_areas.geojson";
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--zones", zones, "--grid", "hex", "--cells", out}, "--zones and --grid are mutually"},
      {{"--zones", zones, "--grid", "square", "--cells", out}, "--zones and --grid are mutually"},
      {{"--grid", "hex", "--zscores", dir.file("z.tif")},
       "--zscores: the GeoTIFF of z-scores needs a square grid"},
      {{"--zones", zones, "--zscores", dir.file("z.tif")}, "--zscores"},
      {{"--zones", zones, "--cell-size", "100", "--cells", out},
       "--cell-size and --extent apply to grids"},
      {{"--zones", zones, "--contiguity", "bishop", "--cells", out}, "--contiguity 'bishop'"},
      {{"--zones", zones, "--cells", dir.file("c.csv")},
       "--cells .csv: not available with --zones"},
      {{"--zones", zones, "--knn", "48", "--cells", out}, "--knn 48"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"gistar", dir.file("pts.csv"), "--src-crs", "EPSG:27700"};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.message;
  }
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// Hexagons are refused by the memory their construction needs, before it is allocated (half-
// metre hexagons over 2 km x 2 km: 18 M of them, ~530 MB), naming the flag and a size that fits.
TEST(GiStarHexCli, AGridThatCannotFitIsRefusedByItsMemoryBeforeItIsBuilt) {
  ScratchDir dir("gistar_hex_memory");
  dir.write("pts.csv", cluster_csv());
  const std::vector<std::string> args{
      "gistar", dir.file("pts.csv"), "--src-crs", "EPSG:27700", "--grid",
      "hex",    "--max-memory",      "100",       "--cells",    dir.file("c.csv"),
      "-v",     "--overwrite"};
  auto at = [&](const std::string& cell) {
    auto a = args;
    a.insert(a.end(), {"--cell-size", cell});
    return run_cli(a);
  };
  const auto r = at("0.5");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("this run would need about"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("peak at local Moran's I: Gi* neighbour lists"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than --max-memory 100 MB"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("c.csv")));
  // The cell size it names fits: the run at that size is estimated within the budget and runs.
  const std::smatch m = [&] {
    std::smatch found;
    EXPECT_TRUE(std::regex_search(r.err, found, std::regex("use --cell-size ([0-9]+) or larger")))
        << r.err;
    return found;
  }();
  ASSERT_FALSE(m.empty());
  const auto fits = at(m[1].str());
  ASSERT_EQ(fits.code, 0) << fits.err;
  std::smatch estimate;
  ASSERT_TRUE(
      std::regex_search(fits.err, estimate, std::regex("estimated peak memory ([0-9]+) MB")))
      << fits.err;
  EXPECT_LE(std::stod(estimate[1].str()), 100.0);
  // One metre finer is refused.
  EXPECT_EQ(at(std::to_string(std::stoi(m[1].str()) - 1)).code, 2);
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// Four 100 m squares in a row, EPSG:27700, with a value field `rate` (text in `rate_text`).
std::string value_zones_geojson(const std::string& crs_member, const std::string& rates,
                                const std::string& c_text) {
  std::string s = R"({"type":"FeatureCollection",)" + crs_member + R"("features":[)";
  const std::vector<std::string> r = [&] {
    std::vector<std::string> v;
    std::istringstream in(rates);
    std::string t;
    while (std::getline(in, t, ',')) v.push_back(t);
    return v;
  }();
  for (int k = 0; k < 4; ++k) {
    const int x0 = 450000 + 100 * k;
    s += fmt::format(
        R"({}{{"type":"Feature","properties":{{"zid":"Z{}","rate":{},"rate_text":"{}"}},)"
        R"("geometry":{{"type":"Polygon","coordinates":[[[{},300000],[{},300000],[{},300100],[{},300100],[{},300000]]]}}}})",
        k ? "," : "", k, r[static_cast<std::size_t>(k)],
        k == 2 ? c_text : r[static_cast<std::size_t>(k)], x0, x0 + 100, x0 + 100, x0, x0);
  }
  return s + "]}";
}

const std::string kBng =
    R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},)";

// Gi* of values on a path of 4 zones (rook = queen here), worked by hand from the formula:
// x = (-2, 1, 4, -3), x̄ = 0, S = sqrt(30/4); zone 0: W = 2, Σ w x = -1,
// z = -1 / (S sqrt((4·2 − 4)/3)).
TEST(GiStarValuesCli, ZoneValuesWithoutIncidentsMatchTheFormula) {
  ScratchDir dir("gistar_values");
  dir.write("z.geojson", value_zones_geojson(kBng, "-2,1,4,-3", "4"));
  for (const std::string field : {"rate", "rate_text"}) {
    const std::string out = dir.file(field + ".geojson");
    const auto r = run_cli({"gistar", "--zones", dir.file("z.geojson"), "--zone-id-field", "zid",
                            "--value-field", field, "--permutations", "0", "--cells", out,
                            "--clusters", dir.file(field + "_k.geojson"), "-v"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("analysis CRS EPSG:27700"), std::string::npos) << r.err;
    const auto j = nlohmann::json::parse(read_file(out));
    ASSERT_EQ(j["features"].size(), 4u);
    const double s = std::sqrt(30.0 / 4);
    const double x[] = {-2, 1, 4, -3};
    for (int i = 0; i < 4; ++i) {
      double wx = x[i];
      double w = 1;
      if (i > 0) wx += x[i - 1], ++w;
      if (i < 3) wx += x[i + 1], ++w;
      const double z = wx / (s * std::sqrt((4 * w - w * w) / 3));
      const auto& p = j["features"][static_cast<std::size_t>(i)]["properties"];
      EXPECT_NEAR(p["gi_z"].get<double>(), z, 1e-12) << field << " " << i;
      EXPECT_EQ(p["count"].get<double>(), x[i]);
    }
  }
}

TEST(GiStarValuesCli, BadValuesAndCrsAreErrorsNamingTheZone) {
  ScratchDir dir("gistar_values_bad");
  dir.write("text.geojson", value_zones_geojson(kBng, "-2,1,4,-3", "four"));
  dir.write("null.geojson", value_zones_geojson(kBng, "-2,1,null,-3", "4"));
  dir.write("nocrs.geojson", value_zones_geojson("", "-2,1,4,-3", "4"));
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string out = dir.file("c.geojson");
  const std::vector<Case> cases = {
      {{"--zones", dir.file("text.geojson"), "--value-field", "rate_text"},
       "column 'rate_text': feature 2 (id 'Z2'): 'four' is not a number"},
      {{"--zones", dir.file("null.geojson"), "--value-field", "rate"},
       "feature 2 (id 'Z2') has no value (null)"},
      {{"--zones", dir.file("text.geojson"), "--value-field", "nosuch"}, "nosuch"},
      // GeoJSON without a crs member is WGS84 (RFC 7946): degrees, refused without --t_srs.
      {{"--zones", dir.file("nocrs.geojson"), "--value-field", "rate"}, "--t_srs"},
      {{"--value-field", "rate"}, "--value-field: give --zones"},
      {{"--zones", dir.file("text.geojson")}, "INPUT is required"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"gistar", "--zone-id-field", "zid", "--cells", out};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_cli(args);
    EXPECT_NE(r.code, 0) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.message << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.message;
  }
  dir.write("pts.csv", "x,y\n450010,300010\n450020,300020\n");
  const auto r = run_cli({"gistar", dir.file("pts.csv"), "--src-crs", "EPSG:27700", "--zones",
                          dir.file("text.geojson"), "--value-field", "rate", "--cells", out});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("give no INPUT"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace hotspots
