// SPDX-License-Identifier: MIT
// Runs that cannot fit are refused by their estimated peak memory before anything is allocated
// (gistar, emerging, analyse; kde's refusals are in kde_cli_test.cpp): exit code 2, the estimate
// and its parts, --max-memory, what would fit, nothing written; the cell size named does fit.
// Estimates against measured peak RSS: benchmarks/memory_estimates.sh.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/cli_test_util.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;
const std::string kPolice = kSample + "/police_uk";
const std::string kForce = kSample + "/force_area.geojson";

// The whole number after `pattern`'s group 1 in `text`, or -1.
double number(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return -1;
  return std::stod(m[1].str());
}

TEST(MemoryCli, GiStarIsRefusedWithItsPartsAndTheCellSizeThatFits) {
  ScratchDir dir("memory_gistar");
  const auto at = [&](const std::string& cell, const std::string& budget) {
    return run_cli({"gistar", kPolice, "--crime-type", "asb", "--boundary", kForce,
                    "--skip-bad-rows", "--cells", dir.file("c.csv"), "--cells-subset",
                    "significant", "--max-memory", budget, "--cell-size", cell, "-v",
                    "--overwrite"});
  };
  // 5 m cells over the sample force: ~7.8 M cells with local Moran's I.
  const auto r = at("5", "400");
  ASSERT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("hotspots gistar: this run would need about "), std::string::npos);
  EXPECT_NE(r.err.find("cells of 5 m"), std::string::npos) << r.err;
  for (const char* part : {"contiguity", "Gi* results", "local Moran's I results", "units"})
    EXPECT_NE(r.err.find(part), std::string::npos) << part << " missing:\n" << r.err;
  EXPECT_NE(r.err.find("more than --max-memory 400 MB"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("a boundary or --extent"), std::string::npos) << r.err;  // one is given
  EXPECT_FALSE(fs::exists(dir.file("c.csv")));
  const double fit = number(r.err, R"(use --cell-size ([0-9]+) or larger)");
  ASSERT_GT(fit, 5) << r.err;
  const auto fits = at(std::to_string(static_cast<int>(fit)), "400");
  ASSERT_EQ(fits.code, 0) << fits.err;
  EXPECT_LE(number(fits.err, R"(estimated peak memory ([0-9]+) MB)"), 400);
  EXPECT_EQ(at(std::to_string(static_cast<int>(fit) - 1), "400").code, 2);

  // Between the run without local Moran's I and the run with it: --permutations 0 is named.
  const auto lisa = at("5", "1000");
  ASSERT_EQ(lisa.code, 2) << lisa.err;
  EXPECT_NE(lisa.err.find("--permutations 0 (no local Moran's I)"), std::string::npos) << lisa.err;
}

TEST(MemoryCli, KNearestAsManyAsTheUnitsIsAnErrorNamingBothNumbers) {
  ScratchDir dir("memory_knn");
  const auto r =
      run_cli({"gistar", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows",
               "--cell-size", "1000", "--knn", "5000", "--cells", dir.file("c.csv")});
  ASSERT_EQ(r.code, 2) << r.err;
  const double cells =
      number(r.err, R"(--knn 5000: must be below the number of cells \(([0-9]+)\))");
  EXPECT_GT(cells, 100) << r.err;
  EXPECT_LT(cells, 5000) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("c.csv")));
}

TEST(MemoryCli, EmergingNamesTheSensitivityTableWhenDroppingItFits) {
  ScratchDir dir("memory_emerging");
  const auto r =
      run_cli({"emerging", kPolice, "--crime-type", "asb", "--boundary", kForce, "--skip-bad-rows",
               "--cell-size", "25", "--all-units", "--max-memory", "600", "-o", dir.file("out")});
  ASSERT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("hotspots emerging: this run would need about "), std::string::npos);
  EXPECT_NE(r.err.find("x 12 steps"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sensitivity cube"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than --max-memory 600 MB; use --no-sensitivity, "), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir.file("out")));
}

TEST(MemoryCli, AnalyseIsRefusedBeforeTheGridAndTheCellSizeNamedFits) {
  ScratchDir dir("memory_analyse");
  const auto at = [&](const std::string& cell) {
    return run_cli({"analyse",       kPolice,    "--boundary", kForce,        "--skip-bad-rows",
                    "--groups",      "asb",      "--from",     "2024-07",     "--to",
                    "2024-12",       "--radius", "250",        "--cell-size", cell,
                    "--max-memory",  "300",      "-v",         "--overwrite", "-o",
                    dir.file("pack")});
  };
  const auto r = at("10");
  ASSERT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("hotspots analyse: this pack would need about "), std::string::npos);
  EXPECT_NE(r.err.find("surfaces and Gi* cells"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than --max-memory 300 MB"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("pack")));
  const double fit = number(r.err, R"(use --cell-size ([0-9]+) or larger)");
  ASSERT_GT(fit, 10) << r.err;
  const auto fits = at(std::to_string(static_cast<int>(fit)));
  ASSERT_EQ(fits.code, 0) << fits.err;
  EXPECT_LE(number(fits.err, R"(estimated peak memory ([0-9]+) MB)"), 300);
  EXPECT_TRUE(fs::exists(dir.file("pack") + "/manifest.json"));
}

// Two groups run side by side when their estimate fits --max-memory, one at a time when only one
// group's does: the run still succeeds, and its estimate is one group's.
TEST(MemoryCli, AnalyseRunsOneGroupAtATimeWhenTwoDoNotFit) {
  ScratchDir dir("memory_groups");
  const auto at = [&](const std::string& budget, const std::string& folder) {
    return run_cli({"analyse",
                    kPolice,
                    "--boundary",
                    kForce,
                    "--skip-bad-rows",
                    "--groups",
                    "asb,violence",
                    "--from",
                    "2024-07",
                    "--to",
                    "2024-12",
                    "--radius",
                    "250",
                    "--cell-size",
                    "20",
                    "--permutations",
                    "0",
                    "--max-memory",
                    budget,
                    "-v",
                    "--overwrite",
                    "-o",
                    dir.file(folder)});
  };
  const auto both = at("100000", "both");
  ASSERT_EQ(both.code, 0) << both.err;
  EXPECT_NE(both.err.find("at 2 groups' analyses and products side by side"), std::string::npos)
      << both.err;
  const double two = number(both.err, R"(estimated peak memory ([0-9]+) MB)");
  ASSERT_GT(two, 0) << both.err;
  const auto one = at(std::to_string(static_cast<int>(two) - 1), "one");
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_NE(one.err.find("at one group's analysis and products"), std::string::npos) << one.err;
  const double single = number(one.err, R"(estimated peak memory ([0-9]+) MB)");
  EXPECT_GT(single, 0);
  EXPECT_LT(single, two);
}

// Without --max-memory, a Slurm task's --mem (SLURM_MEM_PER_NODE, MiB) caps the budget at 90 % of
// it: 286 MiB = 299.9 MB, 90 % = 269.9 MB, below 80 % of any machine that runs this suite.
TEST(MemoryCli, ASlurmTasksMemoryIsTheDefaultBudget) {
  ScratchDir dir("memory_slurm");
  const char* before = std::getenv("SLURM_MEM_PER_NODE");
  const std::string saved = before ? before : "";
  ::setenv("SLURM_MEM_PER_NODE", "286", 1);
  const auto r = run_cli({"analyse", kPolice, "--boundary", kForce, "--skip-bad-rows", "--groups",
                          "asb", "--from", "2024-07", "--to", "2024-12", "--radius", "250",
                          "--cell-size", "10", "--overwrite", "-o", dir.file("pack")});
  if (before)
    ::setenv("SLURM_MEM_PER_NODE", saved.c_str(), 1);
  else
    ::unsetenv("SLURM_MEM_PER_NODE");
  ASSERT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("more than --max-memory 270 MB"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("pack")));
}

}  // namespace
}  // namespace hotspots
