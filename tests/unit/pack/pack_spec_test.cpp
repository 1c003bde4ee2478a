// SPDX-License-Identifier: MIT
// PackSpec: the JSON round trip keeps every field (each set to a value other than its default),
// defaults are resolved in one place, and errors name the key that is wrong.

#include "hotspots/pack/pack_spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

PackSpec unusual_spec() {
  PackSpec s;
  s.inputs = {"a/street", "b.csv"};
  ReadOptions& r = s.study.read;
  r.x_field = "E";
  r.y_field = "N";
  r.src_crs = "EPSG:27700";
  r.time_field = "When";
  r.category_field = "Type";
  r.weight_field = "W";
  r.layer = "points";
  r.crime_types = {"asb", "Burglary"};
  r.from = parse_date("2023-11");
  r.to = parse_date("2024-10-31");
  r.skip_bad_rows = true;
  r.encoding = TextEncoding::windows1252;
  r.max_line_bytes = 4096;
  s.study.boundary_paths = {"lad.geojson", "extra.gpkg"};
  s.study.boundary.layer = "lad";
  s.study.boundary.where = "LAD13NM = 'Blaby'";
  s.study.boundary.id_field = "LAD13CD";
  s.study.boundary.name_field = "LAD13NM";
  s.study.boundary.assume_crs = "EPSG:4326";
  s.study.boundary.encoding = TextEncoding::windows1252;
  s.study.min_hole_area_m2 = 5;
  s.study.dst_crs = "EPSG:32630";
  s.zones_path = "lsoa.gpkg";
  s.zones.layer = "lsoa";
  s.zones.where = "pop > 0";
  s.zones.id_field = "LSOA11CD";
  s.zones.name_field = "LSOA11NM";
  s.zones.assume_crs = "EPSG:27700";
  s.population_field = "pop";
  s.groups = {"violence", "Burglary"};
  s.cell_size_m = 37.5;
  AnalysisOptions& o = s.analysis;
  o.kde.kernel = kernels::Triweight{};
  o.kde.radius_m = 321.25;
  o.hot_top_percent = 2.5;
  o.connectivity = Connectivity::rook;
  o.gistar.distance_band_m = 400.1;
  o.gistar.knn = 0;
  o.gistar.fdr = false;
  o.gistar.permutations = 499;
  o.gistar.seed = 18446744073709551615ULL;
  o.gistar.lisa_contiguity = Contiguity::rook;
  o.gistar.lisa_alpha = 0.01;
  o.cluster_level = 3;
  o.concentration.top_percent = {2, 4};
  o.concentration.target_share = 0.25;
  o.zone_table.alpha = 0.1;
  o.patrol.max_count = 7;
  o.patrol.max_area_km2 = 1.5;
  o.patrol.min_timed_share = 0.75;
  o.patrol.peak_window_hours = 4;
  s.emerging.enabled = true;
  s.emerging.cell_size_m = 333.5;
  s.emerging.time_step_months = 2;
  s.emerging.time_lags = 0;
  return s;
}

TEST(PackSpec, JsonRoundTripKeepsEveryField) {
  const PackSpec s = unusual_spec();
  const std::string text = pack_spec_json(s);
  const PackSpec back = parse_pack_spec(text, "spec.json");
  EXPECT_EQ(pack_spec_json(back), text);
  // Field by field for the ones whose text could hide a difference.
  EXPECT_EQ(back.analysis.gistar.seed, 18446744073709551615ULL);
  EXPECT_TRUE(std::holds_alternative<kernels::Triweight>(back.analysis.kde.kernel));
  EXPECT_EQ(back.study.read.to->to_string(), "2024-10-31");
  EXPECT_EQ(back.study.read.encoding, TextEncoding::windows1252);
  EXPECT_EQ(back.study.boundary.encoding, TextEncoding::windows1252);
  EXPECT_EQ(back.analysis.connectivity, Connectivity::rook);
  EXPECT_EQ(back.analysis.gistar.lisa_contiguity, Contiguity::rook);
  EXPECT_DOUBLE_EQ(back.cell_size_m, 37.5);
  EXPECT_TRUE(back.emerging.enabled);
  EXPECT_DOUBLE_EQ(back.emerging.cell_size_m, 333.5);
  EXPECT_EQ(back.emerging.time_step_months, 2);
  EXPECT_EQ(back.emerging.time_lags, 0);
  EXPECT_FALSE(PackSpec{}.emerging.enabled);  // analyse --emerging is off by default
  // The default spec differs from it: the round trip is not vacuous.
  EXPECT_NE(pack_spec_json(PackSpec{}), text);
}

TEST(PackSpec, ReadsTheSpecInsideAManifest) {
  const std::string manifest =
      R"({"tool": "hotspots", "spec": )" + pack_spec_json(unusual_spec()) + R"(, "outputs": []})";
  EXPECT_EQ(pack_spec_json(parse_pack_spec(manifest, "manifest.json")),
            pack_spec_json(unusual_spec()));
}

std::string error_of(const std::string& text) {
  try {
    (void)parse_pack_spec(text, "plan.json");
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PackSpec, ErrorsNameTheKey) {
  EXPECT_THAT(error_of(R"({"spec_version": 1, "kde": {"radus_m": 300}})"),
              HasSubstr("plan.json: kde.radus_m: unknown key"));
  EXPECT_THAT(error_of(R"({"spec_version": 1, "kde": {"radius_m": "300"}})"),
              HasSubstr("kde.radius_m: expected a number"));
  EXPECT_THAT(error_of(R"({"spec_version": 1, "groups": ["asb", 3]})"),
              HasSubstr("groups[1]: expected a string"));
  EXPECT_THAT(error_of(R"({"spec_version": 1, "kde": {"kernel": "cosine"}})"),
              HasSubstr("kde.kernel"));
  EXPECT_THAT(error_of(R"({"spec": {"spec_version": 1, "gistar": {"seed": -1}}})"),
              HasSubstr("spec.gistar.seed: expected an integer in 0 .. 18446744073709551615"));
  EXPECT_THAT(error_of(R"({"spec_version": 1, "gistar": {"permutations": 1e3}})"),
              HasSubstr("gistar.permutations: expected an integer"));
  EXPECT_THAT(error_of(R"({"spec_version": 1, "gistar": {"permutations": 3000000000}})"),
              HasSubstr("gistar.permutations: expected an integer in"));
  EXPECT_THAT(error_of(R"({"spec_version": 2})"), HasSubstr("spec_version"));
  EXPECT_THAT(error_of(R"({"spec_version": 1, "read": {"from": "July"}})"), HasSubstr("read.from"));
  EXPECT_THAT(error_of("{not json"), HasSubstr("not valid JSON"));
}

TEST(PackSpec, DefaultsAreResolvedOnce) {
  PackSpec s;
  s.inputs = {"x"};
  s.study.boundary_paths = {"b.geojson"};
  const PackSpec r = resolve_pack_defaults(s);
  EXPECT_EQ(r.analysis.patrol.max_count, 10);  // neither a count nor an area budget given
  EXPECT_EQ(r.analysis.kde.output, OutputValue::density);
  s.analysis.patrol.max_area_km2 = 2;
  EXPECT_EQ(resolve_pack_defaults(s).analysis.patrol.max_count, 0);
  EXPECT_EQ(pack_spec_json(resolve_pack_defaults(r)), pack_spec_json(r));  // idempotent
  s.groups.clear();
  EXPECT_THROW((void)resolve_pack_defaults(s), InvalidArgument);
  PackSpec no_boundary;
  EXPECT_THAT(
      [&] {
        try {
          (void)resolve_pack_defaults(no_boundary);
        } catch (const InvalidArgument& e) {
          return std::string(e.what());
        }
        return std::string();
      }(),
      HasSubstr("boundaries.paths"));
}

}  // namespace
}  // namespace hotspots
