// SPDX-License-Identifier: MIT
// `hotspots analyse` on the synthetic sample: the pack's files, its manifest against independent
// digests and counts, the zone table against `hotspots info`, refusal to clobber, no
// half-written pack on failure, byte-identical reruns.

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_test_util.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_cli;
using testing::ScratchDir;

const std::string kSample = HOTSPOTS_SAMPLE_DIR;

std::vector<std::string> pack_args(const std::string& outdir) {
  return {"analyse",
          kSample + "/police_uk",
          "--boundary",
          kSample + "/districts.geojson",
          "--zones",
          kSample + "/small_areas.geojson",
          "--population-field",
          "population",
          "--from",
          "2024-07",
          "--to",
          "2024-12",
          "--radius",
          "250",
          "--cell-size",
          "100",
          "--skip-bad-rows",
          "-q",
          "-o",
          outdir};
}

/// `sha256sum FILE` — an implementation independent of the one under test.
std::string sha256sum(const std::string& path) {
  std::string command = "sha256sum '" + path + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  char buffer[128] = {};
  const std::size_t got = std::fread(buffer, 1, 64, pipe);
  ::pclose(pipe);
  return std::string(buffer, got);
}

/// CSV rows of a simple (unquoted) CSV: header names → columns of text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::istringstream in(read_file(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::istringstream h(line);
    for (std::string f; std::getline(h, f, ',');) header.push_back(f);
  }
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::istringstream r(line);
    std::size_t i = 0;
    for (std::string f; std::getline(r, f, ',') && i < header.size(); ++i) row[header[i]] = f;
    rows.push_back(row);
  }
  return rows;
}

/// One pack shared by the tests (about 10 s to build).
class AnalysePack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir("analyse");
    pack_ = scratch_->file("pack");
    result_ = new testing::CliResult(run_cli(pack_args(pack_)));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete scratch_;
  }
  static ScratchDir* scratch_;
  static std::string pack_;
  static testing::CliResult* result_;
};
ScratchDir* AnalysePack::scratch_ = nullptr;
std::string AnalysePack::pack_;
testing::CliResult* AnalysePack::result_ = nullptr;

TEST_F(AnalysePack, WritesEveryFileAndNoTemporaryFolder) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  for (const char* f : {"summary.md", "manifest.json", "hotspots.qgs", "zones.csv", "zones.geojson",
                        "zones.qml", "concentration.csv", "rejects.csv"})
    EXPECT_TRUE(fs::exists(fs::path(pack_) / f)) << f;
  for (const char* g : {"asb", "violence", "all"})
    for (const char* f :
         {"density.tif", "density.qml", "hotspots.geojson", "hotspots.qml", "gistar_z.tif",
          "gistar_cells.geojson", "gistar_cells.qml", "gistar_clusters.geojson",
          "gistar_clusters.qml", "patrol.csv", "patrol.geojson", "patrol.qml", "map.png"})
      EXPECT_TRUE(fs::exists(fs::path(pack_) / g / f)) << g << "/" << f;
  for (const auto& entry : fs::directory_iterator(fs::path(pack_).parent_path()))
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
}

TEST_F(AnalysePack, ManifestDigestsMatchSha256sum) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  const auto m = nlohmann::json::parse(read_file(pack_ + "/manifest.json"));
  ASSERT_EQ(m["inputs"].size(), 12u + 2u);  // 12 monthly CSVs, districts, small areas
  for (const auto& input : m["inputs"])
    EXPECT_EQ(input["sha256"].get<std::string>(), sha256sum(input["path"].get<std::string>()))
        << input["path"];
  std::set<std::string> listed;
  for (const auto& output : m["outputs"]) {
    const std::string path = pack_ + "/" + output["path"].get<std::string>();
    EXPECT_EQ(output["sha256"].get<std::string>(), sha256sum(path)) << path;
    listed.insert(output["path"].get<std::string>());
  }
  EXPECT_TRUE(listed.count("asb/map.png"));
  EXPECT_FALSE(listed.count("manifest.json"));
  EXPECT_EQ(m["parameters"]["previous_period"], "2024-01 to 2024-06");
  EXPECT_EQ(m["parameters"]["grid"]["cell_size_m"], 100.0);
  EXPECT_TRUE(m["rows"]["balanced"].get<bool>());
}

/// The counts of the pack agree with `hotspots info`, whose date and crime-type filters run at
/// read time (a different code path from analyse's split after reading).
TEST_F(AnalysePack, CountsAgreeWithInfo) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  const auto m = nlohmann::json::parse(read_file(pack_ + "/manifest.json"));
  const auto info_count = [](const std::string& from, const std::string& to,
                             const std::string& type) {
    std::vector<std::string> args = {"info",
                                     kSample + "/police_uk",
                                     "--boundary",
                                     kSample + "/districts.geojson",
                                     "--skip-bad-rows",
                                     "--from",
                                     from,
                                     "--to",
                                     to,
                                     "--json",
                                     "-q"};
    if (!type.empty()) args.insert(args.end(), {"--crime-type", type});
    const auto r = run_cli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out)["rows"]["used"].get<std::int64_t>();
  };
  std::map<std::string, std::int64_t> current;
  for (const auto& g : m["groups"]) {
    const std::string name = g["name"];
    const std::string type = name == "all" ? "" : name;
    EXPECT_EQ(g["incidents"].get<std::int64_t>(), info_count("2024-07", "2024-12", type)) << name;
    EXPECT_EQ(g["previous_incidents"].get<std::int64_t>(), info_count("2024-01", "2024-06", type))
        << name;
    current[name] = g["incidents"].get<std::int64_t>();
  }
  EXPECT_EQ(m["rows"]["used"].get<std::int64_t>(), current["all"]);

  // Zone table: every incident of a group is in one zone or counted as outside.
  const auto zones = read_csv(pack_ + "/zones.csv");
  ASSERT_EQ(zones.size(), 48u);
  for (const auto& [group, total] : current) {
    std::int64_t sum = 0;
    std::int64_t previous = 0;
    for (const auto& z : zones) {
      sum += std::stoll(z.at(group + "_incidents"));
      previous += std::stoll(z.at(group + "_previous"));
    }
    EXPECT_LE(sum, total) << group;
    EXPECT_GE(sum, total - 5)
        << group;  // the districts' union and the small areas differ by slivers
    EXPECT_GT(previous, 0) << group;
  }
}

/// The small area holding the strongest planted ASB hotspot (asb_1, SA023) ranks first for ASB.
TEST_F(AnalysePack, PlantedHotspotZoneRanksFirst) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  int firsts = 0;
  for (const auto& z : read_csv(pack_ + "/zones.csv")) {
    if (z.at("asb_rank") != "1") continue;
    EXPECT_EQ(z.at("zone_id"), "SA023");
    ++firsts;
  }
  EXPECT_EQ(firsts, 1);
  const auto patrol = read_csv(pack_ + "/asb/patrol.csv");
  ASSERT_FALSE(patrol.empty());
  // Issue #11 items 2-3: the budget of 10 used to be filled with areas of 0-2 incidents. Now every
  // place holds the minimum (3 a month x 6 months), so the sample's three planted ASB hotspots
  // are the three places.
  EXPECT_EQ(patrol.size(), 3u);
  for (const auto& p : patrol) EXPECT_GE(std::stod(p.at("incidents")), 18.0) << p.at("patrol_id");
  // asb_1 is planted at (462350, 301650); the first patrol place is centred on it.
  const double dx = std::stod(patrol[0].at("centre_x")) - 462350;
  const double dy = std::stod(patrol[0].at("centre_y")) - 301650;
  EXPECT_LT(std::hypot(dx, dy), 50.0);
}

TEST_F(AnalysePack, MapIsAPngThatGdalReads) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  GDALAllRegister();
  GDALDataset* png =
      static_cast<GDALDataset*>(GDALOpen((pack_ + "/asb/map.png").c_str(), GA_ReadOnly));
  ASSERT_NE(png, nullptr);
  EXPECT_EQ(std::string(png->GetDriver()->GetDescription()), "PNG");
  EXPECT_EQ(png->GetRasterXSize(), 1600);
  EXPECT_GE(png->GetRasterCount(), 3);
  GDALClose(png);
}

TEST_F(AnalysePack, RefusesAnExistingPackAndReplacesItWithOverwrite) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  const std::string before = read_file(pack_ + "/summary.md");
  const auto again = run_cli(pack_args(pack_));
  EXPECT_NE(again.code, 0);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(read_file(pack_ + "/summary.md"), before);

  // A run that fails (no such zone field) leaves the old pack and no temporary folder.
  auto bad = pack_args(pack_);
  bad.insert(bad.end(), {"--overwrite", "--zone-id-field", "no_such_field"});
  const auto failed = run_cli(bad);
  EXPECT_NE(failed.code, 0);
  EXPECT_NE(failed.err.find("no_such_field"), std::string::npos) << failed.err;
  EXPECT_EQ(read_file(pack_ + "/summary.md"), before);
  for (const auto& entry : fs::directory_iterator(fs::path(pack_).parent_path()))
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos);
}

// Issue #11 items 5 and 6 through the CLI: one district of the sample as the boundary, no
// --radius/--cell-size. -v prints the nearest-neighbour decisions with their figures; the
// manifest records the rules, the edge incidents smoothed (> 0: the neighbouring districts hold
// incidents within one radius) and what every count counts (the inside incidents only:
// groups[].incidents equals the study's used rows for "all").
TEST(AnalyseCli, DefaultsComeFromTheNearestNeighbourRuleAndEdgeIncidentsAreSmoothed) {
  ScratchDir dir("analyse_nn_edge");
  const std::string pack = dir.file("pack");
  const auto r =
      run_cli({"analyse", kSample + "/police_uk", "--boundary", kSample + "/districts.geojson",
               "--boundary-where", "district_id = 'D02'", "--from", "2024-07", "--to", "2024-12",
               "--groups", "asb,all", "--skip-bad-rows", "-v", "-o", pack});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("cell size: every group's incidents: nearest-neighbour rule"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("asb: radius: nearest-neighbour rule"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("incidents outside the boundary within one radius"), std::string::npos)
      << r.err;
  const auto m = nlohmann::json::parse(read_file(pack + "/manifest.json"));
  EXPECT_EQ(m["parameters"]["grid"]["cell_size_source"].get<std::string>().rfind(
                "nearest_neighbour_rule", 0),
            0u)
      << m["parameters"]["grid"];
  for (const auto& g : m["groups"]) {
    EXPECT_EQ(g["kde_radius_source"], "nearest_neighbour_rule");
    EXPECT_GT(g["kde_edge_incidents"].get<std::int64_t>(), 0) << g["name"];
    EXPECT_TRUE(g["warnings"].is_array());
  }
  // --no-edge-incidents: none smoothed, and nothing else about the counts changes.
  const std::string pack2 = dir.file("pack2");
  const auto r2 =
      run_cli({"analyse", kSample + "/police_uk", "--boundary", kSample + "/districts.geojson",
               "--boundary-where", "district_id = 'D02'", "--from", "2024-07", "--to", "2024-12",
               "--groups", "asb,all", "--skip-bad-rows", "-q", "--no-edge-incidents", "-o", pack2});
  ASSERT_EQ(r2.code, 0) << r2.err;
  const auto m2 = nlohmann::json::parse(read_file(pack2 + "/manifest.json"));
  ASSERT_EQ(m2["groups"].size(), m["groups"].size());
  for (std::size_t i = 0; i < m2["groups"].size(); ++i) {
    EXPECT_EQ(m2["groups"][i]["kde_edge_incidents"], 0);
    EXPECT_EQ(m2["groups"][i]["incidents"], m["groups"][i]["incidents"]);
    EXPECT_EQ(m2["groups"][i]["patrol_incidents"], m["groups"][i]["patrol_incidents"]);
  }
}

TEST(AnalyseCli, SameInputsGiveByteIdenticalPacks) {
  // Twice into the same folder (the command line is recorded in the GeoTIFFs' metadata).
  ScratchDir scratch("analyse_twice");
  auto args = pack_args(scratch.file("pack"));
  args.insert(args.end(), {"--groups", "asb", "--permutations", "19"});
  ASSERT_EQ(run_cli(args).code, 0);
  fs::rename(scratch.file("pack"), scratch.file("first"));
  ASSERT_EQ(run_cli(args).code, 0);
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(scratch.file("first")))
    if (e.is_regular_file())
      files.push_back(fs::relative(e.path(), scratch.file("first")).string());
  ASSERT_GT(files.size(), 10u);
  for (const std::string& f : files) {
    if (f == "manifest.json") continue;
    EXPECT_TRUE(read_file(scratch.file("first/" + f)) == read_file(scratch.file("pack/" + f)))
        << f << " differs";
  }
  // The manifests differ only in the timings.
  auto a = nlohmann::json::parse(read_file(scratch.file("first/manifest.json")));
  auto b = nlohmann::json::parse(read_file(scratch.file("pack/manifest.json")));
  a.erase("timings_s");
  b.erase("timings_s");
  EXPECT_TRUE(a == b) << a.dump() << "\n" << b.dump();
}

// A run is data: --spec OLD/manifest.json rebuilds the pack with byte-identical outputs (every
// SHA-256 of the manifest agrees with the first run's, checked by sha256sum too), refuses
// options that would change it, and refuses inputs that changed since.
TEST(AnalyseCli, SpecRebuildsTheSamePack) {
  ScratchDir scratch("analyse_spec");
  auto args = pack_args(scratch.file("first"));
  args.insert(args.end(), {"--groups", "asb,violence", "--permutations", "19", "--kernel",
                           "epanechnikov", "--patrol-max-area", "0.5", "--no-fdr"});
  ASSERT_EQ(run_cli(args).code, 0);
  const auto rebuilt = run_cli({"analyse", "--spec", scratch.file("first/manifest.json"), "-q",
                                "-o", scratch.file("second")});
  ASSERT_EQ(rebuilt.code, 0) << rebuilt.err;
  const auto a = nlohmann::json::parse(read_file(scratch.file("first/manifest.json")));
  const auto b = nlohmann::json::parse(read_file(scratch.file("second/manifest.json")));
  ASSERT_GT(a["outputs"].size(), 20u);
  EXPECT_EQ(a["outputs"], b["outputs"]);
  EXPECT_EQ(a["spec"], b["spec"]);
  EXPECT_EQ(a["parameters"], b["parameters"]);
  for (const auto& output : b["outputs"])
    EXPECT_EQ(sha256sum(scratch.file("second/" + output["path"].get<std::string>())),
              output["sha256"].get<std::string>())
        << output["path"];
  EXPECT_EQ(a["spec"]["kde"]["kernel"], "epanechnikov");
  EXPECT_EQ(a["spec"]["gistar"]["fdr"], false);

  // Options that would change the pack are refused with --spec.
  auto r = run_cli({"analyse", "--spec", scratch.file("first/manifest.json"), "--radius", "300",
                    "-o", scratch.file("third")});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--radius cannot be given with --spec"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(scratch.file("third")));
  // A spec with a misspelt key names it.
  scratch.write("typo.json", R"({"spec_version": 1, "kde": {"radus_m": 300}})");
  r = run_cli({"analyse", "--spec", scratch.file("typo.json"), "-o", scratch.file("third")});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("kde.radus_m: unknown key"), std::string::npos) << r.err;

  // An input that changed since: the rebuild would not be the same pack.
  fs::copy(kSample + "/police_uk", scratch.file("pu"), fs::copy_options::recursive);
  auto own = pack_args(scratch.file("own"));
  own[1] = scratch.file("pu");
  own.insert(own.end(), {"--groups", "asb", "--permutations", "0"});
  ASSERT_EQ(run_cli(own).code, 0);
  std::ofstream(scratch.file("pu/2024-12/2024-12-sampleshire-street.csv"), std::ios::app)
      << ",2024-12,X,X,-1.1,52.6,On or near Y,SA001,N,Burglary,,\n";
  r = run_cli(
      {"analyse", "--spec", scratch.file("own/manifest.json"), "-o", scratch.file("fourth")});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("has changed since the pack was made"), std::string::npos) << r.err;
}

TEST(AnalyseCli, NoChangeFiguresWhenAMonthIsMissing) {
  // The sample without 2024-03: the previous period (2024-01..06) has a gap, so a fall there
  // must not read as a fall in crime.
  ScratchDir scratch("analyse_gap");
  fs::copy(kSample + "/police_uk", scratch.file("pu"), fs::copy_options::recursive);
  fs::remove_all(scratch.file("pu/2024-03"));
  auto args = pack_args(scratch.file("pack"));
  args[1] = scratch.file("pu");
  args.insert(args.end(), {"--groups", "asb", "--permutations", "0"});
  const auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto m = nlohmann::json::parse(read_file(scratch.file("pack/manifest.json")));
  EXPECT_TRUE(m["parameters"]["previous_period"].is_null());
  EXPECT_NE(m["parameters"]["no_change_reason"].get<std::string>().find("2024-03"),
            std::string::npos);
  for (const auto& z : read_csv(scratch.file("pack/zones.csv"))) {
    EXPECT_EQ(z.at("asb_previous"), "");
    EXPECT_EQ(z.at("asb_change_flag"), "");
  }
}

TEST(AnalyseCli, SparseGroupsKeepTheirZoneColumnsAndThePackIsWritten) {
  // In 2024-10 the force export has no robbery and a single drugs location (no surface).
  ScratchDir scratch("analyse_sparse");
  const auto r = run_cli({"analyse",
                          kSample + "/force_export.csv",
                          "--time-field",
                          "committed_at",
                          "--category-field",
                          "offence_group",
                          "--boundary",
                          kSample + "/districts.geojson",
                          "--zones",
                          kSample + "/small_areas.geojson",
                          "--groups",
                          "robbery,drugs,all",
                          "--from",
                          "2024-10",
                          "--to",
                          "2024-10",
                          "--permutations",
                          "0",
                          "-o",
                          scratch.file("pack")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("robbery: not mapped"), std::string::npos) << r.err;
  const auto zones = read_csv(scratch.file("pack/zones.csv"));
  ASSERT_FALSE(zones.empty());
  EXPECT_TRUE(zones.front().count("robbery_incidents"));
  EXPECT_TRUE(zones.front().count("drugs_incidents"));
  EXPECT_TRUE(fs::exists(scratch.file("pack/all/map.png")));
  EXPECT_FALSE(fs::exists(scratch.file("pack/robbery")));
}

TEST(AnalyseCli, RefusesWhatItCannotDoBeforeReading) {
  ScratchDir scratch("analyse_refuse");
  // Day bounds: the comparison is by whole months.
  auto args = pack_args(scratch.file("pack"));
  args[9] = "2024-07-01";
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("YYYY-MM"), std::string::npos) << r.err;
  // --overwrite never deletes a folder that is not a pack.
  scratch.write("keep.txt", "the analyst's file");
  r = run_cli({"analyse", kSample + "/police_uk", "--boundary", kSample + "/districts.geojson",
               "--skip-bad-rows", "--overwrite", "-o", scratch.file("")});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("not a hotspots pack"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(scratch.file("keep.txt")), "the analyst's file");
  // A group that names no crime type present is an error, as --crime-type is.
  r = run_cli({"analyse", kSample + "/police_uk", "--boundary", kSample + "/districts.geojson",
               "--skip-bad-rows", "--groups", "burglery", "-o", scratch.file("p2")});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("burglery"), std::string::npos) << r.err;
  // The engine names the spec's field (groups[0]); the command line shows the flag.
  EXPECT_NE(r.err.find("--groups 'burglery' matches no crime type"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(scratch.file("p2")));
}

// Every incident outside the boundary: an error saying so, no pack (issue #16: it used to exit 0
// with a pack of zeros saying "the incidents carry no dates").
TEST(AnalyseCli, EveryIncidentOutsideTheBoundaryIsAnErrorAndWritesNoPack) {
  ScratchDir scratch("analyse_outside");
  scratch.write("far.geojson",
                R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":)"
                R"("urn:ogc:def:crs:EPSG::27700"}},"features":[{"type":"Feature","properties":)"
                R"({"id":"far"},"geometry":{"type":"Polygon","coordinates":[[[100000,100000],)"
                R"([101000,100000],[101000,101000],[100000,101000],[100000,100000]]]}}]})");
  const auto r = run_cli({"analyse", kSample + "/police_uk", "--boundary",
                          scratch.file("far.geojson"), "--skip-bad-rows", "-o", scratch.file("p")});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("no incident inside the boundary"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(scratch.file("p")));
}

TEST(AnalyseCli, NeedsABoundaryAndAnOutput) {
  ScratchDir scratch("analyse_args");
  auto r = run_cli({"analyse", kSample + "/police_uk", "--skip-bad-rows", "-o", scratch.file("p")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--boundary"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(scratch.file("p")));
  r = run_cli({"analyse", kSample + "/police_uk", "--boundary", kSample + "/districts.geojson"});
  EXPECT_EQ(r.code, 2);
  r = run_cli({"analyse", kSample + "/police_uk", "--boundary", kSample + "/districts.geojson",
               "--groups", "asb,ASB", "-o", scratch.file("p")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("twice"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace hotspots
