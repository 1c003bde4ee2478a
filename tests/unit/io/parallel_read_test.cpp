// SPDX-License-Identifier: MIT
// Reading in parallel (issue #15): files are parsed by several threads and large CSV files in
// pieces split at line breaks, then merged in file and piece order. The reference is the same
// read on one thread with every file in one piece (what the reader did before it was parallel):
// incidents, names, counts, rejected rows, sources, warnings and the first error must be equal,
// whatever the number of threads and wherever the pieces are cut (inside a quoted field that
// holds line breaks too).

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/io/incidents.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;

constexpr std::size_t kWholeFiles = std::size_t{1} << 40;  // no file is split

void expect_same(const ReadResult& a, const ReadResult& b) {
  const Incidents& p = a.incidents;
  const Incidents& q = b.incidents;
  EXPECT_EQ(p.crs.wkt, q.crs.wkt);
  ASSERT_EQ(p.size(), q.size());
  EXPECT_EQ(p.x, q.x);
  EXPECT_EQ(p.y, q.y);
  EXPECT_EQ(p.weight, q.weight);
  EXPECT_TRUE(p.date == q.date);
  EXPECT_EQ(p.category, q.category);
  EXPECT_EQ(p.category_names, q.category_names);
  EXPECT_EQ(p.source, q.source);
  EXPECT_EQ(p.line, q.line);
  EXPECT_EQ(p.location, q.location);
  EXPECT_EQ(p.location_names, q.location_names);
  EXPECT_EQ(p.force, q.force);
  EXPECT_EQ(p.force_keys, q.force_keys);
  EXPECT_EQ(a.accounting.read, b.accounting.read);
  EXPECT_EQ(a.accounting.used, b.accounting.used);
  EXPECT_EQ(a.accounting.rejected, b.accounting.rejected);
  ASSERT_EQ(a.accounting.rows.size(), b.accounting.rows.size());
  for (std::size_t i = 0; i < a.accounting.rows.size(); ++i) {
    const RejectedRow& r = a.accounting.rows[i];
    const RejectedRow& s = b.accounting.rows[i];
    EXPECT_EQ(r.source, s.source) << i;
    EXPECT_EQ(r.line, s.line) << i;
    EXPECT_EQ(r.reason, s.reason) << i;
    EXPECT_TRUE(r.date == s.date) << i;
    EXPECT_EQ(r.detail, s.detail) << i;
    EXPECT_EQ(r.text, s.text) << i;
  }
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (std::size_t i = 0; i < a.sources.size(); ++i) {
    EXPECT_EQ(a.sources[i].path, b.sources[i].path);
    EXPECT_EQ(a.sources[i].rows, b.sources[i].rows);
    EXPECT_EQ(a.sources[i].bytes, b.sources[i].bytes);
    EXPECT_EQ(a.sources[i].format, b.sources[i].format);
    EXPECT_EQ(a.sources[i].crs, b.sources[i].crs);
    EXPECT_EQ(a.sources[i].columns, b.sources[i].columns);
    EXPECT_EQ(a.sources[i].force, b.sources[i].force);
  }
  EXPECT_EQ(a.types_present, b.types_present);
  EXPECT_EQ(a.force_rows, b.force_rows);
  EXPECT_EQ(a.warnings, b.warnings);
}

/// The reference: one thread, every file in one piece.
ReadResult read_sequentially(const std::vector<std::string>& inputs, ReadOptions options) {
  const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  options.piece_bytes = kWholeFiles;
  return read_incidents(inputs, options);
}

/// The message of the error the read throws ("" when it throws none).
std::string error_of(const std::vector<std::string>& inputs, const ReadOptions& options) {
  try {
    (void)read_incidents(inputs, options);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// A generic CSV with what can go wrong where a piece is cut: quoted fields holding delimiters,
// "" escapes, LF and CRLF inside quotes, CRLF and lone-CR line endings, blank lines, rows with
// too many or too few fields, values that are no numbers, rows without coordinates.
std::string awkward_csv(int rows) {
  std::string text = "id,x,y,note,when,kind\r\n";
  for (int i = 0; i < rows; ++i) {
    const std::string x = std::to_string(440000 + (i * 37) % 5000);
    const std::string y = std::to_string(285000 + (i * 91) % 5000);
    const std::string when = "2024-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9);
    const std::string kind = i % 3 == 0 ? "a" : (i % 3 == 1 ? "b" : "c");
    switch (i % 11) {
      case 0:
        text += std::to_string(i) + "," + x + "," + y + ",\"two\nlines, and \"\"quotes\"\"\"," +
                when + "," + kind + "\n";
        break;
      case 1:
        text += std::to_string(i) + "," + x + "," + y + ",\"crlf\r\ninside\"," + when + "," + kind +
                "\r\n";
        break;
      case 2:
        text += "\n  \n";  // blank lines are no rows
        text += std::to_string(i) + "," + x + "," + y + ",plain," + when + "," + kind + "\r";
        break;
      case 3:
        text +=
            std::to_string(i) + "," + x + "x," + y + ",not a number," + when + "," + kind + "\n";
        break;
      case 4:
        text += std::to_string(i) + "," + x + "," + y + ",too,many," + when + "," + kind + "\n";
        break;
      case 5:
        text += std::to_string(i) + ",,,no coordinates," + when + "," + kind + "\n";
        break;
      case 6:
        text += std::to_string(i) + "," + x + "," + y + ",bad date,2024-13-40," + kind + "\n";
        break;
      default:
        text += std::to_string(i) + "," + x + "," + y + ",\"a, b\"," + when + "," + kind + "\n";
    }
  }
  return text;
}

ReadOptions awkward_options() {
  ReadOptions o;
  o.src_crs = "EPSG:27700";
  o.time_field = "when";
  o.category_field = "kind";
  o.location_field = "note";
  o.skip_bad_rows = true;
  o.keep_rejected_rows = true;
  return o;
}

TEST(ParallelRead, PiecesCutAnywhereGiveTheSequentialResult) {
  ScratchDir dir("parallel_read_pieces");
  dir.write("a.csv", awkward_csv(300));
  dir.write("b.csv", awkward_csv(97));
  const std::vector<std::string> inputs{dir.file("a.csv"), dir.file("b.csv")};
  ReadOptions options = awkward_options();
  const ReadResult reference = read_sequentially(inputs, options);
  // Hand count of a.csv: i % 11 in {3, 4, 6} are unparsable, 5 has no coordinates; the rest
  // are used. 300 rows = 27 full rounds of 11 + i = 297..299 (cases 0, 1, 2).
  const int unparsable_a = 27 * 3;
  EXPECT_EQ(reference.sources[0].rows, 300);
  EXPECT_EQ(reference.accounting.rejected_for(RejectReason::unparsable_value),
            unparsable_a + 9 * 3);  // b.csv: 97 = 8 rounds + 9 rows (cases 0..8: 3, 4, 6)
  // The row of i = 12 (case 1) starts after the header (line 1) and rows 0..11, of which rows
  // 0 and 11 hold one line break in a quote, row 1 one (CRLF), and row 2 two blank lines first.
  // Lines: header 1, row 0: 2-3, row 1: 4-5, blanks 6-7, row 2: 8, rows 3..10: 9..16, row 11:
  // 17-18, row 12: 19.
  const auto& inc = reference.incidents;
  bool found = false;
  for (std::size_t i = 0; i < inc.size(); ++i)
    if (inc.source[i] == 0 && inc.line[i] == 19) found = true;
  EXPECT_TRUE(found) << "row 12 of a.csv is not read at line 19";

  for (std::size_t piece : {1, 2, 7, 31, 64, 200, 1000, 4096}) {
    options.piece_bytes = piece;
    SCOPED_TRACE("piece_bytes " + std::to_string(piece));
    expect_same(reference, read_incidents(inputs, options));
    const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    expect_same(reference, read_incidents(inputs, options));
  }
}

TEST(ParallelRead, TheFirstErrorInFileOrderIsTheOneThrown) {
  ScratchDir dir("parallel_read_errors");
  const std::string good = awkward_csv(40);
  // File 2 breaks at its 3rd row (not a number); file 3 lacks a column; file 4 at row 1.
  dir.write("1.csv", "x,y\n440000,285000\n440001,285001\n");
  dir.write("2.csv", "x,y\n440000,285000\n440001,285001\n44000x,285002\n440003,285003\n");
  dir.write("3.csv", "east,y\n440000,285000\n");
  dir.write("4.csv", "x,y\n4400z0,285000\n");
  ReadOptions options;
  options.src_crs = "EPSG:27700";
  const std::vector<std::string> inputs{dir.file("1.csv"), dir.file("2.csv"), dir.file("3.csv"),
                                        dir.file("4.csv")};
  std::string reference;
  {
    const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    ReadOptions whole = options;
    whole.piece_bytes = kWholeFiles;
    reference = error_of(inputs, whole);
  }
  EXPECT_NE(reference.find("2.csv:4"), std::string::npos) << reference;
  EXPECT_NE(reference.find("'44000x' is not a number"), std::string::npos) << reference;
  for (std::size_t piece : {1, 5, 16, 1000}) {
    options.piece_bytes = piece;
    EXPECT_EQ(error_of(inputs, options), reference) << "piece_bytes " << piece;
  }
  // An unclosed quote is reported at the line where its record starts, in pieces too.
  dir.write("open.csv", "x,y,note\n440000,285000,fine\n440001,285001,\"open\nstill\nopen\n");
  for (std::size_t piece : {kWholeFiles, std::size_t{1}, std::size_t{12}}) {
    options.piece_bytes = piece;
    const std::string message = error_of({dir.file("open.csv")}, options);
    EXPECT_NE(message.find("open.csv:3"), std::string::npos) << message;
    EXPECT_NE(message.find("quoted field is not closed"), std::string::npos) << message;
  }
}

TEST(ParallelRead, RejectExamplesAreTheFirstOfTheWholeRead) {
  // Without keep_rejected_rows only the first 5 rejected rows of each reason are kept: the
  // first 5 of the whole read in file order, not 5 per file or per piece.
  ScratchDir dir("parallel_read_examples");
  for (int f = 0; f < 4; ++f) {
    std::string text = "x,y\n";
    for (int i = 0; i < 50; ++i) text += i % 4 == 0 ? ",\n" : "440000,285000\n";
    dir.write("f" + std::to_string(f) + ".csv", text);
  }
  std::vector<std::string> inputs;
  for (int f = 0; f < 4; ++f) inputs.push_back(dir.file("f" + std::to_string(f) + ".csv"));
  ReadOptions options;
  options.src_crs = "EPSG:27700";
  const ReadResult reference = read_sequentially(inputs, options);
  ASSERT_EQ(reference.accounting.rejected_for(RejectReason::no_coordinates), 4 * 13);
  ASSERT_EQ(reference.accounting.rows.size(), 5u);
  for (const auto& row : reference.accounting.rows) EXPECT_EQ(row.source, 0u);
  for (std::size_t piece : {8, 40, 100}) {
    options.piece_bytes = piece;
    expect_same(reference, read_incidents(inputs, options));
  }
}

// The valid range of a file's CRS is known only once the rows are parsed (its PROJ lookup
// runs meanwhile): rows are read without that check, checked afterwards, and a part holding a
// row outside the range is read again with it. Expected by hand: the rows outside are rejected
// as outside_crs_range at their lines, with their text, and leave no trace in the kept rows'
// names (their location names are not added, as in a read that knew the range first).
TEST(ParallelRead, RowsOutsideTheCrsRangeAreRejectedAsIfTheRangeWasKnownFirst) {
  ScratchDir dir("parallel_read_crs_range");
  std::string text = "x,y,note\n";
  for (int i = 0; i < 60; ++i)
    text += i % 20 == 7
                ? "99000000,285000,far " + std::to_string(i) + "\n"
                : std::to_string(440000 + i) + ",285000,near " + std::to_string(i % 3) + "\n";
  dir.write("r.csv", text);
  ReadOptions options;
  options.src_crs = "EPSG:27700";
  options.location_field = "note";
  options.keep_rejected_rows = true;
  for (std::size_t piece : {kWholeFiles, std::size_t{1}, std::size_t{16}, std::size_t{300}}) {
    for (int threads : {1, 2}) {
      SCOPED_TRACE("piece_bytes " + std::to_string(piece) + ", threads " + std::to_string(threads));
      const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                      static_cast<std::size_t>(threads));
      options.piece_bytes = piece;
      const ReadResult r = read_incidents({dir.file("r.csv")}, options);
      EXPECT_EQ(r.accounting.used, 57);
      ASSERT_EQ(r.accounting.rejected_for(RejectReason::outside_crs_range), 3);
      ASSERT_EQ(r.accounting.rows.size(), 3u);
      for (std::size_t k = 0; k < 3; ++k) {
        const int i = 7 + 20 * static_cast<int>(k);  // row i is on line i + 2
        const RejectedRow& row = r.accounting.rows[k];
        EXPECT_EQ(row.line, i + 2);
        EXPECT_EQ(row.reason, RejectReason::outside_crs_range);
        EXPECT_EQ(row.detail, "(99000000, 285000) is outside the valid range of EPSG:27700");
        EXPECT_EQ(row.text, "99000000,285000,far " + std::to_string(i));
      }
      EXPECT_EQ(r.incidents.location_names,
                (std::vector<std::string>{"near 0", "near 1", "near 2"}));
      ASSERT_EQ(r.incidents.size(), 57u);
      EXPECT_EQ(r.incidents.x.front(), 440000.0);
      EXPECT_EQ(r.incidents.line[7], 10);  // row 8: the first after the rejected row 7
      EXPECT_EQ(r.sources[0].crs, "EPSG:27700");
    }
  }
  // An unknown CRS is the file's error even when a row of it is broken too (the CRS was looked
  // up before the rows were read, and still wins); a broken row after a row outside the range
  // is reported at its own line.
  dir.write("bad.csv", "x,y\n99000000,285000\n440000,285000\n4400z0,285000\n");
  for (std::size_t piece : {kWholeFiles, std::size_t{1}}) {
    options.piece_bytes = piece;
    options.location_field.clear();
    ReadOptions unknown = options;
    unknown.src_crs = "EPSG:999999";
    const std::string crs_error = error_of({dir.file("bad.csv")}, unknown);
    EXPECT_NE(crs_error.find("unknown CRS 'EPSG:999999'"), std::string::npos) << crs_error;
    const std::string row_error = error_of({dir.file("bad.csv")}, options);
    EXPECT_NE(row_error.find("bad.csv:4"), std::string::npos) << row_error;
    EXPECT_NE(row_error.find("'4400z0' is not a number"), std::string::npos) << row_error;
  }
}

// Real police.uk files: the 35 Leicestershire months and the 8 forces of 2019-02, with and
// without filters (which reject rows by force, type and date), on one thread and on all.
TEST(ParallelRead, RealPoliceUkFilesGiveTheSequentialResult) {
  const fs::path data = HOTSPOTS_SHARED_DATA_DIR;
  const fs::path leics = data / "police_uk_sanjiv576" / "street";
  const fs::path forces = data / "police_uk_mgsf08m002" / "street";
  if (!fs::is_directory(leics) || !fs::is_directory(forces)) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL() << "real data folder missing under CI: " << data;
    GTEST_SKIP() << "real data folder missing: " << data;
  }
  const std::vector<std::string> inputs{leics.string(), forces.string()};
  ReadOptions plain;
  ReadOptions filtered;
  filtered.forces = {"leicestershire", "Derbyshire Constabulary"};
  filtered.crime_types = {"violence", "asb"};
  filtered.from = Date{2019 * 12 + 1, 0, -1};
  filtered.to = Date{2021 * 12 + 5, 0, -1};
  filtered.keep_rejected_rows = true;
  for (const ReadOptions* options : {&plain, &filtered}) {
    const ReadResult reference = read_sequentially(inputs, *options);
    ASSERT_GT(reference.incidents.size(), 50'000u);
    ReadOptions pieces = *options;
    expect_same(reference, read_incidents(inputs, pieces));
    pieces.piece_bytes = 100'000;  // every monthly file in ~20 pieces
    expect_same(reference, read_incidents(inputs, pieces));
  }
}

// Reprojection transforms each distinct point once (police.uk repeats map points) in parallel
// blocks: every incident must get exactly what transforming its point alone gives.
TEST(ParallelRead, ReprojectionGivesEachPointWhatTransformingItAloneGives) {
  const fs::path leics = fs::path(HOTSPOTS_SHARED_DATA_DIR) / "police_uk_sanjiv576" / "street";
  if (!fs::is_directory(leics)) GTEST_SKIP() << "real data folder missing: " << leics;
  ReadResult r = read_incidents({leics.string()}, {});
  const std::vector<double> lon = r.incidents.x;
  const std::vector<double> lat = r.incidents.y;
  const Crs bng = crs_from_epsg(27700);
  project_incidents(r.incidents, bng, r.accounting, false);
  ASSERT_EQ(r.incidents.size(), lon.size());
  const CoordinateTransform alone(crs_from_epsg(4326), bng);
  for (std::size_t i = 0; i < lon.size(); i += 13) {
    double x = lon[i];
    double y = lat[i];
    alone.transform(std::span<double>(&x, 1), std::span<double>(&y, 1));
    ASSERT_EQ(r.incidents.x[i], x) << i;
    ASSERT_EQ(r.incidents.y[i], y) << i;
  }
  // Leicestershire lies in x 420,000..500,000, y 270,000..340,000 m of British National Grid.
  EXPECT_GT(r.incidents.x[0], 400'000);
  EXPECT_LT(r.incidents.x[0], 520'000);
}

}  // namespace
}  // namespace hotspots
