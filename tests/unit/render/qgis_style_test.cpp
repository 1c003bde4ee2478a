// SPDX-License-Identifier: MIT
// QGIS styles as text. That QGIS itself reads them is proved by ctest qgis_pack
// (tests/qgis/check_pack.py); these tests pin the content and the errors.
#include "hotspots/render/qgis_style.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include "hotspots/core/error.hpp"

namespace fs = std::filesystem;
using namespace hotspots;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST(QgisStyle, GiBinHasSevenCategoriesWithTheArcGisPalette) {
  const std::string q = qml_text(GiBinStyle{});
  EXPECT_EQ(q.rfind("<!DOCTYPE qgis", 0), 0u);
  EXPECT_NE(q.find("type=\"categorizedSymbol\" attr=\"gi_bin\""), std::string::npos);
  EXPECT_EQ(count(q, "<category "), 7u);
  EXPECT_NE(q.find("value=\"-3\" symbol=\"0\" label=\"Cold spot – 99% confidence\""),
            std::string::npos);
  EXPECT_NE(q.find("value=\"0\" symbol=\"3\" label=\"Not significant\""), std::string::npos);
  EXPECT_NE(q.find("value=\"3\" symbol=\"6\" label=\"Hot spot – 99% confidence\""),
            std::string::npos);
  EXPECT_NE(q.find("value=\"69,117,180,255\""), std::string::npos);  // #4575b4
  EXPECT_NE(q.find("value=\"215,48,39,255\""), std::string::npos);   // #d73027
}

TEST(QgisStyle, SurfaceRampIsTransparentAtMinAndEndsAtMax) {
  const std::string q = qml_text(SurfaceStyle{0, 250.5});
  EXPECT_NE(q.find("type=\"singlebandpseudocolor\""), std::string::npos);
  EXPECT_NE(q.find("classificationMin=\"0\" classificationMax=\"250.5\""), std::string::npos);
  EXPECT_NE(q.find("<item value=\"0\" color=\"#ffffcc\" alpha=\"0\""), std::string::npos);
  EXPECT_NE(q.find("<item value=\"250.5\" color=\"#800026\" alpha=\"255\""), std::string::npos);
  EXPECT_EQ(count(q, "<item "), 10u);
  EXPECT_TRUE(is_raster_style(SurfaceStyle{}));
  EXPECT_TRUE(is_raster_style(SurfaceClassesStyle{{0, 1}}));
  EXPECT_FALSE(is_raster_style(HotspotStyle{}));
}

TEST(QgisStyle, SurfaceBreaksGiveDiscreteClassesWithoutTiedOnes) {
  // Bounds as quantile_breaks() gives them for a plateau: 0, 10, 10, 100, 100, 100, 100, 100.
  const std::string q = qml_text(SurfaceClassesStyle{{0, 10, 10, 100, 100, 100, 100, 100}});
  EXPECT_NE(q.find("colorRampType=\"DISCRETE\""), std::string::npos);
  // The transparent item at min, then the classes [0, 10), [10, 100) and [100, inf): 3 of 7,
  // their upper values the Float32 just below the next break.
  EXPECT_EQ(count(q, "<item "), 4u);
  EXPECT_NE(q.find("<item value=\"9.999999046325684\" color=\"#ffffcc\""), std::string::npos) << q;
  EXPECT_NE(q.find("<item value=\"inf\" color=\"#800026\""), std::string::npos) << q;
  EXPECT_NE(qml_text(SurfaceStyle{0, 1}).find("colorRampType=\"INTERPOLATED\""), std::string::npos);
}

TEST(QgisStyle, HotspotsAndClustersAreLabelledWithRank) {
  const std::string h = qml_text(HotspotStyle{});
  EXPECT_NE(h.find("labelsEnabled=\"1\""), std::string::npos);
  EXPECT_NE(h.find("fieldName=\"rank\""), std::string::npos);
  EXPECT_NE(h.find("type=\"singleSymbol\""), std::string::npos);
  const std::string c = qml_text(ClusterTypeStyle{});
  EXPECT_EQ(count(c, "<category "), 2u);
  EXPECT_NE(c.find("value=\"hot\""), std::string::npos);
  EXPECT_NE(c.find("value=\"cold\""), std::string::npos);
  EXPECT_NE(qml_text(HotspotStyle{""}).find("labelsEnabled=\"0\""), std::string::npos);
}

TEST(QgisStyle, GraduatedHasOneRangePerInterval) {
  const std::string q = qml_text(GraduatedStyle{"incidents", {0, 1.5, 10, 100}});
  EXPECT_EQ(count(q, "<range "), 3u);
  EXPECT_NE(q.find("lower=\"1.5\" upper=\"10\" label=\"1.5 – 10\""), std::string::npos);
}

TEST(QgisStyle, BadStylesNameTheProblem) {
  auto message = [](const LayerStyle& s) {
    try {
      (void)qml_text(s);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(SurfaceStyle{5, 5}).find("max must be a number above min"), std::string::npos);
  EXPECT_NE(message(GraduatedStyle{"n", {3, 1}}).find("ascending"), std::string::npos);
  EXPECT_NE(message(SurfaceClassesStyle{{0.5, 0.2}}).find("ascending"), std::string::npos);
  EXPECT_NE(message(GraduatedStyle{"n", {3}}).find("at least 2"), std::string::npos);
  EXPECT_NE(message(GiBinStyle{""}).find("field name is empty"), std::string::npos);
}

TEST(QgisStyle, TextIsEscaped) {
  const std::string q = qml_text(GraduatedStyle{"a<b&\"c\"", {0, 1}});
  EXPECT_NE(q.find("attr=\"a&lt;b&amp;&quot;c&quot;\""), std::string::npos);
}

TEST(QgisProject, RelativeSourcesPanelOrderAndSameBytes) {
  const fs::path dir =
      fs::temp_directory_path() / ("hotspots_qgis_project_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const Crs bng = crs_from_epsg(27700);
  const std::vector<QgisLayer> layers = {
      {"a/surface.tif",
       "Surface",
       SurfaceStyle{0, 10},
       bng,
       {450000, 300000, 452000, 301000},
       true},
      {"a/hot.geojson", "Hot & cold", HotspotStyle{}, crs_from_epsg(4326), {}, true}};
  write_qgis_project((dir / "p.qgs").string(), "Test", layers, bng, false);
  write_qgis_project((dir / "q.qgs").string(), "Test", layers, bng, false);
  const std::string p = slurp(dir / "p.qgs");
  EXPECT_EQ(p, slurp(dir / "q.qgs"));
  EXPECT_NE(p.find("<datasource>./a/surface.tif</datasource>"), std::string::npos);
  EXPECT_NE(p.find("<Absolute type=\"bool\">false</Absolute>"), std::string::npos);
  EXPECT_NE(p.find("<authid>EPSG:27700</authid>"), std::string::npos);
  // The panel lists the top layer first.
  EXPECT_LT(p.find("<layer-tree-layer id=\"layer1_Hot___cold\""),
            p.find("<layer-tree-layer id=\"layer0_Surface\""));
  EXPECT_NE(p.find("name=\"Hot &amp; cold\""), std::string::npos);
  EXPECT_THROW(write_qgis_project((dir / "p.qgs").string(), "Test", layers, bng, false), IoError);

  auto bad = layers;
  bad[0].source = "/abs/surface.tif";
  try {
    write_qgis_project((dir / "r.qgs").string(), "Test", bad, bng, false);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("relative path"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "r.qgs"));
  fs::remove_all(dir);
}

TEST(QgisStyle, EhsaClassesHaveSeventeenCategoriesWithArcGisCodesAndLabels) {
  const std::string q = qml_text(EhsaClassStyle{});
  EXPECT_NE(q.find("type=\"categorizedSymbol\" attr=\"category\""), std::string::npos);
  EXPECT_EQ(count(q, "<category "), 17u);
  EXPECT_NE(q.find("value=\"1\" symbol=\"0\" label=\"New Hot Spot\""), std::string::npos);
  EXPECT_NE(q.find("value=\"-8\" symbol=\"15\" label=\"Historical Cold Spot\""), std::string::npos);
  EXPECT_NE(q.find("value=\"0\" symbol=\"16\" label=\"No Pattern Detected\""), std::string::npos);
  EXPECT_NE(q.find("value=\"103,0,13,255\""), std::string::npos);  // intensifying hot, darkest
  EXPECT_THROW((void)qml_text(EhsaClassStyle{""}), InvalidArgument);
}

TEST(QgisStyle, OutlineHasNoFillAndTheGivenOutline) {
  const std::string qml = qml_text(OutlineStyle{{10, 20, 30, 255}, 1.2});
  EXPECT_NE(qml.find("singleSymbol"), std::string::npos);
  EXPECT_NE(qml.find("name=\"style\" value=\"no\""), std::string::npos) << qml;
  EXPECT_NE(qml.find("10,20,30,255"), std::string::npos) << qml;
  EXPECT_NE(qml.find("value=\"1.2\""), std::string::npos) << qml;
  EXPECT_THROW((void)qml_text(OutlineStyle{{0, 0, 0, 255}, 0}), InvalidArgument);
}

// The basemap's styles (QGIS itself loads them in tests/qgis: qgis_pack, qgis_analyse_pack).
TEST(QgisStyle, LinesAreASimpleLineAndTheBasemapRasterIsGreyWithItsAlphaBand) {
  const std::string line = qml_text(LineStyle{{1, 2, 3, 255}, 0.4});
  EXPECT_NE(line.find("<symbol type=\"line\""), std::string::npos) << line;
  EXPECT_NE(line.find("class=\"SimpleLine\""), std::string::npos);
  EXPECT_NE(line.find("name=\"line_color\" value=\"1,2,3,255\""), std::string::npos);
  EXPECT_NE(line.find("name=\"line_width\" value=\"0.4\""), std::string::npos);
  EXPECT_THROW((void)qml_text(LineStyle{{0, 0, 0, 255}, 0}), InvalidArgument);
  const std::string raster = qml_text(BasemapRasterStyle{});
  EXPECT_NE(raster.find("type=\"singlebandgray\" grayBand=\"1\" alphaBand=\"2\""),
            std::string::npos);
  EXPECT_NE(raster.find("<algorithm>NoEnhancement</algorithm>"), std::string::npos);
  EXPECT_TRUE(is_raster_style(BasemapRasterStyle{}));
  EXPECT_FALSE(is_raster_style(LineStyle{}));
  // In a project: a raster layer, and a vector layer of lines.
  const fs::path dir =
      fs::temp_directory_path() / ("hotspots_qgis_basemap_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const Crs bng = crs_from_epsg(27700);
  write_qgis_project((dir / "p.qgs").string(), "Test",
                     {{"basemap.tif", "Tiles", BasemapRasterStyle{}, bng, {}, true},
                      {"roads.geojson", "Roads", LineStyle{}, crs_from_epsg(4326), {}, true}},
                     bng, false);
  const std::string p = slurp(dir / "p.qgs");
  EXPECT_NE(p.find("<maplayer type=\"raster\""), std::string::npos);
  EXPECT_NE(p.find("<maplayer type=\"vector\" geometry=\"Line\""), std::string::npos);
  EXPECT_NE(p.find("source=\"./basemap.tif\" providerKey=\"gdal\""), std::string::npos);
  fs::remove_all(dir);
}
