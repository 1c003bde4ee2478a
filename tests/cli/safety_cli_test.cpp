// SPDX-License-Identifier: MIT
// Issue #16's data-loss cases: no output lands on an input, --overwrite of a pack replaces only
// the files its manifest lists, special files are never replaced. Each case checks the exit
// code, the message and that the input is byte for byte what it was.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>

#include "cli_test_util.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

// A small generic CSV of eastings/northings around one place, so every command runs in a blink.
std::string small_csv() {
  std::string s = "Easting,Northing,Month,Crime type\n";
  for (int i = 0; i < 60; ++i)
    s += std::to_string(458000 + (i * 37) % 900) + "," + std::to_string(304000 + (i * 53) % 900) +
         ",2024-0" + std::to_string(1 + i % 6) + ",Anti-social behaviour\n";
  return s;
}

void expect_refused(const testing::CliResult& r, const std::string& words) {
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
}

TEST(OutputsNeverTouchInputs, KdeSurfaceOntoItsInputIsRefused) {
  ScratchDir dir("safety");
  dir.write("v.csv", small_csv());
  const auto r = run_cli({"kde", dir.file("v.csv"), "--surface", dir.file("v.csv"), "--overwrite",
                          "--radius", "200", "-q"});
  expect_refused(r, "is also an input");
  EXPECT_EQ(read_file(dir.file("v.csv")), small_csv());
}

TEST(OutputsNeverTouchInputs, RejectsOntoItsInputIsRefused) {
  ScratchDir dir("safety");
  dir.write("v.csv", small_csv());
  const auto r =
      run_cli({"info", dir.file("v.csv"), "--rejects", dir.file("v.csv"), "--overwrite", "-q"});
  expect_refused(r, "is also an input");
  EXPECT_EQ(read_file(dir.file("v.csv")), small_csv());
}

TEST(OutputsNeverTouchInputs, HotspotsOntoTheBoundaryIsRefused) {
  ScratchDir dir("safety");
  dir.write("v.csv", small_csv());
  fs::copy_file(kSample + "/force_area.geojson", dir.file("area.geojson"));
  const std::string before = read_file(dir.file("area.geojson"));
  const auto r = run_cli({"kde", dir.file("v.csv"), "--boundary", dir.file("area.geojson"),
                          "--hotspots", dir.file("area.geojson"), "--overwrite", "-q"});
  expect_refused(r, "is also an input");
  EXPECT_EQ(read_file(dir.file("area.geojson")), before);
}

TEST(OutputsNeverTouchInputs, ALinkToAnInputIsTheInput) {
  ScratchDir dir("safety");
  dir.write("v.csv", small_csv());
  fs::create_symlink(dir.file("v.csv"), dir.file("soft.tif"));
  fs::create_hard_link(dir.file("v.csv"), dir.file("hard.tif"));
  for (const char* name : {"soft.tif", "hard.tif"}) {
    const auto r = run_cli({"kde", dir.file("v.csv"), "--surface", dir.file(name), "--overwrite",
                            "--radius", "200", "-q"});
    expect_refused(r, "is also an input");
  }
  // Through a "..": the same file by another spelling.
  const auto r = run_cli({"kde", dir.file("v.csv"), "--surface", dir.file("sub/../v.csv"),
                          "--overwrite", "--radius", "200", "-q"});
  expect_refused(r, "is also an input");
  EXPECT_EQ(read_file(dir.file("v.csv")), small_csv());
}

TEST(OutputsNeverTouchInputs, TheSameOutputTwiceIsRefusedBeforeAnyWork) {
  ScratchDir dir("safety");
  dir.write("v.csv", small_csv());
  const auto r = run_cli({"kde", dir.file("v.csv"), "--surface", dir.file("same.tif"), "--hotspots",
                          dir.file("same.tif"), "--radius", "200", "-q"});
  expect_refused(r, "is given as two outputs");
  EXPECT_FALSE(fs::exists(dir.file("same.tif")));
}

TEST(OutputsNeverTouchInputs, AnalyseIntoTheInputFolderIsRefusedAndDeletesNothing) {
  // The issue's case: DATA holds a hotspots manifest.json, so it "looks like" a pack.
  ScratchDir dir("safety");
  fs::create_directories(dir.file("data/2024-01"));
  fs::copy_file(kSample + "/police_uk/2024-01/2024-01-sampleshire-street.csv",
                dir.file("data/2024-01/2024-01-sampleshire-street.csv"));
  dir.write("data/manifest.json", R"({"tool": "hotspots", "outputs": []})");
  const auto r = run_cli({"analyse", dir.file("data"), "--boundary", kSample + "/districts.geojson",
                          "--skip-bad-rows", "-q", "--overwrite", "-o", dir.file("data")});
  expect_refused(r, "is also an input");
  EXPECT_TRUE(fs::exists(dir.file("data/2024-01/2024-01-sampleshire-street.csv")));
  // An output folder that holds an input (a parent of DATA) is refused too.
  const auto up =
      run_cli({"analyse", dir.file("data"), "--boundary", kSample + "/districts.geojson",
               "--skip-bad-rows", "-q", "--overwrite", "-o", dir.file("")});
  EXPECT_NE(up.code, 0);
  EXPECT_TRUE(fs::exists(dir.file("data/2024-01/2024-01-sampleshire-street.csv")));
}

TEST(OutputsNeverTouchInputs, EvaluateIntoTheInputFolderIsRefused) {
  ScratchDir dir("safety");
  fs::create_directories(dir.file("in"));
  dir.write("in/v.csv", small_csv());
  const auto r = run_cli({"evaluate", dir.file("in"), "--train", "2", "--test", "1", "-o",
                          dir.file("in"), "--overwrite", "-q"});
  expect_refused(r, "is also an input");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.file("in"))) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(SpecialFiles, AFifoIsNeverReplaced) {
  ScratchDir dir("safety");
  dir.write("v.csv", small_csv());
  ASSERT_EQ(::mkfifo(dir.file("pipe.tif").c_str(), 0600), 0);
  const auto r = run_cli({"kde", dir.file("v.csv"), "--surface", dir.file("pipe.tif"),
                          "--overwrite", "--radius", "200", "-q"});
  expect_refused(r, "is a FIFO");
  struct stat st {};
  ASSERT_EQ(::lstat(dir.file("pipe.tif").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(SpecialFiles, ADeviceIsNeverReplaced) {
  // /dev/null is safe to name: the run must refuse before touching it.
  ScratchDir dir("safety");
  dir.write("v.csv", small_csv());
  const auto r =
      run_cli({"info", dir.file("v.csv"), "--rejects", "/dev/null", "--overwrite", "-q"});
  expect_refused(r, "is a character device");
  struct stat st {};
  ASSERT_EQ(::lstat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

std::vector<std::string> pack_args(const std::string& outdir) {
  return {"analyse",
          kSample + "/police_uk",
          "--boundary",
          kSample + "/districts.geojson",
          "--from",
          "2024-11",
          "--to",
          "2024-12",
          "--groups",
          "asb",
          "--radius",
          "250",
          "--cell-size",
          "200",
          "--permutations",
          "9",
          "--skip-bad-rows",
          "-q",
          "-o",
          outdir};
}

TEST(PackOverwrite, ReplacesOnlyTheFilesItsManifestLists) {
  ScratchDir dir("safety");
  const std::string pack = dir.file("pack");
  auto first = run_cli(pack_args(pack));
  ASSERT_EQ(first.code, 0) << first.err;
  // The analyst adds notes beside and inside the pack, and a folder of their own.
  dir.write("pack/my notes.txt", "keep me");
  dir.write("pack/asb/annotated.txt", "keep me too");
  fs::create_directories(dir.file("pack/extra"));
  dir.write("pack/extra/a.csv", "x");
  // A file the old manifest listed but the new pack does not write must go.
  nlohmann::json manifest = nlohmann::json::parse(read_file(pack + "/manifest.json"));
  manifest["outputs"].push_back({{"path", "asb/stale.csv"}, {"sha256", "0"}});
  dir.write("pack/manifest.json", manifest.dump(2));
  dir.write("pack/asb/stale.csv", "old output");

  auto args = pack_args(pack);
  args.push_back("--overwrite");
  const auto second = run_cli(args);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(read_file(pack + "/my notes.txt"), "keep me");
  EXPECT_EQ(read_file(pack + "/asb/annotated.txt"), "keep me too");
  EXPECT_EQ(read_file(pack + "/extra/a.csv"), "x");
  EXPECT_FALSE(fs::exists(pack + "/asb/stale.csv"));
  EXPECT_TRUE(fs::exists(pack + "/asb/density.tif"));
  // No ".partial" or ".old" folder is left beside the pack.
  for (const auto& e : fs::directory_iterator(dir.file("")))
    EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << e.path();
}

TEST(PackOverwrite, AUserFileWhereTheNewPackWritesIsRefusedAndTheOldPackKept) {
  ScratchDir dir("safety");
  const std::string pack = dir.file("pack");
  ASSERT_EQ(run_cli(pack_args(pack)).code, 0);
  // Not in the manifest, but the new pack writes a file of that name: the run must not
  // destroy it silently.
  nlohmann::json manifest = nlohmann::json::parse(read_file(pack + "/manifest.json"));
  auto& outputs = manifest["outputs"];
  for (auto it = outputs.begin(); it != outputs.end(); ++it)
    if ((*it)["path"] == "asb/patrol.csv") {
      outputs.erase(it);
      break;
    }
  dir.write("pack/manifest.json", manifest.dump(2));
  dir.write("pack/asb/patrol.csv", "the analyst's edited list");
  auto args = pack_args(pack);
  args.push_back("--overwrite");
  const auto r = run_cli(args);
  expect_refused(r, "which hotspots did not write");
  EXPECT_EQ(read_file(pack + "/asb/patrol.csv"), "the analyst's edited list");
  EXPECT_TRUE(fs::exists(pack + "/asb/density.tif"));
}

TEST(RecordedCommandLine, PastedIntoBashGivesBackTheSameArguments) {
  // Issue #10 item 7: `--boundary-where "LAD13CD = 'E06000016'"` was recorded as
  // 'LAD13CD = 'E06000016'', which bash splits differently.
  ScratchDir dir("safety");
  auto args = pack_args(dir.file("it's a pack"));
  args.insert(args.end() - 2,
              {"--boundary-where", "district_name <> 'x' AND district_id <> '$HOME'"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string recorded =
      nlohmann::json::parse(read_file(dir.file("it's a pack/manifest.json")))["command"];
  ASSERT_EQ(recorded.rfind("hotspots ", 0), 0u);
  // bash itself splits the recorded line; printf prints each word on its own line.
  const std::string script = "printf '%s\\n' " + recorded.substr(9);
  dir.write("split.sh", script);
  FILE* pipe = ::popen(("bash '" + dir.file("split.sh") + "'").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::vector<std::string> words;
  std::string line;
  for (int c; (c = std::fgetc(pipe)) != EOF;) {
    if (c == '\n') {
      words.push_back(line);
      line.clear();
    } else {
      line += static_cast<char>(c);
    }
  }
  ::pclose(pipe);
  EXPECT_EQ(words, args);
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

/// An output stream on a full disk: every write fails with ENOSPC, as write(2) does.
class FullDiskBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type) override {
    errno = ENOSPC;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override {
    errno = ENOSPC;
    return 0;
  }
};

// `info --json > /dev/full` used to exit 0 with nothing written.
TEST(NoSuccessWithoutOutput, AFailedWriteToStandardOutputExitsOneWithTheReason) {
  FullDiskBuffer full;
  std::ostream out(&full);
  std::ostringstream err;
  const int code = hotspots::cli::run(
      {"info", std::string(HOTSPOTS_SAMPLE_DIR) + "/police_uk", "--skip-bad-rows", "--json"}, out,
      err);
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.str().find("cannot write to standard output: No space left on device"),
            std::string::npos)
      << err.str();
}

TEST(NoSuccessWithoutOutput, TheRealDeviceFullToo) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  const std::string hs = HOTSPOTS_EXE;
  const std::string command = "'" + hs + "' info '" + std::string(HOTSPOTS_SAMPLE_DIR) +
                              "/police_uk' --skip-bad-rows --json > /dev/full 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 1);
}

TEST(NoSuccessWithoutOutput, WriteErrorsGiveTheOsReason) {
  ScratchDir dir("write_reason");
  // errno as write(2) leaves it on a full disk; the folder itself has space.
  errno = ENOSPC;
  EXPECT_EQ(write_error_text(dir.file("x.csv"), "write failed"),
            dir.file("x.csv") + ": write failed: No space left on device");
  errno = 0;
  EXPECT_EQ(write_error_text(dir.file("x.tif"), "write failed", "TIFFWriteScanline"),
            dir.file("x.tif") + ": write failed: TIFFWriteScanline");
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// A run killed with SIGKILL leaves ".NAME.partial-PID"; the next run into that folder removes
// it when PID is dead (4194305 is above Linux's largest pid_max), and keeps a live one's.
TEST(NoSuccessWithoutOutput, StaleLeftoversOfDeadRunsAreCleanedByTheNextRun) {
  ScratchDir dir("stale");
  fs::create_directories(dir.file(".pack.partial-4194305/asb"));
  dir.write(".pack.partial-4194305/asb/density.tif", "half");
  fs::create_directories(dir.file(".pack.partial-4194305.old"));
  dir.write(".surface.tmp-4194305.tif", "half");
  const std::string live = ".pack.partial-" + std::to_string(::getppid());
  fs::create_directories(dir.file(live));
  dir.write(".pack.partial-12ab", "not ours");  // not a pid: left alone
  {
    AtomicDirectory pack(dir.file("pack"), false);
    AtomicFile surface(dir.file("surface.tif"), false);
  }
  EXPECT_FALSE(fs::exists(dir.file(".pack.partial-4194305")));
  EXPECT_FALSE(fs::exists(dir.file(".pack.partial-4194305.old")));
  EXPECT_FALSE(fs::exists(dir.file(".surface.tmp-4194305.tif")));
  EXPECT_TRUE(fs::exists(dir.file(live)));
  EXPECT_TRUE(fs::exists(dir.file(".pack.partial-12ab")));
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// SIGINT / SIGTERM in the middle of a pack: the process ends by the signal and leaves no
// ".NAME.partial-PID" folder and no temporary file, and no OUTDIR.
TEST(NoSuccessWithoutOutput, AnInterruptedRunLeavesNothingBehind) {
  for (const char* sig : {"TERM", "INT"}) {
    SCOPED_TRACE(sig);
    ScratchDir dir(std::string("interrupted_") + sig);
    const std::string hs = HOTSPOTS_EXE;
    const std::string sample = HOTSPOTS_SAMPLE_DIR;
    // Poll until the pack's temporary folder exists, then signal the run.
    const std::string script =
        // A background job of sh ignores SIGINT (POSIX); env --default-signal restores it.
        "cd '" + dir.file("") + "' || exit 1; env --default-signal=INT '" + hs + "' analyse '" +
        sample + "/police_uk' --boundary '" + sample +
        "/districts.geojson' --skip-bad-rows --cell-size 40 "
        "--permutations 999 -q -o pack & pid=$!; for i in $(seq 1 400); do "
        "ls -d .pack.partial-* >/dev/null 2>&1 && break; sleep 0.01; done; sleep 0.2; kill -" +
        sig + " $pid; wait $pid; echo $? > status";
    dir.write("run.sh", script + "\n");
    ASSERT_NE(std::system(("sh '" + dir.file("run.sh") + "'").c_str()), -1);
    fs::remove(dir.file("run.sh"));
    const std::string status = read_file(dir.file("status"));
    EXPECT_EQ(std::stoi(status), 128 + (std::string(sig) == "TERM" ? 15 : 2)) << status;
    for (const auto& entry : fs::directory_iterator(dir.file("")))
      EXPECT_EQ(entry.path().filename().string(), "status") << "left behind";
  }
}

// A batch stopped with Ctrl-C leaves only finished packs, and the next run builds only the tasks
// that had not finished (issue #13: resume after a killed run).
TEST(NoSuccessWithoutOutput, AnInterruptedBatchResumesWithTheUnfinishedTasksOnly) {
  ScratchDir dir("interrupted_batch");
  const std::string hs = HOTSPOTS_EXE;
  const std::string sample = HOTSPOTS_SAMPLE_DIR;
  dir.write("plan.json", R"({"plan_version": 1,
 "base": {"inputs": [")" + sample +
                             R"(/police_uk"], "read": {"skip_bad_rows": true},
          "groups": ["asb"], "grid": {"cell_size_m": 200}, "kde": {"radius_m": 300},
          "gistar": {"permutations": 0}},
 "areas_from": {"boundary": ")" +
                             sample +
                             R"(/districts.geojson", "id_field": "district_id"},
 "periods": [{"rolling": {"from": "2024-01", "to": "2024-12", "months": 6, "step": 6}}]})");
  const std::string script =
      "cd '" + dir.file("") + "' || exit 1; env --default-signal=INT '" + hs +
      "' batch plan.json -o runs -j 1 -q & pid=$!; for i in $(seq 1 3000); do "
      "ls runs/*/manifest.json >/dev/null 2>&1 && break; sleep 0.01; done; kill -INT $pid; "
      "wait $pid; echo $? > status";
  dir.write("run.sh", script + "\n");
  ASSERT_NE(std::system(("sh '" + dir.file("run.sh") + "'").c_str()), -1);
  EXPECT_NE(std::stoi(read_file(dir.file("status"))), 0);
  int finished = 0;
  for (const auto& entry : fs::directory_iterator(dir.file("runs"))) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find(".partial"), std::string::npos) << "left behind: " << name;
    if (name == ".batch") continue;
    EXPECT_TRUE(fs::exists(entry.path() / "manifest.json")) << name << " looks finished but is not";
    ++finished;
  }
  ASSERT_GE(finished, 1);
  ASSERT_LT(finished, 6) << "the batch ended before it was interrupted";
  const std::string again = "cd '" + dir.file("") + "' && '" + hs +
                            "' batch plan.json -o runs -j 1 2> resumed.txt; echo $? > status2";
  ASSERT_NE(std::system(again.c_str()), -1);
  EXPECT_EQ(std::stoi(read_file(dir.file("status2"))), 0);
  EXPECT_NE(
      read_file(dir.file("resumed.txt"))
          .find(fmt::format("6 tasks: {} built, {} up to date, 0 failed", 6 - finished, finished)),
      std::string::npos)
      << read_file(dir.file("resumed.txt"));
}

}  // namespace
}  // namespace hotspots
