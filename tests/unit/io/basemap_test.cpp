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

/// A raster's size and geotransform as gdalinfo -json reports them (the peer reader).
struct RasterInfo {
  int width = 0, height = 0, bands = 0;
  double gt[6] = {};
  std::string epsg;
};
RasterInfo gdalinfo(const std::string& dir, const std::string& tif) {
  const std::string json = dir + "/info.json";
  RasterInfo r;
  if (run("(gdalinfo -json '" + tif + "' > '" + json + "')") != 0) return r;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  r.width = j["size"][0];
  r.height = j["size"][1];
  r.bands = static_cast<int>(j["bands"].size());
  for (int k = 0; k < 6; ++k) r.gt[k] = j["geoTransform"][k];
  const std::string wkt = j["coordinateSystem"]["wkt"];
  const auto at = wkt.rfind("ID[\"EPSG\",");
  if (at != std::string::npos) r.epsg = wkt.substr(at + 10, wkt.find(']', at) - at - 10);
  return r;
}

// The pack's copy of a raster basemap: at the pixel size gdalwarp itself picks for the same
// reprojection (the peer), over the frame widened to whole pixels, holding exactly the grey and
// alpha warp_basemap_raster() gives for that frame; capped at max_side_px.
TEST(Basemap, ARasterCopyKeepsTheSourceResolutionGdalwarpPicksAndTheMapsGrey) {
  ScratchDir dir("basemap_copy");
  const std::string tif = dir.file("grad.tif");
  write_gradient(dir.file(""), tif, "EPSG:27700", "456000 306000 460000 303000");
  const std::string wgs = dir.file("grad_4326.tif");
  ASSERT_EQ(run("gdalwarp -t_srs EPSG:4326 -r near '" + tif + "' '" + wgs + "'"), 0);
  const Crs bng = crs_from_epsg(27700);
  // The peer: gdalwarp back into British National Grid with no -tr: its own pixel size.
  const std::string peer = dir.file("peer.tif");
  ASSERT_EQ(run("gdalwarp -t_srs EPSG:27700 '" + wgs + "' '" + peer + "'"), 0);
  const double peer_px = gdalinfo(dir.file(""), peer).gt[1];
  ASSERT_GT(peer_px, 50.0);  // 100 m pixels, a little changed by the round trip
  ASSERT_LT(peer_px, 200.0);

  const Extent frame{455500, 302500, 460500, 306500};
  const std::string copy = dir.file("basemap.tif");
  const BasemapCopy c = write_basemap_raster_copy(wgs, bng, frame, copy, 4096, false);
  EXPECT_NEAR(c.pixel_size_m, peer_px, 1e-6 * peer_px);
  const RasterInfo info = gdalinfo(dir.file(""), copy);
  EXPECT_EQ(info.epsg, "27700");
  EXPECT_EQ(info.bands, 2);
  EXPECT_EQ(info.width, c.width_px);
  EXPECT_EQ(info.height, c.height_px);
  EXPECT_EQ(c.width_px, static_cast<int>(std::ceil(frame.width() / c.pixel_size_m)));
  EXPECT_DOUBLE_EQ(info.gt[0], frame.xmin);
  EXPECT_DOUBLE_EQ(info.gt[3], frame.ymax);
  EXPECT_DOUBLE_EQ(info.gt[1], c.pixel_size_m);
  EXPECT_GE(info.gt[0] + info.width * info.gt[1], frame.xmax);
  EXPECT_GE(frame.ymin, info.gt[3] - info.height * c.pixel_size_m);
  // Its bytes, through gdal_translate to raw, equal the warp of the whole-pixel frame.
  const Extent whole{frame.xmin, frame.ymax - c.height_px * c.pixel_size_m,
                     frame.xmin + c.width_px * c.pixel_size_m, frame.ymax};
  const BasemapImage img = warp_basemap_raster(wgs, bng, whole, c.width_px, c.height_px);
  const std::string raw = dir.file("copy.raw");
  ASSERT_EQ(run("gdal_translate -of ENVI -co INTERLEAVE=BSQ '" + copy + "' '" + raw + "'"), 0);
  std::ifstream in(raw, std::ios::binary);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  const std::size_t n = static_cast<std::size_t>(c.width_px) * c.height_px;
  ASSERT_EQ(bytes.size(), 2 * n);
  std::size_t opaque = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(bytes[i], img.rgba[4 * i]) << i;
    ASSERT_EQ(bytes[n + i], img.rgba[4 * i + 3]) << i;
    opaque += bytes[n + i] == 255;
  }
  EXPECT_GT(opaque, n / 2);
  // A rerun writes the same bytes.
  const std::string again = dir.file("again.tif");
  (void)write_basemap_raster_copy(wgs, bng, frame, again, 4096, false);
  EXPECT_EQ(testing::read_file(again), testing::read_file(copy));
  // Capped: a frame of 100 km at the source's ~100 m would be ~1,000 pixels; 64 at most.
  const BasemapCopy capped = write_basemap_raster_copy(wgs, bng, {400000, 250000, 500000, 330000},
                                                       dir.file("capped.tif"), 64, false);
  EXPECT_EQ(capped.width_px, 64);
  EXPECT_EQ(capped.height_px, static_cast<int>(std::ceil(80000.0 / (100000.0 / 64) - 1e-9)));
  EXPECT_THROW((void)write_basemap_raster_copy(wgs, bng, Extent{}, dir.file("x.tif"), 64, false),
               InvalidArgument);
  // An existing file is not replaced without overwrite.
  EXPECT_THROW((void)write_basemap_raster_copy(wgs, bng, frame, copy, 4096, false), IoError);
}

// The pack's copy of a vector basemap's lines: read back by OGR (ogr2ogr into British National
// Grid), the same lines to a centimetre (7 decimals of a degree).
TEST(Basemap, LinesWrittenAsGeoJsonReadBackWhereTheyWere) {
  ScratchDir dir("basemap_lines");
  const std::string src = dir.file("roads.geojson");
  write_roads(src);
  const Crs bng = crs_from_epsg(27700);
  const BasemapLines lines = read_basemap_lines(src, bng, Extent{});
  const std::string out = dir.file("basemap.geojson");
  write_basemap_lines(out, lines.lines, bng, false);
  const std::string peer = dir.file("back.geojson");
  ASSERT_EQ(run("ogr2ogr -f GeoJSON -t_srs EPSG:27700 -lco COORDINATE_PRECISION=4 '" + peer +
                "' '" + out + "'"),
            0);
  std::ifstream in(peer);
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["features"].size(), lines.lines.size());
  for (std::size_t l = 0; l < lines.lines.size(); ++l) {
    const auto& g = j["features"][l]["geometry"];
    EXPECT_EQ(g["type"], "LineString");
    ASSERT_EQ(g["coordinates"].size(), lines.lines[l].size());
    for (std::size_t i = 0; i < lines.lines[l].size(); ++i) {
      EXPECT_NEAR(g["coordinates"][i][0].get<double>(), lines.lines[l][i].x, 0.02);
      EXPECT_NEAR(g["coordinates"][i][1].get<double>(), lines.lines[l][i].y, 0.02);
    }
  }
  EXPECT_EQ(testing::read_file(out).find("\"crs\""), std::string::npos);  // RFC 7946
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
