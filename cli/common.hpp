// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "command.hpp"
#include "hotspots/core/phase_timer.hpp"
#include "hotspots/io/rejects.hpp"
#include "hotspots/io/study.hpp"
#include "hotspots/io/text_encoding.hpp"

namespace hotspots::cli {

/// Options every analysis shares: inputs, how to read them, filters, boundaries and CRS.
struct InputOptions {
  std::vector<std::string> inputs;
  StudyOptions study;
  std::string from;
  std::string to;
  std::string rejects_path;
  std::string encoding;          ///< --encoding (empty: UTF-8 with Windows-1252 fallback)
  bool data_study_area = false;  ///< --data-study-area
  double data_study_area_buffer_m = 500.0;
  bool overwrite = false;
  bool verbose = false;
  bool quiet = false;

  /// Declares the options on `app`.
  void add_to(CLI::App& app);
  /// Turns the parsed strings into StudyOptions (throws InvalidArgument naming the option).
  StudyOptions resolve() const;
};

/// Refuses, before any work, outputs that would land on an input (these inputs, the
/// boundaries and `extra_inputs`), outputs given twice, special files, existing files without
/// --overwrite and files whose folder is missing (check_run_paths). --rejects is checked with
/// the other output files.
void check_outputs(const InputOptions& inputs, const std::vector<std::string>& extra_inputs,
                   const std::vector<std::string>& output_files,
                   const std::vector<std::string>& output_folders = {});

/// Whether `path` ends with `suffix` (lower case), ignoring the case of the path.
bool has_suffix(const std::string& path, std::string_view suffix);

/// Refuses (InvalidArgument naming `flag`) a non-empty vector output path whose extension is
/// not .geojson, .json, .gpkg or .shp (or .csv when `csv`).
void check_vector_path(std::string_view flag, const std::string& path, bool csv);

/// Refuses (InvalidArgument naming `flag`) a non-empty raster output path whose extension is not
/// .tif or .tiff: the surface is always a GeoTIFF, never a PNG or ASCII grid under another name.
void check_raster_path(std::string_view flag, const std::string& path);

/// Refuses (InvalidArgument naming --extent) a grid extent that holds none of the study's
/// incidents, saying where they lie, in the analysis CRS.
void check_extent_holds_incidents(const Extent& extent, const Study& study);

/// The text of --help's crime-type section: every group and its members.
std::string crime_type_help();

/// The default --max-memory, in MB: 80 % of the machine's physical memory (sysconf), or 90 % of
/// the job's own limit when that is lower: Slurm's SLURM_MEM_PER_NODE, the cgroup's memory.max
/// (v2) or memory.limit_in_bytes (v1).
double default_memory_budget_mb();

/// One line per reason on `err` (unless quiet) so that no rejected row goes unmentioned.
void report_rejections(std::ostream& err, const RowAccounting& accounting);

/// The readers' warnings (inputs read once, unreadable folder entries, text decoded as
/// Windows-1252), one "warning: " line each.
void report_warnings(std::ostream& err, const ReadResult& data);

/// report_warnings, then report_rejections.
void report_read(std::ostream& err, const ReadResult& data);

/// "read 344,693 rows, 70.8 MB from 35 files in 0.21 s: 337 MB/s" for -v: the input bytes
/// (InputSource::bytes) over `seconds`, the wall time of the read phase.
std::string read_rate(const ReadResult& data, double seconds);

/// Logs choices made on the user's behalf (fields detected, CRS chosen) when verbose.
void log_choices(std::ostream& err, const Study& study);

}  // namespace hotspots::cli
