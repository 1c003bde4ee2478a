// SPDX-License-Identifier: MIT
#include "hotspots/render/map_png.hpp"

#include <fmt/format.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include "hotspots/core/error.hpp"
#include "hotspots/workflows/analyse.hpp"

namespace fs = std::filesystem;
using namespace hotspots;

namespace {

// The test image, read back through GDAL's PNG driver (an independent decoder).
struct Image {
  int width = 0, height = 0;
  std::array<std::vector<std::uint8_t>, 4> bands;
  Rgba at(int x, int y) const {
    const auto i =
        static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
    return {bands[0][i], bands[1][i], bands[2][i], bands[3][i]};
  }
  Rgba at(Point p) const {
    return at(static_cast<int>(std::floor(p.x)), static_cast<int>(std::floor(p.y)));
  }
};

Image read_png(const std::string& path) {
  GDALAllRegister();
  std::unique_ptr<GDALDataset> ds(
      GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds) throw std::runtime_error("GDAL cannot open " + path);
  EXPECT_STREQ(ds->GetDriver()->GetDescription(), "PNG");
  // cairo writes RGB when every pixel is opaque (our page is white), RGBA otherwise.
  const int nbands = ds->GetRasterCount();
  EXPECT_TRUE(nbands == 3 || nbands == 4) << nbands;
  Image img;
  img.width = ds->GetRasterXSize();
  img.height = ds->GetRasterYSize();
  for (int b = 0; b < 4; ++b) {
    auto& v = img.bands[static_cast<std::size_t>(b)];
    v.assign(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height), 255);
    if (b >= nbands) continue;
    if (ds->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, img.width, img.height, v.data(),
                                           img.width, img.height, GDT_Byte, 0, 0) != CE_None)
      throw std::runtime_error("read failed");
  }
  return img;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A folder of its own per test and process (suites of several build trees may run at once),
// removed afterwards.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("hotspots_map_test_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

Ring square(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

constexpr Rgba kOutline{0, 90, 200, 255};
constexpr Rgba kWhite{255, 255, 255, 255};

// 20 × 20 cells of 100 m at (400000, 298000)–(402000, 300000): zeros, a 5 × 5 nodata block in the
// north-west corner, a 3 × 3 bright square (100) at rows/cols 10–12, four cells of 10 west of it.
Raster synthetic_surface() {
  GridSpec g{400000, 300000, 100, 20, 20};
  Raster r(g, 0.0);
  for (int row = 0; row < 5; ++row)
    for (int col = 0; col < 5; ++col) r.at(row, col) = Raster::nodata();
  for (int row = 10; row <= 12; ++row)
    for (int col = 10; col <= 12; ++col) r.at(row, col) = 100.0;
  for (int row = 10; row <= 13; ++row) r.at(row, 6) = 10.0;
  return r;
}

MapSpec synthetic_spec(const Raster& r) {
  MapSpec spec;
  spec.title = "Synthetic test";
  spec.subtitle = "One bright square";
  spec.surface = &r;
  spec.surface_label = "Incidents per km²";
  MapLayerLines hot;
  // Around the bright square, 100 m off it on every side.
  hot.polygons = {{Polygon{square(400900, 298600, 401400, 299100), {}}}};
  hot.rgba = kOutline;
  hot.width_px = 3;
  hot.legend_label = "Hotspot";
  hot.labels = {"1"};
  spec.layers = {hot};
  spec.attribution = "Synthetic data";
  return spec;
}

double metres_of(const std::string& label) {
  const double v = std::stod(label);
  return label.find("km") != std::string::npos ? v * 1000 : v;
}

}  // namespace

TEST(MapPng, HeatRampRunsFromPaleYellowToDarkRed) {
  EXPECT_EQ(heat_ramp(0.0), (Rgba{255, 255, 204, 255}));  // YlOrRd #ffffcc
  EXPECT_EQ(heat_ramp(1.0), (Rgba{128, 0, 38, 255}));     // YlOrRd #800026
  EXPECT_EQ(heat_ramp(-1.0), heat_ramp(0.0));
  EXPECT_EQ(heat_ramp(std::nan("")), heat_ramp(0.0));
  EXPECT_EQ(heat_ramp(0.5), (Rgba{253, 141, 60, 255}));  // the middle stop, #fd8d3c
  // Darker (lower luminance sum) as t grows: the ramp is sequential.
  int previous = 3 * 256;
  for (int i = 0; i <= 20; ++i) {
    const Rgba c = heat_ramp(i / 20.0);
    const int sum = c[0] + c[1] + c[2];
    EXPECT_LT(sum, previous) << i;
    previous = sum;
  }
}

TEST(MapPng, QuantileBreaksAreNearestRankValues) {
  // Hand-worked: 13 values above 0 (4 × 10, 9 × 100); the k/7 nearest ranks are
  // ceil(13k/7) = 2, 4, 6, 8, 10, 12 → 10, 10, 100, 100, 100, 100.
  const Raster r = synthetic_surface();
  EXPECT_EQ(quantile_breaks(r, 0.0), (std::vector<double>{0, 10, 10, 100, 100, 100, 100, 100}));
  GridSpec g{0, 10, 1, 10, 1};
  Raster ramp(g);
  for (int c = 0; c < 10; ++c) ramp.at(0, c) = c + 1;  // 1..10
  EXPECT_EQ(quantile_breaks(ramp, 0.0, 2), (std::vector<double>{0, 5, 10}));
  EXPECT_EQ(quantile_breaks(ramp, 0.0, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_TRUE(quantile_breaks(ramp, 10.0).empty());
  EXPECT_THROW((void)quantile_breaks(ramp, 0.0, 1), InvalidArgument);
}

TEST(MapPng, LayoutKeepsScaleAndPicksRoundScaleBar) {
  const Raster r = synthetic_surface();
  const MapLayout lay = layout_map(synthetic_spec(r));
  EXPECT_EQ(lay.width_px, 1600);
  // 2 km plus 4 % on each side = 2.16 km across the frame.
  EXPECT_NEAR(lay.world.width(), 2160, 1e-6);
  EXPECT_NEAR(lay.px_per_m, lay.frame_w / 2160, 1e-12);
  EXPECT_NEAR(lay.frame_h, 2160 * lay.px_per_m, 0.5);
  EXPECT_EQ(lay.scale_bar_m, 200);  // largest of 1, 2, 5 × 10^k below 2160 / 5
  EXPECT_EQ(lay.scale_bar_label, "200 m");
  const Point nw = lay.to_pixel({lay.world.xmin, lay.world.ymax});
  EXPECT_DOUBLE_EQ(nw.x, lay.frame_x);
  EXPECT_DOUBLE_EQ(nw.y, lay.frame_y);
}

TEST(MapPng, LayoutWidensAVeryFlatExtentInsteadOfDistortingIt) {
  MapSpec spec;
  MapLayerLines l;
  l.polygons = {{Polygon{square(0, 0, 10000, 1000), {}}}};
  spec.layers = {l};
  const MapLayout lay = layout_map(spec);
  EXPECT_NEAR(lay.world.height() / lay.world.width(), 0.6, 1e-9);
  EXPECT_EQ(lay.scale_bar_label, "2 km");
  EXPECT_NEAR(lay.frame_h / lay.frame_w, 0.6, 1.0 / lay.frame_w);
}

TEST(MapPng, LayoutRejectsEmptyExtentAndBadWidth) {
  MapSpec spec;
  EXPECT_THROW((void)layout_map(spec), InvalidArgument);
  const Raster r = synthetic_surface();
  spec = synthetic_spec(r);
  spec.width_px = 100;
  try {
    (void)layout_map(spec);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("width_px"), std::string::npos) << e.what();
  }
}

TEST(MapPng, PixelsShowRampNodataOutlineAndScaleBar) {
  const TempDir tmp("pixels");
  const fs::path& dir = tmp.path;
  const std::string path = (dir / "map.png").string();
  const Raster r = synthetic_surface();
  const MapSpec spec = synthetic_spec(r);
  write_map_png(path, spec, false);
  const MapLayout lay = layout_map(spec);
  const Image img = read_png(path);
  ASSERT_EQ(img.width, 1600);
  ASSERT_EQ(img.height, lay.height_px);
  const GridSpec& g = r.grid;

  // The bright square is the hot end of the ramp (its value is the top quantile class).
  EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(11), g.centre_y(10)})), heat_ramp(1.0));
  EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(12), g.centre_y(12)})), heat_ramp(1.0));
  // The cells of 10 are a lower class: coloured, but not the hot end.
  const Rgba mid = img.at(lay.to_pixel({g.centre_x(6), g.centre_y(11)}));
  EXPECT_NE(mid, heat_ramp(1.0));
  EXPECT_NE(mid, kWhite);
  // Nodata and zero density (<= surface_min) show the white page.
  EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(2), g.centre_y(2)})), kWhite);
  EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(16), g.centre_y(4)})), kWhite);
  // The outline: its west and south edges, half-way along, are in its colour (3 px wide, so the
  // pixel under the line's centre is fully covered).
  EXPECT_EQ(img.at(lay.to_pixel({400900, 298850})), kOutline);
  EXPECT_EQ(img.at(lay.to_pixel({401150, 298600})), kOutline);
  // ... and 4 px inside the outline, over zero density, is white again (crisp, not smeared).
  const Point west = lay.to_pixel({400900, 298850});
  EXPECT_EQ(img.at({west.x + 4, west.y}), kWhite);

  // The scale bar: the bottom row of the bar is dark from its left end for as many pixels as
  // its label says, at the map's scale, within 1 px.
  const int y = static_cast<int>(lay.scale_bar_y) - 1;
  int x = static_cast<int>(lay.scale_bar_x);
  ASSERT_LT(img.at(x, y)[0], 100);
  ASSERT_GT(img.at(x - 2, y)[0], 200);  // the backing is white left of the bar
  int run = 0;
  while (img.at(x + run, y)[0] < 128) ++run;
  EXPECT_NEAR(run, metres_of(lay.scale_bar_label) * lay.px_per_m, 1.0);
  EXPECT_GT(run, 50);  // not a degenerate bar
}

TEST(MapPng, SameSpecGivesSameBytes) {
  const TempDir tmp("bytes");
  const fs::path& dir = tmp.path;
  const Raster r = synthetic_surface();
  MapSpec spec = synthetic_spec(r);
  write_map_png((dir / "a.png").string(), spec, false);
  write_map_png((dir / "b.png").string(), spec, false);
  const std::string a = slurp((dir / "a.png").string());
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, slurp((dir / "b.png").string()));
  // A different surface gives different bytes (the comparison above can fail).
  Raster r2 = r;
  r2.at(15, 15) = 50;
  spec.surface = &r2;
  write_map_png((dir / "c.png").string(), spec, false);
  EXPECT_NE(a, slurp((dir / "c.png").string()));
}

TEST(MapPng, AnOutlineOffTheFrameIsLeftOutButOneWhoseLineReachesInIsDrawn) {
  // Features whose boxes miss the frame are not drawn at all: one far off leaves the bytes as
  // they are; one just off the frame whose thick line reaches over its edge still shows.
  const TempDir tmp("off_frame");
  const Raster r = synthetic_surface();
  MapSpec spec = synthetic_spec(r);
  spec.extent = Extent{400000, 298000, 402000, 300000};
  const MapLayout lay = layout_map(spec);
  const std::string plain = (tmp.path / "plain.png").string();
  write_map_png(plain, spec, false);
  MapLayerLines zones;
  zones.rgba = {200, 0, 0, 255};
  zones.width_px = 16;  // 8 px either side of the line
  zones.polygons = {{Polygon{square(500000, 500000, 500100, 500100), {}}}};
  spec.layers.push_back(zones);
  const std::string far = (tmp.path / "far.png").string();
  write_map_png(far, spec, false);
  EXPECT_EQ(slurp(far), slurp(plain));
  // 3 px west of the frame's left edge: its line covers the frame's first 5 px columns.
  const double gap_m = 3 / lay.px_per_m;
  const double x1 = lay.world.xmin - gap_m;
  const double ymid = (lay.world.ymin + lay.world.ymax) / 2;
  spec.layers.back().polygons = {{Polygon{square(x1 - 200, ymid - 200, x1, ymid + 200), {}}}};
  const std::string near = (tmp.path / "near.png").string();
  write_map_png(near, spec, false);
  const Image img = read_png(near);
  const Rgba edge = img.at(Point{lay.frame_x + 2, lay.frame_y + lay.frame_h / 2});
  EXPECT_GT(edge[0], 150) << "the line reaching into the frame is missing";
  EXPECT_LT(edge[1], 100);
}

TEST(MapPng, LinearClassingColoursTheMaximumHot) {
  const TempDir tmp("linear");
  const fs::path& dir = tmp.path;
  const Raster r = synthetic_surface();
  MapSpec spec = synthetic_spec(r);
  spec.classing = MapClassing::linear;
  write_map_png((dir / "m.png").string(), spec, false);
  const MapLayout lay = layout_map(spec);
  const Image img = read_png((dir / "m.png").string());
  EXPECT_EQ(img.at(lay.to_pixel({r.grid.centre_x(10), r.grid.centre_y(10)})), heat_ramp(1.0));
  // 10 of 0..100 is a tenth of the way up the ramp.
  EXPECT_EQ(img.at(lay.to_pixel({r.grid.centre_x(6), r.grid.centre_y(11)})), heat_ramp(0.1));
}

TEST(MapPng, RefusesToOverwriteAndNamesThePath) {
  const TempDir tmp("overwrite");
  const fs::path& dir = tmp.path;
  const std::string path = (dir / "m.png").string();
  const Raster r = synthetic_surface();
  const MapSpec spec = synthetic_spec(r);
  write_map_png(path, spec, false);
  try {
    write_map_png(path, spec, false);
    FAIL() << "overwrote without overwrite";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(write_map_png(path, spec, true));
  const std::string missing = (dir / "no_such_dir" / "m.png").string();
  try {
    write_map_png(missing, spec, false);
    FAIL() << "wrote into a missing folder";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_dir"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(missing));
}

// Issue #11: patrol places 300 m apart drew their "P1".."P10" boxes over one another on a
// 12 km map, hiding P1 and P2. Crowded anchors: no two boxes overlap, the first keeps its anchor,
// all stay in the frame, and a free label is not moved.
TEST(MapPng, LabelsAreSpreadSoThatNoneHidesAnotherNorItsOwnFeature) {
  // Ten small features (12 px circles' boxes, as 150 m patrol places at district scale) packed
  // close together, one large feature, and one alone.
  std::vector<LabelBox> boxes;
  for (int k = 0; k < 10; ++k) {
    const Point c{500.0 + 14 * (k % 3), 400.0 + 12 * (k / 3)};
    boxes.push_back({c, 40, 22, Extent{c.x - 6, c.y - 6, c.x + 6, c.y + 6}});
  }
  boxes.push_back({{300, 300}, 40, 22, Extent{200, 250, 400, 350}});
  boxes.push_back({{100, 100}, 40, 22, Extent{}});  // a point feature
  const Extent frame{0, 0, 1000, 800};
  const auto at = place_labels(boxes, frame);
  ASSERT_EQ(at.size(), boxes.size());
  const auto box_of = [&](std::size_t k) {
    return Extent{at[k].x - boxes[k].width / 2, at[k].y - boxes[k].height / 2,
                  at[k].x + boxes[k].width / 2, at[k].y + boxes[k].height / 2};
  };
  const auto overlap = [](const Extent& a, const Extent& b) {
    return a.xmin < b.xmax && a.xmax > b.xmin && a.ymin < b.ymax && a.ymax > b.ymin;
  };
  for (std::size_t k = 0; k < at.size(); ++k) {
    const Extent own = boxes[k].feature.empty() ? Extent{boxes[k].anchor.x, boxes[k].anchor.y,
                                                         boxes[k].anchor.x, boxes[k].anchor.y}
                                                : boxes[k].feature;
    const Extent box = box_of(k);
    EXPECT_FALSE(overlap(box, own) ||
                 (own.width() == 0 && box.xmin < own.xmin && box.xmax > own.xmin &&
                  box.ymin < own.ymin && box.ymax > own.ymin))
        << "label " << k << " covers its own feature";
    EXPECT_GE(box.xmin, 0);
    EXPECT_LE(box.ymax, 800);
    // Close to its feature: within a few rings.
    EXPECT_LT(std::hypot(at[k].x - boxes[k].anchor.x, at[k].y - boxes[k].anchor.y), 250) << k;
    for (std::size_t j = k + 1; j < at.size(); ++j)
      EXPECT_FALSE(overlap(box, box_of(j))) << k << " and " << j;
  }
  EXPECT_EQ(place_labels(boxes, frame), at) << "deterministic";
}

// Issue #12: label boxes sat on small unlabelled hotspot outlines and hid them. A feature with
// an unlabelled outline just north of it (where the first spot would go) and one to the north
// east: the label avoids both, clears its own feature and the other label; with no room left
// (every spot of the rings over an obstacle) it still takes a spot clear of its own feature.
TEST(MapPng, LabelsAvoidUnlabelledOutlinesWhereRoomAllows) {
  const auto overlap = [](const Extent& a, const Extent& b) {
    return a.xmin < b.xmax && a.xmax > b.xmin && a.ymin < b.ymax && a.ymax > b.ymin;
  };
  const auto box_at = [](Point c, const LabelBox& b) {
    return Extent{c.x - b.width / 2, c.y - b.height / 2, c.x + b.width / 2, c.y + b.height / 2};
  };
  std::vector<LabelBox> boxes;
  boxes.push_back({{500, 400}, 40, 22, Extent{494, 394, 506, 406}});
  boxes.push_back({{560, 400}, 40, 22, Extent{554, 394, 566, 406}});
  const std::vector<Extent> hotspots{Extent{470, 340, 530, 392}, Extent{520, 340, 600, 392}};
  const Extent frame{0, 0, 1000, 800};
  const auto without = place_labels(boxes, frame);
  // Without obstacles the first label goes north, onto the first outline: the case to fix.
  ASSERT_TRUE(overlap(box_at(without[0], boxes[0]), hotspots[0]));
  const auto at = place_labels(boxes, frame, 8, hotspots);
  for (std::size_t k = 0; k < at.size(); ++k) {
    const Extent box = box_at(at[k], boxes[k]);
    for (const Extent& h : hotspots) EXPECT_FALSE(overlap(box, h)) << "label " << k;
    EXPECT_FALSE(overlap(box, boxes[k].feature)) << "label " << k;
    EXPECT_LT(std::hypot(at[k].x - boxes[k].anchor.x, at[k].y - boxes[k].anchor.y), 150) << k;
  }
  EXPECT_FALSE(overlap(box_at(at[0], boxes[0]), box_at(at[1], boxes[1])));
  // A frame filled by one outline: no free spot, the label still clears its own feature.
  const auto crowded = place_labels({boxes[0]}, frame, 8, {Extent{0, 0, 1000, 800}});
  EXPECT_FALSE(overlap(box_at(crowded[0], boxes[0]), boxes[0].feature));
}

TEST(MapPng, LabelsOfSmallFeaturesLeaveTheFeatureVisibleInThePicture) {
  // A 150 m circle-like square at a scale where it is ~12 px wide, labelled: the pixels inside
  // it keep its fill (no white label box over it), and the label's text colour is on the image.
  Raster r(GridSpec{400000, 310000, 100, 100, 100}, 0.0);
  MapSpec spec;
  spec.title = "Label test";
  spec.surface = &r;
  MapLayerLines place;
  place.polygons = {{Polygon{square(405000, 305000, 405150, 305150), {}}}};
  place.labels = {"P1"};
  place.fill = {255, 0, 200, 255};
  place.rgba = {255, 0, 200, 255};
  spec.layers = {place};
  spec.width_px = 1200;
  const TempDir tmp("labels");
  const std::string path = (tmp.path / "map.png").string();
  write_map_png(path, spec, false);
  const MapLayout lay = layout_map(spec);
  const Image img = read_png(path);
  const Point c = lay.to_pixel({405075, 305075});
  EXPECT_LT(150 * lay.px_per_m, 20) << "the feature is small on the map";
  EXPECT_EQ(img.at(c), (Rgba{255, 0, 200, 255})) << "the label does not cover its feature";
}

TEST(MapPng, HotspotClassBreaksStartTheTopClassAtTheThreshold) {
  // Cells 1..20 (and one nodata, one zero); threshold 17. Below it: 1..16, whose nearest-rank
  // k/6 quantiles (k = 1..5) are the ceil(k·16/6)-th values: 3, 6, 8, 11, 14 (worked by hand).
  Raster r(GridSpec{0, 100, 10, 22, 1}, 0.0);
  for (int c = 0; c < 20; ++c) r.at(0, c) = c + 1.0;
  r.at(0, 20) = Raster::nodata();
  EXPECT_EQ(hotspot_class_breaks(r, 0.0, 17.0), (std::vector<double>{0, 3, 6, 8, 11, 14, 17, 20}));
  // No cell below the threshold: the lower classes are empty (their bounds are the threshold).
  EXPECT_EQ(hotspot_class_breaks(r, 0.0, 1.0), (std::vector<double>{0, 1, 1, 1, 1, 1, 1, 20}));
  // No hot cell: plain quantiles.
  EXPECT_EQ(hotspot_class_breaks(r, 0.0, std::nan("")), quantile_breaks(r, 0.0));
  EXPECT_TRUE(hotspot_class_breaks(r, 25.0, 30.0).empty());
  EXPECT_THROW((void)hotspot_class_breaks(r, 0.0, 17.0, 2), InvalidArgument);
}

namespace {

// Even-odd ray casting, and the distance from p to the nearest edge (both in map units).
bool inside_ring(const Ring& ring, Point p) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
    if ((ring[i].y > p.y) != (ring[j].y > p.y) &&
        p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
      in = !in;
  return in;
}
double edge_distance(const Ring& ring, Point p) {
  double best = 1e300;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const Point a = ring[i], b = ring[i + 1];
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    const double t =
        len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
    best = std::min(best, std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy));
  }
  return best;
}

}  // namespace

TEST(MapPng, TheTopClassColourIsDrawnOnlyInsideTheHotspots) {
  // A real analysis: three clusters of different strength over a scatter, the hotspots its top
  // 5 % of cells, drawn as the pack draws them (map_product.cpp): classes from
  // hotspot_class_breaks, the hotspot outlines over the surface.
  Incidents inc;
  std::uint64_t seed = 12345;
  auto next = [&seed]() {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(seed >> 11) / 9007199254740992.0;
  };
  const std::array<std::array<double, 3>, 3> clusters{
      {{451000, 301000, 120}, {453500, 302500, 60}, {452000, 304000, 30}}};
  for (const auto& c : clusters)
    for (int i = 0; i < static_cast<int>(c[2]); ++i)
      inc.append(c[0] + (next() - 0.5) * 500, c[1] + (next() - 0.5) * 500, 1.0, Date{}, -1, 0, i);
  for (int i = 0; i < 200; ++i)
    inc.append(450000 + next() * 5000, 300000 + next() * 5000, 1.0, Date{}, -1, 0, i);
  const GridSpec grid{450000, 305000, 50, 100, 100};
  AnalysisOptions options;
  options.kde.radius_m = 300;
  const GroupAnalysis a =
      analyse_group(inc, Incidents{}, Incidents{}, grid, nullptr, {}, {}, options, 12);
  ASSERT_FALSE(a.hotspots.empty());
  ASSERT_TRUE(std::isfinite(a.hot_threshold));

  MapSpec spec;
  spec.title = "Top class test";
  spec.surface = &a.surface;
  spec.classing = MapClassing::given;
  spec.breaks = hotspot_class_breaks(a.surface, 0.0, a.hot_threshold);
  spec.top_class_label = "KDE hotspot";
  ASSERT_EQ(spec.breaks[6], a.hot_threshold);
  MapLayerLines hot;
  for (const HotArea& h : a.hotspots) hot.polygons.push_back(h.outline);
  hot.rgba = {0, 160, 255, 255};
  spec.layers = {hot};
  const TempDir tmp("topclass");
  const std::string path = (tmp.path / "map.png").string();
  write_map_png(path, spec, false);
  const MapLayout lay = layout_map(spec);
  const Image img = read_png(path);

  // Every pixel of the top class colour is inside a hotspot outline, or within 1.5 px of one
  // (cells are resampled to pixels and outlines anti-aliased).
  const Rgba top = heat_ramp(1.0);
  const double tolerance_m = 1.5 / lay.px_per_m;
  std::int64_t top_pixels = 0, outside = 0;
  for (int y = static_cast<int>(lay.frame_y); y < static_cast<int>(lay.frame_y + lay.frame_h); ++y)
    for (int x = static_cast<int>(lay.frame_x); x < static_cast<int>(lay.frame_x + lay.frame_w);
         ++x) {
      if (img.at(x, y) != top) continue;
      ++top_pixels;
      const Point w{lay.world.xmin + (x + 0.5 - lay.frame_x) / lay.px_per_m,
                    lay.world.ymax - (y + 0.5 - lay.frame_y) / lay.px_per_m};
      bool ok = false;
      for (const HotArea& h : a.hotspots)
        for (const Polygon& p : h.outline)
          if ((inside_ring(p.exterior, w) || edge_distance(p.exterior, w) <= tolerance_m))
            ok = true;
      if (!ok) ++outside;
    }
  EXPECT_GT(top_pixels, 100);
  EXPECT_EQ(outside, 0) << "of " << top_pixels << " top-class pixels";
  // ... and each hot cell's centre is drawn in it (the class is the hotspot, not a part of it).
  std::int64_t hot_centres = 0;
  for (std::int64_t row = 0; row < grid.rows; ++row)
    for (std::int64_t col = 0; col < grid.cols; ++col)
      if (a.surface.at(row, col) >= a.hot_threshold) {
        ++hot_centres;
        const Point c = lay.to_pixel({grid.centre_x(col), grid.centre_y(row)});
        // Skip centres under an outline (drawn over the surface).
        bool near_edge = false;
        for (const HotArea& h : a.hotspots)
          for (const Polygon& p : h.outline)
            if (edge_distance(p.exterior, {grid.centre_x(col), grid.centre_y(row)}) <
                3 / lay.px_per_m)
              near_edge = true;
        if (!near_edge) {
          EXPECT_EQ(img.at(c), top) << row << "," << col;
        }
      }
  EXPECT_EQ(hot_centres, a.hot_cells);
}

TEST(MapPng, CategoriesColourEachValueAndLeaveOthersOut) {
  // Seven columns of Gi* bins −3..3, one column of 5 (no category) and one of NaN.
  Raster r(GridSpec{400000, 300900, 100, 9, 9}, 0.0);
  for (int row = 0; row < 9; ++row) {
    for (int col = 0; col < 7; ++col) r.at(row, col) = col - 3.0;
    r.at(row, 7) = 5.0;
    r.at(row, 8) = Raster::nodata();
  }
  MapSpec spec;
  spec.title = "Categories";
  spec.surface = &r;
  spec.surface_min = -100;
  spec.classing = MapClassing::categories;
  for (int v = 3; v >= -3; --v)
    spec.categories.push_back({static_cast<double>(v),
                               Rgba{static_cast<std::uint8_t>(100 + 20 * v), 50, 60, 255},
                               fmt::format("bin {}", v)});
  const TempDir tmp("categories");
  const std::string path = (tmp.path / "map.png").string();
  write_map_png(path, spec, false);
  const MapLayout lay = layout_map(spec);
  const Image img = read_png(path);
  const GridSpec& g = r.grid;
  for (int col = 0; col < 7; ++col)
    EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(col), g.centre_y(4)})),
              (Rgba{static_cast<std::uint8_t>(100 + 20 * (col - 3)), 50, 60, 255}))
        << "bin " << col - 3;
  EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(7), g.centre_y(4)})), kWhite);
  EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(8), g.centre_y(4)})), kWhite);
  spec.categories.clear();
  EXPECT_THROW(write_map_png((tmp.path / "none.png").string(), spec, false), InvalidArgument);
}

TEST(MapPng, ABasemapIsDrawnUnderAFadedSurface) {
  // A road running east-west across the middle of the synthetic surface: grey on the empty
  // (zero) cells; under the bright square the square's colour is blended with it (80 % surface).
  const Raster r = synthetic_surface();
  MapSpec spec = synthetic_spec(r);
  spec.layers.clear();
  const double y = r.grid.centre_y(11);
  const std::vector<std::vector<Point>> roads{{{400000, y}, {402000, y}}};
  spec.basemap_lines = &roads;
  const TempDir tmp("basemap");
  const std::string path = (tmp.path / "map.png").string();
  write_map_png(path, spec, false);
  const MapLayout lay = layout_map(spec);
  const Image img = read_png(path);
  const GridSpec& g = r.grid;
  // 0.62 grey = 158.
  EXPECT_EQ(img.at(lay.to_pixel({g.centre_x(16), y})), (Rgba{158, 158, 158, 255}));
  const Rgba hot = heat_ramp(1.0);
  const Rgba under = img.at(lay.to_pixel({g.centre_x(11), y}));
  for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(under[c], 0.8 * hot[c] + 0.2 * 158, 1.5) << c;
  // Away from the road the surface keeps its 80 % colour over white.
  const Rgba off = img.at(lay.to_pixel({g.centre_x(11), g.centre_y(10)}));
  for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(off[c], 0.8 * hot[c] + 0.2 * 255, 1.5) << c;
}
