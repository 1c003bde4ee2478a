// SPDX-License-Identifier: MIT
#include "common.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/path_guard.hpp"
#include "options.hpp"

namespace hotspots::cli {
namespace {

std::optional<Date> parse_bound(const std::string& text, const char* option, bool end) {
  if (text.empty()) return std::nullopt;
  const auto d = parse_date(text);
  if (!d || d->has_time())
    throw InvalidArgument(fmt::format("{} '{}': expected YYYY-MM or YYYY-MM-DD", option, text));
  (void)end;
  return d;
}

}  // namespace

void InputOptions::add_to(CLI::App& app) {
  app.add_option("INPUT", inputs,
                 "police.uk street CSVs, folders of them (searched recursively for *-street.csv), "
                 "police.uk download zips, other CSVs with coordinate columns, or OGR point "
                 "layers (GeoPackage, Shapefile, GeoJSON, FlatGeobuf)")
      ->required()
      ->group("Input");
  auto& r = study.read;
  app.add_option("--x-field", r.x_field, "CSV column of x/longitude/easting (default: auto-detect)")
      ->group("Input");
  app.add_option("--y-field", r.y_field, "CSV column of y/latitude/northing (default: auto-detect)")
      ->group("Input");
  app.add_option("--s_srs,--src-crs", r.src_crs,
                 "CRS of CSV coordinates (default EPSG:4326; EPSG:27700 for Easting/Northing "
                 "columns); police.uk files are always EPSG:4326")
      ->group("Input");
  app.add_option(
         "--time-field", r.time_field,
         "date or date-time column (ISO 8601, YYYY-MM, DD/MM/YYYY [HH:MM]); police.uk: Month")
      ->group("Input");
  app.add_option("--category-field", r.category_field, "crime type column; police.uk: Crime type")
      ->group("Input");
  app.add_option("--weight-field", r.weight_field,
                 "numeric weight column (default: every incident 1)")
      ->group("Input");
  app.add_option("--location-field", r.location_field,
                 "where each incident was recorded, e.g. a street or premises name; police.uk: "
                 "Location")
      ->group("Input");
  app.add_option("--layer", r.layer, "layer of a vector input (default: the first)")
      ->group("Input");
  app.add_option("--encoding", encoding,
                 "text encoding of the inputs: utf-8, windows-1252 or latin-1 (default: UTF-8, "
                 "with lines that are not valid UTF-8 read as Windows-1252 and a warning)")
      ->group("Input");
  app.add_option("--max-line-bytes", r.max_line_bytes,
                 "longest CSV line accepted, in bytes (default 1 MiB): a longer one stops the "
                 "run as a damaged file")
      ->check(number_in(std::nan(""), 1099511627776.0, "bytes", 1))
      ->group("Input");
  app.add_flag("--skip-bad-rows", r.skip_bad_rows,
               "reject rows with unparsable values (counted and reported) instead of stopping")
      ->group("Input");
  app.add_option("--rejects", rejects_path,
                 "write every rejected row to this CSV with its file, line and reason")
      ->group("Input");

  app.add_option("--crime-type", r.crime_types,
                 "keep only these crime types or groups (repeatable or comma-separated, "
                 "case-insensitive; see the groups below)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->group("Filters");
  app.add_option("--force", r.forces,
                 "keep only these police forces (repeatable or comma-separated, case-insensitive): "
                 "police.uk's file-name slug (leicestershire, btp, northern-ireland) or its "
                 "'Falls within' name (\"Leicestershire Police\"); a row's force is its 'Falls "
                 "within', else its file's YYYY-MM-<force>-street.csv name")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->group("Filters");
  app.add_option("--from", from, "first month or day kept (YYYY-MM or YYYY-MM-DD)")
      ->group("Filters");
  app.add_option("--to", to, "last month or day kept (YYYY-MM or YYYY-MM-DD)")->group("Filters");

  app.add_option("--boundary", study.boundary_paths,
                 "study area polygons (any OGR format); repeat the option for several, which "
                 "are united; incidents outside are rejected as outside_study_area")
      ->allow_extra_args(false)  // one file per --boundary: the INPUTs after it stay inputs
      ->group("Study area");
  app.add_flag("--data-study-area", data_study_area,
               "without --boundary: make the study area from the data (the concave hull of the "
               "distinct incident locations, buffered; locations with fewer than 3 others within "
               "5 km are left out as outside_study_area), with a warning: a real boundary is "
               "better")
      ->excludes("--boundary")
      ->group("Study area");
  app.add_option("--data-study-area-buffer", data_study_area_buffer_m,
                 "buffer of the --data-study-area hull, in metres (default 500; give the KDE "
                 "radius)")
      ->check(positive_distance())
      ->group("Study area");
  app.add_option("--boundary-layer", study.boundary.layer, "layer of the boundary file")
      ->group("Study area");
  app.add_option("--boundary-where", study.boundary.where,
                 "attribute filter on the boundary, e.g. \"LAD13NM = 'Blaby'\"")
      ->group("Study area");
  app.add_option("--boundary-crs", study.boundary.assume_crs,
                 "CRS of a boundary layer that declares none")
      ->group("Study area");
  app.add_option("--t_srs,--dst-crs", study.dst_crs,
                 "projected analysis CRS (default EPSG:27700 in Great Britain, else the UTM zone)")
      ->group("Study area");

  app.add_flag("--overwrite", overwrite, "replace existing output files")->group("Output");
  app.add_flag("-v,--verbose", verbose, "log the choices made (fields, CRS, defaults)");
  app.add_flag("-q,--quiet", quiet, "no diagnostics but errors");
}

StudyOptions InputOptions::resolve() const {
  StudyOptions s = study;
  s.read.from = parse_bound(from, "--from", false);
  s.read.to = parse_bound(to, "--to", true);
  s.read.keep_rejected_rows = !rejects_path.empty();
  // Dates after next year are typing errors (9999-12), not incidents.
  const std::chrono::year_month_day today{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  s.read.last_year = static_cast<int>(today.year()) + 1;
  s.read.encoding = parse_text_encoding(encoding);
  s.boundary.encoding = s.read.encoding;
  if (data_study_area) {
    DataStudyAreaOptions area;
    area.buffer_m = data_study_area_buffer_m;
    s.data_study_area = area;
  }
  return s;
}

void check_outputs(const InputOptions& inputs, const std::vector<std::string>& extra_inputs,
                   const std::vector<std::string>& output_files,
                   const std::vector<std::string>& output_folders) {
  RunPaths paths;
  paths.inputs = inputs.inputs;
  paths.inputs.insert(paths.inputs.end(), inputs.study.boundary_paths.begin(),
                      inputs.study.boundary_paths.end());
  paths.inputs.insert(paths.inputs.end(), extra_inputs.begin(), extra_inputs.end());
  paths.output_files = output_files;
  paths.output_files.push_back(inputs.rejects_path);
  paths.output_folders = output_folders;
  check_run_paths(paths, inputs.overwrite);
}

bool has_suffix(const std::string& path, std::string_view suffix) {
  if (path.size() < suffix.size()) return false;
  std::string tail = path.substr(path.size() - suffix.size());
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == suffix;
}

void check_vector_path(std::string_view flag, const std::string& path, bool csv) {
  if (path.empty()) return;
  for (const std::string_view ext : {".geojson", ".json", ".gpkg", ".shp"})
    if (has_suffix(path, ext)) return;
  if (csv && has_suffix(path, ".csv")) return;
  throw InvalidArgument(fmt::format("{} {}: unknown format; use .geojson, .gpkg or .shp{}", flag,
                                    path, csv ? " or .csv" : ""));
}

void check_raster_path(std::string_view flag, const std::string& path) {
  if (path.empty() || has_suffix(path, ".tif") || has_suffix(path, ".tiff")) return;
  throw InvalidArgument(fmt::format(
      "{} {}: the surface is written as a GeoTIFF; give a .tif or .tiff name (convert with "
      "gdal_translate for other formats)",
      flag, path));
}

void check_extent_holds_incidents(const Extent& extent, const Study& study) {
  const Incidents& inc = study.data.incidents;
  if (count_within(extent, inc.x, inc.y) > 0) return;
  Extent data;
  for (std::size_t i = 0; i < inc.size(); ++i) data.include(inc.x[i], inc.y[i]);
  throw InvalidArgument(fmt::format(
      "--extent {},{},{},{} holds none of the {} incidents, which lie in x {:.0f} .. {:.0f}, y "
      "{:.0f} .. {:.0f} ({}); the extent is in the analysis CRS",
      extent.xmin, extent.ymin, extent.xmax, extent.ymax,
      grouped(static_cast<std::int64_t>(inc.size())), data.xmin, data.xmax, data.ymin, data.ymax,
      study.analysis_crs.label()));
}

std::string crime_type_help() {
  std::string text = "Crime type groups for --crime-type (police.uk categories):\n";
  for (const auto& g : crime_type_groups()) {
    text += fmt::format("  {:<13} {}", g.name, g.description);
    if (!g.members.empty() && g.members.size() <= 4)
      text += fmt::format(": {}", fmt::join(g.members, "; "));
    text += "\n";
  }
  text +=
      "Any police.uk category name can be given too, e.g. --crime-type \"Criminal damage and "
      "arson\".\n";
  return text;
}

void report_warnings(std::ostream& err, const ReadResult& data) {
  for (const auto& w : data.warnings) err << "warning: " << w << "\n";
}

void report_read(std::ostream& err, const ReadResult& data) {
  report_warnings(err, data);
  report_rejections(err, data.accounting);
}

void report_rejections(std::ostream& err, const RowAccounting& accounting) {
  if (accounting.rejected_total() == 0) return;
  std::vector<std::string> parts;
  for (auto reason : kAllRejectReasons) {
    const auto n = accounting.rejected_for(reason);
    if (n > 0) parts.push_back(fmt::format("{} {}", grouped(n), to_string(reason)));
  }
  err << fmt::format("{} of {} rows used; rejected: {}\n", grouped(accounting.used),
                     grouped(accounting.read), fmt::join(parts, ", "));
}

std::string read_rate(const ReadResult& data, double seconds) {
  std::int64_t bytes = 0;
  for (const auto& source : data.sources) bytes += source.bytes;
  const double mb = static_cast<double>(bytes) / 1e6;
  return fmt::format("read {} rows, {:.1f} MB from {} file{} in {:.3f} s: {:.0f} MB/s",
                     grouped(data.accounting.read), mb, grouped(std::ssize(data.sources)),
                     data.sources.size() == 1 ? "" : "s", seconds,
                     seconds > 0 ? mb / seconds : 0.0);
}

void log_choices(std::ostream& err, const Study& study) {
  if (const auto skipped = study.data.skipped_by_name.size(); skipped > 0)
    err << fmt::format(
        "{} file{} of other forces or months not opened (--force, --from/--to and their "
        "police.uk names, e.g. {})\n",
        grouped(static_cast<std::int64_t>(skipped)), skipped == 1 ? "" : "s",
        study.data.skipped_by_name.front());
  for (const auto& s : study.data.sources) {
    if (!s.x_field.empty())
      err << fmt::format("{}: {}, coordinates from '{}'/'{}'{} in {}\n", s.path, s.format,
                         s.x_field, s.y_field, s.fields_auto_detected ? " (auto-detected)" : "",
                         s.crs);
    else
      err << fmt::format("{}: {} layer in {}\n", s.path, s.format, s.crs);
    // Dates and crime types are found by name only in police.uk's layout; say which columns
    // were used, and list the columns when none was, so the right --time-field is at hand.
    const std::string columns = fmt::format(
        "{}", fmt::join(s.columns.begin(),
                        s.columns.begin() + static_cast<std::ptrdiff_t>(
                                                std::min<std::size_t>(s.columns.size(), 40)),
                        ", "));
    const std::string more =
        s.columns.size() > 40 ? fmt::format(" and {} more", s.columns.size() - 40) : "";
    if (s.time_field.empty() || s.category_field.empty())
      err << fmt::format("{}: {}{}; columns: {}{}\n", s.path,
                         s.time_field.empty() ? "no date column (name one with --time-field)"
                                              : fmt::format("dates from '{}'", s.time_field),
                         s.category_field.empty()
                             ? ", no crime type column (name one with --category-field)"
                             : fmt::format(", crime types from '{}'", s.category_field),
                         excerpt(columns), more);
    else
      err << fmt::format("{}: dates from '{}', crime types from '{}'\n", s.path, s.time_field,
                         s.category_field);
  }
  err << fmt::format("analysis CRS {} ({}): {}\n", study.analysis_crs.label(),
                     study.analysis_crs.name, study.crs_reason);
}

namespace {

/// The number at the start of `path`'s text ("max" and unreadable files give 0).
double first_number_in(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty() || text[0] < '0' || text[0] > '9') return 0;
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

double default_memory_budget_mb() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  double budget_mb = pages <= 0 || page <= 0
                         ? 4096
                         : 0.8 * static_cast<double>(pages) * static_cast<double>(page) / 1e6;
  // A job's own limit is below the machine's memory: a Slurm task's --mem (SLURM_MEM_PER_NODE,
  // in MiB) and the cgroup it runs in (v2 memory.max, v1 memory.limit_in_bytes; "max" or a
  // huge number when unlimited). Going over one gets the run killed, not slowed, so the budget
  // keeps 10 % of it for the estimate's error (0.91-1.04 of the measured peak).
  std::vector<double> limits_mb;
  if (const char* slurm = std::getenv("SLURM_MEM_PER_NODE"))
    limits_mb.push_back(std::strtod(slurm, nullptr) * 1.048576);
  limits_mb.push_back(first_number_in("/sys/fs/cgroup/memory.max") / 1e6);
  limits_mb.push_back(first_number_in("/sys/fs/cgroup/memory/memory.limit_in_bytes") / 1e6);
  for (const double limit : limits_mb)
    if (limit > 0 && 0.9 * limit < budget_mb) budget_mb = 0.9 * limit;
  return budget_mb;
}

}  // namespace hotspots::cli
