// SPDX-License-Identifier: MIT
// The vector basemap reader against ogr2ogr's reprojection of the same file (a peer tool).
#include "hotspots/io/basemap.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

using testing::ScratchDir;

// Two roads (a line and a two-part line) and a block outline in lon/lat, plus a point (skipped).
void write_roads(const std::string& path) {
  std::ofstream(path) << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"A1"},"geometry":{"type":"LineString","coordinates":[[-1.14,52.63],[-1.13,52.635],[-1.12,52.64]]}},
{"type":"Feature","properties":{"name":"B2"},"geometry":{"type":"MultiLineString","coordinates":[[[-1.15,52.62],[-1.15,52.65]],[[-1.16,52.62],[-1.10,52.62]]]}},
{"type":"Feature","properties":{"name":"block"},"geometry":{"type":"Polygon","coordinates":[[[-1.135,52.632],[-1.133,52.632],[-1.133,52.634],[-1.135,52.632]]]}},
{"type":"Feature","properties":{"name":"pub"},"geometry":{"type":"Point","coordinates":[-1.13,52.63]}}]})";
}

TEST(Basemap, LinesAreReprojectedAsOgr2ogrDoes) {
  ScratchDir dir("basemap");
  const std::string src = dir.file("roads.geojson");
  write_roads(src);
  // The peer: ogr2ogr into British National Grid, read back as JSON.
  const std::string peer = dir.file("roads_bng.geojson");
  const std::string command = "ogr2ogr -f GeoJSON -t_srs EPSG:27700 -lco COORDINATE_PRECISION=6 '" +
                              peer + "' '" + src + "' 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(peer);
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str());
  std::vector<std::vector<Point>> expected;
  for (const auto& f : j["features"]) {
    const auto& g = f["geometry"];
    const auto add = [&](const nlohmann::json& coords) {
      std::vector<Point> line;
      for (const auto& c : coords) line.push_back({c[0].get<double>(), c[1].get<double>()});
      expected.push_back(line);
    };
    if (g["type"] == "LineString") add(g["coordinates"]);
    if (g["type"] == "MultiLineString" || g["type"] == "Polygon")
      for (const auto& part : g["coordinates"]) add(part);
  }
  const BasemapLines got = read_basemap_lines(src, crs_from_epsg(27700), Extent{});
  ASSERT_EQ(got.lines.size(), expected.size());
  ASSERT_EQ(got.lines.size(), 4u);  // the point is not a line
  for (std::size_t l = 0; l < expected.size(); ++l) {
    ASSERT_EQ(got.lines[l].size(), expected[l].size()) << l;
    for (std::size_t i = 0; i < expected[l].size(); ++i) {
      // ogr2ogr wrote 6 decimals: agreement to a millimetre.
      EXPECT_NEAR(got.lines[l][i].x, expected[l][i].x, 1e-3) << l << "," << i;
      EXPECT_NEAR(got.lines[l][i].y, expected[l][i].y, 1e-3) << l << "," << i;
    }
  }
  // An extent keeps the lines whose box meets it: the box of B2's north-south part meets that
  // part and B2's east-west part (which starts at its south end), not A1 or the block further
  // east.
  Extent west;
  for (const Point& p : expected[1]) west.include(p.x, p.y);
  const BasemapLines some = read_basemap_lines(src, crs_from_epsg(27700), west);
  EXPECT_EQ(some.lines.size(), 2u);
}

// Runs a shell command, returns its exit status.
int run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str());
}

// A 3-band gradient GeoTIFF (red rises eastwards, green northwards, blue constant) in `epsg`.
void write_gradient(const std::string& dir, const std::string& tif, const std::string& srs,
                    const std::string& ullr) {
  // Known bytes in a raw ENVI file, georeferenced by gdal_translate.
  const int w = 40, h = 30;
  const std::string raw = dir + "/grad.raw";
  {
    std::ofstream out(raw, std::ios::binary);
    for (int b = 0; b < 3; ++b)
      for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i) {
          const int v = b == 0 ? i * 6 : b == 1 ? (h - 1 - j) * 8 : 60;
          out.put(static_cast<char>(v));
        }
  }
  std::ofstream(raw + ".hdr") << "ENVI\nsamples = " << w << "\nlines = " << h
                              << "\nbands = 3\nheader offset = 0\nfile type = ENVI Standard\n"
                                 "data type = 1\ninterleave = bsq\nbyte order = 0\n";
  ASSERT_EQ(run("gdal_translate -of GTiff -a_srs " + srs + " -a_ullr " + ullr + " '" + raw + "' '" +
                tif + "'"),
            0);
}

TEST(Basemap, ARasterIsRecognisedAndWarpedAsGdalwarpDoes) {
  ScratchDir dir("basemap_raster");
  const std::string tif = dir.file("grad.tif");
  write_gradient(dir.file(""), tif, "EPSG:27700", "456000 306000 460000 303000");
  const Crs bng = crs_from_epsg(27700);
  const BasemapLines b = read_basemap_lines(tif, bng, Extent{});
  EXPECT_TRUE(b.raster);
  EXPECT_TRUE(b.lines.empty());
  // A frame larger than the raster (white margin) at 50 m pixels.
  const Extent frame{455000, 302000, 461000, 307000};
  const BasemapImage img = warp_basemap_raster(tif, bng, frame, 120, 100);
  ASSERT_EQ(img.rgba.size(), 4u * 120 * 100);
  // The peer: gdalwarp's command line, the same warp, read back as raw bytes.
  const std::string peer = dir.file("peer.tif");
  ASSERT_EQ(run("gdalwarp -of GTiff -t_srs EPSG:27700 -te 455000 302000 461000 307000 -ts 120 "
                "100 -r bilinear -dstalpha '" +
                tif + "' '" + peer + "'"),
            0);
  const std::string peer_raw = dir.file("peer.raw");
  ASSERT_EQ(run("gdal_translate -of ENVI -co INTERLEAVE=BSQ '" + peer + "' '" + peer_raw + "'"), 0);
  std::ifstream in(peer_raw, std::ios::binary);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.size(), 4u * 120 * 100);  // band-sequential R, G, B, alpha
  const std::size_t n = 120 * 100;
  int covered = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double lum = 0.299 * bytes[i] + 0.587 * bytes[n + i] + 0.114 * bytes[2 * n + i];
    ASSERT_EQ(img.rgba[4 * i + 3], bytes[3 * n + i]) << i;
    if (bytes[3 * n + i] == 0) continue;
    ++covered;
    EXPECT_NEAR(img.rgba[4 * i], 255.0 - 0.45 * (255.0 - lum), 0.51) << i;
    EXPECT_EQ(img.rgba[4 * i], img.rgba[4 * i + 1]);
  }
  // The raster covers 4 km x 3 km of the 6 km x 5 km frame: 80 x 60 of the 120 x 100 pixels.
  EXPECT_EQ(covered, 80 * 60);
  // Outside the raster: transparent; the top-left corner (455000, 307000) is outside.
  EXPECT_EQ(img.rgba[3], 0);
  // Deterministic.
  EXPECT_EQ(warp_basemap_raster(tif, bng, frame, 120, 100).rgba, img.rgba);

  // The same picture in lon/lat is reprojected into British National Grid: its pixels land
  // where gdalwarp puts them (to within bilinear rounding at the gradient's steps).
  const std::string wgs = dir.file("grad_4326.tif");
  ASSERT_EQ(run("gdalwarp -t_srs EPSG:4326 -r near '" + tif + "' '" + wgs + "'"), 0);
  EXPECT_TRUE(read_basemap_lines(wgs, bng, Extent{}).raster);
  const BasemapImage re = warp_basemap_raster(wgs, bng, frame, 120, 100);
  int both = 0, close = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (re.rgba[4 * i + 3] == 0 || bytes[3 * n + i] == 0) continue;
    ++both;
    if (std::abs(int(re.rgba[4 * i]) - int(img.rgba[4 * i])) <= 6) ++close;
  }
  EXPECT_GT(both, 80 * 60 * 9 / 10);
  EXPECT_GT(close, both * 9 / 10) << close << " of " << both;
}

TEST(Basemap, APaletteRasterIsLookedUp) {
  ScratchDir dir("basemap_palette");
  const std::string tif = dir.file("pal.tif");
  ASSERT_EQ(run("gdal_create -of GTiff -outsize 10 10 -bands 1 -burn 1 -a_srs EPSG:27700 "
                "-a_ullr 0 10 10 0 '" +
                tif + "'"),
            0);
  // Index 1 is pure blue in the palette: luminance 0.114 * 255.
  const std::string vrt = dir.file("pal.vrt");
  ASSERT_EQ(run("gdal_translate -of VRT '" + tif + "' '" + vrt + "'"), 0);
  std::ifstream in(vrt);
  std::stringstream text;
  text << in.rdbuf();
  std::string v = text.str();
  const std::string interp = "<ColorInterp>Gray</ColorInterp>";
  const auto at = v.find(interp);
  ASSERT_NE(at, std::string::npos);
  v.replace(at, interp.size(),
            "<ColorInterp>Palette</ColorInterp><ColorTable><Entry c1=\"255\" c2=\"255\" "
            "c3=\"255\" c4=\"255\"/><Entry c1=\"0\" c2=\"0\" c3=\"255\" "
            "c4=\"255\"/></ColorTable>");
  std::ofstream(vrt) << v;
  const BasemapImage img = warp_basemap_raster(vrt, crs_from_epsg(27700), {0, 0, 10, 10}, 5, 5);
  const double lum = 0.114 * 255;
  for (std::size_t i = 0; i < 25; ++i) {
    EXPECT_EQ(img.rgba[4 * i + 3], 255);
    EXPECT_NEAR(img.rgba[4 * i], 255.0 - 0.45 * (255.0 - lum), 0.51);
  }
}

TEST(Basemap, AFileGdalCannotOpenOrAMissingFileIsRefusedNamingIt) {
  ScratchDir dir("basemap_bad");
  const std::string junk = dir.file("tiles.tif");
  std::ofstream(junk) << "not a raster";
  try {
    (void)read_basemap_lines(junk, crs_from_epsg(27700), Extent{});
    FAIL() << "junk was read as a basemap";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tiles.tif"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a basemap GDAL can read"), std::string::npos);
  }
  EXPECT_THROW((void)read_basemap_lines(dir.file("nope.gpkg"), crs_from_epsg(27700), Extent{}),
               IoError);
}

}  // namespace
}  // namespace hotspots
