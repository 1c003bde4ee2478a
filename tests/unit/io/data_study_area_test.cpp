// SPDX-License-Identifier: MIT
// A study area from the data (no boundary given): outliers by the neighbour rule, the concave
// hull of the rest, buffered. Areas against closed forms: the buffer of a square's convex hull
// is L² + 4·L·r + the area of GEOS's 32-gon circle, 16·r²·sin(π/16).

#include "hotspots/io/data_study_area.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/io/study.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

bool covers(const MultiPolygon& area, double x, double y) {
  // Even-odd ray casting over every ring (independent of the engine's point-in-polygon code).
  bool in = false;
  for (const auto& polygon : area) {
    std::vector<const Ring*> rings{&polygon.exterior};
    for (const auto& h : polygon.holes) rings.push_back(&h);
    for (const Ring* r : rings)
      for (std::size_t i = 0, j = r->size() - 1; i < r->size(); j = i++) {
        const Point& a = (*r)[i];
        const Point& b = (*r)[j];
        if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) in = !in;
      }
  }
  return in;
}

// A 2 km square of locations every 100 m (21 x 21), each with 2 incidents, plus two lone
// locations 50 km away (1 and 3 incidents).
struct Square {
  std::vector<double> x, y;
  Square() {
    for (int i = 0; i <= 20; ++i)
      for (int j = 0; j <= 20; ++j)
        for (int k = 0; k < 2; ++k)
          x.push_back(400'000 + 100.0 * i), y.push_back(300'000 + 100.0 * j);
    x.push_back(450'000), y.push_back(300'000);
    for (int k = 0; k < 3; ++k) x.push_back(400'000), y.push_back(250'000);
  }
};

TEST(DataStudyArea, ConvexHullOfASquareBufferedHasTheClosedFormArea) {
  const Square s;
  DataStudyAreaOptions o;
  o.buffer_m = 300;
  o.concavity = 1.0;  // the convex hull
  const DataStudyArea a = study_area_from_data(s.x, s.y, o);
  EXPECT_EQ(a.locations, 21 * 21 + 2);
  EXPECT_EQ(a.outlier_locations, 2);
  EXPECT_EQ(a.outlier_incidents, 4);
  ASSERT_EQ(a.inside.size(), s.x.size());
  for (std::size_t i = 0; i < s.x.size(); ++i) EXPECT_EQ(a.inside[i], i < 21u * 21u * 2u ? 1 : 0);
  const double L = 2000, r = 300;
  const double want = L * L + 4 * L * r + 16 * r * r * std::sin(std::numbers::pi / 16);
  EXPECT_NEAR(area(a.area) / want, 1.0, 1e-6);
  EXPECT_TRUE(covers(a.area, 400'000 - 299, 301'000));
  EXPECT_FALSE(covers(a.area, 400'000 - 301, 301'000));
  EXPECT_FALSE(covers(a.area, 450'000, 300'000));  // the outlier is left out
}

TEST(DataStudyArea, AConcaveHullFollowsAnLShapeWhereTheConvexHullCutsTheCorner) {
  // An L: a 3 km x 500 m bar along x and a 500 m x 3 km bar along y, locations every 100 m.
  std::vector<double> x, y;
  for (int i = 0; i <= 30; ++i)
    for (int j = 0; j <= 5; ++j) {
      x.push_back(100.0 * i), y.push_back(100.0 * j);
      x.push_back(100.0 * j), y.push_back(100.0 * i);
    }
  DataStudyAreaOptions o;
  o.buffer_m = 100;
  o.concavity = 0.0;
  const DataStudyArea concave = study_area_from_data(x, y, o);
  o.concavity = 1.0;
  const DataStudyArea convex = study_area_from_data(x, y, o);
  EXPECT_EQ(concave.outlier_locations, 0);
  // (1500, 1500) is 1 km from the L: inside the convex hull (x + y < 3500, its long edge from
  // (3000, 500) to (500, 3000)), outside the concave one.
  EXPECT_TRUE(covers(convex.area, 1500, 1500));
  EXPECT_FALSE(covers(concave.area, 1500, 1500));
  // The L's own area (3000 x 500 x 2 - 500 x 500) buffered by 100 m is the least the concave
  // hull can be; the convex hull holds the 2.5 km triangle in the corner too.
  // At most the L buffered by 100 m: its area + perimeter (12 km) x 100 m + a 100 m circle.
  const double l_area = 3000.0 * 500 * 2 - 500.0 * 500;
  EXPECT_GT(area(concave.area), l_area);
  EXPECT_LT(area(concave.area), l_area + 12'000.0 * 100 + std::numbers::pi * 100 * 100);
  EXPECT_GT(area(convex.area), l_area + 0.5 * 2500.0 * 2500 * 0.9);
}

TEST(DataStudyArea, OptionsNameTheBadFieldAndAllOutliersIsAnError) {
  DataStudyAreaOptions o;
  o.buffer_m = 0;
  EXPECT_THROW(
      {
        try {
          o.validate();
        } catch (const InvalidArgument& e) {
          EXPECT_THAT(e.what(), HasSubstr("buffer_m"));
          throw;
        }
      },
      InvalidArgument);
  o = {};
  o.concavity = 2;
  EXPECT_THROW(o.validate(), InvalidArgument);
  o = {};
  const std::vector<double> x{0, 100'000, 200'000}, y{0, 0, 0};
  try {
    (void)study_area_from_data(x, y, o);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("every one of the 3 distinct locations"));
  }
}

TEST(DataStudyArea, APreparedStudyWithoutBoundaryGetsTheAreaAndWarns) {
  testing::ScratchDir dir("data_area");
  std::string csv = "Easting,Northing\n";
  for (int i = 0; i <= 10; ++i)
    for (int j = 0; j <= 10; ++j)
      csv += std::to_string(450'000 + 100 * i) + "," + std::to_string(300'000 + 100 * j) + "\n";
  csv += "520000,300000\n";  // 70 km east: an outlier
  dir.write("xy.csv", csv);
  StudyOptions o;
  o.data_study_area = DataStudyAreaOptions{};
  const Study study = prepare_study({dir.file("xy.csv")}, o);
  EXPECT_TRUE(study.data.accounting.balanced());
  EXPECT_EQ(study.data.accounting.rejected_for(RejectReason::outside_study_area), 1);
  EXPECT_EQ(study.data.incidents.size(), 121u);
  EXPECT_FALSE(study.study_area.empty());
  ASSERT_EQ(study.data.warnings.size(), 1u);
  EXPECT_THAT(study.data.warnings[0],
              HasSubstr("no boundary given: the study area is the concave hull of the 121 "
                        "distinct incident locations, buffered by 500 m"));
  EXPECT_THAT(study.data.warnings[0], HasSubstr("1 outlying locations (1 incidents)"));
  EXPECT_THAT(study.data.warnings[0], HasSubstr("a real boundary"));
}

}  // namespace
}  // namespace hotspots
