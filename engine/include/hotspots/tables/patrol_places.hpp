// SPDX-License-Identifier: MIT
#pragma once

// Patrol places: places sized for a foot patrol, chosen by written rules from published UK hot
// spots policing practice, for a tasking meeting to act on. Pure: no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/tables/time_profile.hpp"

namespace hotspots {

/// The default recording-location words (see PatrolPlaceOptions::recording_names): places where
/// offences are recorded or reported rather than committed on the street.
[[nodiscard]] std::vector<std::string> default_recording_names();

/// How places are drawn and chosen (see select_patrol_places).
/// cells: equal-sized grid squares ranked by their incidents, a place being its busiest cell and
///   the busy cells around it (the College of Policing guide's equal-sized places; the rule that
///   predicted next month's incidents best in the backtests, README "Does the pack's default
///   predict?").
/// circle: discs of radius_m chosen by greedy maximal coverage (Op Savvy's 150 m hot spots).
enum class PatrolShape { cells, circle };

/// "cells" or "circle".
[[nodiscard]] std::string to_string(PatrolShape shape);
/// PatrolShape from "cells" or "circle"; throws InvalidArgument naming the choices.
[[nodiscard]] PatrolShape parse_patrol_shape(std::string_view name);

struct PatrolPlaceOptions {
  PatrolShape shape = PatrolShape::cells;
  /// Side of a cell, metres (shape cells). Cells are the squares of whole multiples of the size
  /// in the analysis CRS (British National Grid 100 m squares by default), the grid of
  /// G/busiest_cells and of the evaluate backtests. Default 100: about a street block.
  double cell_size_m = 100;
  /// circle: the radius of a place. cells: a place's cells have their centres within radius_m of
  /// its first (busiest) cell's centre, so at 100 m cells a place is at most 3 × 3 cells, 300 m
  /// across. Op Savvy (West Midlands Police with the Cambridge Centre for Evidence-Based
  /// Policing): hot spot radius at most 150 m, a walkable patch.
  double radius_m = 150;
  /// Least distance between two places' centres, metres. Default 300 = 2 × radius_m: circles
  /// never overlap, so every incident counts towards at most one place; a busy cell between
  /// radius_m and 300 m of a place's first cell is passed over, so one concentration (the sample's
  /// planted hotspots, 80–150 m standard deviation) is one place. Op Savvy kept epicentres at
  /// least 500 m apart (give 500 to follow it; a city centre then yields fewer, sparser places).
  double min_spacing_m = 300;
  /// A place needs at least this many incidents (Σ weight) of the period; 0 = derived from
  /// min_incidents_per_month × the period's months.
  double min_incidents = 0;
  /// Op Savvy: 36–150 street crimes in 12 months per hot spot, i.e. at least 3 a month.
  double min_incidents_per_month = 3;
  /// cells: every cell of a place holds at least this many a month (the walk stops at the first
  /// cell below it). Default 1: a 100 m cell is a seventh of Op Savvy's 150 m circle, and no
  /// listed cell holds 0, 1 or 2 incidents in a year (issue #11 item 3).
  double min_cell_incidents_per_month = 1;
  /// Count budget: at most this many places; 0 = none (every place meeting the minimum). The pack
  /// and `hotspots patrol` default to 10 when no budget is given, what one tasking meeting can
  /// allocate (Southend's programme ran 20).
  std::int64_t max_count = 0;
  /// Area budget: at most this many km² of places (circles π·radius² each, cells their cells'
  /// area); 0 = none.
  double max_area_km2 = 0;
  /// A place is flagged as a possible recording location when one map point holds more than this
  /// share of its incidents (cells: of the incidents within radius_m of its centre, so the test
  /// reads as for a circle and a small cell holding one busy point is not flagged for that
  /// alone), in (0, 1]; 1 = never on this ground.
  double recording_share = 0.5;
  /// ...or when one of its top location names contains one of these words (case-insensitive).
  std::vector<std::string> recording_names = default_recording_names();
  /// Leave out of the selection the map points that are flagged (names matching, or the single
  /// point holding more than recording_share of a place chosen without this option).
  bool exclude_recording_locations = false;
  /// How many location names (with their counts) each place lists, >= 1.
  int top_locations = 3;
  /// Time profile of each place (finish_profile): the hour-of-week profile when at least this
  /// share of its incidents carry a day and a time, in [0, 1]; else months.
  double min_timed_share = 0.5;
  /// Length of the peak window of the week, in hours, in [1, 168].
  int peak_window_hours = 3;

  /// Throws InvalidArgument naming the field that is out of range.
  void validate() const;
};

/// A name with its number of incidents (Σ weight).
struct NamedCount {
  std::string name;
  double incidents = 0;
};

struct PatrolPlace {
  std::string id;  ///< "P1", "P2", ... in selection order: the label on the map and in every file
  int rank = 0;    ///< 1.. in selection order
  PatrolShape shape = PatrolShape::circle;
  Point centre;  ///< circle: an incident location; cells: the centre of its busiest cell
  /// circle: its radius; cells: the distance from the centre to the farthest corner of its cells
  double radius_m = 0;
  std::vector<Extent> cells;    ///< shape cells: its grid squares, busiest first; else empty
  double area_km2 = 0;          ///< π·radius² or the cells' area, not clipped to the study area
  double incidents = 0;         ///< Σ weight of the incidents the place counts (see select_...)
  std::int64_t rows = 0;        ///< number of those incidents
  double per_month = 0;         ///< incidents / months of the period; NaN when undated
  double share = 0;             ///< incidents / all incidents given
  double pai = 0;               ///< share / (area_km2 / study_area_km2); NaN without a study area
  std::int64_t map_points = 0;  ///< distinct incident locations counted
  std::vector<NamedCount> by_category;    ///< crime types, most incidents first
  std::vector<NamedCount> top_locations;  ///< Location names, most incidents first
  /// The incidents at its busiest map point over the place's incidents (circle), or over the
  /// incidents within radius_m of its centre or in its cells (cells; see recording_share).
  double busiest_point_share = 0;
  std::string busiest_point_name;   ///< its Location name ("" when none)
  bool recording_location = false;  ///< see PatrolPlaceOptions::recording_share, _names
  std::string recording_reason;     ///< why flagged, for people; "" when not
  TimeProfile profile;              ///< when its incidents happen
};

/// Why selection stopped.
enum class PatrolStop { below_minimum, count_budget, area_budget, no_incidents };

struct PatrolPlaces {
  std::vector<PatrolPlace> places;
  PatrolShape shape = PatrolShape::cells;  ///< the rule that chose them
  double min_incidents = 0;       ///< the minimum of a place that was applied (from per month)
  double min_cell_incidents = 0;  ///< cells: the minimum of each cell (from per month); else 0
  double total_incidents = 0;
  double covered_incidents = 0;  ///< Σ incidents of the places
  PatrolStop stopped_by = PatrolStop::no_incidents;
  /// Further places, each meeting the minimum and the spacing, that the count or area budget left
  /// out (the greedy run on without a budget): skipped, counted, never silently dropped.
  std::int64_t over_budget = 0;
  double over_budget_incidents = 0;
  /// The best place left when selection stopped below the minimum (0 when none).
  double next_best_incidents = 0;
  /// Map points left out of selection by exclude_recording_locations, and their incidents.
  std::int64_t excluded_points = 0;
  double excluded_incidents = 0;
  std::vector<std::string> excluded_names;  ///< their Location names, sorted, distinct
  std::int64_t flagged = 0;                 ///< places with recording_location
};

/// Patrol places. Shape cells (the default): the distinct incident locations are binned into
/// squares of cell_size_m (a point on an edge belongs to the cell east / south of it, as
/// GridSpec); cells are walked from the most incidents down (ties: the north-west first, as
/// G/busiest_cells); a cell within radius_m (centre to centre) of a place's first cell joins the
/// earliest such place, otherwise it starts a new place (unless closer than min_spacing_m to a
/// place's first cell: passed over). The walk stops at the first cell below the cell minimum
/// or at the area budget. Places holding fewer than the place minimum are then left out (the
/// best of them is next_best_incidents), the rest ranked by their incidents (P1 the busiest;
/// ties in walk order) and the count budget keeps the first, counting the rest in over_budget.
/// So the cells of the places are the busiest cells of the study area (less those passed over
/// by the spacing or in places below the minimum), a city centre becomes several patrol-sized
/// places of up to 3 × 3 cells, and one concentration of the sample (sd 80–150 m) is one place.
/// Shape circle: patrol places by greedy maximal coverage (Church & ReVelle 1974's maximal covering
/// location problem; the greedy rule is within 1 − 1/e of the best coverage, Nemhauser, Wolsey &
/// Fisher 1978). Candidate centres are the distinct incident locations (police.uk's snap points, so
/// a centre is always a point a map shows). Repeatedly the disc of radius_m holding the most
/// incidents not yet counted by an earlier place is taken, its incidents counted to it; ties go to
/// the smaller x, then y. A centre closer than min_spacing_m to a place taken is passed over.
/// Selection stops when the best disc left holds fewer than the minimum (stopped_by
/// below_minimum), or at the count or area budget; then the greedy runs on without a budget and
/// the places it would still take are counted in over_budget. So a large concentration (a city
/// centre) becomes several patrol-sized places, the densest first, and none is dropped unseen.
/// `months`: months of the period (<= 0: undated; the per-month minimum then reads as 12 months
/// and per_month is NaN). `study_area_km2`: for PAI (<= 0: PAI is NaN).
/// Weights count as incidents (Σ weight) everywhere, in the minimum too.
/// Throws InvalidArgument from options.validate() or when the incident columns differ in length.
/// Cost: O(n log n) to find the distinct points and their neighbours within radius_m (a grid of
/// radius-sized buckets), then lazy greedy: O(k log p) re-evaluations of O(neighbours) each, and
/// O(places) spacing tests per candidate taken or passed over; n incidents, p points.
[[nodiscard]] PatrolPlaces select_patrol_places(const Incidents& incidents, int months,
                                                double study_area_km2,
                                                const PatrolPlaceOptions& options);

/// Months of the period the incidents stand for: from `from` (else the first dated month of the
/// incidents) to `to` (else the last), inclusive, at month precision; 0 when that leaves no
/// month (undated incidents). O(n).
[[nodiscard]] int months_covered(const Incidents& incidents, const std::optional<Date>& from,
                                 const std::optional<Date>& to);

/// What a selection did, for people (stderr, notes, summary): the places and the minimum, what
/// the budget left out, why selection stopped, the flagged places and the excluded map points.
/// One line each, without a trailing newline.
[[nodiscard]] std::vector<std::string> patrol_report(const PatrolPlaces& places);

/// "below_minimum", "count_budget", "area_budget", "no_incidents".
[[nodiscard]] std::string to_string(PatrolStop stop);

/// The outline of a circle place as a polygon of `segments` vertices (counter-clockwise,
/// closed), in the analysis CRS.
[[nodiscard]] Polygon patrol_place_circle(const PatrolPlace& place, int segments = 64);

/// The outline of any place, analysis CRS, for maps, GeoJSON and overlap tests: the circle, or
/// the exact cell-edge outline of its cells (region_outline; cells touching only at a corner
/// give two polygons). O(cells) or O(segments).
[[nodiscard]] MultiPolygon patrol_place_outline(const PatrolPlace& place);

/// Whether (x, y) lies in the place: within radius_m of a circle's centre, or in one of its
/// cells by the grid's edge rule (the rule that counted its incidents). O(cells).
[[nodiscard]] bool patrol_place_contains(const PatrolPlace& place, double x, double y);

/// The selection rule in one sentence for reports and summaries, e.g. "the busiest 100 m grid
/// squares ...". `minimum`, `cell_minimum`: how the place's and (cells) each cell's minimum
/// read, e.g. "3 incidents a month".
[[nodiscard]] std::string patrol_rule_text(const PatrolPlaceOptions& options,
                                           const std::string& minimum,
                                           const std::string& cell_minimum);

/// "100 m cells" or "150 m circles": the places' shape for map subtitles.
[[nodiscard]] std::string patrol_shape_text(const PatrolPlaceOptions& options);

/// "within 150 m of its centre" or "in its 4 cells of 100 m", for chart subtitles and notes.
[[nodiscard]] std::string patrol_place_extent_text(const PatrolPlace& place);

}  // namespace hotspots
