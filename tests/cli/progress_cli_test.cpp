// SPDX-License-Identifier: MIT
// --progress on every long-running command: GDAL's "phase: 0...10...20 ... 100 - done." lines on
// stderr, each phase reaching 100, nothing else changed: the same stderr otherwise and
// byte-identical outputs (the recorded command line leaves --progress out).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_test_util.hpp"
#include "progress.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;
const std::string kPolice = kSample + "/police_uk";
const std::string kForce = kSample + "/force_area.geojson";

struct Case {
  std::string name;
  std::vector<std::string> args;    // without --progress; "OUT/" is the scratch folder
  std::vector<std::string> phases;  // each must reach 100
};

// Test names and failure messages show the case's name, not its bytes.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

std::vector<Case> cases() {
  return {
      {"kde_streamed",
       {"kde", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows", "--radius",
        "250", "--cell-size", "50", "--surface", "OUT/asb.tif"},
       {"reading", "density", "finishing the GeoTIFF"}},
      {"kde_held",
       {"kde", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows", "--radius",
        "250", "--cell-size", "50", "--surface", "OUT/asb.tif", "--hotspots", "OUT/asb.geojson"},
       {"reading", "density", "writing the surface", "hotspots"}},
      {"gistar",
       {"gistar", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows",
        "--cell-size", "200", "--cells", "OUT/cells.csv", "--clusters", "OUT/clusters.geojson",
        "--zscores", "OUT/z.tif"},
       {"reading", "units", "counting incidents", "contiguity", "Gi*", "local Moran's I",
        "writing z-scores", "writing cells", "clusters", "writing clusters"}},
      {"gistar_hex",
       {"gistar", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows", "--grid",
        "hex", "--cell-size", "400", "--cells", "OUT/hex.geojson"},
       {"reading", "units", "counting incidents", "contiguity", "neighbours", "Gi*",
        "local Moran's I", "writing cells"}},
      {"info", {"info", kPolice, "--skip-bad-rows"}, {"reading", "summarising"}},
      {"analyse",
       {"analyse", kPolice, "--boundary", kSample + "/districts.geojson", "--from", "2024-07",
        "--to", "2024-12", "--radius", "250", "--cell-size", "200", "--groups", "asb",
        "--skip-bad-rows", "-o", "OUT/pack"},
       {"reading", "asb: analysing", "asb: writing", "writing the pack"}},
      {"emerging",
       {"emerging", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows",
        "--grid", "hex", "--cell-size", "400", "-o", "OUT/emerging"},
       {"reading", "units", "locating incidents", "neighbours", "space-time Gi*", "sensitivity",
        "writing"}},
      {"evaluate",
       {"evaluate", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows",
        "--train", "6", "--test", "1", "--methods", "kde:radius=300,counts", "--area-percent", "1",
        "-o", "OUT/evaluate"},
       {"reading", "fitting and scoring"}},
      {"change",
       {"change", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows", "--from",
        "2024-07", "--to", "2024-12", "--radius", "250", "--cell-size", "100", "-o", "OUT/change"},
       {"reading", "comparing the periods", "writing"}},
      {"patrol",
       {"patrol", kPolice, "--boundary", kSample + "/districts.geojson", "--from", "2024-07",
        "--to", "2024-12", "--skip-bad-rows", "--crime-type", "asb", "-o", "OUT/places.geojson"},
       {"reading", "choosing patrol places", "writing"}},
  };
}

std::vector<std::string> with_folder(const std::vector<std::string>& args, const std::string& dir) {
  std::vector<std::string> out;
  for (const std::string& a : args)
    out.push_back(a.rfind("OUT/", 0) == 0 ? dir + "/" + a.substr(4) : a);
  return out;
}

// Every file under `dir` by relative path: bytes, except manifest.json without its timings.
std::map<std::string, std::string> files(const std::string& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), dir).string();
    std::string bytes = read_file(e.path().string());
    if (e.path().filename() == "manifest.json") {
      auto m = nlohmann::json::parse(bytes);
      m.erase("timings_s");
      bytes = m.dump();
    }
    out[rel] = bytes;
  }
  return out;
}

const std::regex kProgressLine(
    R"(^([^:\n]+(: [a-z]+)?): 0\.\.\.10\.\.\.20\.\.\.30\.\.\.40\.\.\.50\.\.\.60\.\.\.70\.\.\.80\.\.\.90\.\.\.100 - done\.$)");

// Splits stderr into the progress lines' phases and the rest.
void split(const std::string& err, std::vector<std::string>& phases, std::string& rest) {
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, kProgressLine))
      phases.push_back(m[1]);
    else
      rest += line + "\n";
  }
}

// GDAL's terminal progress: "0", a dot every 2.5 %, the tens as they pass, " - done." at 100.
TEST(ProgressPrinter, PrintsGdalStyleTicksOnePhaseALine) {
  std::ostringstream err;
  cli::ProgressPrinter printer(err, true, false);
  const Progress p = printer.callback();
  p("reading", 0.0);
  EXPECT_EQ(err.str(), "reading: 0");
  p("reading", 0.26);  // 10 ticks after "0": ..., 10, ..., 20, ..
  EXPECT_EQ(err.str(), "reading: 0...10...20..");
  p("reading", 0.25);  // never backwards
  p("reading", 1.0);
  p("Gi*", 0.0);
  p("Gi*", 1.0);
  EXPECT_EQ(err.str(),
            "reading: 0...10...20...30...40...50...60...70...80...90...100 - done.\n"
            "Gi*: 0...10...20...30...40...50...60...70...80...90...100 - done.\n");
  // A phase the engine left unfinished ends its line before the next phase.
  std::ostringstream cut;
  cli::ProgressPrinter second(cut, true, false);
  second("a", 0.5);
  second("b", 1.0);
  EXPECT_EQ(cut.str(),
            "a: 0...10...20...30...40...50\nb: "
            "0...10...20...30...40...50...60...70...80...90...100 - done.\n");
  std::ostringstream off;
  cli::ProgressPrinter disabled(off, false, false);
  EXPECT_FALSE(disabled.callback());
  disabled("x", 1.0);
  EXPECT_EQ(off.str(), "");
  // -q wins over --progress, as in GDAL's tools (-q suppresses the progress monitor).
  cli::ProgressPrinter quiet(off, true, true);
  EXPECT_FALSE(quiet.enabled());
  EXPECT_FALSE(quiet.callback());
  quiet("x", 1.0);
  EXPECT_EQ(off.str(), "");
}

class ProgressCli : public ::testing::TestWithParam<Case> {};

TEST_P(ProgressCli, EachPhaseReaches100AndNothingElseChanges) {
  const Case& c = GetParam();
  ScratchDir dir("progress_" + c.name);
  const std::string plain_dir = dir.file("plain");
  const std::string shown_dir = dir.file("shown");
  fs::create_directories(plain_dir);
  fs::create_directories(shown_dir);
  // The same output paths for both runs (paths are recorded in some outputs): run into one
  // folder, keep a copy, run again with --progress and --overwrite.
  const std::string run_dir = dir.file("run");
  fs::create_directories(run_dir);
  auto plain = with_folder(c.args, run_dir);
  const auto a = run_cli(plain);
  ASSERT_EQ(a.code, 0) << a.err;
  fs::copy(run_dir, plain_dir, fs::copy_options::recursive);
  fs::remove_all(run_dir);
  fs::create_directories(run_dir);
  auto shown = plain;
  shown.push_back("--progress");
  const auto b = run_cli(shown);
  ASSERT_EQ(b.code, 0) << b.err;
  fs::copy(run_dir, shown_dir, fs::copy_options::recursive);

  EXPECT_EQ(a.err.find(" - done."), std::string::npos) << a.err;  // quiet without --progress
  std::vector<std::string> phases;
  std::string rest;
  split(b.err, phases, rest);
  EXPECT_EQ(rest, a.err) << "stderr with --progress, progress lines removed, differs:\n" << b.err;
  for (const std::string& p : c.phases)
    EXPECT_NE(std::find(phases.begin(), phases.end(), p), phases.end())
        << "phase '" << p << "' did not reach 100:\n"
        << b.err;
  EXPECT_EQ(b.out, a.out);
  const auto before = files(plain_dir);
  const auto after = files(shown_dir);
  ASSERT_FALSE(before.empty() && c.name != "info");
  ASSERT_EQ(before.size(), after.size());
  for (const auto& [path, bytes] : before) {
    ASSERT_TRUE(after.count(path)) << path;
    EXPECT_TRUE(after.at(path) == bytes) << path << " differs with --progress";
  }
}

// -q wins over --progress (GDAL's tools: -q suppresses the progress monitor): given both, the
// command shows no progress and its stderr is the one -q alone gives.
TEST_P(ProgressCli, QuietWinsOverProgress) {
  const Case& c = GetParam();
  ScratchDir dir("progress_quiet_" + c.name);
  fs::create_directories(dir.file("q"));
  fs::create_directories(dir.file("qp"));
  auto args = with_folder(c.args, dir.file("q"));
  args.push_back("-q");
  const auto quiet = run_cli(args);
  ASSERT_EQ(quiet.code, 0) << quiet.err;
  args = with_folder(c.args, dir.file("qp"));
  args.push_back("-q");
  args.push_back("--progress");
  const auto both = run_cli(args);
  ASSERT_EQ(both.code, 0) << both.err;
  EXPECT_EQ(both.err.find(" - done."), std::string::npos) << both.err;
  EXPECT_EQ(both.err.find(": 0"), std::string::npos) << both.err;
  EXPECT_EQ(both.err, quiet.err);
  EXPECT_EQ(both.out, quiet.out);
}

INSTANTIATE_TEST_SUITE_P(Commands, ProgressCli, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return p.param.name; });

// batch: the tasks as one phase instead of a line per task; the packs are the same.
TEST(ProgressCli, BatchShowsTheTasksAsOnePhase) {
  ScratchDir dir("progress_batch");
  dir.write("plan.json", R"({"plan_version": 1,
 "base": {"inputs": [")" + kPolice +
                             R"("], "read": {"skip_bad_rows": true},
          "groups": ["asb"], "grid": {"cell_size_m": 200}, "kde": {"radius_m": 300},
          "gistar": {"permutations": 19}},
 "areas_from": {"boundary": ")" +
                             kSample +
                             R"(/districts.geojson", "id_field": "district_id"},
 "periods": [{"from": "2024-07", "to": "2024-12"}]})");
  const auto a = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("a"), "-j", "2"});
  ASSERT_EQ(a.code, 0) << a.err;
  const auto b =
      run_cli({"batch", dir.file("plan.json"), "-o", dir.file("b"), "-j", "2", "--progress"});
  ASSERT_EQ(b.code, 0) << b.err;
  std::vector<std::string> phases;
  std::string rest;
  split(b.err, phases, rest);
  EXPECT_EQ(phases, std::vector<std::string>{"tasks"}) << b.err;
  EXPECT_NE(a.err.find("task 0 "), std::string::npos) << a.err;
  EXPECT_EQ(rest.find("task 0 "), std::string::npos) << b.err;
  EXPECT_NE(rest.find("3 tasks: 3 built"), std::string::npos) << b.err;
  // -q wins: neither the tasks' progress nor the per-task lines nor the summary.
  const auto q =
      run_cli({"batch", dir.file("plan.json"), "-o", dir.file("c"), "-j", "2", "--progress", "-q"});
  ASSERT_EQ(q.code, 0) << q.err;
  EXPECT_EQ(q.err, "");
}

}  // namespace
}  // namespace hotspots
