// SPDX-License-Identifier: MIT
// Read once, slice by period (Study slice): a study read once over every month and sliced to a
// period must equal the study read with that period as --from/--to (the independent
// computation: a second read of the files), incident for incident and row for row.

#include "hotspots/io/study.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "hotspots/core/error.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

using testing::ScratchDir;

StudyOptions sample_options() {
  StudyOptions o;
  o.boundary_paths = {std::string(HOTSPOTS_SAMPLE_DIR) + "/districts.geojson"};
  o.read.skip_bad_rows = true;  // the sample plants unparsable coordinates
  o.read.keep_rejected_rows = true;
  o.keep_outside = true;
  return o;
}

Date month(const char* text) {
  return *parse_date(text);
}

using RowKey = std::tuple<std::uint32_t, std::int64_t, RejectReason>;
std::vector<RowKey> keys(const RowAccounting& acc) {
  std::vector<RowKey> out;
  for (const RejectedRow& r : acc.rows) out.emplace_back(r.source, r.line, r.reason);
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_study(const Study& direct, const Study& sliced) {
  const Incidents& a = direct.data.incidents;
  const Incidents& b = sliced.data.incidents;
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  EXPECT_EQ(a.weight, b.weight);
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.line, b.line);
  EXPECT_EQ(a.category, b.category);
  const RowAccounting& ra = direct.data.accounting;
  const RowAccounting& rb = sliced.data.accounting;
  EXPECT_EQ(ra.read, rb.read);
  EXPECT_EQ(ra.used, rb.used);
  EXPECT_EQ(ra.rejected, rb.rejected);
  EXPECT_TRUE(rb.balanced());
  EXPECT_EQ(keys(ra), keys(rb));
  EXPECT_EQ(direct.feature_of_incident, sliced.feature_of_incident);
  EXPECT_EQ(direct.outside.x, sliced.outside.x);
  EXPECT_EQ(direct.outside.y, sliced.outside.y);
  EXPECT_EQ(direct.outside.date, sliced.outside.date);
  // The incidents kept outside are exactly the rows rejected as outside the study area.
  EXPECT_EQ(static_cast<std::int64_t>(sliced.outside.size()),
            rb.rejected_for(RejectReason::outside_study_area));
  EXPECT_EQ(static_cast<std::int64_t>(sliced.outside.size() + sliced.data.incidents.size()),
            sliced.located_before_clip);
  EXPECT_EQ(direct.located_before_clip, sliced.located_before_clip);
  EXPECT_EQ(direct.analysis_crs.epsg, sliced.analysis_crs.epsg);
}

TEST(StudySlice, EqualsReadingThePeriodFromDisk) {
  const std::vector<std::string> inputs = {std::string(HOTSPOTS_SAMPLE_DIR) + "/police_uk"};
  const Study all = prepare_study(inputs, sample_options());
  for (const auto& [from, to] :
       {std::pair{"2024-07", "2024-12"}, std::pair{"2024-01", "2024-06"},
        std::pair{"2024-03", "2024-05"}, std::pair{"2024-12", "2024-12"}}) {
    SCOPED_TRACE(std::string(from) + ".." + to);
    StudyOptions o = sample_options();
    o.read.from = month(from);
    o.read.to = month(to);
    // Every month file opened and its rows filtered by Month, as the whole read did (with the
    // files of other months left closed the rows not read would not be counted as filtered).
    o.read.read_files_of_other_months = true;
    const Study direct = prepare_study(inputs, o);
    const Period period{month(from).month_index, month(to).month_index};
    expect_same_study(direct, slice(all, period));

    // A read of the period with its previous period as history, sliced back to the period.
    o.read.history_from = Date{};
    o.read.history_from->month_index = period.previous().first;
    const Study with_history = prepare_study(inputs, o);
    if (period.first > month("2024-01").month_index) {  // the sample starts in 2024-01
      EXPECT_GT(with_history.data.incidents.size(), direct.data.incidents.size());
    }
    expect_same_study(direct, slice(with_history, period));

    // Counts only: the same figures, no rows kept.
    const Study counted = slice(all, period, /*with_rows=*/false);
    EXPECT_EQ(counted.data.accounting.rejected, direct.data.accounting.rejected);
    EXPECT_TRUE(counted.data.accounting.rows.empty());
  }
}

TEST(StudySlice, NeedsEveryRejectedRow) {
  StudyOptions o = sample_options();
  o.read.keep_rejected_rows = false;
  const Study s = prepare_study({std::string(HOTSPOTS_SAMPLE_DIR) + "/police_uk"}, o);
  ASSERT_GT(s.data.accounting.rejected_total(), 10);
  EXPECT_THROW((void)slice(s, Period{24290, 24295}), InvalidArgument);
}

// A bad value in the history is rejected, never an error (it lies outside what was asked for,
// as with a --from filter); within the period it is still an error without --skip-bad-rows.
TEST(StudySlice, HistoryRowsAreNeverAnError) {
  ScratchDir dir("study_history");
  const std::string header =
      "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
      "Crime type,Last outcome category,Context\n";
  const auto row = [](const char* m, const char* lon) {
    return fmt::format(",{},P,P,{},52.63,On or near X,E01,L,Burglary,,\n", m, lon);
  };
  dir.write("h-street.csv", header + row("2024-01", "-1.1x") + row("2024-01", "-1.13") +
                                row("2024-02", "-1.14") + row("2024-03", "-1.15"));
  StudyOptions o;
  o.read.keep_rejected_rows = true;
  o.read.from = month("2024-02");
  o.read.to = month("2024-03");
  o.read.history_from = month("2024-01");
  const Study all = prepare_study({dir.file("h-street.csv")}, o);
  EXPECT_EQ(all.data.incidents.size(), 3u);
  EXPECT_EQ(all.data.accounting.rejected_for(RejectReason::unparsable_value), 1);
  const Study current =
      slice(all, Period{month("2024-02").month_index, month("2024-03").month_index});
  EXPECT_EQ(current.data.incidents.size(), 2u);
  EXPECT_EQ(current.data.accounting.rejected_for(RejectReason::filtered_date), 2);
  EXPECT_EQ(current.data.accounting.rejected_for(RejectReason::unparsable_value), 0);
  o.read.history_from.reset();
  o.read.from = month("2024-01");
  EXPECT_THROW((void)prepare_study({dir.file("h-street.csv")}, o), InputError);
}

}  // namespace
}  // namespace hotspots
