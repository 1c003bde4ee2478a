// SPDX-License-Identifier: MIT
// Police forces: the police.uk force list and names, the force of every row (its `Falls within`,
// else its file's YYYY-MM-<force>-street.csv name), --force, and the warnings of a study that
// mixes forces. Every fixture is written here, so every count is hand-countable below.

#include "hotspots/io/forces.hpp"

#include <cpl_vsi.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/io/study.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ScratchDir;

constexpr const char* kHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n";

std::string row(const std::string& force, const std::string& month, const std::string& lon,
                const std::string& lat, const std::string& type = "Burglary") {
  return "," + month + "," + force + "," + force + "," + lon + "," + lat + ",On or near X,E01,L," +
         type + ",,\n";
}

TEST(Forces, ListHoldsThe45PoliceUkForcesSortedBySlug) {
  const auto& forces = police_forces();
  ASSERT_EQ(forces.size(), 45u);  // 43 territorial + BTP + PSNI
  for (std::size_t i = 1; i < forces.size(); ++i) EXPECT_LT(forces[i - 1].slug, forces[i].slug);
  int transport = 0, ni = 0;
  for (const auto& f : forces) {
    transport += f.kind == ForceKind::transport;
    ni += f.kind == ForceKind::northern_ireland;
  }
  EXPECT_EQ(transport, 1);
  EXPECT_EQ(ni, 1);
}

TEST(Forces, NamesAndSlugsMeanTheSameForceWhateverTheCase) {
  EXPECT_EQ(force_key("leicestershire"), "leicestershire");
  EXPECT_EQ(force_key("Leicestershire Police"), "leicestershire");
  EXPECT_EQ(force_key("LEICESTERSHIRE"), "leicestershire");
  EXPECT_EQ(force_key("British Transport Police"), "btp");
  EXPECT_EQ(force_key("Police Service of Northern Ireland"), "northern-ireland");
  EXPECT_EQ(force_key("PSNI"), "northern-ireland");
  EXPECT_EQ(force_key("Devon & Cornwall Police"), "devon-and-cornwall");
  EXPECT_EQ(force_key("devon and cornwall"), "devon-and-cornwall");
  EXPECT_EQ(force_key("Metropolitan Police Service"), "metropolitan");
  EXPECT_EQ(force_key("City of London"), "city-of-london");
  // Forces police.uk does not list are slugs of their text, one key from a name or a file.
  EXPECT_EQ(force_key("Synthetic Force 07"), "synthetic-force-07");
  EXPECT_EQ(force_key("Sampleshire Police"), "sampleshire");  // as 2024-01-sampleshire-street.csv
  EXPECT_EQ(force_key("Police"), "police");
  EXPECT_EQ(force_key("  "), "");
  EXPECT_EQ(find_police_force("nowhere"), nullptr);
  EXPECT_EQ(force_display_name("btp"), "British Transport Police");
  EXPECT_EQ(force_display_name("synthetic-force-07"), "synthetic-force-07");
  EXPECT_EQ(force_kind("northern-ireland"), ForceKind::northern_ireland);
  EXPECT_EQ(force_kind("btp"), ForceKind::transport);
  EXPECT_EQ(force_kind("synthetic-force-07"), ForceKind::territorial);
}

TEST(Forces, FileNamesOfThePoliceUkArchiveNameTheirForce) {
  EXPECT_EQ(force_from_file_name("2019-02/2019-02-leicestershire-street.csv"), "leicestershire");
  EXPECT_EQ(force_from_file_name("/x/2019-02-BTP-street.csv"), "btp");
  EXPECT_EQ(force_from_file_name("/vsizip//d/a.zip/2019-02/2019-02-city-of-london-street.csv"),
            "city-of-london");
  EXPECT_EQ(force_from_file_name("2019-02-force07-street.csv"), "force07");
  EXPECT_EQ(force_from_file_name("leicestershire-street.csv"), "");
  EXPECT_EQ(force_from_file_name("2019-02--street.csv"), "");
  EXPECT_EQ(force_from_file_name("2019-02-kent-outcomes.csv"), "");
  EXPECT_EQ(force_from_file_name("incidents.csv"), "");
}

// An archive folder: 2019-02/ holding Leicestershire (3 rows, one without coordinates) and BTP
// (2 rows), and a file whose name names no force but whose rows say Derbyshire (1 row).
class ForceFolder : public ::testing::Test {
 protected:
  ScratchDir dir{"forces"};
  void SetUp() override {
    std::filesystem::create_directories(dir.file("2019-02"));
    dir.write("2019-02/2019-02-leicestershire-street.csv",
              std::string(kHeader) + row("Leicestershire Police", "2019-02", "-1.13", "52.63") +
                  row("Leicestershire Police", "2019-02", "", "") +
                  row("Leicestershire Police", "2019-02", "-1.14", "52.64", "Shoplifting"));
    dir.write("2019-02/2019-02-btp-street.csv",
              std::string(kHeader) + row("British Transport Police", "2019-02", "-0.12", "51.53") +
                  row("British Transport Police", "2019-02", "-2.23", "53.48"));
    dir.write("2019-02/export.csv-street.csv",
              std::string(kHeader) + row("Derbyshire Constabulary", "2019-02", "-1.47", "52.92"));
  }
  std::string folder() const { return dir.file("2019-02"); }
};

std::vector<std::string> forces_of(const Incidents& inc) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < inc.size(); ++i)
    out.push_back(inc.force_of(i) < 0 ? ""
                                      : inc.force_keys[static_cast<std::size_t>(inc.force_of(i))]);
  return out;
}

TEST_F(ForceFolder, EveryIncidentKeepsItsForceAndRowsAreCountedPerForce) {
  const ReadResult r = read_incidents({folder()}, {});
  EXPECT_TRUE(r.accounting.balanced());
  EXPECT_EQ(r.accounting.read, 6);
  EXPECT_EQ(r.accounting.used, 5);
  // Files in name order: 2019-02-btp, 2019-02-leicestershire, export.csv-street.
  EXPECT_THAT(forces_of(r.incidents),
              ElementsAre("btp", "btp", "leicestershire", "leicestershire", "derbyshire"));
  ASSERT_EQ(r.incidents.force_keys.size(), r.force_rows.size());
  for (std::size_t k = 0; k < r.force_rows.size(); ++k) {
    const std::string& key = r.incidents.force_keys[k];
    EXPECT_EQ(r.force_rows[k], key == "btp" ? 2 : key == "leicestershire" ? 3 : 1) << key;
  }
  ASSERT_EQ(r.sources.size(), 3u);
  EXPECT_EQ(r.sources[0].force, "btp");
  EXPECT_EQ(r.sources[0].force_field, "Falls within");
  EXPECT_EQ(r.sources[2].force, "");  // the name names none; its rows do
}

TEST_F(ForceFolder, ForceFilterKeepsTheNamedForcesAndCountsTheRestAsFilteredForce) {
  ReadOptions o;
  o.forces = {"Leicestershire Police", "DERBYSHIRE"};
  const ReadResult r = read_incidents({folder()}, o);
  EXPECT_TRUE(r.accounting.balanced());
  EXPECT_EQ(r.accounting.read, 6);
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::filtered_force), 2);  // the BTP rows
  EXPECT_EQ(r.accounting.rejected_for(RejectReason::no_coordinates), 1);  // Leicestershire
  EXPECT_EQ(r.accounting.used, 3);
  EXPECT_THAT(forces_of(r.incidents),
              ElementsAre("leicestershire", "leicestershire", "derbyshire"));
  // Rows of filtered forces are not counted as crime types present.
  for (const auto& [type, n] : r.types_present) {
    if (type == "Burglary") {
      EXPECT_EQ(n, 3);  // 2 Leicestershire + 1 Derbyshire
    }
  }
}

TEST_F(ForceFolder, AForceNoRowNamesIsAnErrorListingTheForcesPresent) {
  ReadOptions o;
  o.forces = {"kent"};
  try {
    (void)read_incidents({folder()}, o);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("--force 'kent' matches no row"));
    EXPECT_THAT(e.what(), HasSubstr("btp (2 rows)"));
    EXPECT_THAT(e.what(), HasSubstr("leicestershire (3 rows)"));
  }
}

TEST(Forces, ForceFilterOnAFileWithoutForcesIsRefusedNamingTheFile) {
  ScratchDir dir("forces_none");
  dir.write("incidents.csv", "lon,lat\n-1.13,52.63\n");
  ReadOptions o;
  o.forces = {"leicestershire"};
  try {
    (void)read_incidents({dir.file("incidents.csv")}, o);
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("incidents.csv has no 'Falls within' column"));
  }
  // Without the filter the file reads, with no force column at all.
  const ReadResult r = read_incidents({dir.file("incidents.csv")}, {});
  EXPECT_EQ(r.incidents.size(), 1u);
  EXPECT_TRUE(r.incidents.force.empty());
  EXPECT_TRUE(r.incidents.force_keys.empty());
}

TEST(Forces, AGenericCsvNamedLikeTheArchiveTakesTheForceOfItsName) {
  ScratchDir dir("forces_generic");
  dir.write("2019-02-force07-street.csv", "lon,lat\n-1.13,52.63\n-1.14,52.64\n");
  ReadOptions o;
  o.forces = {"Force07"};
  const ReadResult r = read_incidents({dir.file("2019-02-force07-street.csv")}, o);
  EXPECT_EQ(r.incidents.size(), 2u);
  EXPECT_THAT(forces_of(r.incidents), ElementsAre("force07", "force07"));
}

TEST(Forces, ForceMayNameTheFileWhenItsRowsSpellTheForceOtherwise) {
  // The national generator's layout (issue #15): 2021-11-synthetic-01-street.csv whose rows say
  // "Synthetic Force 01"; the rows' force is the column's, --force may use either spelling.
  ScratchDir dir("forces_synthetic");
  dir.write("2021-11-synthetic-01-street.csv",
            std::string(kHeader) + row("Synthetic Force 01", "2021-11", "-1.13", "52.63") +
                row("Synthetic Force 01", "2021-11", "-1.14", "52.64"));
  dir.write("2021-11-synthetic-02-street.csv",
            std::string(kHeader) + row("Synthetic Force 02", "2021-11", "-1.13", "52.63"));
  for (const char* name : {"synthetic-01", "Synthetic Force 01"}) {
    ReadOptions o;
    o.forces = {name};
    const ReadResult r = read_incidents({dir.file("")}, o);
    EXPECT_EQ(r.accounting.used, 2) << name;
    EXPECT_THAT(forces_of(r.incidents), ElementsAre("synthetic-force-01", "synthetic-force-01"));
    if (std::string(name) == "synthetic-01") {
      // A name the files spell: synthetic-02's file is not opened (#13).
      EXPECT_EQ(r.accounting.read, 2);
      EXPECT_EQ(r.accounting.rejected_for(RejectReason::filtered_force), 0);
      ASSERT_EQ(r.skipped_by_name.size(), 1u);
      EXPECT_NE(r.skipped_by_name[0].find("2021-11-synthetic-02-street.csv"), std::string::npos);
    } else {
      // Only the rows can say which force "Synthetic Force 01" is: every file is read.
      EXPECT_EQ(r.accounting.rejected_for(RejectReason::filtered_force), 1) << name;
      EXPECT_TRUE(r.skipped_by_name.empty());
    }
  }
}

TEST_F(ForceFolder, TheForceColumnSurvivesKeepOnlyAndSlice) {
  StudyOptions o;
  o.read.keep_rejected_rows = true;
  const Study study = prepare_study({folder()}, o);
  const Study feb = slice(study, Period{study.data.incidents.date[0].month_index,
                                        study.data.incidents.date[0].month_index});
  EXPECT_EQ(forces_of(feb.data.incidents), forces_of(study.data.incidents));
  EXPECT_EQ(feb.data.force_rows, study.data.force_rows);
  Incidents inc = study.data.incidents;
  inc.keep_only({0, 1, 0, 1, 1});
  EXPECT_THAT(forces_of(inc), ElementsAre("btp", "leicestershire", "derbyshire"));
}

TEST_F(ForceFolder, AStudyThatMixesForcesWarnsAndNamesBtp) {
  const Study study = prepare_study({folder()}, {});
  std::string all;
  for (const auto& w : study.data.warnings) all += w + "\n";
  EXPECT_THAT(all, HasSubstr("the study mixes 3 police forces (btp 2, derbyshire 1, "
                             "leicestershire 2)"));
  EXPECT_THAT(all, HasSubstr("British Transport Police's 2 incidents lie at railway stations"));
  EXPECT_THAT(all, ::testing::Not(HasSubstr("Northern Ireland")));
  // One force: no warning.
  StudyOptions one;
  one.read.forces = {"leicestershire"};
  EXPECT_TRUE(prepare_study({folder()}, one).data.warnings.empty());
}

TEST(Forces, NorthernIrelandAloneGetsIrishTransverseMercatorAndMixedWithGbAWarning) {
  ScratchDir dir("forces_ni");
  dir.write("2019-02-northern-ireland-street.csv",
            std::string(kHeader) +
                row("Police Service of Northern Ireland", "2019-02", "-5.93", "54.60") +
                row("Police Service of Northern Ireland", "2019-02", "-7.31", "54.99") +
                row("Police Service of Northern Ireland", "2019-02", "-6.40", "54.35"));
  dir.write("2019-02-leicestershire-street.csv",
            std::string(kHeader) + row("Leicestershire Police", "2019-02", "-1.13", "52.63") +
                row("Leicestershire Police", "2019-02", "-1.14", "52.64") +
                row("Leicestershire Police", "2019-02", "-1.15", "52.65") +
                row("Leicestershire Police", "2019-02", "-1.16", "52.66"));
  const Study ni = prepare_study({dir.file("2019-02-northern-ireland-street.csv")}, {});
  EXPECT_EQ(ni.analysis_crs.epsg, 2157);
  EXPECT_THAT(ni.crs_reason, HasSubstr("island of Ireland"));
  EXPECT_TRUE(ni.data.warnings.empty());
  // Mixed with 4 Leicestershire rows the median lies in Great Britain: EPSG:27700, and a warning.
  const Study both = prepare_study({dir.file("")}, {});
  EXPECT_EQ(both.analysis_crs.epsg, 27700);
  std::string all;
  for (const auto& w : both.data.warnings) all += w + "\n";
  EXPECT_THAT(all, HasSubstr("Police Service of Northern Ireland's 3 incidents are mixed with 4 "
                             "in Great Britain and analysed in EPSG:27700, outside that grid's "
                             "area of use"));
  EXPECT_THAT(all, HasSubstr("--force northern-ireland"));
}

// Issue #13: with --from/--to, police.uk month files of months outside them (history included)
// are not opened; the incidents are those of reading every file and filtering by `Month`, and
// the rows not read are exactly the rows the full read filtered by date.
TEST(ForceFiles, MonthFilesOutsideTheMonthsReadAreNotOpened) {
  ScratchDir dir("month_files");
  for (const char* month : {"2021-10", "2021-11", "2021-12", "2022-01"})
    dir.write(std::string(month) + "-leicestershire-street.csv",
              std::string(kHeader) + row("Leicestershire Police", month, "-1.13", "52.63") +
                  row("Leicestershire Police", month, "-1.14", "52.64"));
  ReadOptions o;
  o.from = Date{};
  o.from->month_index = parse_year_month("2021-12");
  o.to = Date{};
  o.to->month_index = parse_year_month("2021-12");
  o.history_from = Date{};
  o.history_from->month_index = parse_year_month("2021-11");
  const ReadResult skip = read_incidents({dir.file("")}, o);
  o.read_files_of_other_months = true;
  const ReadResult all = read_incidents({dir.file("")}, o);
  ASSERT_EQ(skip.skipped_by_name.size(), 2u);
  EXPECT_NE(skip.skipped_by_name[0].find("2021-10-leicestershire"), std::string::npos);
  EXPECT_NE(skip.skipped_by_name[1].find("2022-01-leicestershire"), std::string::npos);
  EXPECT_TRUE(all.skipped_by_name.empty());
  EXPECT_EQ(skip.incidents.x, all.incidents.x);
  EXPECT_EQ(skip.incidents.y, all.incidents.y);
  ASSERT_EQ(skip.incidents.size(), 4u);  // 2021-11 (history) and 2021-12
  EXPECT_EQ(all.accounting.read - skip.accounting.read, 4);
  EXPECT_EQ(all.accounting.rejected_for(RejectReason::filtered_date) -
                skip.accounting.rejected_for(RejectReason::filtered_date),
            4);
  EXPECT_EQ(skip.accounting.rejected_for(RejectReason::filtered_date), 0);
}

}  // namespace
}  // namespace hotspots
