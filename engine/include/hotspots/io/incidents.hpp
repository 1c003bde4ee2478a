// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/geometry.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/text_encoding.hpp"

namespace hotspots {

/// Why an input row was not used. Rows are tested in this order and counted under the first
/// reason that applies: force filter, crime type filter, date filter, missing coordinates,
/// unparsable values, coordinates outside the valid range of their CRS, outside the study area.
/// (filtered_force is listed last so that reports and manifests keep their earlier order.)
enum class RejectReason : std::uint8_t {
  filtered_crime_type,
  filtered_date,
  no_coordinates,
  unparsable_value,
  outside_crs_range,
  outside_study_area,
  filtered_force,
};
inline constexpr std::size_t kRejectReasonCount = 7;
inline constexpr std::array<RejectReason, kRejectReasonCount> kAllRejectReasons = {
    RejectReason::filtered_crime_type, RejectReason::filtered_date,
    RejectReason::no_coordinates,      RejectReason::unparsable_value,
    RejectReason::outside_crs_range,   RejectReason::outside_study_area,
    RejectReason::filtered_force};

/// snake_case name used in reports and the --rejects file, e.g. "no_coordinates".
std::string_view to_string(RejectReason reason);

/// One input row that was not used, kept verbatim for --rejects.
struct RejectedRow {
  std::uint32_t source = 0;  ///< index into ReadResult::sources
  std::int64_t line = 0;  ///< 1-based line of the row's start (header = line 1); feature id for OGR
  RejectReason reason{};
  /// The row's date when it was known before the row was rejected (no month: undated, or
  /// rejected before its date was read), so that slice() can re-file it by period.
  Date date{};
  std::string detail;  ///< e.g. "column 'Longitude': '-1.2x3' is not a number"
  std::string text;    ///< the row as it stands in the file (CSV) or its attributes (OGR)
};

/// Every input row is used or rejected for exactly one reason: read == used + Σ rejected.
struct RowAccounting {
  std::int64_t read = 0;
  std::int64_t used = 0;
  std::array<std::int64_t, kRejectReasonCount> rejected{};
  /// All rejected rows when ReadOptions::keep_rejected_rows, else the first few of each reason.
  std::vector<RejectedRow> rows;

  std::int64_t rejected_total() const;
  std::int64_t rejected_for(RejectReason r) const { return rejected[static_cast<std::size_t>(r)]; }
  bool balanced() const { return read == used + rejected_total(); }
};

/// InputSource::format of a police.uk street-level CSV (its columns recognised by name).
inline constexpr std::string_view kPoliceUkFormat = "police.uk street CSV";

/// Where the incidents came from: one entry per file or layer read.
struct InputSource {
  std::string path;     ///< as read (a /vsizip/ path for members of a zip)
  std::string format;   ///< kPoliceUkFormat, "CSV", or the OGR driver name
  std::string x_field;  ///< coordinate columns used (empty for OGR geometries)
  std::string y_field;
  bool fields_auto_detected = false;
  std::string crs;  ///< label of the CRS its coordinates were declared in
  std::int64_t rows = 0;
  std::int64_t bytes = 0;            ///< size of the text read (CSV) or of the file (OGR)
  std::string time_field;            ///< date column used (empty: none, the incidents are undated)
  std::string category_field;        ///< crime type column used (empty: none)
  std::vector<std::string> columns;  ///< the header's column names (CSV) or fields (OGR)
  /// The force its file name names (police.uk's `YYYY-MM-<force>-street.csv`, see force_key),
  /// "" when the name is not in that form.
  std::string force;
  std::string force_field;  ///< the force column used (police.uk: `Falls within`), "" if none
};

/// Incidents as columns (structure of arrays), in `crs`. Index i is one incident.
struct Incidents {
  Crs crs;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> weight;          ///< 1 unless a weight field was given
  std::vector<Date> date;              ///< see Date: month, day and time of day may be unknown
  std::vector<std::int32_t> category;  ///< index into category_names, -1 when none
  std::vector<std::string> category_names;
  std::vector<std::uint32_t> source;  ///< index into ReadResult::sources
  std::vector<std::int64_t> line;     ///< line (CSV) or feature id (OGR) in that source
  /// Where the incident was recorded, as published: police.uk's `Location` ("On or near Granby
  /// Street"), or ReadOptions::location_field. Index into location_names, −1 when none. Either
  /// empty (incidents made without the column, e.g. in code) or one per incident; use
  /// location_of().
  std::vector<std::int32_t> location;
  std::vector<std::string> location_names;
  /// The police force of each incident: its `Falls within` (police.uk), else the force of its
  /// file name (`YYYY-MM-<force>-street.csv`), as an index into force_keys (force_key() of the
  /// name: "leicestershire", "btp"), −1 when unknown. Either empty (no input named a force) or
  /// one per incident; use force_of().
  std::vector<std::int16_t> force;
  std::vector<std::string> force_keys;

  std::size_t size() const { return x.size(); }
  /// The force index of incident i, −1 when it has none.
  std::int16_t force_of(std::size_t i) const { return i < force.size() ? force[i] : -1; }
  /// The location index of incident i, −1 when it has none or the column is absent.
  std::int32_t location_of(std::size_t i) const { return i < location.size() ? location[i] : -1; }
  /// Appends one incident to every column (the location and force columns only when kept).
  void append(double px, double py, double w, const Date& d, std::int32_t cat, std::uint32_t src,
              std::int64_t ln, std::int32_t loc = -1, std::int16_t frc = -1) {
    if (loc >= 0 && location.size() < x.size()) location.resize(x.size(), -1);
    if (loc >= 0 || !location.empty()) location.push_back(loc);
    if (frc >= 0 && force.size() < x.size()) force.resize(x.size(), -1);
    if (frc >= 0 || !force.empty()) force.push_back(frc);
    x.push_back(px);
    y.push_back(py);
    weight.push_back(w);
    date.push_back(d);
    category.push_back(cat);
    source.push_back(src);
    line.push_back(ln);
  }
  /// Keeps the incidents whose `keep` flag is non-zero, preserving order.
  void keep_only(const std::vector<std::uint8_t>& keep);
  /// Number of distinct (x, y) coordinate pairs (police.uk snaps many incidents to one point).
  std::size_t distinct_locations() const;
};

/// Default cap on the length of one CSV line (and one record): longer ones are an InputError
/// naming file:line, so that a file without line breaks (a corrupt or hostile file, a zip bomb)
/// does not take all memory.
inline constexpr std::size_t kDefaultMaxLineBytes = std::size_t{1} << 20;

/// Largest weight (--weight-field) accepted: a larger one is an unparsable value naming
/// file:line and column. Sums of weights and densities then stay finite for any number of rows a
/// file can hold (1e308 twice is already inf, and one such row made the whole surface inf/NaN).
inline constexpr double kMaxWeight = 1e9;

/// Default ReadOptions::piece_bytes: large enough that the cost of a piece (its own names and
/// counts, merged afterwards) is small, small enough that one large file keeps two cores busy.
inline constexpr std::size_t kDefaultPieceBytes = std::size_t{4} << 20;

struct ReadOptions {
  std::string x_field;  ///< empty: auto-detect (Longitude/Latitude, lon/lat, Easting/Northing, X/Y)
  std::string y_field;
  std::string src_crs;         ///< empty: EPSG:4326, or EPSG:27700 for Easting/Northing columns
  std::string time_field;      ///< empty: none (police.uk: Month)
  std::string category_field;  ///< empty: none (police.uk: Crime type)
  std::string weight_field;    ///< empty: every incident weighs 1
  /// Where each incident was recorded (Incidents::location); empty: police.uk's `Location`
  /// column for police.uk files, none for other inputs.
  std::string location_field;
  std::string layer;  ///< OGR layer name for vector inputs (empty: the first)
  /// Police forces to keep (force_key of each: a police.uk slug such as "leicestershire" or
  /// "btp", or its `Falls within` name, case-insensitive); empty = all. Rows of other forces are
  /// rejected as filtered_force; an input whose rows have no force (no `Falls within` column and
  /// a file name not in police.uk's `YYYY-MM-<force>-street.csv` form) is an InvalidArgument.
  std::vector<std::string> forces;
  /// With `forces`: read files whose police.uk name (`YYYY-MM-<force>-street.csv`) names another
  /// force too, and filter their rows by `Falls within` (ReadResult::skipped_by_name is then
  /// empty). Off, such files are not opened: in police.uk's archive a force's file holds that
  /// force's rows only. Not part of a pack spec (the pack's outputs but its row accounting do
  /// not change); for comparisons.
  bool read_files_of_other_forces = false;
  /// With `from`/`to`: read police.uk month files (`YYYY-MM-<force>-street.csv`) of months
  /// outside the months read (history_from .. to) too, and filter their rows by `Month`. Off,
  /// such files are not opened (ReadResult::skipped_by_name): police.uk's archive holds one month
  /// per file. Not part of a pack spec; for comparisons.
  bool read_files_of_other_months = false;
  /// Crime types or groups to keep (case-insensitive, see crime_type_groups()); empty = all.
  std::vector<std::string> crime_types;
  std::optional<Date> from;  ///< inclusive
  std::optional<Date> to;    ///< inclusive
  /// With month-level `from`: rows dated from this month up to the month before `from` are read
  /// as well (history, e.g. the previous period of a pack), so that one read serves every
  /// period of a study (Study::slice). Unparsable coordinates or weights in history rows are
  /// rejected rather than errors, whatever skip_bad_rows says: as with the dates filter, they are
  /// outside what was asked for.
  std::optional<Date> history_from;
  /// Unparsable values reject the row instead of failing the read.
  bool skip_bad_rows = false;
  bool keep_rejected_rows = false;
  TextEncoding encoding = TextEncoding::auto_detect;
  std::size_t max_line_bytes = kDefaultMaxLineBytes;  ///< see kDefaultMaxLineBytes
  /// CSV files larger than this are read as pieces of about this many bytes, split at line
  /// breaks and parsed in parallel. The result does not depend on it (nor on the number of
  /// threads); tests make it small to read small files in many pieces.
  std::size_t piece_bytes = kDefaultPieceBytes;
  /// Dates outside these years (inclusive) are typing errors (9999-12, 0201-03), not incidents:
  /// they are unparsable values naming file:line and column, so that one of them cannot stretch
  /// the default period by centuries. The CLI sets last_year to the current year + 1.
  int first_year = 1900;
  int last_year = 2100;
};

struct ReadResult {
  Incidents incidents;  ///< in the CRS of the first input; later inputs are reprojected into it
  RowAccounting accounting;
  std::vector<InputSource> sources;
  /// Crime types present in the files before filtering, with their row counts (sorted by name).
  std::vector<std::pair<std::string, std::int64_t>> types_present;
  /// Rows read per force (index as incidents.force_keys), whatever became of them; rows without
  /// a force are not counted here.
  std::vector<std::int64_t> force_rows;
  /// Files not opened because ReadOptions::forces keeps none of the force their name names
  /// (police.uk's `YYYY-MM-<force>-street.csv`), in input order; their rows are not read, so
  /// not counted. Only when every force asked for is named by some input file's name;
  /// otherwise (a force named by a `Falls within` text no file name spells) every file is read.
  /// Also the police.uk month files of months outside from/to (history_from included).
  std::vector<std::string> skipped_by_name;
  /// Things the caller should tell the user (engine code never prints): inputs given twice,
  /// folder entries that cannot be read, text decoded as Windows-1252.
  std::vector<std::string> warnings;
};

/// Reads incidents from police.uk street CSVs (recognised by their header), generic CSVs, OGR
/// point layers, folders (searched recursively for *-street.csv, following links to folders once:
/// loops and unreadable entries become warnings) and zip files (read in place via /vsizip/).
/// Paths are expanded and sorted so that the order of incidents is deterministic; a file reached
/// twice (given twice, or a folder and a file inside it) is read once, with a warning. Inputs
/// that are not regular files (FIFOs, devices) are refused with an IoError. CSV lines may end in
/// LF, CRLF or CR; blank and whitespace-only lines are no rows; a row with more or fewer fields
/// than the header is unparsable_value (or an InputError without skip_bad_rows).
/// Throws IoError (missing/unreadable file), InputError (missing column, unparsable value unless
/// skip_bad_rows, file:line:column in the message), CrsError (coordinates that contradict their
/// CRS: swapped latitude/longitude, eastings declared as degrees), InvalidArgument (options that
/// cannot work: --to before --from, --x-field without --y-field, a filter on a column the input
/// lacks) and Error (a --crime-type name that no row has, or filters that leave no incident with
/// coordinates: the message lists the crime types present).
/// Files are parsed in parallel (TBB), CSV files larger than ReadOptions::piece_bytes in pieces
/// split at line breaks, and merged in file and piece order: the result (incidents, names and
/// their order, counts, rejected rows, warnings, the first error) is the one a sequential read
/// gives, whatever the number of threads. Memory: the result plus the few files being read.
/// Complexity: linear in input bytes (crime types are found by hashing).
[[nodiscard]] ReadResult read_incidents(const std::vector<std::string>& inputs,
                                        const ReadOptions& options);

/// Longitude and latitude of the incidents' coordinate-wise median point (taken in their own CRS),
/// on their CRS's own datum (datum_lonlat: OSGB36 for EPSG:27700, within ~200 m of WGS84), for
/// choosing the analysis CRS. `to_lonlat`, when given, is the transformation from incidents.crs
/// to datum_lonlat(incidents.crs) made beforehand (e.g. while the files were read); otherwise it
/// is made here. O(n) (the medians: one pass for the range, one counting buckets).
[[nodiscard]] Point median_lonlat(const Incidents& incidents,
                                  const CoordinateTransform* to_lonlat = nullptr);

/// Reprojects incidents into `to`. Rows that cannot be transformed are removed and counted as
/// outside_crs_range in `accounting`.
void project_incidents(Incidents& incidents, const Crs& to, RowAccounting& accounting,
                       bool keep_rejected_rows);

/// Removes incidents whose `inside` flag is zero, counting them as outside_study_area.
void reject_outside(Incidents& incidents, const std::vector<std::uint8_t>& inside,
                    RowAccounting& accounting, bool keep_rejected_rows);

/// Removes incidents whose `keep` flag is zero, counting each under `reason` with `detail` (e.g.
/// a date filter applied after reading), so that read == used + Σ rejected still holds.
void reject_incidents(Incidents& incidents, const std::vector<std::uint8_t>& keep,
                      RejectReason reason, std::string_view detail, RowAccounting& accounting,
                      bool keep_rejected_rows);

/// A documented group of police.uk crime types that --crime-type accepts as one name.
struct CrimeTypeGroup {
  std::string_view name;
  std::string_view description;
  std::vector<std::string_view> members;  ///< empty = every type
};

/// The groups: asb, violence, burglary, robbery, vehicle, theft, damage, drugs, weapons,
/// public-order, crime (everything but ASB) and all.
const std::vector<CrimeTypeGroup>& crime_type_groups();

/// Expands names and groups into the lower-case crime types they mean. A name that is not a
/// group is kept as it is (force exports have categories of their own); read_incidents reports
/// one that matches no row. Throws InvalidArgument for an empty name.
[[nodiscard]] std::vector<std::string> expand_crime_types(const std::vector<std::string>& names);

}  // namespace hotspots
