// SPDX-License-Identifier: MIT
// Golden runs of `hotspots info`: exit codes and messages for every kind of bad input, the
// --json report and its row accounting, the --rejects file, and that a failed run writes nothing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;
using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

constexpr const char* kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context";

// Six police.uk rows (lines 2..7): line 4 has no coordinates, line 6 lies in London, far
// outside boundary_geojson(); the other four lie in Leicester, inside it.
const std::vector<std::string>& police_lines() {
  static const std::vector<std::string> lines = {
      kPoliceHeader,
      "a1,2024-01,Leicestershire Police,Leicestershire Police,-1.133500,52.635900,On or near "
      "Gallowtree Gate,E01013649,Leicester 032B,Burglary,Under investigation,",
      ",2024-01,Leicestershire Police,Leicestershire Police,-1.140000,52.630000,\"On or near "
      "Asda, Thurmaston\",E01025631,Charnwood 001A,Anti-social behaviour,,",
      "a3,2024-02,Leicestershire Police,Leicestershire Police,,,No location,,,Violence and "
      "sexual offences,Unable to prosecute suspect,",
      "a4,2024-02,Leicestershire Police,Leicestershire Police,-1.120000,52.640000,\"On or near "
      "\"\"The Crown\"\" Pub\",E01013650,Leicester 033A,Shoplifting,,",
      "a5,2024-03,Leicestershire Police,Leicestershire Police,-0.127600,51.507200,On or near "
      "Whitehall,E01004736,Westminster 018A,Violence and sexual offences,,",
      ",2024-03,Leicestershire Police,Leicestershire Police,-1.090000,52.610000,On or near Main "
      "Road,E01013651,Leicester 034C,Anti-social behaviour,,"};
  return lines;
}

std::string police_csv() {
  std::string s;
  for (const auto& l : police_lines()) s += l + "\r\n";
  return s;
}

// One district-like square around Leicester, (-1.2, 52.55) .. (-1.0, 52.7), lon/lat.
constexpr const char* kBoundary =
    R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
    R"({"LAD13CD":"E06000016","LAD13NM":"Leicester"},"geometry":{"type":"Polygon",)"
    R"("coordinates":[[[-1.2,52.55],[-1.0,52.55],[-1.0,52.7],[-1.2,52.7],[-1.2,52.55]]]}}]})";

// Records of an RFC 4180 CSV text (quoted fields may hold commas, quotes and newlines).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
    } else if (c == '\n') {
      record.push_back(field);
      field.clear();
      records.push_back(record);
      record.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

std::vector<std::string> files_in(const ScratchDir& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("")))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// ---------------------------------------------------------------------------------------------
// Failures: exit code 1 for data, 2 for usage, the message says what and where.

TEST(InfoCli, MissingPathExits1NamingThePath) {
  const auto r = run_cli({"info", "/nonexistent/2024-01-leicestershire-street.csv"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("hotspots info: /nonexistent/2024-01-leicestershire-street.csv"));
  EXPECT_THAT(r.err, HasSubstr("no such file"));
  EXPECT_EQ(r.out, "");
}

TEST(InfoCli, UnknownFormatExits1) {
  ScratchDir dir("info_xyz");
  dir.write("blob.xyz", std::string("\x00\x01\x02\x03\xff\xfe binary", 13));
  const auto r = run_cli({"info", dir.file("blob.xyz")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.file("blob.xyz")));
  EXPECT_THAT(r.err, HasSubstr("unknown format"));
}

TEST(InfoCli, MissingColumnsExit1ListingTheColumnsFound) {
  ScratchDir dir("info_cols");
  dir.write("force.csv", "ref,when,offence\nr1,2024-01-01,Burglary\n");
  const auto r = run_cli({"info", dir.file("force.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.file("force.csv") + ":1: no coordinate columns found"));
  EXPECT_THAT(r.err, HasSubstr("columns found: ref, when, offence"));
}

TEST(InfoCli, UnparsableNumberExits1WithFileLineColumnAndValue) {
  ScratchDir dir("info_num");
  std::string csv = police_csv();
  csv.replace(csv.find("-1.120000"), 9, "-1.2x3");  // line 5
  dir.write("2024-01-street.csv", csv);
  const auto r = run_cli({"info", dir.file("2024-01-street.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.file("2024-01-street.csv") +
                               ":5: column 'Longitude': '-1.2x3' is not a number"));
  EXPECT_THAT(r.err, HasSubstr("--skip-bad-rows"));
  // With --skip-bad-rows the row is counted and the run succeeds.
  const auto skipped =
      run_cli({"info", dir.file("2024-01-street.csv"), "--skip-bad-rows", "--json"});
  ASSERT_EQ(skipped.code, 0) << skipped.err;
  const auto j = nlohmann::json::parse(skipped.out);
  EXPECT_EQ(j["rows"]["rejected_by_reason"]["unparsable_value"], 1);
}

TEST(InfoCli, FilterThatEmptiesTheSelectionExits1ListingTypesPresent) {
  ScratchDir dir("info_filter");
  dir.write("2024-01-street.csv", police_csv());
  const auto r = run_cli({"info", dir.file("2024-01-street.csv"), "--crime-type", "drugs"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("--crime-type drugs leaves no incident"));
  EXPECT_THAT(r.err, HasSubstr("crime types present: Anti-social behaviour (2), Burglary (1), "
                               "Shoplifting (1), Violence and sexual offences (2)"));
  const auto typo = run_cli({"info", dir.file("2024-01-street.csv"), "--crime-type", "Arson"});
  EXPECT_EQ(typo.code, 1);
  EXPECT_THAT(typo.err, HasSubstr("'arson' matches no incident"));
}

TEST(InfoCli, BoundaryWithoutPolygonsExits1) {
  ScratchDir dir("info_pts");
  dir.write("2024-01-street.csv", police_csv());
  dir.write("points.geojson",
            R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
            R"("geometry":{"type":"Point","coordinates":[-1.13,52.63]}}]})");
  const auto r = run_cli({"info", dir.file("2024-01-street.csv"), "--boundary",
                          dir.file("points.geojson"), "--rejects", dir.file("rejects.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.file("points.geojson")));
  EXPECT_THAT(r.err, HasSubstr("holds no polygon"));
  EXPECT_EQ(r.out, "");
  // Nothing is written on failure, not even a temporary file.
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"2024-01-street.csv", "points.geojson"}));
}

TEST(InfoCli, FailedReadWritesNoRejectsFile) {
  ScratchDir dir("info_nowrite");
  std::string csv = police_csv();
  csv.replace(csv.find("52.640000"), 9, "52.6.4");
  dir.write("2024-01-street.csv", csv);
  const auto r = run_cli(
      {"info", dir.file("2024-01-street.csv"), "--rejects", dir.file("rejects.csv"), "--json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"2024-01-street.csv"}));
}

TEST(InfoCli, BadOptionsExit2) {
  ScratchDir dir("info_usage");
  dir.write("2024-01-street.csv", police_csv());
  const std::string in = dir.file("2024-01-street.csv");
  const auto unknown = run_cli({"info", in, "--no-such-option"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("--no-such-option"));
  EXPECT_EQ(run_cli({"info"}).code, 2);                           // INPUT is required
  EXPECT_EQ(run_cli({"info", in, "--json", "--t_srs"}).code, 2);  // option without its value
  const auto bad_month = run_cli({"info", in, "--from", "2024-13"});
  EXPECT_EQ(bad_month.code, 2);
  EXPECT_THAT(bad_month.err, HasSubstr("--from '2024-13'"));
  const auto reversed = run_cli({"info", in, "--from", "2024-03", "--to", "2024-01"});
  EXPECT_EQ(reversed.code, 2);
  EXPECT_THAT(reversed.err, HasSubstr("--to is before --from"));
  const auto half = run_cli({"info", in, "--x-field", "Longitude"});
  EXPECT_EQ(half.code, 2);
  EXPECT_THAT(half.err, HasSubstr("--x-field and --y-field go together"));
  const auto geographic = run_cli({"info", in, "--t_srs", "EPSG:4326"});
  EXPECT_EQ(geographic.code, 1);  // a CRS unsuitable for the data is a CrsError
  EXPECT_THAT(geographic.err, HasSubstr("EPSG:4326 is geographic"));
}

TEST(InfoCli, HelpExits0WithExamples) {
  const auto r = run_cli({"info", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("Examples:"));
  EXPECT_THAT(r.out, HasSubstr("hotspots info"));
  EXPECT_THAT(r.out, HasSubstr("--crime-type"));
  EXPECT_THAT(r.out, HasSubstr("asb"));
  EXPECT_EQ(r.err, "");
}

// ---------------------------------------------------------------------------------------------
// Successful runs

TEST(InfoCli, JsonReportParsesAndItsRowAccountingBalances) {
  ScratchDir dir("info_json");
  dir.write("2024-01-street.csv", police_csv());
  dir.write("leicester.geojson", kBoundary);
  const auto r = run_cli({"info", dir.file("2024-01-street.csv"), "--boundary",
                          dir.file("leicester.geojson"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // a clean run is quiet
  const auto j = nlohmann::json::parse(r.out);
  const auto& rows = j["rows"];
  std::int64_t by_reason = 0;
  for (const auto& [reason, n] : rows["rejected_by_reason"].items())
    by_reason += n.get<std::int64_t>();
  EXPECT_EQ(rows["rejected"].get<std::int64_t>(), by_reason);
  EXPECT_EQ(rows["read"].get<std::int64_t>(),
            rows["used"].get<std::int64_t>() + rows["rejected"].get<std::int64_t>());
  // By hand from police_lines(): 6 rows, line 4 without coordinates, line 6 in London.
  EXPECT_EQ(rows["read"], 6);
  EXPECT_EQ(rows["used"], 4);
  EXPECT_EQ(rows["rejected_by_reason"]["no_coordinates"], 1);
  EXPECT_EQ(rows["rejected_by_reason"]["outside_study_area"], 1);
  EXPECT_EQ(j["sources"][0]["format"], "police.uk street CSV");
  EXPECT_EQ(j["sources"][0]["rows"], 6);
  EXPECT_EQ(j["months"]["first"], "2024-01");
  EXPECT_EQ(j["months"]["last"], "2024-03");
  EXPECT_EQ(j["months"]["per_month"],
            (nlohmann::json{{"2024-01", 2}, {"2024-02", 1}, {"2024-03", 1}}));
  EXPECT_EQ(j["crime_types"],
            (nlohmann::json{{"Anti-social behaviour", 2}, {"Burglary", 1}, {"Shoplifting", 1}}));
  EXPECT_EQ(j["distinct_locations"], 4);
  EXPECT_EQ(j["source_crs"], "EPSG:4326");
  EXPECT_EQ(j["analysis_crs"], "EPSG:27700");
  ASSERT_EQ(j["boundaries"].size(), 1u);
  EXPECT_EQ(j["boundaries"][0]["features"], 1);
  EXPECT_EQ(j["boundaries"][0]["inside"], 4);
  EXPECT_EQ(j["boundaries"][0]["outside"], 1);
  EXPECT_EQ(j["boundaries"][0]["per_feature"][0]["id"], "E06000016");
  EXPECT_EQ(j["boundaries"][0]["per_feature"][0]["name"], "Leicester");
  EXPECT_EQ(j["boundaries"][0]["per_feature"][0]["incidents"], 4);
}

TEST(InfoCli, TextReportCountsRows) {
  ScratchDir dir("info_text");
  dir.write("2024-01-street.csv", police_csv());
  const auto r = run_cli({"info", dir.file("2024-01-street.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("Rows read                  6  (1 file)"));
  EXPECT_THAT(r.out, HasSubstr("Rows used                  5"));
  EXPECT_THAT(r.out, HasSubstr("no_coordinates"));
  EXPECT_THAT(r.out, HasSubstr("Months          2024-01 .. 2024-03 (3 with incidents)"));
  EXPECT_THAT(r.out, HasSubstr("Analysis CRS    EPSG:27700"));
}

TEST(InfoCli, RejectsFileHoldsOneRowPerRejectedRow) {
  ScratchDir dir("info_rejects");
  dir.write("2024-01-street.csv", police_csv());
  dir.write("leicester.geojson", kBoundary);
  const std::string rejects = dir.file("rejects.csv");
  const auto r = run_cli({"info", dir.file("2024-01-street.csv"), "--boundary",
                          dir.file("leicester.geojson"), "--rejects", rejects, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::string text = read_file(rejects);
  // A UTF-8 byte order mark for Excel, then the header.
  ASSERT_EQ(text.rfind("\xEF\xBB\xBF", 0), 0u);
  const auto records = parse_csv(text.substr(3));
  ASSERT_GE(records.size(), 1u);
  EXPECT_EQ(records[0],
            (std::vector<std::string>{"source_file", "line", "reason", "detail", "row"}));
  ASSERT_EQ(static_cast<std::int64_t>(records.size()) - 1,
            j["rows"]["rejected"].get<std::int64_t>());
  ASSERT_EQ(records.size(), 3u);
  // Sorted by line; the row text is the input line verbatim, also for the row rejected after
  // reading (outside the study area), whose text is fetched back from the file.
  EXPECT_EQ(records[1][0], dir.file("2024-01-street.csv"));
  EXPECT_EQ(records[1][1], "4");
  EXPECT_EQ(records[1][2], "no_coordinates");
  EXPECT_EQ(records[1][4], police_lines()[3]);
  EXPECT_EQ(records[2][1], "6");
  EXPECT_EQ(records[2][2], "outside_study_area");
  EXPECT_EQ(records[2][4], police_lines()[5]);

  // An existing rejects file is not clobbered without --overwrite.
  const auto again = run_cli({"info", dir.file("2024-01-street.csv"), "--rejects", rejects});
  EXPECT_EQ(again.code, 1);
  EXPECT_THAT(again.err, HasSubstr(rejects));
  EXPECT_EQ(parse_csv(read_file(rejects)).size(), 3u);
  const auto overwritten =
      run_cli({"info", dir.file("2024-01-street.csv"), "--rejects", rejects, "--overwrite"});
  ASSERT_EQ(overwritten.code, 0) << overwritten.err;
  EXPECT_EQ(parse_csv(read_file(rejects)).size(), 2u);  // header + the row without coordinates
}

}  // namespace
}  // namespace hotspots
