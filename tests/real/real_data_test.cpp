// SPDX-License-Identifier: MIT
// The foundation on real data (shared/data/real, see its SOURCES.md): 40 months of Leicestershire
// police.uk street crime, multi-force files, and the published boundaries with their defects.
// Row counts are checked against a counter written here (plain std::ifstream and a minimal
// quote-aware field splitter, not the engine's CSV code); geometric figures against GDAL/
// Spatialite and a Python ray-casting run whose commands and results are quoted below.
// Skipped when the data folder is missing, except under CI=true, where that is a failure.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/io/study.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/tables/patrol_places.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kData = HOTSPOTS_SHARED_DATA_DIR;
const fs::path kSourceA = kData / "police_uk_mgsf08m002" / "street";
const fs::path kSourceB = kData / "police_uk_sanjiv576" / "street";

class RealData : public ::testing::Test {
 protected:
  void SetUp() override {
    if (fs::is_directory(kSourceA) && fs::is_directory(kSourceB)) return;
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
      FAIL() << "real data folder missing under CI: " << kData;
    else
      GTEST_SKIP() << "real data folder missing: " << kData
                   << " (set HOTSPOTS_SHARED_DATA_DIR at configure time)";
  }
};

// Source A's 5 Leicestershire months then source B's 35, each sorted by name (= by month).
std::vector<std::string> leicestershire_months() {
  std::vector<std::string> a;
  std::vector<std::string> b;
  for (const auto& e : fs::directory_iterator(kSourceA))
    if (e.path().filename().string().find("leicestershire") != std::string::npos)
      a.push_back(e.path().string());
  for (const auto& e : fs::directory_iterator(kSourceB))
    if (e.path().extension() == ".csv") b.push_back(e.path().string());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct FileCount {
  std::int64_t rows = 0;            // data records, header and blank lines excluded
  std::int64_t no_coordinates = 0;  // records whose 5th (Longitude) or 6th (Latitude) is empty
  std::int64_t crlf = 0;            // lines ending \r\n
  std::int64_t lines = 0;           // \n characters
};

// The independent counter: a byte-level state machine over the whole file. A quote toggles the
// quoted state (so "" escapes toggle twice and change nothing); outside quotes a comma ends a
// field and \n ends a record; \r is ignored outside quotes.
FileCount count_independently(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  FileCount c;
  bool header = true;
  bool quoted = false;
  int field = 0;
  std::size_t field_len = 0;
  std::size_t record_len = 0;
  bool empty_coordinate = false;
  auto end_field = [&] {
    if ((field == 4 || field == 5) && field_len == 0) empty_coordinate = true;
    field_len = 0;
  };
  auto end_record = [&] {
    if (record_len > 0 || field > 0) {
      if (header)
        header = false;
      else
        ++c.rows, c.no_coordinates += empty_coordinate ? 1 : 0;
    }
    field = 0;
    record_len = 0;
    empty_coordinate = false;
  };
  char previous = 0;
  for (const char ch : bytes) {
    if (ch == '\n') {
      ++c.lines;
      if (previous == '\r') ++c.crlf;
    }
    previous = ch;
    if (quoted) {
      if (ch == '"') quoted = false;
      ++field_len, ++record_len;
    } else if (ch == '"') {
      quoted = true;
      ++field_len, ++record_len;
    } else if (ch == ',') {
      end_field();
      ++field, ++record_len;
    } else if (ch == '\n') {
      end_field();
      end_record();
    } else if (ch != '\r') {
      ++field_len, ++record_len;
    }
  }
  end_field();
  end_record();
  return c;
}

std::string name_of(const std::string& path) {
  return fs::path(path).filename().string();
}

TEST_F(RealData, LeicestershireMonthsHoldTheDocumentedRowCounts) {
  const auto files = leicestershire_months();
  ASSERT_EQ(files.size(), 40u);
  ReadOptions o;
  o.keep_rejected_rows = true;  // to count rows without coordinates per file
  const ReadResult r = read_incidents(files, o);
  const RowAccounting& acc = r.accounting;
  EXPECT_TRUE(acc.balanced());
  // SOURCES.md: 344,693 rows, 8,751 without coordinates (42,855 + 301,838 rows).
  EXPECT_EQ(acc.read, 344'693);
  EXPECT_EQ(acc.rejected_for(RejectReason::no_coordinates), 8'751);
  EXPECT_EQ(acc.rejected_total(), 8'751);  // nothing else is wrong with these files
  EXPECT_EQ(acc.used, 344'693 - 8'751);

  // The same figures from the independent counter, file by file.
  ASSERT_EQ(r.sources.size(), files.size());
  std::map<std::uint32_t, std::int64_t> no_coordinates_by_source;
  for (const auto& row : acc.rows)
    if (row.reason == RejectReason::no_coordinates) ++no_coordinates_by_source[row.source];
  FileCount total;
  std::map<std::string, FileCount> by_name;
  for (std::size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i]);
    const FileCount c = count_independently(files[i]);
    EXPECT_EQ(r.sources[i].path, files[i]);
    EXPECT_EQ(r.sources[i].format, "police.uk street CSV");
    EXPECT_EQ(r.sources[i].rows, c.rows);
    EXPECT_EQ(no_coordinates_by_source[static_cast<std::uint32_t>(i)], c.no_coordinates);
    total.rows += c.rows;
    total.no_coordinates += c.no_coordinates;
    by_name[name_of(files[i])] = c;
  }
  EXPECT_EQ(total.rows, 344'693);
  EXPECT_EQ(total.no_coordinates, 8'751);
  // A few rows of SOURCES.md's per-file table (rows, rows without coordinates).
  EXPECT_EQ(by_name["2018-10-leicestershire-street.csv"].rows, 8'956);
  EXPECT_EQ(by_name["2018-10-leicestershire-street.csv"].no_coordinates, 13);
  EXPECT_EQ(by_name["2019-02-leicestershire-street.csv"].rows, 8'136);
  EXPECT_EQ(by_name["2019-02-leicestershire-street.csv"].no_coordinates, 371);
  EXPECT_EQ(by_name["2020-03-leicestershire-street.csv"].rows, 8'146);
  EXPECT_EQ(by_name["2020-03-leicestershire-street.csv"].no_coordinates, 1'157);
  EXPECT_EQ(by_name["2022-10-leicestershire-street.csv"].rows, 9'802);
  EXPECT_EQ(by_name["2022-10-leicestershire-street.csv"].no_coordinates, 402);
  // 40 consecutive months but for the gap 2019-03..2019-11 between the sources.
  std::set<std::int32_t> months;
  for (const Date& d : r.incidents.date) months.insert(d.month_index);
  EXPECT_EQ(months.size(), 40u);
  EXPECT_EQ(month_to_string(*months.begin()), "2018-10");
  EXPECT_EQ(month_to_string(*months.rbegin()), "2022-10");
}

TEST_F(RealData, CrlfFilesReadLikeLfOnes) {
  const std::string crlf = (kSourceB / "2020-03-leicestershire-street.csv").string();
  const FileCount c = count_independently(crlf);
  ASSERT_EQ(c.crlf, c.lines) << "source B is documented as CRLF throughout";
  ASSERT_EQ(c.lines, 8'147);  // header + 8,146 rows (SOURCES.md)
  // The same bytes with every \r\n turned into \n.
  testing::ScratchDir dir("real_lf");
  std::ifstream in(crlf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string lf;
  lf.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i)
    if (!(bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n')) lf += bytes[i];
  ASSERT_EQ(bytes.size() - lf.size(), 8'147u);
  dir.write("2020-03-leicestershire-street.csv", lf);

  ReadOptions o;
  o.keep_rejected_rows = true;
  const ReadResult a = read_incidents({crlf}, o);
  const ReadResult b = read_incidents({dir.file("2020-03-leicestershire-street.csv")}, o);
  EXPECT_EQ(a.accounting.read, 8'146);
  EXPECT_EQ(a.accounting.read, b.accounting.read);
  EXPECT_EQ(a.accounting.used, b.accounting.used);
  EXPECT_EQ(a.accounting.rejected, b.accounting.rejected);
  EXPECT_EQ(a.incidents.x, b.incidents.x);
  EXPECT_EQ(a.incidents.y, b.incidents.y);
  EXPECT_EQ(a.incidents.line, b.incidents.line);
  EXPECT_EQ(a.incidents.category, b.incidents.category);
  EXPECT_EQ(a.incidents.category_names, b.incidents.category_names);
  EXPECT_EQ(a.types_present, b.types_present);
  ASSERT_EQ(a.accounting.rows.size(), b.accounting.rows.size());
  for (std::size_t i = 0; i < a.accounting.rows.size(); ++i)
    ASSERT_EQ(a.accounting.rows[i].text, b.accounting.rows[i].text);
}

// Issue #11 item 7: Leicester (E06000016) violence 2021-11..2022-10. The busiest map points are
// the Royal Infirmary (126, spelled "Infirmiry" by police.uk) and Glenfield Hospital (101), ahead
// of the city centre's "Shopping Area" (86): both must be flagged, and can be left out.
TEST_F(RealData, LeicesterViolencePatrolPlacesFlagTheHospitals) {
  StudyOptions o;
  o.read.crime_types = {"violence"};
  o.read.from = Date{2021 * 12 + 10};
  o.read.to = Date{2022 * 12 + 9};
  o.boundary_paths = {(kData / "derived" / "leics_force_lad13.geojson").string()};
  o.boundary.where = "LAD13CD = 'E06000016'";
  const Study study = prepare_study({kSourceB.string()}, o);
  const Incidents& inc = study.data.incidents;
  EXPECT_EQ(inc.size(), 20'133u);
  // The counts of the issue are per map point: tally the points here and take the top three.
  std::map<std::pair<double, double>, int> by_point;
  std::map<std::pair<double, double>, std::string> name_of;
  for (std::size_t i = 0; i < inc.size(); ++i) {
    ++by_point[{inc.x[i], inc.y[i]}];
    if (inc.location_of(i) >= 0)
      name_of[{inc.x[i], inc.y[i]}] = inc.location_names[static_cast<std::size_t>(inc.location[i])];
  }
  std::vector<std::pair<int, std::string>> top;
  for (const auto& [xy, n] : by_point) top.emplace_back(n, name_of[xy]);
  std::sort(top.rbegin(), top.rend());
  const std::string infirmary = "On or near Leicester Royal Infirmiry";
  const std::string glenfield = "On or near Glenfield Hospital";
  ASSERT_GE(top.size(), 3u);
  EXPECT_EQ(top[0], std::make_pair(126, infirmary));
  EXPECT_EQ(top[1], std::make_pair(101, glenfield));
  EXPECT_EQ(top[2], std::make_pair(86, std::string("On or near Shopping Area")));

  // The default rule (the busiest 100 m cells, issue #11's winning method): the city centre's
  // blocks of cells make the first six places (Granby Street, the Shopping Area, Haymarket,
  // Humberstone Gate, Vaughan Way...), and the Royal Infirmary's and Glenfield Hospital's cells
  // are places flagged as recording locations (with no count budget: every place).
  const double km2 = area(study.study_area) / 1e6;
  {
    PatrolPlaceOptions cells;
    cells.max_count = 0;
    const PatrolPlaces r = select_patrol_places(inc, 12, km2, cells);
    EXPECT_DOUBLE_EQ(r.min_incidents, 36);
    EXPECT_DOUBLE_EQ(r.min_cell_incidents, 12);
    ASSERT_GE(r.places.size(), 10u);
    for (std::size_t k = 0; k < 6; ++k)
      EXPECT_LT(std::hypot(r.places[k].centre.x - 458'800, r.places[k].centre.y - 304'550), 1'000)
          << r.places[k].id;
    int flagged_hospitals = 0;
    for (const PatrolPlace& place : r.places) {
      EXPECT_GE(place.incidents, 36) << place.id;
      if (place.busiest_point_name == infirmary || place.busiest_point_name == glenfield)
        flagged_hospitals += place.recording_location ? 1 : 0;
    }
    EXPECT_EQ(flagged_hospitals, 2);
  }

  PatrolPlaceOptions p;
  p.shape = PatrolShape::circle;
  p.max_count = 0;  // every place of at least 36 incidents
  const PatrolPlaces r = select_patrol_places(inc, 12, km2, p);
  EXPECT_DOUBLE_EQ(r.min_incidents, 36);
  bool infirmary_flagged = false;
  bool glenfield_flagged = false;
  for (const PatrolPlace& place : r.places) {
    EXPECT_GE(place.incidents, 36) << place.id;
    if (place.busiest_point_name == infirmary) infirmary_flagged = place.recording_location;
    if (place.busiest_point_name == glenfield) glenfield_flagged = place.recording_location;
  }
  EXPECT_TRUE(infirmary_flagged);
  EXPECT_TRUE(glenfield_flagged);
  // The city centre (issue #11 item 2: one 4,006-incident hotspot, skipped by a 1 km² budget)
  // is split: the first places lie within 1 km of the Clock Tower (458,800 E, 304,550 N).
  ASSERT_GE(r.places.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k)
    EXPECT_LT(std::hypot(r.places[k].centre.x - 458'800, r.places[k].centre.y - 304'550), 1'000)
        << r.places[k].id;

  p.exclude_recording_locations = true;
  const PatrolPlaces ex = select_patrol_places(inc, 12, km2, p);
  EXPECT_NE(std::find(ex.excluded_names.begin(), ex.excluded_names.end(), infirmary),
            ex.excluded_names.end());
  EXPECT_NE(std::find(ex.excluded_names.begin(), ex.excluded_names.end(), glenfield),
            ex.excluded_names.end());
  for (const PatrolPlace& place : ex.places) {
    EXPECT_NE(place.busiest_point_name, infirmary);
    EXPECT_NE(place.busiest_point_name, glenfield);
  }
}

// Edge loss (issue #11 item 6): Leicester (E06000016) violence 2021-11..2022-10, quartic 250 m,
// 25 m cells. Incidents outside the city within one radius are smoothed (with_edge_points), so
// every study-area cell equals an independent brute-force KDE over EVERY incident of the force
// (a second read without the boundary; plain loops here, not the engine's cell loop). Dropping
// them (the old rule) reads 0 /km² in cells where the force's incidents give hundreds.
TEST_F(RealData, LeicesterDensityNearTheBoundaryCountsIncidentsJustOutside) {
  StudyOptions o;
  o.read.crime_types = {"violence"};
  o.read.from = Date{2021 * 12 + 10};
  o.read.to = Date{2022 * 12 + 9};
  o.boundary_paths = {(kData / "derived" / "leics_force_lad13.geojson").string()};
  o.boundary.where = "LAD13CD = 'E06000016'";
  o.keep_outside = true;
  const Study study = prepare_study({kSourceB.string()}, o);
  EXPECT_EQ(study.data.incidents.size(), 20'133u);
  EXPECT_EQ(static_cast<std::int64_t>(study.outside.size()),
            study.data.accounting.rejected_for(RejectReason::outside_study_area));
  StudyOptions whole = o;
  whole.boundary_paths.clear();
  whole.keep_outside = false;
  const Study force = prepare_study({kSourceB.string()}, whole);
  ASSERT_EQ(force.data.incidents.size(), study.data.incidents.size() + study.outside.size());

  const double h = 250;
  const GridSpec grid = snapped_grid(extent_of(study.study_area), 25);
  const CellMask mask = cell_mask(grid, study.study_area);
  KdeOptions kde;
  kde.radius_m = h;
  const Incidents& in = study.data.incidents;
  const SmoothingPoints s =
      with_edge_points({in.x, in.y, in.weight},
                       {study.outside.x, study.outside.y, study.outside.weight}, grid, &mask, h);
  EXPECT_GT(s.edge_incidents, 500);  // 648: the city's neighbours hold many incidents near it
  const Raster with_edge = estimate_density(s.points, grid, kde, &mask);
  const Raster without = estimate_density({in.x, in.y, in.weight}, grid, kde, &mask);

  // Brute force at the study-area cells within 300 m of a cell outside it (the edge band).
  const Incidents& all = force.data.incidents;
  std::int64_t checked = 0, zero_without = 0;
  double worst = 0, largest_lost = 0;
  for (std::int64_t r = 0; r < grid.rows; r += 2)
    for (std::int64_t c = 0; c < grid.cols; c += 2) {
      const auto i = static_cast<std::size_t>(grid.index(r, c));
      if (!mask.inside[i]) continue;
      bool near_edge = false;
      for (std::int64_t dr = -12; dr <= 12 && !near_edge; dr += 3)
        for (std::int64_t dc = -12; dc <= 12 && !near_edge; dc += 3)
          near_edge = !grid.contains_cell(r + dr, c + dc) ||
                      !mask.inside[static_cast<std::size_t>(grid.index(r + dr, c + dc))];
      if (!near_edge) continue;
      const double cx = grid.centre_x(c), cy = grid.centre_y(r);
      double sum = 0;
      for (std::size_t k = 0; k < all.size(); ++k) {
        const double d2 = (all.x[k] - cx) * (all.x[k] - cx) + (all.y[k] - cy) * (all.y[k] - cy);
        if (d2 <= h * h) sum += 3 / std::numbers::pi * (1 - d2 / (h * h)) * (1 - d2 / (h * h));
      }
      const double brute = sum / (h * h) * 1e6;
      worst = std::max(worst, std::abs(with_edge.values[i] - brute) / std::max(brute, 1.0));
      if (without.values[i] == 0 && brute > 0) ++zero_without;
      largest_lost = std::max(largest_lost, brute - without.values[i]);
      ++checked;
    }
  EXPECT_GT(checked, 1'000);
  EXPECT_LE(worst, 1e-9);
  EXPECT_GT(zero_without, 0);  // cells that read 0 without the incidents just outside
  EXPECT_GT(largest_lost, 600.0) << "incidents per km2";
}

// Default scale (issue #11 item 5): force-wide ASB 2021-11..2022-10 used to get Silverman's
// 1,199 m radius and 262 m cells (extent / 250), so hotspot 1 was a town. The nearest-neighbour
// rule gives street scale from the incidents' spacing; a second, independent figure: the median
// nearest-neighbour distance of the distinct locations by brute force over a sample of them.
TEST_F(RealData, ForceAsbDefaultScaleIsStreetScaleNotSilverman) {
  StudyOptions o;
  o.read.crime_types = {"anti-social behaviour"};
  o.read.from = Date{2021 * 12 + 10};
  o.read.to = Date{2022 * 12 + 9};
  o.boundary_paths = {(kData / "derived" / "leics_force_area_from_lad13.geojson").string()};
  const Study study = prepare_study({kSourceB.string()}, o);
  const Incidents& in = study.data.incidents;
  const double silverman = silverman_radius({in.x, in.y, in.weight});
  EXPECT_NEAR(silverman, 1'199, 1);  // the figure
  const StreetScale s = street_scale(in.x, in.y);
  EXPECT_LT(s.radius_m, 500);
  EXPECT_GT(s.radius_m, 150);
  EXPECT_LT(s.cell_size_m, 250);
  // Brute force: NN of every 20th distinct location against all distinct locations.
  std::set<std::pair<double, double>> distinct;
  for (std::size_t i = 0; i < in.size(); ++i) distinct.insert({in.x[i], in.y[i]});
  const std::vector<std::pair<double, double>> loc(distinct.begin(), distinct.end());
  EXPECT_EQ(static_cast<std::int64_t>(loc.size()), s.nn.locations);
  std::vector<double> nn;
  for (std::size_t i = 0; i < loc.size(); i += 20) {
    double best = 1e300;
    for (std::size_t j = 0; j < loc.size(); ++j)
      if (j != i)
        best =
            std::min(best, std::hypot(loc[i].first - loc[j].first, loc[i].second - loc[j].second));
    nn.push_back(best);
  }
  std::sort(nn.begin(), nn.end());
  // The sample median (outliers included) lies within 15 % of the rule's median.
  EXPECT_NEAR(nn[nn.size() / 2], s.nn.median_m, 0.15 * s.nn.median_m);
}

TEST_F(RealData, LocatedRowsOutsideTheForceArea) {
  StudyOptions o;
  o.boundary_paths = {(kData / "derived" / "leics_force_area_from_lad13.geojson").string()};
  const Study study = prepare_study(leicestershire_months(), o);
  const RowAccounting& acc = study.data.accounting;
  EXPECT_TRUE(acc.balanced());
  EXPECT_EQ(study.analysis_crs.epsg, 27700);
  EXPECT_EQ(acc.rejected_for(RejectReason::outside_crs_range), 0);
  EXPECT_EQ(study.located_before_clip, 344'693 - 8'751);
  // 656 located rows outside the force area (SOURCES.md), cross-checked twice:
  //  * GDAL 3.6.2 + Spatialite 5.0.1, in EPSG:27700:
  //      for f in <the 40 files>; do ogr2ogr -f GPKG -append x.gpkg $f
  //        -oo X_POSSIBLE_NAMES=Longitude -oo Y_POSSIBLE_NAMES=Latitude -oo KEEP_GEOM_COLUMNS=NO
  //        -s_srs EPSG:4326 -t_srs EPSG:27700 -nln pts -nlt POINT; done
  //      ogr2ogr -f GPKG -update x.gpkg derived/leics_force_area_from_lad13.geojson
  //        -t_srs EPSG:27700 -nln area
  //      ogrinfo -ro -q x.gpkg -dialect sqlite -sql "SELECT COUNT(*) FROM pts p, area a
  //        WHERE p.geom IS NOT NULL AND NOT ST_Intersects(a.geom, p.geom)"      -> 656
  //    (and 344,693 features, 8,751 of them without geometry);
  //  * Python csv module + an even-odd ray-casting test on the GeoJSON ring in lon/lat
  //    (no GEOS, no PROJ): 335,942 located rows, 656 outside.
  // Both agree exactly, so no row lies within projection-distortion distance of the border.
  EXPECT_EQ(acc.rejected_for(RejectReason::outside_study_area), 656);
  EXPECT_EQ(acc.used, 344'693 - 8'751 - 656);
  ASSERT_EQ(study.boundaries.size(), 1u);
  EXPECT_EQ(study.boundaries[0].zones.size(), 1u);
  // Area of the force polygon: ogrinfo -dialect sqlite -sql "SELECT ST_Area(ST_Transform(
  // SetSRID(geometry, 4326), 27700)) ..." -> 2,550,725,197.8 m² (same PROJ pipeline; the
  // tolerance covers summation order only).
  EXPECT_NEAR(study.boundaries[0].zones[0].area_m2, 2'550'725'197.8, 1'000.0);
}

TEST_F(RealData, MultiForceMonthReadsAndNorthernIrelandGetsIrishTransverseMercator) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kSourceA))
    if (e.path().filename().string().rfind("2019-02-", 0) == 0) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 8u);
  const ReadResult all = read_incidents(files, {});
  EXPECT_TRUE(all.accounting.balanced());
  // SOURCES.md rows: BTP 4,330 + City of London 688 + Derbyshire 8,087 + Leicestershire 8,136
  // + Northamptonshire 6,270 + Northern Ireland 11,733 + Nottinghamshire 10,914 + Warwickshire
  // 4,031 = 54,189; without coordinates 0 + 29 + 0 + 371 + 0 + 79 + 107 + 15 = 601.
  EXPECT_EQ(all.accounting.read, 54'189);
  EXPECT_EQ(all.accounting.rejected_for(RejectReason::no_coordinates), 601);
  EXPECT_EQ(all.accounting.rejected_total(), 601);

  // Northern Ireland alone is not in Great Britain: its median point (Python: statistics.median
  // of the 11,654 located Longitude values = -6.0175045) lies on the island of Ireland, so the
  // analysis CRS is Irish Transverse Mercator, EPSG:2157 (it was the UTM zone 29N before #13).
  const Study ni = prepare_study({(kSourceA / "2019-02-northern-ireland-street.csv").string()}, {});
  EXPECT_EQ(ni.analysis_crs.epsg, 2157);
  EXPECT_THAT(ni.crs_reason, HasSubstr("island of Ireland"));
  EXPECT_TRUE(ni.data.warnings.empty());
  EXPECT_EQ(ni.data.accounting.used, 11'733 - 79);
  // British Transport Police (median in London) stays on the National Grid, its Scottish
  // stations included.
  const Study btp = prepare_study({(kSourceA / "2019-02-btp-street.csv").string()}, {});
  EXPECT_EQ(btp.analysis_crs.epsg, 27700);
  EXPECT_EQ(btp.data.accounting.used, 4'330);
  // All eight: one warning that they are mixed, one for BTP, one for Northern Ireland.
  const Study all8 = prepare_study(files, {});
  ASSERT_EQ(all8.data.warnings.size(), 3u);
  EXPECT_THAT(all8.data.warnings[0], HasSubstr("the study mixes 8 police forces (btp 4,330, "));
  EXPECT_THAT(all8.data.warnings[1], HasSubstr("British Transport Police's 4,330 incidents"));
  EXPECT_THAT(all8.data.warnings[2],
              HasSubstr("Police Service of Northern Ireland's 11,654 incidents are mixed with "
                        "41,934 in Great Britain and analysed in EPSG:27700"));
}

TEST_F(RealData, LsoaBoundariesAreRepairedWhereInvalid) {
  const ZoneLayer layer = read_zones((kData / "derived" / "leics_force_lsoa11.geojson").string(),
                                     {}, crs_from_epsg(27700));
  EXPECT_EQ(layer.zones.size(), 611u);
  EXPECT_EQ(layer.id_field, "LSOA11CD");
  EXPECT_EQ(layer.name_field, "LSOA11NM");
  // ogrinfo -dialect sqlite -sql "SELECT LSOA11CD FROM lsoa11 WHERE NOT ST_IsValid(geometry)"
  // -> the same 4 LSOAs, invalid by ring self-intersection, in lon/lat and after
  // ogr2ogr -t_srs EPSG:27700 alike.
  std::set<std::string> repaired;
  for (const auto& r : layer.repairs) repaired.insert(r.zone_id);
  EXPECT_EQ(repaired, (std::set<std::string>{"E01013619", "E01013633", "E01013792", "E01025861"}));
  EXPECT_EQ(layer.repairs.size(), 4u);
  for (const auto& r : layer.repairs) EXPECT_THAT(r.reason, HasSubstr("Self-intersection"));
}

TEST_F(RealData, TopoJsonDistrictsFilterToBlaby) {
  const std::string topo =
      (kData / "boundaries_martinjc_uk_geojson" / "lad" / "topo_lad_england.json").string();
  ZoneReadOptions o;
  o.where = "LAD13NM = 'Blaby'";
  // TopoJSON declares no CRS (GDAL reports none), so it must be given.
  try {
    (void)read_zones(topo, o, crs_from_epsg(27700));
    FAIL() << "no exception";
  } catch (const CrsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--boundary-crs EPSG:4326"));
  }
  o.assume_crs = "EPSG:4326";
  const ZoneLayer layer = read_zones(topo, o, crs_from_epsg(27700));
  ASSERT_EQ(layer.zones.size(), 1u);
  EXPECT_EQ(layer.zones[0].id, "E07000129");
  EXPECT_EQ(layer.zones[0].name, "Blaby");
  // Invalid as published (ogrinfo: ST_IsValid = 0): repaired.
  ASSERT_EQ(layer.repairs.size(), 1u);
  EXPECT_EQ(layer.repairs[0].zone_id, "E07000129");
  // ST_Area(ST_Transform(SetSRID(geometry, 4326), 27700)) of the unrepaired ring is
  // 130,583,853 m² (ONS gives Blaby 130.5 km²); the repair moves little area.
  EXPECT_NEAR(layer.zones[0].area_m2, 130'583'853.0, 130'583'853.0 * 0.01);
}

TEST_F(RealData, KmlForceAreaReads) {
  const ZoneLayer kml = read_zones((kData / "derived" / "leics_force_area_from_lad13.kml").string(),
                                   {}, crs_from_epsg(27700));
  ASSERT_EQ(kml.zones.size(), 1u);
  EXPECT_EQ(kml.layer_name, "leicestershire");
  EXPECT_TRUE(kml.repairs.empty());
  // The same polygon as the GeoJSON (ogr2ogr -f KML of it): the same area, 2,550,725,197.8 m².
  EXPECT_NEAR(kml.zones[0].area_m2, 2'550'725'197.8, 1'000.0);
}

}  // namespace
}  // namespace hotspots
