// SPDX-License-Identifier: MIT
// Reading incidents: police.uk street CSVs and their quirks, generic CSVs, OGR point layers,
// folders and zips, filters, CRS plausibility and the row accounting (read == used + Σ rejected).
// Every fixture is written by the test itself, so every expected count is hand-countable below.

#include "hotspots/io/incidents.hpp"

#include <cpl_vsi.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hotspots/core/error.hpp"
#include "support/scratch_dir.hpp"
#include "support/vector_fixtures.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;
using testing::ScratchDir;
using testing::write_vector_layer;

constexpr const char* kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context";

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string police_row(const std::string& id, const std::string& month, const std::string& lon,
                       const std::string& lat, const std::string& location,
                       const std::string& type) {
  return id + "," + month + ",Leicestershire Police,Leicestershire Police," + lon + "," + lat +
         "," + quoted(location) + ",E01013649,Leicester 032B," + type + ",,";
}

// The police.uk fixture: 6 rows (lines 2..7), one without coordinates (line 4), two with quoted
// Location values (a comma on line 3, "" escapes on line 5). Types: Anti-social behaviour 2,
// Burglary 1, Shoplifting 1, Violence and sexual offences 2.
std::vector<std::string> police_lines() {
  return {kPoliceHeader,
          police_row("a1", "2024-01", "-1.133500", "52.635900", "On or near Gallowtree Gate",
                     "Burglary"),
          police_row("", "2024-01", "-1.140000", "52.630000", "On or near Asda, Thurmaston",
                     "Anti-social behaviour"),
          police_row("a3", "2024-01", "", "", "No location", "Violence and sexual offences"),
          police_row("a4", "2024-01", "-1.120000", "52.640000", "On or near \"The Crown\" Pub",
                     "Shoplifting"),
          police_row("a5", "2024-01", "-1.100000", "52.600000", "On or near ",
                     "Violence and sexual offences"),
          police_row("", "2024-01", "-1.090000", "52.610000", "On or near Main Road",
                     "Anti-social behaviour")};
}

std::string join_lines(const std::vector<std::string>& lines, const std::string& eol) {
  std::string s;
  for (const auto& l : lines) s += l + eol;
  return s;
}

ReadResult read_one(const std::string& path, const ReadOptions& options = {}) {
  ReadResult r = read_incidents({path}, options);
  EXPECT_TRUE(r.accounting.balanced())
      << "read " << r.accounting.read << " used " << r.accounting.used << " rejected "
      << r.accounting.rejected_total();
  return r;
}

// The message of the exception of type E that `f` throws ("" and a test failure otherwise).
template <class E, class F>
std::string thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return "";
  }
  ADD_FAILURE() << "no exception thrown";
  return "";
}

std::string category_of(const Incidents& inc, std::size_t i) {
  return inc.category[i] < 0 ? "" : inc.category_names[static_cast<std::size_t>(inc.category[i])];
}

// ---------------------------------------------------------------------------------------------
// police.uk street CSVs

TEST(Incidents, RecognisesPoliceUkHeader) {
  ScratchDir dir("inc_police");
  dir.write("2024-01-leicestershire-street.csv", join_lines(police_lines(), "\n"));
  const ReadResult r = read_one(dir.file("2024-01-leicestershire-street.csv"));
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].format, "police.uk street CSV");
  EXPECT_EQ(r.sources[0].x_field, "Longitude");
  EXPECT_EQ(r.sources[0].y_field, "Latitude");
  EXPECT_EQ(r.sources[0].crs, "EPSG:4326");
  EXPECT_EQ(r.sources[0].rows, 6);
  EXPECT_EQ(r.incidents.crs.epsg, 4326);
  // 6 rows, 1 without coordinates (line 4).
  EXPECT_EQ(r.accounting.read, 6);
  EXPECT_EQ(r.accounting.used, 5);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::no_coordinates), 1);
  EXPECT_EQ(r.accounting.rejected_total(), 1);
  const Incidents& inc = r.incidents;
  ASSERT_EQ(inc.size(), 5u);
  EXPECT_EQ(inc.line, (std::vector<std::int64_t>{2, 3, 5, 6, 7}));
  EXPECT_DOUBLE_EQ(inc.x[0], -1.1335);
  EXPECT_DOUBLE_EQ(inc.y[0], 52.6359);
  EXPECT_EQ(category_of(inc, 0), "Burglary");
  // Month is YYYY-MM only: month precision, no day.
  EXPECT_EQ(inc.date[0].month_index, 2024 * 12 + 0);
  EXPECT_FALSE(inc.date[0].has_day());
  EXPECT_DOUBLE_EQ(inc.weight[0], 1.0);
  // Crime types before filtering, sorted by name, with the row without coordinates counted.
  EXPECT_EQ(r.types_present, (std::vector<std::pair<std::string, std::int64_t>>{
                                 {"Anti-social behaviour", 2},
                                 {"Burglary", 1},
                                 {"Shoplifting", 1},
                                 {"Violence and sexual offences", 2}}));
}

TEST(Incidents, QuotedFieldsKeepCommasAndEscapedQuotes) {
  ScratchDir dir("inc_quotes");
  dir.write("x-street.csv", join_lines(police_lines(), "\n"));
  ReadOptions o;
  o.keep_rejected_rows = true;
  const ReadResult r = read_one(dir.file("x-street.csv"), o);
  const Incidents& inc = r.incidents;
  ASSERT_EQ(inc.size(), 5u);
  // Line 3: "On or near Asda, Thurmaston" must not shift the columns after it.
  EXPECT_EQ(inc.line[1], 3);
  EXPECT_DOUBLE_EQ(inc.x[1], -1.14);
  EXPECT_EQ(category_of(inc, 1), "Anti-social behaviour");
  // Line 5: "On or near ""The Crown"" Pub".
  EXPECT_EQ(inc.line[2], 5);
  EXPECT_DOUBLE_EQ(inc.y[2], 52.64);
  EXPECT_EQ(category_of(inc, 2), "Shoplifting");
}

std::string location_of(const Incidents& inc, std::size_t i) {
  const std::int32_t l = inc.location_of(i);
  return l < 0 ? "" : inc.location_names[static_cast<std::size_t>(l)];
}

TEST(Incidents, PoliceUkLocationIsKeptPerIncidentAsAnIndex) {
  ScratchDir dir("inc_location");
  std::vector<std::string> lines = police_lines();
  lines.push_back(police_row("a7", "2024-01", "-1.133500", "52.635900",
                             "On or near Gallowtree Gate", "Burglary"));
  dir.write("x-street.csv", join_lines(lines, "\n"));
  Incidents inc = read_one(dir.file("x-street.csv")).incidents;
  ASSERT_EQ(inc.size(), 6u);
  ASSERT_EQ(inc.location.size(), inc.size());
  EXPECT_EQ(location_of(inc, 0), "On or near Gallowtree Gate");
  EXPECT_EQ(location_of(inc, 1), "On or near Asda, Thurmaston");  // quoted comma
  EXPECT_EQ(location_of(inc, 2), "On or near \"The Crown\" Pub");
  EXPECT_EQ(location_of(inc, 3), "On or near");  // trimmed, still a name
  EXPECT_EQ(inc.location[5], inc.location[0]) << "one name, one index";
  EXPECT_EQ(inc.location_names.size(), 5u);
  // keep_only keeps the column in step with the others.
  inc.keep_only({0, 1, 0, 0, 1, 1});
  ASSERT_EQ(inc.location.size(), 3u);
  EXPECT_EQ(location_of(inc, 0), "On or near Asda, Thurmaston");
  EXPECT_EQ(location_of(inc, 2), "On or near Gallowtree Gate");
}

TEST(Incidents, LocationFieldOfOtherExportsIsOptional) {
  ScratchDir dir("inc_location_field");
  dir.write("force.csv",
            "ref,Easting,Northing,premises\n"
            "r1,458950,304520,Royal Infirmary\n"
            "r2,458960,304530,\n");
  EXPECT_TRUE(read_one(dir.file("force.csv")).incidents.location.empty()) << "no column named";
  ReadOptions o;
  o.location_field = "premises";
  const Incidents inc = read_one(dir.file("force.csv"), o).incidents;
  ASSERT_EQ(inc.location.size(), 2u);
  EXPECT_EQ(location_of(inc, 0), "Royal Infirmary");
  EXPECT_EQ(inc.location[1], -1) << "an empty cell is no location";
  o.location_field = "site";
  EXPECT_THAT(thrown<InputError>([&] { (void)read_incidents({dir.file("force.csv")}, o); }),
              HasSubstr("column 'site': no such column (named by --location-field)"));
}

TEST(Incidents, QuotedNewlineKeepsLineNumbersOfLaterRows) {
  ScratchDir dir("inc_newline");
  std::vector<std::string> lines = police_lines();
  lines[1] = police_row("a1", "2024-01", "-1.133500", "52.635900", "Two\nlines", "Burglary");
  dir.write("x-street.csv", join_lines(lines, "\n"));
  const ReadResult r = read_one(dir.file("x-street.csv"));
  // The first row spans lines 2-3, so the others start one line later than in police_lines().
  EXPECT_EQ(r.incidents.line, (std::vector<std::int64_t>{2, 4, 6, 7, 8}));
  EXPECT_EQ(r.accounting.read, 6);
}

TEST(Incidents, CrlfReadsLikeLf) {
  ScratchDir dir("inc_crlf");
  dir.write("lf-street.csv", join_lines(police_lines(), "\n"));
  dir.write("crlf-street.csv", join_lines(police_lines(), "\r\n"));
  ReadOptions o;
  o.keep_rejected_rows = true;
  const ReadResult lf = read_one(dir.file("lf-street.csv"), o);
  const ReadResult crlf = read_one(dir.file("crlf-street.csv"), o);
  EXPECT_EQ(crlf.sources[0].format, "police.uk street CSV");
  EXPECT_EQ(crlf.incidents.x, lf.incidents.x);
  EXPECT_EQ(crlf.incidents.y, lf.incidents.y);
  EXPECT_EQ(crlf.incidents.line, lf.incidents.line);
  EXPECT_EQ(crlf.incidents.category_names, lf.incidents.category_names);
  // The last column (Context) is empty: a trailing \r must not become part of it or of the
  // kept row text.
  ASSERT_EQ(crlf.accounting.rows.size(), 1u);
  EXPECT_EQ(crlf.accounting.rows[0].text, lf.accounting.rows[0].text);
  EXPECT_EQ(crlf.accounting.rows[0].text.find('\r'), std::string::npos);
}

TEST(Incidents, Utf8BomDoesNotHideTheFirstColumn) {
  ScratchDir dir("inc_bom");
  dir.write("bom-street.csv", "\xEF\xBB\xBF" + join_lines(police_lines(), "\r\n"));
  const ReadResult r = read_one(dir.file("bom-street.csv"));
  // "Crime ID" is the first column: with the BOM left in, the header would not be recognised.
  EXPECT_EQ(r.sources[0].format, "police.uk street CSV");
  EXPECT_EQ(r.accounting.used, 5);
}

TEST(Incidents, BlankTrailingLinesAreNoRows) {
  ScratchDir dir("inc_blank");
  dir.write("lf-street.csv", join_lines(police_lines(), "\n") + "\n");
  dir.write("crlf-street.csv", join_lines(police_lines(), "\r\n") + "\r\n\r\n");
  dir.write(
      "noeol-street.csv",
      join_lines(police_lines(), "\n").substr(0, join_lines(police_lines(), "\n").size() - 1));
  for (const char* name : {"lf-street.csv", "crlf-street.csv", "noeol-street.csv"}) {
    SCOPED_TRACE(name);
    const ReadResult r = read_one(dir.file(name));
    EXPECT_EQ(r.accounting.read, 6);
    EXPECT_EQ(r.accounting.used, 5);
  }
}

TEST(Incidents, KeepRejectedRowsKeepsEveryRowVerbatimWithItsLine) {
  ScratchDir dir("inc_keep");
  // 7 rows without coordinates (lines 2..8) and one unparsable latitude (line 9).
  std::vector<std::string> lines = {kPoliceHeader};
  for (int i = 0; i < 7; ++i) {
    std::string id = "n";
    id += std::to_string(i);
    lines.push_back(police_row(id, "2024-01", "", "", "No location, none", "Burglary"));
  }
  lines.push_back(police_row("bad", "2024-01", "-1.1", "52.6.1", "On or near X", "Drugs"));
  dir.write("k-street.csv", join_lines(lines, "\r\n"));
  ReadOptions o;
  o.skip_bad_rows = true;

  // Without keep_rejected_rows only the first examples of each reason are kept (5 here).
  const ReadResult few = read_one(dir.file("k-street.csv"), o);
  EXPECT_EQ(few.accounting.rejected_for(RejectReason::no_coordinates), 7);
  EXPECT_EQ(few.accounting.rejected_for(RejectReason::unparsable_value), 1);
  EXPECT_LT(few.accounting.rows.size(), 8u);

  o.keep_rejected_rows = true;
  const ReadResult all = read_one(dir.file("k-street.csv"), o);
  ASSERT_EQ(all.accounting.rows.size(), 8u);
  EXPECT_EQ(static_cast<std::int64_t>(all.accounting.rows.size()), all.accounting.rejected_total());
  for (std::size_t i = 0; i < all.accounting.rows.size(); ++i) {
    const RejectedRow& row = all.accounting.rows[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(row.source, 0u);
    EXPECT_EQ(row.line, static_cast<std::int64_t>(i) + 2);
    EXPECT_EQ(row.text, lines[i + 1]);  // verbatim, quotes included, no line ending
    EXPECT_EQ(row.reason, i < 7 ? RejectReason::no_coordinates : RejectReason::unparsable_value);
  }
  EXPECT_THAT(all.accounting.rows[7].detail,
              HasSubstr("column 'Latitude': '52.6.1' is not a number"));
  EXPECT_EQ(all.accounting.used, 0);
}

// ---------------------------------------------------------------------------------------------
// Folders and zips

TEST(Incidents, FolderRecursionReadsOnlyStreetCsvsInSortedOrder) {
  ScratchDir dir("inc_folder");
  std::filesystem::create_directories(dir.file("dl/2024-02"));
  std::filesystem::create_directories(dir.file("dl/2024-01/deeper"));
  const std::string one = join_lines(
      {kPoliceHeader, police_row("f", "2024-01", "-1.1", "52.6", "On or near A", "Drugs")}, "\n");
  dir.write("dl/2024-02/2024-02-leicestershire-street.csv", one);
  dir.write("dl/2024-01/deeper/2024-01-leicestershire-street.csv", one);
  dir.write("dl/2024-01/2024-01-btp-street.csv", one);
  // Not street files: outcomes, stop-and-search (both with broken CSV) and a README.
  dir.write("dl/2024-01/2024-01-leicestershire-outcomes.csv", "junk,\"\n");
  dir.write("dl/2024-01/2024-01-leicestershire-stop-and-search.csv", "junk,\"\n");
  dir.write("dl/README.txt", "not a csv");
  const ReadResult r = read_one(dir.file("dl"));
  ASSERT_EQ(r.sources.size(), 3u);
  // Sorted by full path: "2024-01/2024-01-btp..." < "2024-01/deeper/..." < "2024-02/...".
  EXPECT_EQ(r.sources[0].path, dir.file("dl/2024-01/2024-01-btp-street.csv"));
  EXPECT_EQ(r.sources[1].path, dir.file("dl/2024-01/deeper/2024-01-leicestershire-street.csv"));
  EXPECT_EQ(r.sources[2].path, dir.file("dl/2024-02/2024-02-leicestershire-street.csv"));
  EXPECT_EQ(r.accounting.read, 3);
  EXPECT_EQ(r.incidents.source, (std::vector<std::uint32_t>{0, 1, 2}));
}

TEST(Incidents, FolderWithoutStreetCsvIsIoError) {
  ScratchDir dir("inc_nofiles");
  dir.write("2024-01-leicestershire-outcomes.csv", "a,b\n");
  const std::string msg = thrown<IoError>([&] { (void)read_incidents({dir.file("")}, {}); });
  EXPECT_THAT(msg, HasSubstr("no police.uk *-street.csv file"));
}

TEST(Incidents, ZipIsReadInPlace) {
  ScratchDir dir("inc_zip");
  const std::string zip = dir.file("2024-02.zip");
  // Written through GDAL's /vsizip/ writer: no zip tool needed.
  const std::string vsi = "/vsizip/" + zip;
  auto add = [&](const std::string& member, const std::string& content) {
    VSILFILE* f = VSIFOpenL((vsi + "/" + member).c_str(), "wb");
    ASSERT_NE(f, nullptr) << member;
    ASSERT_EQ(VSIFWriteL(content.data(), 1, content.size(), f), content.size());
    VSIFCloseL(f);
  };
  {
    VSILFILE* archive = VSIFOpenL(vsi.c_str(), "wb");
    ASSERT_NE(archive, nullptr);
    add("2024-02/2024-02-leicestershire-street.csv", join_lines(police_lines(), "\r\n"));
    add("2024-01/2024-01-leicestershire-street.csv", join_lines(police_lines(), "\n"));
    add("2024-01/2024-01-leicestershire-outcomes.csv", "junk\n");
    VSIFCloseL(archive);
  }
  const ReadResult r = read_one(zip);
  ASSERT_EQ(r.sources.size(), 2u);
  EXPECT_THAT(r.sources[0].path, HasSubstr("/vsizip/"));
  EXPECT_THAT(r.sources[0].path, HasSubstr("2024-01/2024-01-leicestershire-street.csv"));
  EXPECT_THAT(r.sources[1].path, HasSubstr("2024-02/2024-02-leicestershire-street.csv"));
  EXPECT_EQ(r.accounting.read, 12);
  EXPECT_EQ(r.accounting.used, 10);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::no_coordinates), 2);
}

TEST(Incidents, MissingPathIsIoErrorNamingIt) {
  const std::string msg =
      thrown<IoError>([] { (void)read_incidents({"/nonexistent/nowhere-street.csv"}, {}); });
  EXPECT_THAT(msg, HasSubstr("/nonexistent/nowhere-street.csv"));
}

// ---------------------------------------------------------------------------------------------
// Generic CSVs

TEST(Incidents, GenericCsvDetectsEastingNorthingAsBritishNationalGrid) {
  ScratchDir dir("inc_en");
  dir.write("e.csv", "id,Easting,Northing\n1,458950,304520\n2,459000.5,304600\n");
  const ReadResult r = read_one(dir.file("e.csv"));
  EXPECT_EQ(r.sources[0].format, "CSV");
  EXPECT_EQ(r.sources[0].x_field, "Easting");
  EXPECT_EQ(r.sources[0].y_field, "Northing");
  EXPECT_TRUE(r.sources[0].fields_auto_detected);
  EXPECT_EQ(r.incidents.crs.epsg, 27700);
  EXPECT_EQ(r.incidents.x, (std::vector<double>{458950, 459000.5}));
  EXPECT_EQ(r.incidents.y, (std::vector<double>{304520, 304600}));
  EXPECT_EQ(r.incidents.category[0], -1);
  EXPECT_FALSE(r.incidents.date[0].has_month());
}

TEST(Incidents, GenericCsvDetectsLonLatAndXY) {
  ScratchDir dir("inc_ll");
  dir.write("ll.csv", "LON;LAT;what\n-1.13;52.63;a\n-1.14;52.64;b\n");  // semicolons
  const ReadResult ll = read_one(dir.file("ll.csv"));
  EXPECT_EQ(ll.sources[0].x_field, "LON");
  EXPECT_EQ(ll.incidents.crs.epsg, 4326);
  EXPECT_EQ(ll.incidents.x, (std::vector<double>{-1.13, -1.14}));

  dir.write("xy.csv", "x\ty\n458950\t304520\n");  // tabs, metres given by --src-crs
  ReadOptions o;
  o.src_crs = "EPSG:27700";
  const ReadResult xy = read_one(dir.file("xy.csv"), o);
  EXPECT_EQ(xy.sources[0].x_field, "x");
  EXPECT_EQ(xy.sources[0].y_field, "y");
  EXPECT_EQ(xy.incidents.crs.epsg, 27700);
  EXPECT_EQ(xy.incidents.y, (std::vector<double>{304520}));
}

TEST(Incidents, ExplicitCoordinateFields) {
  ScratchDir dir("inc_xf");
  dir.write("f.csv", "a,east_m,north_m,b\n1,458950,304520,2\n");
  ReadOptions o;
  o.x_field = "EAST_M";  // case-insensitive
  o.y_field = "north_m";
  const ReadResult r = read_one(dir.file("f.csv"), o);
  EXPECT_EQ(r.sources[0].x_field, "east_m");
  EXPECT_FALSE(r.sources[0].fields_auto_detected);
  // An x column named *east* defaults to British National Grid, as Easting does.
  EXPECT_EQ(r.incidents.crs.epsg, 27700);
  EXPECT_EQ(r.incidents.x, (std::vector<double>{458950}));
}

TEST(Incidents, MissingColumnErrorListsTheColumnsFound) {
  ScratchDir dir("inc_missing");
  dir.write("m.csv", "when,what,where\n2024-01-01,x,y\n");
  const std::string auto_msg =
      thrown<InputError>([&] { (void)read_incidents({dir.file("m.csv")}, {}); });
  EXPECT_THAT(auto_msg, HasSubstr("no coordinate columns found"));
  EXPECT_THAT(auto_msg, HasSubstr("columns found: when, what, where"));
  EXPECT_THAT(auto_msg, HasSubstr("--x-field"));

  ReadOptions o;
  o.x_field = "lon";
  o.y_field = "where";
  const std::string named_msg =
      thrown<InputError>([&] { (void)read_incidents({dir.file("m.csv")}, o); });
  EXPECT_THAT(named_msg, HasSubstr(dir.file("m.csv") + ":1: column 'lon': no such column"));
  EXPECT_THAT(named_msg, HasSubstr("columns found: when, what, where"));

  ReadOptions t;
  t.time_field = "committed_at";
  dir.write("t.csv", "lon,lat\n-1.1,52.6\n");
  const std::string time_msg =
      thrown<InputError>([&] { (void)read_incidents({dir.file("t.csv")}, t); });
  EXPECT_THAT(time_msg, HasSubstr("column 'committed_at': no such column (named by --time-field)"));
  EXPECT_THAT(time_msg, HasSubstr("columns found: lon, lat"));
}

TEST(Incidents, TimeCategoryAndWeightFields) {
  ScratchDir dir("inc_fields");
  dir.write("force.csv",
            "ref,Easting,Northing,committed_at,offence_group,severity\n"
            "r1,458950,304520,2024-03-14T22:35:00,Burglary,2.5\n"
            "r2,458960,304530,2024-03-15 08:00,ASB,1\n"
            "r3,458970,304540,,Burglary,0\n");
  ReadOptions o;
  o.time_field = "committed_at";
  o.category_field = "offence_group";
  o.weight_field = "severity";
  const ReadResult r = read_one(dir.file("force.csv"), o);
  const Incidents& inc = r.incidents;
  ASSERT_EQ(inc.size(), 3u);
  EXPECT_EQ(inc.date[0].to_string(), "2024-03-14T22:35");
  EXPECT_EQ(inc.date[1].to_string(), "2024-03-15T08:00");
  EXPECT_FALSE(inc.date[2].has_month());  // empty date: undated, not an error
  EXPECT_EQ(category_of(inc, 0), "Burglary");
  EXPECT_EQ(category_of(inc, 1), "ASB");
  EXPECT_EQ(inc.category[0], inc.category[2]);
  EXPECT_EQ(inc.weight, (std::vector<double>{2.5, 1.0, 0.0}));
}

TEST(Incidents, UnparsableWeightIsInputErrorUnlessSkipped) {
  ScratchDir dir("inc_weight");
  dir.write("w.csv", "x,y,w\n458950,304520,1\n458950,304520,heavy\n458950,304520,-2\n");
  ReadOptions o;
  o.src_crs = "EPSG:27700";
  o.weight_field = "w";
  const std::string msg = thrown<InputError>([&] { (void)read_incidents({dir.file("w.csv")}, o); });
  EXPECT_THAT(msg, HasSubstr(dir.file("w.csv") + ":3: column 'w': 'heavy' is not a non-negative "
                                                 "number"));
  EXPECT_THAT(msg, HasSubstr("--skip-bad-rows"));

  o.skip_bad_rows = true;
  const ReadResult r = read_one(dir.file("w.csv"), o);
  // Line 3 ('heavy') and line 4 (a negative weight) are rejected.
  EXPECT_EQ(r.accounting.read, 3);
  EXPECT_EQ(r.accounting.used, 1);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::unparsable_value), 2);
}

TEST(Incidents, UnparsableCoordinateNamesFileLineColumnAndValue) {
  ScratchDir dir("inc_badnum");
  std::vector<std::string> lines = police_lines();
  lines[2] = police_row("a2", "2024-01", "-1.2x3", "52.6", "On or near B", "Drugs");
  dir.write("b-street.csv", join_lines(lines, "\n"));
  const std::string path = dir.file("b-street.csv");
  try {
    (void)read_incidents({path}, {});
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path + ":3: column 'Longitude': '-1.2x3' is not a number"));
    EXPECT_EQ(e.path(), path);
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), "Longitude");
  }
}

TEST(Incidents, RowWithTooFewFieldsIsUnparsable) {
  ScratchDir dir("inc_short");
  dir.write("s.csv", "lon,lat,type\n-1.1,52.6,A\n-1.1\n");
  const std::string msg =
      thrown<InputError>([&] { (void)read_incidents({dir.file("s.csv")}, {}); });
  EXPECT_THAT(msg, HasSubstr(dir.file("s.csv") + ":3: the row has 1 fields, the header 3"));
  ReadOptions o;
  o.skip_bad_rows = true;
  const ReadResult r = read_one(dir.file("s.csv"), o);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::unparsable_value), 1);
}

// ---------------------------------------------------------------------------------------------
// Filters

TEST(Incidents, CrimeTypeFilterTakesNamesAndGroupsCaseInsensitively) {
  ScratchDir dir("inc_types");
  dir.write("t-street.csv", join_lines(police_lines(), "\n"));
  const std::string path = dir.file("t-street.csv");
  struct Case {
    std::vector<std::string> types;
    std::int64_t used, filtered, no_coordinates;
  };
  // police_lines(): ASB 2, Burglary 1, Shoplifting 1, Violence 2 (one without coordinates).
  // The type filter comes first, so a filtered row without coordinates counts as filtered.
  for (const Case& c :
       {Case{{"asb"}, 2, 4, 0}, Case{{"ASB"}, 2, 4, 0}, Case{{"Anti-Social Behaviour"}, 2, 4, 0},
        Case{{"violence"}, 1, 4, 1}, Case{{"burglary", "SHOPLIFTING"}, 2, 4, 0},
        Case{{"theft"}, 1, 5, 0}, Case{{"crime"}, 3, 2, 1}, Case{{"all"}, 5, 0, 1}}) {
    SCOPED_TRACE(::testing::PrintToString(c.types));
    ReadOptions o;
    o.crime_types = c.types;
    const ReadResult r = read_one(path, o);
    EXPECT_EQ(r.accounting.used, c.used);
    EXPECT_EQ(r.accounting.rejected_for(RejectReason::filtered_crime_type), c.filtered);
    EXPECT_EQ(r.accounting.rejected_for(RejectReason::no_coordinates), c.no_coordinates);
    EXPECT_EQ(r.accounting.rejected_total(), c.filtered + c.no_coordinates);
  }
}

TEST(Incidents, FilterThatEmptiesTheSelectionListsTheTypesPresent) {
  ScratchDir dir("inc_empty");
  dir.write("e-street.csv", join_lines(police_lines(), "\n"));
  ReadOptions o;
  o.crime_types = {"drugs"};
  try {
    (void)read_incidents({dir.file("e-street.csv")}, o);
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    FAIL() << "a filter that leaves nothing is a data failure (exit 1), not a usage error: "
           << e.what();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("leaves no incident"));
    EXPECT_THAT(e.what(), HasSubstr("crime types present: Anti-social behaviour (2), Burglary "
                                    "(1), Shoplifting (1), Violence and sexual offences (2)"));
  }
}

TEST(Incidents, FilterLeavingOnlyRowsWithoutCoordinatesIsAnError) {
  ScratchDir dir("inc_unplaced");
  // The only Drugs row has no coordinates: --crime-type drugs keeps it but nothing is usable,
  // which must be reported as the filter's doing, not later as "no located incidents".
  dir.write(
      "p-street.csv",
      join_lines({kPoliceHeader,
                  police_row("a1", "2024-01", "-1.1335", "52.6359", "On or near A", "Burglary"),
                  police_row("a2", "2024-01", "", "", "No location", "Drugs")},
                 "\n"));
  ReadOptions o;
  o.crime_types = {"drugs"};
  const std::string msg =
      thrown<Error>([&] { (void)read_incidents({dir.file("p-street.csv")}, o); });
  EXPECT_THAT(msg, HasSubstr("--crime-type drugs leaves no incident with coordinates (1 row "
                             "kept, none usable)"));
  EXPECT_THAT(msg, HasSubstr("crime types present: Burglary (1), Drugs (1)"));
  // Both filters at once: the type filter takes the Burglary row, the date filter the other.
  o.from = parse_date("2024-02");
  const std::string both =
      thrown<Error>([&] { (void)read_incidents({dir.file("p-street.csv")}, o); });
  EXPECT_THAT(both, HasSubstr("--crime-type drugs with --from/--to (2024-02 to end) leave no "
                              "incident; crime types present: Burglary (1), Drugs (1)"));
}

TEST(Incidents, UnknownExplicitCrimeTypeIsAnErrorListingTypesPresent) {
  ScratchDir dir("inc_unknown");
  dir.write("u-street.csv", join_lines(police_lines(), "\n"));
  ReadOptions o;
  o.crime_types = {"Burglary", "Burglery"};
  const std::string msg =
      thrown<Error>([&] { (void)read_incidents({dir.file("u-street.csv")}, o); });
  EXPECT_THAT(msg, HasSubstr("'burglery' matches no incident"));
  EXPECT_THAT(msg, HasSubstr("Shoplifting (1)"));
}

TEST(Incidents, MonthFilterIsInclusiveAtMonthPrecision) {
  ScratchDir dir("inc_months");
  std::vector<std::string> lines = {kPoliceHeader};
  // One located row per month 2023-11 .. 2024-04 (lines 2..7) and an undated one (line 8).
  for (const char* m : {"2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"})
    lines.push_back(police_row("m", m, "-1.1", "52.6", "On or near A", "Burglary"));
  lines.push_back(police_row("m", "", "-1.1", "52.6", "On or near A", "Burglary"));
  dir.write("m-street.csv", join_lines(lines, "\n"));
  ReadOptions o;
  o.from = parse_date("2023-12");
  o.to = parse_date("2024-02-10");  // a day bound still keeps the whole month of a Month row
  o.keep_rejected_rows = true;
  const ReadResult r = read_one(dir.file("m-street.csv"), o);
  EXPECT_EQ(r.accounting.used, 3);  // 2023-12, 2024-01, 2024-02
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::filtered_date), 4);  // 11, 03, 04, undated
  std::vector<std::int64_t> lines_rejected;
  for (const auto& row : r.accounting.rows) lines_rejected.push_back(row.line);
  EXPECT_EQ(lines_rejected, (std::vector<std::int64_t>{2, 6, 7, 8}));

  ReadOptions bad;
  bad.from = parse_date("2024-03");
  bad.to = parse_date("2024-01");
  EXPECT_THROW((void)read_incidents({dir.file("m-street.csv")}, bad), InvalidArgument);
}

TEST(Incidents, DateFilterThatEmptiesTheSelectionIsAnError) {
  ScratchDir dir("inc_nodates");
  dir.write("d-street.csv", join_lines(police_lines(), "\n"));
  ReadOptions o;
  o.from = parse_date("2025-01");
  const std::string msg =
      thrown<Error>([&] { (void)read_incidents({dir.file("d-street.csv")}, o); });
  EXPECT_THAT(msg, HasSubstr("leave no incident"));
}

TEST(Incidents, ExpandsGroupsIntoLowerCaseTypes) {
  EXPECT_EQ(
      expand_crime_types({"violence"}),
      (std::vector<std::string>{"violence", "violence and sexual offences", "violent crime"}));
  EXPECT_EQ(expand_crime_types({"ASB", "Drugs"}),
            (std::vector<std::string>{"anti-social behaviour", "asb", "drugs"}));
  EXPECT_TRUE(expand_crime_types({"all"}).empty());
  EXPECT_THROW((void)expand_crime_types({""}), InvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// OGR point layers

TEST(Incidents, ReadsOgrPointLayerInItsOwnCrs) {
  ScratchDir dir("inc_gpkg");
  const std::string path = dir.file("points.gpkg");
  write_vector_layer(path, "GPKG", 27700, "incidents", wkbPoint, {"type", "when", "w"},
                     {{"POINT (458950 304520)", {"Burglary", "2024-03-14T22:35", "2"}},
                      {"POINT (459950 305520)", {"Drugs", "2024-03-15", "1"}},
                      {"", {"Drugs", "2024-03-16", "1"}},
                      {"POINT (460000 306000)", {"Robbery", "2024-04-01", "1"}}});
  ReadOptions o;
  o.category_field = "type";
  o.time_field = "when";
  o.weight_field = "w";
  o.crime_types = {"burglary", "drugs"};
  const ReadResult r = read_one(path, o);
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].format, "GPKG");
  EXPECT_EQ(r.sources[0].crs, "EPSG:27700");
  EXPECT_EQ(r.incidents.crs.epsg, 27700);
  EXPECT_EQ(r.incidents.x, (std::vector<double>{458950, 459950}));
  EXPECT_EQ(r.incidents.y, (std::vector<double>{304520, 305520}));
  EXPECT_EQ(r.incidents.weight, (std::vector<double>{2, 1}));
  EXPECT_EQ(r.incidents.line, (std::vector<std::int64_t>{1, 2}));  // GeoPackage FIDs
  EXPECT_EQ(r.incidents.date[0].minute_of_day, 22 * 60 + 35);
  EXPECT_EQ(r.accounting.read, 4);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::no_coordinates), 1);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::filtered_crime_type), 1);
}

TEST(Incidents, OgrLayerWithoutCrsNeedsSrcCrs) {
  ScratchDir dir("inc_shp");
  const std::string path = dir.file("pts.shp");
  write_vector_layer(path, "ESRI Shapefile", 0, "pts", wkbPoint, {"type"},
                     {{"POINT (458950 304520)", {"Burglary"}}});
  ASSERT_FALSE(std::filesystem::exists(dir.file("pts.prj")));
  const std::string msg = thrown<CrsError>([&] { (void)read_incidents({path}, {}); });
  EXPECT_THAT(msg, HasSubstr("has no CRS"));
  EXPECT_THAT(msg, HasSubstr("--src-crs"));

  ReadOptions o;
  o.src_crs = "EPSG:27700";
  const ReadResult r = read_one(path, o);
  EXPECT_EQ(r.incidents.crs.epsg, 27700);
  EXPECT_EQ(r.accounting.used, 1);
}

TEST(Incidents, LaterInputsAreReprojectedIntoTheFirstInputsCrs) {
  ScratchDir dir("inc_mixed");
  dir.write("a.csv", "Easting,Northing\n458950,304520\n");
  dir.write("b-street.csv", join_lines(police_lines(), "\n"));
  const ReadResult r = read_incidents({dir.file("a.csv"), dir.file("b-street.csv")}, {});
  EXPECT_TRUE(r.accounting.balanced());
  EXPECT_EQ(r.incidents.crs.epsg, 27700);
  ASSERT_EQ(r.incidents.size(), 6u);
  EXPECT_EQ(r.sources[1].crs, "EPSG:4326");
  // police.uk points around Leicester (lon -1.14..-1.09, lat 52.60..52.64) land within a few
  // kilometres of the city centre in British National Grid metres (E ~459 km, N ~304 km).
  for (std::size_t i = 1; i < r.incidents.size(); ++i) {
    EXPECT_GT(r.incidents.x[i], 455000);
    EXPECT_LT(r.incidents.x[i], 465000);
    EXPECT_GT(r.incidents.y[i], 298000);
    EXPECT_LT(r.incidents.y[i], 308000);
  }
}

// ---------------------------------------------------------------------------------------------
// CRS plausibility

TEST(Incidents, EastingsInDegreeColumnsAreCrsError) {
  ScratchDir dir("inc_east");
  dir.write("e.csv", "Longitude,Latitude\n458950,304520\n459950,305520\n");
  const std::string msg = thrown<CrsError>([&] { (void)read_incidents({dir.file("e.csv")}, {}); });
  EXPECT_THAT(msg, HasSubstr("eastings/northings"));
  EXPECT_THAT(msg, HasSubstr("--src-crs"));
  // Told the truth, the same file reads.
  ReadOptions o;
  o.src_crs = "EPSG:27700";
  EXPECT_EQ(read_one(dir.file("e.csv"), o).accounting.used, 2);
}

TEST(Incidents, EastingsInPoliceUkLayoutGetAHintThatWorks) {
  ScratchDir dir("inc_police_east");
  // A force export in police.uk's layout but with National Grid metres. police.uk files are
  // always read as EPSG:4326 (--src-crs is for the user's own exports), so the hint must not
  // stop at --src-crs: naming the columns makes it a generic CSV, where --src-crs applies.
  dir.write(
      "f-street.csv",
      join_lines({kPoliceHeader, police_row("a1", "2024-01", "458737", "304591", "A", "Drugs"),
                  police_row("a2", "2024-01", "458800", "304600", "B", "Drugs")},
                 "\n"));
  ReadOptions o;
  o.src_crs = "EPSG:27700";
  const std::string msg =
      thrown<CrsError>([&] { (void)read_incidents({dir.file("f-street.csv")}, o); });
  EXPECT_THAT(msg, HasSubstr("eastings/northings"));
  EXPECT_THAT(msg, HasSubstr("--x-field"));
  o.x_field = "Longitude";
  o.y_field = "Latitude";
  const ReadResult r = read_one(dir.file("f-street.csv"), o);
  EXPECT_EQ(r.incidents.crs.epsg, 27700);
  EXPECT_EQ(r.accounting.used, 2);
  EXPECT_EQ(category_of(r.incidents, 0), "Drugs");  // the police.uk columns still apply
}

TEST(Incidents, SwappedLatitudeLongitudeInGreatBritainIsCrsError) {
  ScratchDir dir("inc_swap");
  // Leicester's latitude in the lon column and its longitude in the lat column.
  dir.write("s.csv", "lon,lat\n52.6359,-1.1335\n52.64,-1.12\n52.60,-1.10\n");
  const std::string msg = thrown<CrsError>([&] { (void)read_incidents({dir.file("s.csv")}, {}); });
  EXPECT_THAT(msg, HasSubstr("swapped"));
  EXPECT_THAT(msg, HasSubstr("--x-field"));
  ReadOptions o;
  o.x_field = "lat";
  o.y_field = "lon";
  EXPECT_EQ(read_one(dir.file("s.csv"), o).accounting.used, 3);
}

TEST(Incidents, DegreesDeclaredAsBritishNationalGridAreCrsError) {
  ScratchDir dir("inc_deg");
  dir.write("d.csv", "Easting,Northing\n-1.1335,52.6359\n-1.12,52.64\n");
  const std::string msg = thrown<CrsError>([&] { (void)read_incidents({dir.file("d.csv")}, {}); });
  EXPECT_THAT(msg, HasSubstr("EPSG:27700"));
  EXPECT_THAT(msg, HasSubstr("look like degrees"));
  EXPECT_THAT(msg, HasSubstr("--src-crs EPSG:4326"));
}

TEST(Incidents, TheDegreesCheckFollowsTheMedianRowExactly) {
  // The check settles "the median x is beyond ±180" by counting; these two files sit on either
  // side of it by one row. 5 rows: the median is the 3rd smallest x.
  ScratchDir dir("inc_deg_median");
  dir.write("a.csv", "Easting,Northing\n1.1,52.6\n1.2,52.6\n1.3,52.6\n400000,52.6\n450000,52.6\n");
  const std::string msg = thrown<CrsError>([&] { (void)read_incidents({dir.file("a.csv")}, {}); });
  EXPECT_THAT(msg, HasSubstr("look like degrees"));
  EXPECT_THAT(msg, HasSubstr("median point x = 1.3"));
  dir.write("b.csv",
            "Easting,Northing\n1.1,52.6\n1.2,52.6\n400000,52.6\n450000,52.6\n460000,52.6\n");
  EXPECT_EQ(read_one(dir.file("b.csv")).accounting.used, 5);
}

// A plain local file is mapped and its lines checked in place; a /vsi path is read in blocks
// through GDAL and checked as it comes. Both find the same over-long line at the same line, at
// the exact limit: a line of max_line_bytes bytes (its line break not counted) is fine, one more
// byte is not; a CR alone ends a line too; lines across the checker's windows (max + 1 bytes).
TEST(Incidents, LinesLongerThanTheCapAreFoundAtTheirLineMappedOrRead) {
  ScratchDir dir("inc_long_lines");
  ReadOptions o;
  o.src_crs = "EPSG:27700";
  o.max_line_bytes = 16;
  const std::string ok16 = "440000,285000.00";  // 16 bytes
  ASSERT_EQ(ok16.size(), 16u);
  std::string fine = "x,y\n";
  for (int i = 0; i < 50; ++i) fine += (i % 3 == 0 ? ok16 : std::string("440000,285000")) + "\n";
  dir.write("fine.csv", fine);
  dir.write("cr.csv", "x,y\r" + ok16 + "\r" + ok16 + "\r" + ok16 + "\n" + ok16 + "\n");
  dir.write("long.csv", fine + ok16 + "0\n" + ok16 + "\n");  // line 52 has 17 bytes
  for (const std::string prefix : {"", "/vsisubfile/0_"}) {
    SCOPED_TRACE(prefix.empty() ? "mapped" : "read through GDAL");
    const auto path = [&](const std::string& name) {
      if (prefix.empty()) return dir.file(name);
      return prefix + std::to_string(std::filesystem::file_size(dir.file(name))) + "," +
             dir.file(name);
    };
    o.max_line_bytes = 16;
    EXPECT_EQ(read_one(path("fine.csv"), o).accounting.used, 50);
    EXPECT_EQ(read_one(path("cr.csv"), o).accounting.used, 4);
    const std::string msg =
        thrown<InputError>([&] { (void)read_incidents({path("long.csv")}, o); });
    EXPECT_THAT(msg, HasSubstr("long.csv:52: the line is longer than 16 bytes"));
    o.max_line_bytes = 17;
    EXPECT_EQ(read_one(path("long.csv"), o).accounting.used, 52);
  }
}

// A large mapped file is checked for UTF-8 in parallel blocks cut after line feeds: one byte
// that is not UTF-8 anywhere in it (first block, a middle one, the last byte before the end, a
// sequence cut short at a block's end) is found, and the line it is on named, as a whole-text
// scan does; a file of valid multi-byte text throughout is not decoded.
TEST(Incidents, InvalidUtf8IsFoundAnywhereInALargeFile) {
  ScratchDir dir("inc_utf8_large");
  std::string base = "x,y,note\n";
  constexpr int kRows = 150'000;  // ~4.5 MB: several 1 MiB blocks
  for (int i = 0; i < kRows; ++i)
    base += std::to_string(440000 + i % 1000) + ",285000,caf\xC3\xA9 \xE2\x82\xAC" + "\n";
  dir.write("valid.csv", base);
  ReadOptions o;
  o.src_crs = "EPSG:27700";
  const ReadResult valid = read_one(dir.file("valid.csv"), o);
  EXPECT_EQ(valid.accounting.used, kRows);
  EXPECT_TRUE(valid.warnings.empty());
  const std::size_t row_bytes = (base.size() - 9) / kRows;
  for (const int row : {0, 40'000, 100'000, kRows - 1}) {
    for (const char* bad : {"\xE9", "\xE2\x82"}) {  // é in Windows-1252; a cut € sequence
      std::string text = base;
      const std::size_t at = 9 + static_cast<std::size_t>(row) * row_bytes + 14;  // the note
      ASSERT_EQ(text.substr(at, 4), "caf\xC3");
      text.replace(at + 3, 2, bad);
      dir.write("bad.csv", text);
      SCOPED_TRACE("row " + std::to_string(row));
      const ReadResult r = read_one(dir.file("bad.csv"), o);
      EXPECT_EQ(r.accounting.used, kRows);
      ASSERT_EQ(r.warnings.size(), 1u);
      EXPECT_THAT(r.warnings[0], HasSubstr("1 line is not valid UTF-8, read as Windows-1252 "
                                           "(first: line " +
                                           std::to_string(row + 2) + ")"));
    }
  }
}

TEST(Incidents, RowsOutsideTheCrsRangeAreCountedWhenFew) {
  ScratchDir dir("inc_range");
  // 3 good rows and one latitude beyond 90 degrees: rejected, not fatal.
  dir.write("r.csv", "lon,lat\n-1.1,52.6\n-1.2,52.7\n-1.3,52.8\n-1.1,95.0\n");
  const ReadResult r = read_one(dir.file("r.csv"));
  EXPECT_EQ(r.accounting.used, 3);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::outside_crs_range), 1);
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// median_lonlat finds each coordinate's median by counting buckets instead of selecting in a
// copy: it must give what std::nth_element at index n/2 of a copy gives (the definition it
// replaced), for clustered, repeated, constant, outlying and tiny inputs. Geographic, so that no
// transformation is involved.
TEST(MedianLonlat, IsTheNthElementMedianOfEachCoordinate) {
  const auto reference = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  std::mt19937_64 rng(7);
  std::normal_distribution<double> near(-1.13, 0.002);  // a tight cluster in one bucket
  std::uniform_real_distribution<double> wide(-8.0, 1.7);
  const std::vector<std::size_t> sizes{1, 2, 3, 4, 5, 1000, 1001, 100'000};
  for (const std::size_t n : sizes) {
    for (int shape = 0; shape < 6; ++shape) {
      Incidents inc;
      inc.crs = crs_from_epsg(4326);
      for (std::size_t i = 0; i < n; ++i) {
        double x = 0;
        double y = 52.6;
        switch (shape) {
          case 0:
            x = wide(rng), y = wide(rng) + 58;
            break;  // spread
          case 1:
            x = near(rng), y = near(rng) + 53.7;
            break;  // one cluster
          case 2:
            x = i % 3 ? -1.25 : wide(rng);
            break;  // most alike
          case 3:
            x = -1.5;
            break;  // constant
          case 4:
            x = i == 0 ? 1e308 : (i == 1 ? -1e308 : wide(rng));  // a range beyond a double
            break;
          default:
            x = i == 0 ? 1e300 : (i == 1 ? -1e300 : wide(rng));  // outliers
        }
        inc.append(x, y, 1.0, {}, -1, 0, static_cast<std::int64_t>(i));
      }
      const Point m = median_lonlat(inc);
      EXPECT_EQ(m.x, reference(inc.x)) << "n " << n << " shape " << shape;
      EXPECT_EQ(m.y, reference(inc.y)) << "n " << n << " shape " << shape;
    }
  }
}

// distinct_locations against a std::set of the pairs (== on doubles: −0.0 and +0.0 are one
// location), over repeated, zero-signed and many-collision inputs.
TEST(Incidents, DistinctLocationsCountsWhatASetOfThePairsHolds) {
  std::mt19937_64 rng(11);
  for (const std::size_t n : {0, 1, 2, 17, 5000, 200'000}) {
    Incidents inc;
    std::uniform_int_distribution<int> pick(0, 300);
    for (std::size_t i = 0; i < n; ++i) {
      const int a = pick(rng);
      const double x = a == 0 ? (i % 2 ? -0.0 : 0.0) : 440000.0 + a * 0.01;
      const double y = i % 7 == 0 ? 285000.0 : 285000.0 + static_cast<double>(i % 977);
      inc.append(x, y, 1.0, {}, -1, 0, static_cast<std::int64_t>(i));
    }
    std::set<std::pair<double, double>> brute;
    for (std::size_t i = 0; i < n; ++i) brute.insert({inc.x[i] == 0.0 ? 0.0 : inc.x[i], inc.y[i]});
    EXPECT_EQ(inc.distinct_locations(), brute.size()) << "n " << n;
  }
}

}  // namespace
}  // namespace hotspots
