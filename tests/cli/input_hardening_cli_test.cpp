// SPDX-License-Identifier: MIT
// Issue #16, readers part: hostile or odd inputs made here by generators (no committed binaries),
// each with the exit code and message the CLI must give, and read == used + Σ rejected wherever
// rows are counted.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

constexpr const char* kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context";

// A police.uk row in Leicester; `type` is the crime type, `extra` appended verbatim.
std::string police_row(int i, const std::string& type, const std::string& extra = "") {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on "literal" + std::string.
  std::string row = "c";
  row += std::to_string(i);
  row += ",2024-01,Leicestershire Police,Leicestershire Police,";
  row += std::to_string(-1.13 - 0.001 * (i % 50));
  row += ",";
  row += std::to_string(52.63 + 0.001 * (i % 40));
  row += ",On or near Main Road,E01013649,Leicester 032B,";
  row += type;
  row += ",,";
  row += extra;
  return row;
}

std::string police_csv(int rows, const std::string& eol) {
  std::string s = std::string(kPoliceHeader) + eol;
  for (int i = 0; i < rows; ++i) s += police_row(i, i % 2 ? "Burglary" : "Drugs") + eol;
  return s;
}

// An independent UTF-8 check (RFC 3629 by code point ranges), not the engine's.
bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

// info --json's row accounting must balance: read == used + Σ rejected_by_reason.
nlohmann::json info_json(const std::vector<std::string>& args, int expect_code = 0,
                         std::string* err = nullptr) {
  std::vector<std::string> full = {"info", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  const auto r = run_cli(full);
  EXPECT_EQ(r.code, expect_code) << r.err;
  if (err) *err = r.err;
  EXPECT_TRUE(valid_utf8(r.out));
  nlohmann::json j = nlohmann::json::parse(r.out);  // throws on invalid UTF-8
  std::int64_t rejected = 0;
  for (const auto& [reason, n] : j["rows"]["rejected_by_reason"].items())
    rejected += n.get<std::int64_t>();
  EXPECT_EQ(j["rows"]["read"].get<std::int64_t>(),
            j["rows"]["used"].get<std::int64_t>() + rejected);
  EXPECT_EQ(j["rows"]["rejected"].get<std::int64_t>(), rejected);
  return j;
}

// ---------------------------------------------------------------------------------------------
// 5. Text encoding

TEST(InputEncoding, Windows1252CrimeTypesAreDecodedWithOneWarningNamingFileAndLine) {
  ScratchDir dir("enc1252");
  // Lines 2 and 4 in Windows-1252 (é = E9, £ = A3, € = 80), line 3 plain ASCII.
  std::string csv = std::string(kPoliceHeader) + "\n" +
                    police_row(1,
                               "Caf\xE9 \xA3"
                               "5") +
                    "\n" + police_row(2, "Burglary") + "\n" + police_row(3, "\x80 fraud") + "\n";
  dir.write("2024-01-x-street.csv", csv);
  std::string err;
  const auto j = info_json({dir.file("2024-01-x-street.csv")}, 0, &err);
  EXPECT_EQ(j["rows"]["read"], 3);
  EXPECT_EQ(j["crime_types"]["Caf\xC3\xA9 \xC2\xA3"
                             "5"],
            1);
  EXPECT_EQ(j["crime_types"]["\xE2\x82\xAC fraud"], 1);
  EXPECT_THAT(err, HasSubstr("2024-01-x-street.csv: 2 lines are not valid UTF-8, read as "
                             "Windows-1252 (first: line 2)"));
  // Once per file, not once per line.
  EXPECT_EQ(err.find("Windows-1252"), err.rfind("Windows-1252"));
}

TEST(InputEncoding, ValidUtf8LinesAreKeptBesideWindows1252Lines) {
  ScratchDir dir("encmixed");
  std::string csv = std::string(kPoliceHeader) + "\n" + police_row(1, "Caf\xC3\xA9") + "\n" +
                    police_row(2, "Caf\xE9") + "\n";
  dir.write("m-street.csv", csv);
  std::string err;
  const auto j = info_json({dir.file("m-street.csv")}, 0, &err);
  EXPECT_EQ(j["crime_types"]["Caf\xC3\xA9"], 2);
  EXPECT_THAT(err, HasSubstr("1 line is not valid UTF-8, read as Windows-1252 (first: line 3)"));
}

TEST(InputEncoding, EncodingOptionForcesOneCodePage) {
  ScratchDir dir("encforce");
  std::string csv = std::string(kPoliceHeader) + "\r\n" + police_row(1, "\x80 x") + "\r\n";
  dir.write("f-street.csv", csv);
  // UTF-8 forced: the invalid byte stops the run at file:line and says what to give.
  auto r = run_cli({"info", dir.file("f-street.csv"), "--encoding", "utf-8"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("f-street.csv:2"));
  EXPECT_THAT(r.err, HasSubstr("byte 0x80 is not valid UTF-8"));
  EXPECT_THAT(r.err, HasSubstr("--encoding windows-1252"));
  // Latin-1 maps 0x80 to U+0080, Windows-1252 to the euro sign; neither warns.
  std::string err;
  auto j = info_json({dir.file("f-street.csv"), "--encoding", "latin-1"}, 0, &err);
  EXPECT_EQ(j["crime_types"]["\xC2\x80 x"], 1);
  EXPECT_THAT(err, Not(HasSubstr("warning")));
  j = info_json({dir.file("f-street.csv"), "--encoding", "windows-1252"}, 0, &err);
  EXPECT_EQ(j["crime_types"]["\xE2\x82\xAC x"], 1);
  r = run_cli({"info", dir.file("f-street.csv"), "--encoding", "ebcdic"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--encoding 'ebcdic': expected utf-8, windows-1252 or latin-1"));
}

TEST(InputEncoding, FileNamesThatAreNotUtf8AreShownWithReplacement) {
  ScratchDir dir("encname");
  dir.write("caf\xE9-street.csv", police_csv(3, "\n"));
  const auto j = info_json({dir.file("caf\xE9-street.csv")});
  EXPECT_EQ(j["rows"]["used"], 3);
  EXPECT_THAT(j["sources"][0]["path"].get<std::string>(), HasSubstr("caf\xEF\xBF\xBD-street.csv"));
}

TEST(InputEncoding, BoundaryAttributesAreDecodedToo) {
  ScratchDir dir("encboundary");
  dir.write(
      "b.geojson",
      "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
      "{\"LAD13CD\":\"E1\",\"LAD13NM\":\"Leic\xE9ster\"},\"geometry\":{\"type\":\"Polygon\","
      "\"coordinates\":[[[-1.2,52.55],[-1.0,52.55],[-1.0,52.7],[-1.2,52.7],[-1.2,52.55]]]}}]}");
  dir.write("p-street.csv", police_csv(4, "\n"));
  std::string err;
  const auto j =
      info_json({dir.file("p-street.csv"), "--boundary", dir.file("b.geojson")}, 0, &err);
  ASSERT_EQ(j["boundaries"].size(), 1u);
  EXPECT_EQ(j["boundaries"][0]["per_feature"][0]["name"], "Leic\xC3\xA9ster");
  EXPECT_EQ(j["boundaries"][0]["inside"], 4);
}

TEST(InputEncoding, AnalyseOfAWindows1252ForceExportWritesOnlyUtf8) {
  ScratchDir dir("encanalyse");
  // The sample force export with two offence groups renamed in Windows-1252.
  std::string csv = read_file(kSample + "/force_export.csv");
  for (const auto& [from, to] : {std::pair<std::string, std::string>{",Theft,",
                                                                     ",Th\xE9"
                                                                     "ft \xA3,"},
                                 {",Violence,", ",Viol\xE9nce,"}}) {
    for (std::size_t p = csv.find(from); p != std::string::npos; p = csv.find(from, p + to.size()))
      csv.replace(p, from.size(), to);
  }
  dir.write("force.csv", csv);
  const auto r = run_cli({"analyse", dir.file("force.csv"), "--time-field", "committed_at",
                          "--category-field", "offence_group", "--groups",
                          "all,Th\xC3\xA9"
                          "ft \xC2\xA3",
                          "--boundary", kSample + "/districts.geojson", "-o", dir.file("pack")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("force.csv:"));
  EXPECT_THAT(r.err, HasSubstr("read as Windows-1252"));
  int text_files = 0;
  bool saw_name = false;
  for (const auto& e : fs::recursive_directory_iterator(dir.file("pack"))) {
    const std::string ext = e.path().extension().string();
    if (ext != ".csv" && ext != ".geojson" && ext != ".json" && ext != ".md" && ext != ".txt" &&
        ext != ".html" && ext != ".qml")
      continue;
    ++text_files;
    const std::string text = read_file(e.path().string());
    EXPECT_TRUE(valid_utf8(text)) << e.path();
    saw_name |= text.find(
                    "Th\xC3\xA9"
                    "ft \xC2\xA3") != std::string::npos;
  }
  EXPECT_GT(text_files, 0);
  EXPECT_TRUE(saw_name) << "the decoded offence group appears in some output";
}

// ---------------------------------------------------------------------------------------------
// 6. Folder walk

TEST(InputFolders, LinkLoopsAndLinksBackAreSkippedWithWarnings) {
  ScratchDir dir("walkloop");
  fs::create_directories(dir.file("data/2024-01"));
  dir.write("data/2024-01/2024-01-a-street.csv", police_csv(5, "\n"));
  fs::create_symlink("l2", dir.file("data/l1"));
  fs::create_symlink("l1", dir.file("data/l2"));
  fs::create_directory_symlink("..", dir.file("data/2024-01/up"));  // a loop through a folder
  std::string err;
  const auto j = info_json({dir.file("data")}, 0, &err);
  EXPECT_EQ(j["rows"]["read"], 5);  // the file once, though reachable through "up" again
  EXPECT_EQ(j["sources"].size(), 1u);
  EXPECT_THAT(err, HasSubstr("l1: cannot follow (Too many levels of symbolic links); skipped"));
  EXPECT_THAT(err, HasSubstr("up: a link to a folder already searched"));
}

TEST(InputFolders, UnreadableFolderIsAWarning) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every folder; run as a user to test this";
  ScratchDir dir("walkperm");
  fs::create_directories(dir.file("data/locked"));
  dir.write("data/2024-01-a-street.csv", police_csv(2, "\n"));
  ::chmod(dir.file("data/locked").c_str(), 0);
  std::string err;
  const auto j = info_json({dir.file("data")}, 0, &err);
  ::chmod(dir.file("data/locked").c_str(), 0700);
  EXPECT_EQ(j["rows"]["read"], 2);
  EXPECT_THAT(err, HasSubstr("locked: cannot read the folder"));
}

// ---------------------------------------------------------------------------------------------
// 8. Special files, long lines, knn

TEST(InputSpecialFiles, FifoIsRefusedNotWaitedOn) {
  ScratchDir dir("fifo");
  ASSERT_EQ(::mkfifo(dir.file("pipe.csv").c_str(), 0600), 0);
  auto r = run_cli({"info", dir.file("pipe.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("pipe.csv: a FIFO (named pipe), not a regular file"));
  dir.write("p-street.csv", police_csv(2, "\n"));
  r = run_cli({"info", dir.file("p-street.csv"), "--boundary", dir.file("pipe.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("pipe.csv: not a regular file"));
  r = run_cli({"info", "/dev/null"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("/dev/null: a character device, not a regular file"));
}

TEST(InputSpecialFiles, LineLongerThanTheCapStopsTheReadNamingFileAndLine) {
  ScratchDir dir("longline");
  std::string csv = std::string(kPoliceHeader) + "\n" + police_row(1, "Drugs") + "\n" +
                    std::string((std::size_t{1} << 20) + 10, 'x') + "\n";
  dir.write("l-street.csv", csv);
  auto r = run_cli({"info", dir.file("l-street.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("l-street.csv:3: the line is longer than 1048576 bytes"));
  EXPECT_LT(r.err.size(), 1000u);  // the line is not echoed
  // A higher cap lets the line through, to be rejected as a row of 1 field.
  const auto j =
      info_json({dir.file("l-street.csv"), "--max-line-bytes", "4000000", "--skip-bad-rows"});
  EXPECT_EQ(j["rows"]["read"], 2);
  EXPECT_EQ(j["rows"]["rejected_by_reason"]["unparsable_value"], 1);
}

TEST(InputSpecialFiles, KnnThatWouldTakeHoursIsRefused) {
  ScratchDir dir("knn");
  // A budget above the lists' 20 GB: the pair limit refuses it whatever the machine's memory.
  const auto r = run_cli({"gistar", kSample + "/police_uk", "--skip-bad-rows", "--knn", "70000",
                          "--max-memory", "1000000", "--cells", dir.file("c.geojson")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("neighbour pairs, above the limit"));
  // Within the machine's default budget it is refused first by its memory (~20.5 GB of lists).
  const auto m = run_cli({"gistar", kSample + "/police_uk", "--skip-bad-rows", "--knn", "70000",
                          "--max-memory", "8000", "--cells", dir.file("c.geojson")});
  EXPECT_EQ(m.code, 2);
  EXPECT_THAT(m.err, HasSubstr("Gi* neighbour lists"));
  EXPECT_FALSE(fs::exists(dir.file("c.geojson")));
}

// ---------------------------------------------------------------------------------------------
// 9. Inputs given twice

TEST(InputDuplicates, SameFileTwiceOrFolderPlusFileIsReadOnce) {
  ScratchDir dir("dups");
  fs::create_directories(dir.file("d"));
  dir.write("d/2024-01-a-street.csv", police_csv(4, "\n"));
  std::string err;
  auto j =
      info_json({dir.file("d/2024-01-a-street.csv"), dir.file("d/2024-01-a-street.csv")}, 0, &err);
  EXPECT_EQ(j["rows"]["read"], 4);
  EXPECT_THAT(err, HasSubstr("2024-01-a-street.csv: given more than once; read once"));
  // Through another spelling of the path: the folder, then the file inside it.
  j = info_json({dir.file("d"), dir.file("d/../d/2024-01-a-street.csv")}, 0, &err);
  EXPECT_EQ(j["rows"]["read"], 4);
  EXPECT_THAT(err, HasSubstr("d/../d/2024-01-a-street.csv: the same file as"));
}

// ---------------------------------------------------------------------------------------------
// 10. Line endings, blank lines, header-only files, field counts

TEST(InputLines, CrOnlyLineEndingsReadLikeLf) {
  ScratchDir dir("cr");
  dir.write("lf-street.csv", police_csv(7, "\n"));
  dir.write("cr-street.csv", police_csv(7, "\r"));
  dir.write("crlf-street.csv", police_csv(7, "\r\n"));
  const auto lf = info_json({dir.file("lf-street.csv")});
  EXPECT_EQ(lf["rows"]["used"], 7);
  for (const char* name : {"cr-street.csv", "crlf-street.csv"}) {
    const auto j = info_json({dir.file(name)});
    EXPECT_EQ(j["rows"], lf["rows"]) << name;
    EXPECT_EQ(j["crime_types"], lf["crime_types"]) << name;
  }
  // Line numbers count CRs: a bad value on the fourth line is reported there.
  std::string bad = std::string(kPoliceHeader) + "\r" + police_row(1, "Drugs") + "\r" +
                    police_row(2, "Drugs") + "\r" + "c3,2024-01,a,b,-1.x,52.6,l,c,n,Drugs,," + "\r";
  dir.write("bad-street.csv", bad);
  const auto r = run_cli({"info", dir.file("bad-street.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad-street.csv:4: column 'Longitude': '-1.x' is not a number"));
}

TEST(InputLines, WhitespaceOnlyLinesAreSkippedLikeEmptyOnes) {
  ScratchDir dir("blank");
  std::string csv = std::string(kPoliceHeader) + "\n" + police_row(1, "Drugs") + "\n\n   \n\t \n" +
                    police_row(2, "Drugs") + "\n \n";
  dir.write("b-street.csv", csv);
  const auto j = info_json({dir.file("b-street.csv")});
  EXPECT_EQ(j["rows"]["read"], 2);
  EXPECT_EQ(j["rows"]["used"], 2);
}

TEST(InputLines, HeaderOnlyFileReportsZerosInInfoAndAClearErrorElsewhere) {
  ScratchDir dir("headeronly");
  dir.write("h-street.csv", std::string(kPoliceHeader) + "\n");
  const auto j = info_json({dir.file("h-street.csv")});
  EXPECT_EQ(j["rows"]["read"], 0);
  EXPECT_EQ(j["rows"]["used"], 0);
  EXPECT_EQ(j["analysis_crs_reason"], "none: no incident has coordinates");
  auto r = run_cli({"kde", dir.file("h-street.csv"), "--surface", dir.file("s.tif")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("the inputs hold no data rows"));
  EXPECT_THAT(r.err, Not(HasSubstr("analysis CRS")));
  // Rows without coordinates: the accounting says why none is located.
  dir.write("n-street.csv", std::string(kPoliceHeader) + "\nc1,2024-01,a,b,,,l,c,n,Drugs,,\n");
  r = run_cli({"kde", dir.file("n-street.csv"), "--surface", dir.file("s.tif")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("1 rows read, 0 located (1 no_coordinates)"));
}

TEST(InputLines, RowsWithMoreOrFewerFieldsThanTheHeaderAreTreatedAlike) {
  ScratchDir dir("fields");
  std::string csv = std::string(kPoliceHeader) + "\n" + police_row(1, "Drugs") + "\n" +
                    police_row(2, "Drugs", ",surplus") + "\n" + police_row(3, "Drugs") + "\n" +
                    "c4,2024-01,a,b,-1.1,52.6,l,c,n,Drugs,x\n";  // 11 fields, all needed ones
  dir.write("f-street.csv", csv);
  auto r = run_cli({"info", dir.file("f-street.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("f-street.csv:3: the row has 13 fields, the header 12"));
  const auto j = info_json(
      {dir.file("f-street.csv"), "--skip-bad-rows", "--rejects", dir.file("rejects.csv")});
  EXPECT_EQ(j["rows"]["read"], 4);
  EXPECT_EQ(j["rows"]["used"], 2);
  EXPECT_EQ(j["rows"]["rejected_by_reason"]["unparsable_value"], 2);
  const std::string rejects = read_file(dir.file("rejects.csv"));
  EXPECT_THAT(rejects, HasSubstr(",3,unparsable_value,\"the row has 13 fields, the header 12\""));
  EXPECT_THAT(rejects, HasSubstr(",5,unparsable_value,\"the row has 11 fields, the header 12\""));
}

// ---------------------------------------------------------------------------------------------
// Unclear errors

TEST(InputMessages, HugeHeaderIsNotEchoedWhole) {
  ScratchDir dir("hugeheader");
  std::string header;
  for (int i = 0; i < 200000; ++i) header += "column_" + std::to_string(i) + ",";
  header += "last";
  // 2.5 MB of header needs a higher line cap to be read at all.
  dir.write("h.csv", header + "\n1,2\n");
  const auto r = run_cli({"info", dir.file("h.csv"), "--max-line-bytes", "10000000"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("no coordinate columns found"));
  EXPECT_THAT(r.err, HasSubstr("column_0, column_1"));
  EXPECT_LT(r.err.size(), 1000u);
}

TEST(InputMessages, CorruptZipSaysItCannotBeOpenedAsAZip) {
  ScratchDir dir("zip");
  dir.write("bad.zip", std::string("PK\x03\x04", 4) + std::string(200, '\x01'));
  auto r = run_cli({"info", dir.file("bad.zip")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad.zip: cannot be opened as a zip file"));
  EXPECT_THAT(r.err, Not(HasSubstr("holds no")));
}

TEST(InputMessages, SpreadsheetDatesListTheAcceptedFormats) {
  ScratchDir dir("exceldate");
  dir.write("e.csv", "lon,lat,when\n-1.13,52.63,2022-03-01\n-1.13,52.63,1/3/2022 9:05\n");
  const auto r = run_cli({"info", dir.file("e.csv"), "--time-field", "when"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("e.csv:3: column 'when': '1/3/2022 9:05' is not a date"));
  EXPECT_THAT(r.err, HasSubstr("YYYY-MM-DD"));
  EXPECT_THAT(r.err, HasSubstr("DD/MM/YYYY [HH:MM[:SS]]"));
}

TEST(InputMessages, VerboseInfoListsColumnsWhenNoDateColumnIsUsed) {
  const auto r = run_cli({"info", kSample + "/force_export.csv", "-v"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no date column (name one with --time-field)"));
  EXPECT_THAT(r.err, HasSubstr("columns: incident_ref, offence_group, committed_at, easting"));
}

// ---------------------------------------------------------------------------------------------
// 11. A boundary in degrees declared as British National Grid

TEST(InputBoundaries, DegreesDeclaredAsMetresAreCaught) {
  ScratchDir dir("bdeg");
  dir.write("b.geojson",
            "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
            "\"urn:ogc:def:crs:EPSG::27700\"}},\"features\":[{\"type\":\"Feature\",\"properties\":"
            "{\"id\":\"a\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-1.2,52.55],"
            "[-1.0,52.55],[-1.0,52.7],[-1.2,52.7],[-1.2,52.55]]]}}]}");
  dir.write("p-street.csv", police_csv(3, "\n"));
  const auto r = run_cli({"info", dir.file("p-street.csv"), "--boundary", dir.file("b.geojson")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("b.geojson: the layer 'b' declares EPSG:27700 but its coordinates "
                               "look like longitude/latitude in degrees"));
}

}  // namespace
}  // namespace hotspots
