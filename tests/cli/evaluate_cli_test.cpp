// SPDX-License-Identifier: MIT
// `hotspots evaluate` end to end on the synthetic sample (data/sample, planted hotspots in
// truth.json): outputs, CSV shape, PNG read back through GDAL, refusal to clobber,
// byte-identical reruns, usage errors, and that the method matching the planted process wins.

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;
using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

std::vector<std::string> sample_args(const std::string& out) {
  return {"evaluate",
          kSample + "/police_uk",
          "--crime-type",
          "asb",
          "--boundary",
          kSample + "/force_area.geojson",
          "--skip-bad-rows",
          "-q",
          "--train",
          "6",
          "--test",
          "1",
          "--methods",
          "kde:radius=100,kde:radius=1000,gistar,counts,last",
          "--area-percent",
          "0.5,1,2",
          "-o",
          out};
}

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

// One run shared by the tests below (the sample run takes a few seconds).
class EvaluateCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("evaluate");
    out_ = dir_->file("eval");
    result_ = new testing::CliResult(run_cli(sample_args(out_)));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static inline ScratchDir* dir_ = nullptr;
  static inline std::string out_;
  static inline testing::CliResult* result_ = nullptr;
};

TEST_F(EvaluateCli, WritesScoresSummaryAndAValidPng) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  EXPECT_EQ(result_->err, "");  // -q: a clean run is quiet
  // 12 months, train 6, test 1: origins 2024-07 .. 2024-12; 5 methods x 3 shares each.
  const auto scores = read_csv(out_ + "/scores.csv");
  ASSERT_EQ(scores.size(), 1u + 6u * 5u * 3u);
  ASSERT_EQ(scores[0].size(), 18u);
  EXPECT_EQ(scores[0][0], "origin");
  EXPECT_EQ(scores[1][0], "2024-07");
  EXPECT_EQ(scores[1][1], "2024-01");
  EXPECT_EQ(scores[1][2], "2024-06");
  EXPECT_EQ(scores.back()[0], "2024-12");
  for (std::size_t i = 1; i < scores.size(); ++i) ASSERT_EQ(scores[i].size(), 18u) << i;
  const auto summary = read_csv(out_ + "/summary.csv");
  ASSERT_EQ(summary.size(), 1u + 5u * 3u);
  // stdout: the table and one recommendation line per share.
  EXPECT_THAT(result_->out, HasSubstr("6 origins 2024-07 to 2024-12"));
  EXPECT_THAT(result_->out, HasSubstr("recommended at 0.5% of the area: "));
  EXPECT_THAT(result_->out, HasSubstr("recommended at 2% of the area: "));

  GDALAllRegister();
  auto* ds = static_cast<GDALDataset*>(
      GDALOpenEx((out_ + "/pai.png").c_str(), GDAL_OF_RASTER, nullptr, nullptr, nullptr));
  ASSERT_NE(ds, nullptr);
  EXPECT_STREQ(ds->GetDriver()->GetDescription(), "PNG");
  EXPECT_EQ(ds->GetRasterXSize(), 960);
  EXPECT_EQ(ds->GetRasterYSize(), 600);
  GDALClose(ds);
}

// The sample's ASB is a stationary process: three planted Gaussian hotspots (sd 80-150 m,
// Poisson means 45, 25 and 30 a month, about 28 % of all ASB) over a smooth background, the same
// every month. So (1) six months of counts estimate the hot cells better than the last month's
// Poisson draw alone: `counts` beats `last`; (2) the hotspots are a few hundred metres across,
// so a 100 m KDE keeps them sharp while a 1000 m KDE spreads them over the background: the
// 100 m KDE beats the 1000 m one; (3) the best method catches the planted hotspots: at 2 % of
// the area (about 3.8 km², more than the ~1 km² within 2 sd of the centres) its hit rate is at
// least the planted share of incidents a month (100 of ~360, i.e. ~0.25) — a method that found
// them would, one that missed them could not.
TEST_F(EvaluateCli, MethodsMatchingThePlantedProcessWin) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  // summary.csv column -> value, per (method, area share).
  std::map<std::string, std::map<std::string, double>> s;
  auto key = [](const std::string& method, const std::string& area) { return method + "@" + area; };
  const auto rows = read_csv(out_ + "/summary.csv");
  for (std::size_t i = 1; i < rows.size(); ++i)
    for (std::size_t c = 2; c < rows[0].size(); ++c)
      s[key(rows[i][0], rows[i][1])][rows[0][c]] = std::stod(rows[i][c]);
  for (const std::string area : {"0.5", "1", "2"}) {
    EXPECT_GT(s[key("counts", area)]["mean_pai"], s[key("last", area)]["mean_pai"]) << area;
    EXPECT_GT(s[key("kde:radius=100", area)]["mean_pai"],
              s[key("kde:radius=1000", area)]["mean_pai"])
        << area;
  }
  double best_hit_rate = 0;
  for (auto& [k, v] : s)
    if (k.ends_with("@2")) best_hit_rate = std::max(best_hit_rate, v["mean_hit_rate"]);
  EXPECT_GE(best_hit_rate, 0.25);
}

TEST_F(EvaluateCli, RefusesToClobberAndRerunsAreByteIdentical) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  const auto again = run_cli(sample_args(out_));
  EXPECT_EQ(again.code, 1);
  EXPECT_THAT(again.err, HasSubstr("scores.csv"));
  auto args = sample_args(out_);
  args.push_back("--overwrite");
  const std::string scores = read_file(out_ + "/scores.csv");
  const std::string summary = read_file(out_ + "/summary.csv");
  const std::string png = read_file(out_ + "/pai.png");
  const auto rerun = run_cli(args);
  ASSERT_EQ(rerun.code, 0) << rerun.err;
  EXPECT_EQ(rerun.out, result_->out);
  EXPECT_TRUE(read_file(out_ + "/scores.csv") == scores);
  EXPECT_TRUE(read_file(out_ + "/summary.csv") == summary);
  EXPECT_TRUE(read_file(out_ + "/pai.png") == png);
}

TEST(EvaluateCliErrors, BadOptionsAreUsageErrorsNamingTheOption) {
  ScratchDir dir("evaluate_errors");
  auto args = sample_args(dir.file("out"));
  args[13] = "kde:radius=0";  // --methods
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--methods 'kde:radius=0'"));
  args = sample_args(dir.file("out"));
  args[15] = "0.5,150";  // --area-percent
  r = run_cli(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--area-percent 150"));
  args = sample_args(dir.file("out"));
  args[9] = "12";  // --train: 12 + 1 months do not fit in 12
  r = run_cli(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("no origin fits"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("out") + "/scores.csv"));
}

}  // namespace
}  // namespace hotspots
