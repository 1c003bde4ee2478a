// SPDX-License-Identifier: MIT
// `hotspots batch`: a plan expands to areas x periods with stable ids; every task equals the
// same `analyse` run by hand (manifest digests); a rerun leaves finished packs and redoes changed
// and failed ones; a failed task never stops the others and is listed by --gather; gather's
// league table equals a recomputation from the packs; --slurm writes a job array of every task.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "hotspots/io/csv_text.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

// The sample's three districts x two half-years, two groups, a coarse grid (fast).
std::string plan_text(const std::string& periods) {
  return R"({"plan_version": 1,
 "base": {"inputs": [")" +
         kSample + R"(/police_uk"], "read": {"skip_bad_rows": true},
          "groups": ["asb", "violence"], "grid": {"cell_size_m": 200}, "kde": {"radius_m": 300},
          "gistar": {"permutations": 19}},
 "areas_from": {"boundary": ")" +
         kSample + R"(/districts.geojson", "id_field": "district_id"},
 "periods": [)" +
         periods + "]}";
}

const char* kHalfYears =
    R"({"rolling": {"from": "2024-01", "to": "2024-12", "months": 6, "step": 6}})";

std::map<std::string, std::string> outputs(const std::string& pack) {
  const auto m = nlohmann::json::parse(read_file(pack + "/manifest.json"));
  std::map<std::string, std::string> out;
  for (const auto& o : m.at("outputs")) out[o.at("path")] = o.at("sha256");
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(BatchCli, ListsAreasTimesPeriodsWithStableIds) {
  ScratchDir dir("batch_list");
  dir.write("plan.json", plan_text(kHalfYears));
  const auto r = run_cli({"batch", dir.file("plan.json"), "--list"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto l = lines(r.out);
  ASSERT_EQ(l.size(), 6u);
  EXPECT_EQ(l[0], "0\td01_2024-01_2024-06\tD01\t2024-01 to 2024-06");
  EXPECT_EQ(l[5], "5\td03_2024-07_2024-12\tD03\t2024-07 to 2024-12");
}

TEST(BatchCli, EveryTaskEqualsTheSameAnalyseByHandAndARerunBuildsNothing) {
  ScratchDir dir("batch_run");
  dir.write("plan.json", plan_text(kHalfYears));
  const std::string out = dir.file("runs");
  auto r = run_cli({"batch", dir.file("plan.json"), "-o", out, "-j", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("6 tasks: 6 built, 0 up to date, 0 failed"));
  // Task 3 by hand: district D02, 2024-07..2024-12.
  r = run_cli({"analyse",
               kSample + "/police_uk",
               "--skip-bad-rows",
               "--boundary",
               kSample + "/districts.geojson",
               "--boundary-where",
               "district_id = 'D02'",
               "--from",
               "2024-07",
               "--to",
               "2024-12",
               "--groups",
               "asb,violence",
               "--cell-size",
               "200",
               "--radius",
               "300",
               "--permutations",
               "19",
               "-q",
               "-o",
               dir.file("by_hand")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(outputs(out + "/d02_2024-07_2024-12"), outputs(dir.file("by_hand")));

  r = run_cli({"batch", dir.file("plan.json"), "-o", out});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 built, 6 up to date, 0 failed"));
  // A changed plan rebuilds only what changed: a third period adds two... one window per area.
  dir.write("plan.json",
            plan_text(std::string(kHalfYears) + R"(, {"from": "2024-10", "to": "2024-12"})"));
  r = run_cli({"batch", dir.file("plan.json"), "-o", out});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("9 tasks: 3 built, 6 up to date, 0 failed"));
}

TEST(BatchCli, AFailedTaskDoesNotStopTheOthersAndGatherListsIt) {
  ScratchDir dir("batch_fail");
  // Area "nowhere" selects no boundary feature: its task fails, the others are built.
  dir.write("plan.json", R"({"plan_version": 1,
 "base": {"inputs": [")" + kSample +
                             R"(/police_uk"], "read": {"skip_bad_rows": true, "from": "2024-07",
          "to": "2024-12"}, "groups": ["asb"], "grid": {"cell_size_m": 200},
          "kde": {"radius_m": 300}, "gistar": {"permutations": 0}},
 "areas": [{"id": "north", "boundary": {"paths": [")" +
                             kSample + R"(/districts.geojson"], "where": "district_id = 'D01'"}},
           {"id": "nowhere", "boundary": {"paths": [")" +
                             kSample + R"(/districts.geojson"], "where": "district_id = 'X'"}},
           {"id": "south", "boundary": {"paths": [")" +
                             kSample +
                             R"(/districts.geojson"], "where": "district_id = 'D03'"}}]})");
  const std::string out = dir.file("runs");
  auto r = run_cli({"batch", dir.file("plan.json"), "-o", out, "-j", "1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("task 1 nowhere: failed"));
  EXPECT_THAT(r.err, HasSubstr("3 tasks: 2 built, 0 up to date, 1 failed"));
  EXPECT_TRUE(fs::exists(out + "/north/manifest.json"));
  EXPECT_TRUE(fs::exists(out + "/south/manifest.json"));
  EXPECT_FALSE(fs::exists(out + "/nowhere"));
  EXPECT_TRUE(fs::exists(out + "/.batch/failed/nowhere.txt"));

  r = run_cli({"batch", dir.file("plan.json"), "-o", out, "--gather"});
  EXPECT_EQ(r.code, 1);  // a failed task is not silently absent
  EXPECT_THAT(r.err, HasSubstr("2 done, 1 failed, 0 missing"));
  const auto index = lines(read_file(out + "/index.csv"));
  ASSERT_EQ(index.size(), 4u);
  EXPECT_THAT(index[2], HasSubstr("nowhere,nowhere,,,failed,"));
  // The league table: north and south ranked by their asb incidents, shares summing to 1.
  const auto m1 = nlohmann::json::parse(read_file(out + "/north/manifest.json"));
  const auto m3 = nlohmann::json::parse(read_file(out + "/south/manifest.json"));
  const double n1 = m1["groups"][0]["incidents"].get<double>();
  const double n3 = m3["groups"][0]["incidents"].get<double>();
  ASSERT_NE(n1, n3);
  EXPECT_THAT(index[1], HasSubstr(fmt::format(",asb,{},", n1)));
  // share_of_period_pct: the share as a percentage to 2 decimals (Excel's conventions).
  const auto pct = [](double share) { return csv_percent(share); };
  EXPECT_EQ(index[0].rfind(kCsvBom, 0), 0u);
  EXPECT_THAT(index[0], HasSubstr(",rank_in_period,share_of_period_pct"));
  // No population field in this plan: no rate rank.
  EXPECT_THAT(index[1], HasSubstr(fmt::format(",{},{},,", n1 > n3 ? 1 : 2, pct(n1 / (n1 + n3)))));
  EXPECT_THAT(index[3], HasSubstr(fmt::format(",{},{},,", n3 > n1 ? 1 : 2, pct(n3 / (n1 + n3)))));
  // The patrol places column is the manifest's count.
  const auto p1 = m1["groups"][0]["patrol_places"].get<std::int64_t>();
  EXPECT_GT(p1, 0);
  EXPECT_THAT(index[0], HasSubstr(",patrol_places,"));
  EXPECT_THAT(index[1], HasSubstr(fmt::format(",{},", p1)));
}

TEST(BatchCli, SlurmScriptsHoldAJobArrayOfEveryTaskAndAGatherAfterIt) {
  ScratchDir dir("batch_slurm");
  dir.write("plan.json", plan_text(kHalfYears));
  const auto r = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("runs"), "--slurm",
                          dir.file("slurm"), "--slurm-max-parallel", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string tasks = read_file(dir.file("slurm/tasks.sbatch"));
  EXPECT_THAT(tasks, HasSubstr("#SBATCH --array=0-5%2"));
  EXPECT_THAT(tasks, HasSubstr("--task \"$SLURM_ARRAY_TASK_ID\""));
  EXPECT_THAT(read_file(dir.file("slurm/gather.sbatch")), HasSubstr("--gather"));
  EXPECT_THAT(read_file(dir.file("slurm/submit.sh")),
              HasSubstr("--dependency=afterany:\"$array\" gather.sbatch"));
}

// The plan the README shows, with paths relative to the repository root, as written.
TEST(BatchCli, TheReadmesSamplePlanListsNineTasks) {
  const fs::path here = fs::current_path();
  fs::current_path(HOTSPOTS_SOURCE_DIR);
  const auto r = run_cli({"batch", "data/plans/sample_districts.json", "--list"});
  fs::current_path(here);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto l = lines(r.out);
  ASSERT_EQ(l.size(), 9u);
  EXPECT_EQ(l[1], "1\td01_2024-04_2024-09\tD01\t2024-04 to 2024-09");
}

// Two forces in one archive folder: the sample's months as they are (Sampleshire Police), and a
// copy of each month renamed to a second force, "Otherton Police", in its file name and its
// `Falls within` column.
std::string two_force_folder(const ScratchDir& dir) {
  const std::string root = dir.file("archive");
  for (const auto& e : fs::recursive_directory_iterator(kSample + "/police_uk")) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name.find("-sampleshire-street.csv") == std::string::npos) continue;
    const std::string month = name.substr(0, 7);
    fs::create_directories(root + "/" + month);
    const std::string text = read_file(e.path().string());
    std::ofstream(root + "/" + month + "/" + name) << text;
    std::string other = text;
    for (std::size_t at = 0; (at = other.find("Sampleshire Police", at)) != std::string::npos;)
      other.replace(at, 18, "Otherton Police");
    std::ofstream(root + "/" + month + "/" + month + "-otherton-street.csv") << other;
  }
  return root;
}

TEST(BatchCli, APlanOverForcesMakesOneTaskPerForceEqualToAnalyseWithForce) {
  ScratchDir dir("batch_forces");
  const std::string archive = two_force_folder(dir);
  dir.write("plan.json", R"({"plan_version": 1,
 "base": {"inputs": [")" + archive +
                             R"("], "read": {"skip_bad_rows": true},
          "groups": ["asb"], "grid": {"cell_size_m": 200}, "kde": {"radius_m": 300},
          "gistar": {"permutations": 19},
          "boundaries": {"paths": [")" +
                             kSample + R"(/force_area.geojson"]}},
 "forces": ["sampleshire", {"force": "Otherton Police"}],
 "periods": [{"from": "2024-07", "to": "2024-12"}]})");
  auto r = run_cli({"batch", dir.file("plan.json"), "--list"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto l = lines(r.out);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0], "0\tsampleshire_2024-07_2024-12\tsampleshire\t2024-07 to 2024-12");
  EXPECT_EQ(l[1], "1\totherton_2024-07_2024-12\totherton\t2024-07 to 2024-12");

  const std::string out = dir.file("runs");
  r = run_cli({"batch", dir.file("plan.json"), "-o", out, "-j", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("2 tasks: 2 built, 0 up to date, 0 failed"));
  r = run_cli({"analyse",
               archive,
               "--skip-bad-rows",
               "--force",
               "otherton",
               "--from",
               "2024-07",
               "--to",
               "2024-12",
               "--groups",
               "asb",
               "--cell-size",
               "200",
               "--radius",
               "300",
               "--permutations",
               "19",
               "--boundary",
               kSample + "/force_area.geojson",
               "-o",
               dir.file("by_hand")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("mixes")));
  EXPECT_EQ(outputs(out + "/otherton_2024-07_2024-12"), outputs(dir.file("by_hand")));
  // The manifest records the force read; the other force's files are not opened (#13): they
  // are listed, one per month as the force's own, and their rows are neither read nor rejected.
  const auto m = nlohmann::json::parse(read_file(out + "/otherton_2024-07_2024-12/manifest.json"));
  EXPECT_EQ(m["spec"]["read"]["forces"], nlohmann::json::array({"Otherton Police"}));
  EXPECT_EQ(m["rows"]["rejected"]["filtered_force"].get<std::int64_t>(), 0);
  std::size_t incident_files = 0;
  for (const auto& input : m["inputs"]) incident_files += input["role"] == "incidents";
  EXPECT_GT(incident_files, 0u);
  ASSERT_EQ(m["inputs_skipped_by_name"].size(), incident_files);
  for (const auto& path : m["inputs_skipped_by_name"])
    EXPECT_THAT(path.get<std::string>(), HasSubstr("-sampleshire-street.csv"));

  // Without --force the analyse of both warns that the study mixes them.
  r = run_cli({"analyse", archive, "--skip-bad-rows", "--from", "2024-07", "--to", "2024-12",
               "--groups", "asb", "--cell-size", "200", "--radius", "300", "--permutations", "19",
               "--boundary", kSample + "/force_area.geojson", "-o", dir.file("mixed")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("the study mixes 2 police forces (otherton "));
}

// Issue #13: no boundary given. analyse refuses unless asked for a study area from the data;
// with --data-study-area the pack is built on the buffered concave hull, with a warning, and the
// spec records it so that a plan can ask for the same.
TEST(BatchCli, APackWithoutBoundaryTakesItsStudyAreaFromTheDataWhenAsked) {
  ScratchDir dir("batch_data_area");
  const std::vector<std::string> common = {"analyse",
                                           kSample + "/police_uk",
                                           "--skip-bad-rows",
                                           "--from",
                                           "2024-10",
                                           "--to",
                                           "2024-12",
                                           "--groups",
                                           "asb",
                                           "--cell-size",
                                           "200",
                                           "--radius",
                                           "300",
                                           "--permutations",
                                           "19"};
  auto args = common;
  args.insert(args.end(), {"-o", dir.file("none")});
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("analyse needs --boundary"));
  EXPECT_THAT(r.err, HasSubstr("--data-study-area"));
  args = common;
  args.insert(args.end(),
              {"--data-study-area", "--data-study-area-buffer", "300", "-o", dir.file("hull")});
  r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: no boundary given: the study area is the concave hull"));
  EXPECT_THAT(r.err, HasSubstr("buffered by 300 m"));
  const auto m = nlohmann::json::parse(read_file(dir.file("hull") + "/manifest.json"));
  EXPECT_EQ(m["spec"]["data_study_area"]["buffer_m"], 300.0);
  // The same through a plan: the task equals the pack by hand.
  dir.write("plan.json", R"({"plan_version": 1,
 "base": {"inputs": [")" + kSample +
                             R"(/police_uk"], "read": {"skip_bad_rows": true},
          "groups": ["asb"], "grid": {"cell_size_m": 200}, "kde": {"radius_m": 300},
          "gistar": {"permutations": 19}, "data_study_area": {"buffer_m": 300}},
 "periods": [{"from": "2024-10", "to": "2024-12"}]})");
  r = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("runs")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(outputs(dir.file("runs") + "/2024-10_2024-12"), outputs(dir.file("hull")));
}

TEST(BatchCli, PlanErrorsNameTheKey) {
  ScratchDir dir("batch_errors");
  dir.write(
      "a.json",
      R"({"plan_version": 1, "base": {}, "periods": [{"from": "2024-13", "to": "2024-12"}]})");
  auto r = run_cli({"batch", dir.file("a.json"), "--list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("periods[0].from: '2024-13' is not a month YYYY-MM"));
  dir.write("b.json", R"({"plan_version": 1, "base": {"kde": {"radus_m": 3}}})");
  r = run_cli({"batch", dir.file("b.json"), "--list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("kde.radus_m: unknown key"));
  dir.write("c.json", R"({"plan_version": 1, "base": {}, "area": []})");
  r = run_cli({"batch", dir.file("c.json"), "--list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("c.json: area: unknown key"));
  dir.write("d.json", R"({"plan_version": 1, "base": {}, "forces": ["kent"], "areas": []})");
  r = run_cli({"batch", dir.file("d.json"), "--list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("d.json: forces: give one of areas, areas_from and forces"));
  dir.write("e.json", R"({"plan_version": 1, "base": {}, "forces": [{"name": "kent"}]})");
  r = run_cli({"batch", dir.file("e.json"), "--list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("forces[0].name: unknown key"));
}

namespace gather_check {

// One CSV line's fields (quoted fields may hold commas; "" is a quote).
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

// The rows of a CSV as column -> text maps (the BOM dropped).
std::vector<std::map<std::string, std::string>> table(const std::string& text) {
  auto l = lines(text);
  std::vector<std::map<std::string, std::string>> out;
  if (l.empty()) return out;
  if (l[0].rfind(kCsvBom, 0) == 0) l[0].erase(0, 3);
  const auto head = fields(l[0]);
  for (std::size_t r = 1; r < l.size(); ++r) {
    const auto f = fields(l[r]);
    EXPECT_EQ(f.size(), head.size()) << l[r];
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < head.size() && c < f.size(); ++c) row[head[c]] = f[c];
    out.push_back(row);
  }
  return out;
}

// R's binom.test(n2, n1 + n2, 0.5)$p.value by direct summation of the binomial probabilities
// (an independent computation of the exact conditional test of equal rates).
double binom_test_p(std::int64_t n1, std::int64_t n2) {
  const std::int64_t n = n1 + n2;
  const double nd = static_cast<double>(n);
  const auto log_pmf = [n, nd](std::int64_t k) {
    return std::lgamma(nd + 1) - std::lgamma(static_cast<double>(k) + 1) -
           std::lgamma(static_cast<double>(n - k) + 1) - nd * std::log(2.0);
  };
  const double observed = log_pmf(n2);
  double p = 0;
  for (std::int64_t k = 0; k <= n; ++k)
    if (log_pmf(k) <= observed + std::log1p(1e-7)) p += std::exp(log_pmf(k));
  return std::min(1.0, p);
}

}  // namespace gather_check

// Gather recomputed from the task packs by this test's own arithmetic: league ranks by count and
// by rate per 1,000 residents (populations summed from each pack's zones), the rate index, the
// exact test of each area's change and its BH adjustment over the period's areas, and the
// persistence of the latest patrol places (overlaps counted in shared 100 m cells).
TEST(BatchCli, GatherEqualsARecomputationFromThePacks) {
  using namespace gather_check;
  ScratchDir dir("batch_gather");
  dir.write("plan.json", R"({"plan_version": 1,
 "base": {"inputs": [")" + kSample +
                             R"(/police_uk"], "read": {"skip_bad_rows": true},
          "zones": {"path": ")" +
                             kSample +
                             R"(/small_areas.geojson", "population_field": "population"},
          "groups": ["asb"], "grid": {"cell_size_m": 200}, "kde": {"radius_m": 300},
          "gistar": {"permutations": 0}},
 "areas_from": {"boundary": ")" +
                             kSample +
                             R"(/districts.geojson", "id_field": "district_id"},
 "periods": [{"rolling": {"from": "2024-01", "to": "2024-12", "months": 6, "step": 3}}]})");
  const std::string out = dir.file("runs");
  auto r = run_cli({"batch", dir.file("plan.json"), "-o", out, "-j", "2", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_cli({"batch", dir.file("plan.json"), "-o", out, "--gather"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto index = table(read_file(out + "/index.csv"));
  ASSERT_EQ(index.size(), 9u);

  struct Task {
    std::string id, period;
    double incidents = 0, previous = std::nan(""), population = 0;
  };
  std::vector<Task> tasks;
  for (const auto& row : index) {
    Task t{row.at("task_id"), row.at("period")};
    const auto m = nlohmann::json::parse(read_file(out + "/" + t.id + "/manifest.json"));
    t.incidents = m["groups"][0]["incidents"].get<double>();
    if (m["groups"][0]["previous_incidents"].is_number())
      t.previous = m["groups"][0]["previous_incidents"].get<double>();
    const auto zones = nlohmann::json::parse(read_file(out + "/" + t.id + "/zones.geojson"));
    for (const auto& f : zones["features"])
      t.population += f["properties"]["population"].get<double>();
    tasks.push_back(t);
  }
  int changes_tested = 0;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const Task& t = tasks[i];
    const auto& row = index[i];
    double total = 0, people = 0;
    int rank = 1, rate_rank = 1;
    std::vector<double> league_p;
    for (const Task& o : tasks) {
      if (o.period != t.period) continue;
      total += o.incidents;
      people += o.population;
      rank += o.incidents > t.incidents;
      rate_rank += o.incidents / o.population > t.incidents / t.population;
      if (!std::isnan(o.previous))
        league_p.push_back(binom_test_p(std::int64_t(o.previous), std::int64_t(o.incidents)));
    }
    SCOPED_TRACE(t.id);
    EXPECT_EQ(std::stod(row.at("incidents")), t.incidents);
    EXPECT_EQ(std::stoi(row.at("rank_in_period")), rank);
    EXPECT_EQ(std::stoi(row.at("rate_rank_in_period")), rate_rank);
    EXPECT_NEAR(std::stod(row.at("share_of_period_pct")), 100 * t.incidents / total, 0.0051);
    EXPECT_NEAR(std::stod(row.at("population")), t.population, 1e-6);
    EXPECT_NEAR(std::stod(row.at("per_1000_people")), 1000 * t.incidents / t.population, 0.0051);
    EXPECT_NEAR(std::stod(row.at("rate_index")),
                100 * (t.incidents / t.population) / (total / people), 0.051);
    if (std::isnan(t.previous)) {
      EXPECT_EQ(row.at("change_p"), "");
      continue;
    }
    ++changes_tested;
    const double p = binom_test_p(std::int64_t(t.previous), std::int64_t(t.incidents));
    EXPECT_NEAR(std::stod(row.at("change_p")), p, 5e-4 * p + 1e-300);
    // Benjamini–Hochberg by hand: min over j >= rank(p) of m p_(j) / j.
    std::sort(league_p.begin(), league_p.end());
    double q = 1;
    const double m = double(league_p.size());
    for (std::size_t j = league_p.size(); j-- > 0;)
      if (league_p[j] >= p) q = std::min(q, m * league_p[j] / double(j + 1));
    EXPECT_NEAR(std::stod(row.at("change_q")), std::min(q, 1.0), 5e-4 * q);
    EXPECT_EQ(row.at("change_flag"), q < 0.05 ? (t.incidents > t.previous ? "up" : "down") : "");
  }
  EXPECT_EQ(changes_tested, 3);  // the last window of each district has a previous half-year

  // Persistence of each district's latest places over its three windows.
  const auto persistence = table(read_file(out + "/persistence.csv"));
  ASSERT_FALSE(persistence.empty());
  int checked = 0;
  for (const auto& row : persistence) {
    const std::string area = row.at("area");
    std::string lower = area;
    for (char& c : lower) c = char(std::tolower(c));
    // Places are the default cells rule: two places overlap by their shared 100 m cells, read
    // from each GeoJSON's "cells" ("x y size;..."), against the smaller place's cell count.
    auto cells_of = [](const nlohmann::json& props) {
      std::set<std::pair<long, long>> corners;
      std::istringstream in(props["cells"].get<std::string>());
      for (std::string item; std::getline(in, item, ';');) {
        std::istringstream xy(item);
        double cx = 0, cy = 0, side = 0;
        xy >> cx >> cy >> side;
        corners.insert({std::lround(cx), std::lround(cy)});
      }
      return corners;
    };
    std::set<std::pair<long, long>> mine;
    {
      const auto latest = nlohmann::json::parse(
          read_file(out + "/" + lower + "_2024-07_2024-12/asb/patrol.geojson"));
      for (const auto& f : latest["features"])
        if (f["properties"]["patrol_id"] == row.at("place_id")) mine = cells_of(f["properties"]);
    }
    ASSERT_FALSE(mine.empty()) << row.at("place_id");
    int periods = 0, streak = 0;
    bool alive = true, near_threshold = false;
    for (const char* window : {"2024-07_2024-12", "2024-04_2024-09", "2024-01_2024-06"}) {
      const auto places = nlohmann::json::parse(
          read_file(out + "/" + lower + "_" + window + "/asb/patrol.geojson"));
      bool hit = false;
      for (const auto& f : places["features"]) {
        const auto theirs = cells_of(f["properties"]);
        std::size_t shared = 0;
        for (const auto& c : theirs) shared += mine.count(c);
        const double share =
            static_cast<double>(shared) / static_cast<double>(std::min(mine.size(), theirs.size()));
        near_threshold = near_threshold || std::abs(share - 0.5) < 1e-9;
        hit = hit || share >= 0.5;
      }
      periods += hit;
      alive = alive && hit;
      streak += alive;
    }
    if (near_threshold) continue;  // exactly half: floating-point area of the outlines decides
    ++checked;
    SCOPED_TRACE(area + " " + row.at("place_id"));
    EXPECT_EQ(std::stoi(row.at("periods_in_top_list")), periods);
    EXPECT_EQ(std::stoi(row.at("streak")), streak);
    EXPECT_EQ(row.at("periods"), "3");
  }
  EXPECT_GE(checked, 3);  // at least one place per district

  const auto geo = nlohmann::json::parse(read_file(out + "/index.geojson"));
  ASSERT_EQ(geo["features"].size(), 9u);
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(geo["features"][i]["properties"]["asb_incidents"].get<double>(), tasks[i].incidents);
    EXPECT_TRUE(geo["features"][i]["geometry"]["type"].is_string());
  }
  const std::string summary = read_file(out + "/summary.md");
  EXPECT_THAT(summary, HasSubstr("### 2024-07 to 2024-12 — Anti-social behaviour"));
  EXPECT_THAT(summary, HasSubstr("**All 3 areas**"));
  EXPECT_THAT(summary, HasSubstr("OGL v3.0"));
}

// {"last": ...} periods end at the data's latest month (the sample's 2024-12), or at --data-to;
// the Slurm scripts carry the month resolved once, so every array task expands the same tasks.
TEST(BatchCli, LastPeriodsEndAtTheDatasLatestMonthOrAtDataTo) {
  ScratchDir dir("batch_last");
  dir.write("plan.json", plan_text(R"({"last": {"months": 6, "refreshes": 3, "step": 1}})"));
  auto r = run_cli({"batch", dir.file("plan.json"), "--list"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto l = lines(r.out);
  ASSERT_EQ(l.size(), 9u);
  EXPECT_EQ(l[0], "0\td01_2024-05_2024-10\tD01\t2024-05 to 2024-10");
  EXPECT_EQ(l[2], "2\td01_2024-07_2024-12\tD01\t2024-07 to 2024-12");
  EXPECT_THAT(r.err, HasSubstr("end at 2024-12, the data's latest month"));

  r = run_cli({"batch", dir.file("plan.json"), "--list", "--data-to", "2024-09"});
  ASSERT_EQ(r.code, 0) << r.err;
  l = lines(r.out);
  ASSERT_EQ(l.size(), 9u);
  EXPECT_EQ(l[0], "0\td01_2024-02_2024-07\tD01\t2024-02 to 2024-07");
  EXPECT_EQ(l[8], "8\td03_2024-04_2024-09\tD03\t2024-04 to 2024-09");

  r = run_cli(
      {"batch", dir.file("plan.json"), "-o", dir.file("runs"), "--slurm", dir.file("slurm")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(read_file(dir.file("slurm/tasks.sbatch")), HasSubstr("--data-to '2024-12'"));
  EXPECT_THAT(read_file(dir.file("slurm/gather.sbatch")), HasSubstr("--data-to '2024-12'"));

  r = run_cli({"batch", dir.file("plan.json"), "--list", "--data-to", "2024-9x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--data-to: '2024-9x' is not YYYY-MM"));
  dir.write("bad.json", plan_text(R"({"last": {"months": 6, "refresh": 3}})"));
  r = run_cli({"batch", dir.file("bad.json"), "--list"});
  EXPECT_NE(r.code, 0);
  EXPECT_THAT(r.err, HasSubstr("periods[0].last.refresh"));
}

// --max-memory: each task's peak is estimated once its incidents are read and shown on its
// line (and by --list --estimate-memory before any run); a task whose estimate is above the limit
// fails naming the limit and what would fit; with -j 2 and a limit that holds one task but not two,
// every task is built (one waits for the other's memory when they meet) and the packs are those
// built without a limit.
TEST(BatchCli, TasksAreEstimatedAndRefusedOrQueuedByMaxMemory) {
  ScratchDir dir("batch_memory");
  dir.write("plan.json",
            plan_text(R"({"rolling": {"from": "2024-07", "to": "2024-12", "months": 6}})"));
  const auto free_run = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("free"), "-j", "1",
                                 "--max-memory", "100000"});
  ASSERT_EQ(free_run.code, 0) << free_run.err;
  // "task 0 D01_2024-07_2024-12: built (1.2 s, estimated peak 281 MB)"
  const std::regex line(R"(task (\d+) (\S+): built \([0-9.]+ s, estimated peak (\d+) MB\))");
  std::map<std::string, double> estimate_mb;
  for (const std::string& l : lines(free_run.err)) {
    std::smatch m;
    if (std::regex_search(l, m, line)) estimate_mb[m[2]] = std::stod(m[3]);
  }
  ASSERT_EQ(estimate_mb.size(), 3u) << free_run.err;
  double largest = 0;
  double smallest = 1e18;
  for (const auto& [id, mb] : estimate_mb) {
    EXPECT_GT(mb, 200) << id;  // the program, libraries and maps alone (kAnalyseBaseBytes)
    largest = std::max(largest, mb);
    smallest = std::min(smallest, mb);
  }

  // --list --estimate-memory reads each task and shows the estimate its run made.
  const auto listed = run_cli({"batch", dir.file("plan.json"), "--list", "--estimate-memory"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  const auto rows = lines(listed.out);
  ASSERT_EQ(rows.size(), 3u);
  for (const std::string& row : rows) {
    const auto tab = row.find('\t');
    const std::string id = row.substr(tab + 1, row.find('\t', tab + 1) - tab - 1);
    ASSERT_TRUE(estimate_mb.count(id)) << row;
    EXPECT_THAT(row, ::testing::EndsWith(fmt::format("\t{:.0f} MB", estimate_mb.at(id)))) << row;
  }

  // One task at a time fits, two do not: all built, the same packs.
  const std::string one_at_a_time = fmt::format("{:.0f}", largest + 2);
  ASSERT_LT(largest + 2, 2 * smallest);
  const auto queued = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("queued"), "-j", "2",
                               "--max-memory", one_at_a_time});
  ASSERT_EQ(queued.code, 0) << queued.err;
  EXPECT_THAT(queued.err, HasSubstr("3 tasks: 3 built, 0 up to date, 0 failed"));
  for (const auto& [id, mb] : estimate_mb)
    EXPECT_EQ(outputs(dir.file("queued/" + id)), outputs(dir.file("free/" + id))) << id;

  // Below every estimate: every task fails, each naming the limit and what would fit.
  const auto refused = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("refused"), "-j",
                                "1", "--max-memory", fmt::format("{:.0f}", smallest - 2)});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("3 tasks: 0 built, 0 up to date, 3 failed"));
  for (const auto& [id, mb] : estimate_mb) {
    EXPECT_THAT(refused.err, HasSubstr(id + ": failed")) << id;
    const std::string why = read_file(dir.file("refused/.batch/failed/" + id + ".txt"));
    EXPECT_THAT(why, HasSubstr("more than max_memory_mb")) << why;
    // At this small grid the pack-wide products decide the peak: no cell size would fit.
    EXPECT_THAT(why, HasSubstr("raise max_memory_mb")) << why;
  }
}

// --slurm-mem auto: --mem is the largest of the tasks' estimates (as --list --estimate-memory
// shows them) + 25 %, in whole 100 MB; without --slurm-mem the scripts hold no --mem and the
// command says so; a value Slurm would refuse is refused here, naming the option.
TEST(BatchCli, SlurmMemoryAutoIsTheLargestTaskEstimatePlusAQuarter) {
  ScratchDir dir("batch_slurm_mem");
  dir.write(
      "plan.json",
      plan_text(R"({"rolling": {"from": "2024-01", "to": "2024-12", "months": 6, "step": 3}})"));
  const auto listed = run_cli({"batch", dir.file("plan.json"), "--list", "--estimate-memory"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  double largest_mb = 0;
  for (const std::string& row : lines(listed.out))
    largest_mb = std::max(largest_mb, std::stod(row.substr(row.rfind('\t') + 1)));
  ASSERT_GT(largest_mb, 200);
  // The listing rounds to whole MB: either side of a 100 MB boundary is accepted.
  const auto mem_for = [](double mb) {
    return fmt::format("#SBATCH --mem={:.0f}M\n", std::ceil(mb * 1.25 / 100) * 100);
  };
  const auto r = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("runs"), "--slurm",
                          dir.file("slurm"), "--slurm-mem", "auto"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string tasks = read_file(dir.file("slurm/tasks.sbatch"));
  EXPECT_THAT(tasks, ::testing::AnyOf(HasSubstr(mem_for(largest_mb - 0.5)),
                                      HasSubstr(mem_for(largest_mb + 0.5))))
      << tasks << " largest " << largest_mb;
  EXPECT_THAT(r.err, HasSubstr("the largest estimate, task"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("no --slurm-mem")));

  const auto plain = run_cli(
      {"batch", dir.file("plan.json"), "-o", dir.file("runs"), "--slurm", dir.file("slurm2")});
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_THAT(read_file(dir.file("slurm2/tasks.sbatch")), ::testing::Not(HasSubstr("--mem")));
  EXPECT_THAT(plain.err, HasSubstr("no --slurm-mem"));

  const auto given = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("runs"), "--slurm",
                              dir.file("slurm3"), "--slurm-mem", "4G"});
  ASSERT_EQ(given.code, 0) << given.err;
  EXPECT_THAT(read_file(dir.file("slurm3/tasks.sbatch")), HasSubstr("#SBATCH --mem=4G\n"));

  const auto bad = run_cli({"batch", dir.file("plan.json"), "-o", dir.file("runs"), "--slurm",
                            dir.file("slurm4"), "--slurm-mem", "lots"});
  EXPECT_NE(bad.code, 0);
  EXPECT_THAT(bad.err, HasSubstr("--slurm-mem"));
  EXPECT_FALSE(fs::exists(dir.file("slurm4/tasks.sbatch")));
}

}  // namespace
}  // namespace hotspots
