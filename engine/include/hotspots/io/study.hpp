// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hotspots/core/period.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/data_study_area.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots {

/// The first stage every command shares: read → choose the analysis CRS → read boundaries →
/// reproject → clip to the study area.
struct StudyOptions {
  ReadOptions read;
  std::vector<std::string> boundary_paths;  ///< their union is the study area (none: no clip)
  ZoneReadOptions boundary;
  std::string dst_crs;  ///< empty: EPSG:27700 in Great Britain, else the UTM zone (see crs.hpp)
  /// Holes in the dissolved study area smaller than this are closed (slivers between zones).
  double min_hole_area_m2 = 10'000.0;
  /// Without boundaries: a study area made from the incidents (study_area_from_data: concave
  /// hull of the distinct locations, buffered; outliers rejected as outside_study_area), with a
  /// warning that a real boundary is better. Unset: no study area, no clip.
  std::optional<DataStudyAreaOptions> data_study_area;
  /// Inputs without one located incident (a header-only file) give an empty Study (no analysis
  /// CRS, boundaries not read) instead of an Error; for `info`, which reports the zeros.
  bool allow_no_incidents = false;
  /// Keep the located incidents outside the study area in Study::outside (they are still
  /// rejected as outside_study_area in the row accounting): KDE smooths with those within one
  /// radius of the study area (edge_points in stats/kde.hpp) so that density just inside the
  /// boundary is not too low. Not part of a pack spec (the run sets it).
  bool keep_outside = false;
};

struct Study {
  ReadResult data;  ///< incidents in the analysis CRS, clipped to the study area
  Crs analysis_crs;
  std::string crs_reason;  ///< why this CRS: "--t_srs", "data lie in Great Britain", "UTM zone"
  Extent source_extent;    ///< extent of the used incidents in their source CRS
  Crs source_crs;
  std::vector<ZoneLayer> boundaries;
  MultiPolygon study_area;  ///< empty when no boundary was given
  std::int64_t holes_closed = 0;
  /// With boundaries: for every incident read with coordinates in range, the feature of each
  /// boundary layer holding it (−1 outside), before the clip removed the outside ones.
  std::vector<std::vector<std::int32_t>> feature_of_incident;
  /// Incidents located before the clip (the population feature_of_incident refers to).
  std::int64_t located_before_clip = 0;
  /// With ReadOptions::keep_rejected_rows: the month of each of those incidents (for slice()).
  std::vector<std::int32_t> located_months;
  /// With StudyOptions::keep_outside and boundaries: the located incidents outside the study
  /// area, in the analysis CRS (their rows are counted as outside_study_area rejects, never as
  /// used: read == used + rejected holds). Empty otherwise.
  Incidents outside;
};

/// The study as if it had been read with `period` as its --from/--to (month-level), from a study
/// read once over a longer window (ReadOptions::history_from, or no date filter): incidents of
/// the period; rows of other months, used or not, re-filed as filtered_date (their text fetched
/// back from the file by write_rejects when it lists them); read == used + rejected still holds.
/// CRS, boundaries and study area are shared, not recomputed; `outside` is cut to the period. Needs
/// a study read with keep_rejected_rows (every rejected row kept with its month); throws
/// InvalidArgument otherwise. Without `with_rows` only the counts are made (no RejectedRow), e.g.
/// for a previous period whose rows are never listed. Rows are in no particular order
/// (write_rejects sorts them). Cost O(rows read + incidents).
[[nodiscard]] Study slice(const Study& study, const Period& period, bool with_rows = true);

/// Incidents of one force (Incidents::force).
struct ForceCount {
  std::string key;  ///< force_key: "leicestershire", "btp"
  std::int64_t incidents = 0;
};

/// The incidents per force, sorted by key, forces without an incident left out. O(n).
[[nodiscard]] std::vector<ForceCount> incidents_per_force(const Incidents& incidents);

/// What to tell the user when `incidents` span several forces ("" when one or none): that they
/// are analysed as one area (with the counts), that British Transport Police's stations across
/// Great Britain are mixed with territorial forces, that Northern Ireland is mixed with Great
/// Britain (and analysed in `analysis_crs`, not Irish Transverse Mercator). prepare_study adds
/// them to data.warnings after the clip, so that a boundary that keeps one force warns nothing.
[[nodiscard]] std::vector<std::string> mixed_force_warnings(const Incidents& incidents,
                                                            const Crs& analysis_crs);

/// Throws Error when `study` holds no incident to analyse, saying why: "no incident inside the
/// boundary (18,477 rows outside)" when the clip to the boundaries removed every located
/// incident, else "no incident left to analyse" with the row accounting. Every command that
/// analyses incidents calls it after prepare_study (and after its own filters), so that an empty
/// study never makes an all-zero output with exit code 0. O(1).
void require_incidents(const Study& study);

/// Runs the shared first stage. With ReadOptions::history_from, the analysis CRS, the source
/// extent and the "no incident" check are those of the rows within from..to alone, as if the
/// history had not been read; the history's incidents are read, projected and clipped with them.
/// Throws as read_incidents, read_zones and the CRS functions do; CrsError when the chosen analysis
/// CRS is geographic; Error when no incident has coordinates (the message gives the row accounting)
/// unless allow_no_incidents. Warnings of the boundary readers are appended to data.warnings.
[[nodiscard]] Study prepare_study(const std::vector<std::string>& inputs,
                                  const StudyOptions& options);

}  // namespace hotspots
