// SPDX-License-Identifier: MIT
// Every product of PackProductList, by a typed test over a pack of the sample data built with
// run_pack (the library call behind `hotspots analyse`): a new product is tested here by adding
// it to the list. Each file a product declares is in the pack where its scope puts it and is
// listed in manifest.json with the SHA-256 of the file on disk; the pack holds nothing the list
// does not declare; two runs of the same spec are byte-identical.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/io/file_digest.hpp"
#include "hotspots/pack/products/product_list.hpp"
#include "hotspots/pack/run_pack.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

template <class List>
struct GTestTypes;
template <class... Ps>
struct GTestTypes<TypeList<Ps...>> {
  using type = ::testing::Types<Ps...>;
};

struct ProductName {
  template <class P>
  static std::string GetName(int /*index*/) {
    return std::string(P::name);
  }
};

/// A small raster basemap over the sample (lon/lat, made once with gdal_create), so that the
/// optional basemap product is written and checked too.
const std::string& sample_basemap() {
  static const testing::ScratchDir dir{"products_basemap"};
  static const std::string tif = [] {
    const std::string path = dir.file("tiles.tif");
    const int status = std::system(
        ("gdal_create -q -of GTiff -outsize 60 40 -bands 3 -burn 90 -burn 160 -burn 220 -a_srs "
         "EPSG:4326 -a_ullr -1.6 53.0 -0.6 52.3 '" +
         path + "'")
            .c_str());
    EXPECT_EQ(status, 0);
    return path;
  }();
  return tif;
}

PackSpec sample_spec() {
  const std::string sample = HOTSPOTS_SAMPLE_DIR;
  PackSpec spec;
  spec.inputs = {sample + "/police_uk"};
  spec.study.boundary_paths = {sample + "/districts.geojson"};
  spec.study.read.from = Date{2024 * 12 + 6, 0, -1};
  spec.study.read.to = Date{2024 * 12 + 11, 0, -1};
  spec.study.read.skip_bad_rows = true;
  spec.zones_path = sample + "/small_areas.geojson";
  spec.population_field = "population";
  spec.groups = {"asb", "violence", "burglary"};
  spec.cell_size_m = 100;
  spec.analysis.kde.radius_m = 250;
  spec.analysis.gistar.permutations = 19;
  spec.emerging.enabled = true;  // optional products are on here so that the list is checked
  spec.emerging.cell_size_m = 400;
  spec.basemap_path = sample_basemap();
  spec.basemap_attribution = "Test tiles";
  return spec;
}

/// manifest.json "outputs": path -> sha256.
std::map<std::string, std::string> manifest_outputs(const std::string& pack) {
  const auto m = nlohmann::json::parse(testing::read_file(pack + "/manifest.json"));
  std::map<std::string, std::string> out;
  for (const auto& o : m.at("outputs")) out[o.at("path")] = o.at("sha256");
  return out;
}

/// One pack of the sample for every test of this file (run_pack takes a few seconds).
struct SamplePack {
  testing::ScratchDir dir{"products"};
  std::string path = dir.file("pack");
  std::vector<std::string> notes;
  std::vector<std::string> mapped_folders;
  std::map<std::string, std::vector<std::string>> place_ids;  ///< folder -> P1, P2... (patrol.csv)
  bool has_times = true;  ///< some incident has a time of day (PlaceTimesProduct::enabled)

  SamplePack() {
    PackRunOptions options;
    options.output_dir = path;
    options.command_line = "products_test";
    options.version = "test";
    PackEvents events;
    events.note = [this](std::string_view line) { notes.emplace_back(line); };
    events.study_read = [this](const Study& s) {
      has_times = incidents_have_times(s.data.incidents);
    };
    std::ignore = run_pack(sample_spec(), options, events);
    const auto m = nlohmann::json::parse(testing::read_file(path + "/manifest.json"));
    for (const auto& g : m.at("groups"))
      if (g.at("mapped").get<bool>()) mapped_folders.push_back(g.at("folder"));
    for (const std::string& folder : mapped_folders) {
      std::istringstream csv(testing::read_file(path + "/" + folder + "/patrol.csv"));
      std::string line;
      std::getline(csv, line);  // header
      while (std::getline(csv, line)) place_ids[folder].push_back(line.substr(0, line.find(',')));
    }
  }
};

const SamplePack& sample_pack() {
  static const auto pack = std::make_unique<SamplePack>();
  return *pack;
}

/// Where a product's files are, relative to the pack: each mapped group's folder, or the top.
template <class P>
std::vector<std::string> expected_paths(const SamplePack& pack) {
  std::vector<std::string> paths;
  // Times charts only for data with times of day (the sample is police.uk: months only; the
  // analyse CLI test of the force export checks them).
  if constexpr (std::is_same_v<P, PlaceTimesProduct>)
    if (!pack.has_times) return paths;
  // The sample's basemap is a raster: its copy is basemap.tif, not basemap.geojson.
  if constexpr (std::is_same_v<P, BasemapProduct>) return {"basemap.tif", "basemap.qml"};
  for (const std::string_view file : P::files) {
    if constexpr (P::scope == ProductScope::group) {
      for (const std::string& folder : pack.mapped_folders) {
        const std::string name(file);
        const auto at = name.find("{place}");
        if (at == std::string::npos) {
          paths.push_back(folder + "/" + name);
          continue;
        }
        const auto ids = pack.place_ids.find(folder);
        if (ids == pack.place_ids.end()) continue;
        for (const std::string& id : ids->second)
          paths.push_back(folder + "/" + name.substr(0, at) + id + name.substr(at + 7));
      }
    } else {
      paths.emplace_back(file);
    }
  }
  return paths;
}

template <class P>
class PackProductTest : public ::testing::Test {};
TYPED_TEST_SUITE(PackProductTest, typename GTestTypes<PackProductList>::type, ProductName);

TYPED_TEST(PackProductTest, EveryDeclaredFileIsWrittenAndDigestedInTheManifest) {
  const SamplePack& pack = sample_pack();
  ASSERT_FALSE(pack.mapped_folders.empty());
  const auto outputs = manifest_outputs(pack.path);
  for (const std::string& rel : expected_paths<TypeParam>(pack)) {
    const std::string file = pack.path + "/" + rel;
    ASSERT_TRUE(fs::is_regular_file(file)) << rel;
    EXPECT_GT(fs::file_size(file), 0u) << rel;
    ASSERT_TRUE(outputs.count(rel)) << rel << " is not in manifest.json";
    EXPECT_EQ(outputs.at(rel), sha256_file(file)) << rel;
  }
}

TEST(PackProducts, ThePackHoldsExactlyTheListsFilesAndTheManifest) {
  const SamplePack& pack = sample_pack();
  std::set<std::string> declared;
  for_each_type(PackProductList{}, [&]<class P>() {
    for (const std::string& rel : expected_paths<P>(pack)) declared.insert(rel);
  });
  std::set<std::string> on_disk;
  for (const auto& entry : fs::recursive_directory_iterator(pack.path))
    if (entry.is_regular_file())
      on_disk.insert(fs::relative(entry.path(), pack.path).generic_string());
  declared.insert("manifest.json");
  EXPECT_EQ(on_disk, declared);
  std::set<std::string> listed;
  for (const auto& [path, sha] : manifest_outputs(pack.path)) listed.insert(path);
  declared.erase("manifest.json");
  EXPECT_EQ(listed, declared);
}

TEST(PackProducts, MonthsOnlyDataWriteNoTimesChart) {
  const SamplePack& pack = sample_pack();
  EXPECT_FALSE(pack.has_times);
  for (const auto& entry : fs::recursive_directory_iterator(pack.path))
    EXPECT_EQ(entry.path().filename().string().find("_times.png"), std::string::npos)
        << entry.path();
}

TEST(PackProducts, TheSameSpecGivesByteIdenticalProducts) {
  const SamplePack& first = sample_pack();
  testing::ScratchDir dir("products_again");
  PackRunOptions options;
  options.output_dir = dir.file("pack");
  options.command_line = "products_test";
  options.version = "test";
  std::ignore = run_pack(sample_spec(), options);
  EXPECT_EQ(manifest_outputs(options.output_dir), manifest_outputs(first.path));
}

TEST(RunPack, ReportsThePeriodTheGridEachGroupAndWhereThePackIs) {
  const SamplePack& pack = sample_pack();
  ASSERT_GE(pack.notes.size(), 4u);
  EXPECT_THAT(pack.notes.front(),
              HasSubstr("period 2024-07 to 2024-12, compared with 2024-01 to 2024-06"));
  EXPECT_THAT(pack.notes[1], HasSubstr("cells of 100.0 m"));
  EXPECT_THAT(pack.notes.back(), HasSubstr("pack written to " + pack.path));
}

TEST(RunPack, RefusesAnOutputFolderThatHoldsAnInputBeforeReading) {
  testing::ScratchDir dir("products_refuse");
  // A copy of the sample: the output folder given is the folder of its inputs.
  fs::copy(HOTSPOTS_SAMPLE_DIR, dir.file("data"), fs::copy_options::recursive);
  PackSpec spec = sample_spec();
  spec.inputs = {dir.file("data") + "/police_uk"};
  spec.study.boundary_paths = {dir.file("data") + "/districts.geojson"};
  spec.zones_path = dir.file("data") + "/small_areas.geojson";
  PackRunOptions options;
  options.output_dir = dir.file("data");
  options.overwrite = true;
  bool read = false;
  PackEvents events;
  events.study_read = [&](const Study&) { read = true; };
  try {
    std::ignore = run_pack(spec, options, events);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr("holds the input"));
  }
  EXPECT_FALSE(read);
  EXPECT_TRUE(fs::exists(dir.file("data") + "/districts.geojson"));
}

TEST(RunPack, ValidatedSpecRefusesDayLevelBoundsAndGroupsSharingAFolder) {
  PackSpec spec = sample_spec();
  spec.study.read.from = Date{2024 * 12 + 6, 15, -1};
  EXPECT_THROW(std::ignore = validated_pack_spec(spec), InvalidArgument);
  spec = sample_spec();
  spec.groups = {"asb", "ASB"};
  try {
    std::ignore = validated_pack_spec(spec);
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("'ASB' is given twice"));
  }
}

}  // namespace
}  // namespace hotspots
