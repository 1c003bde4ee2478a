// SPDX-License-Identifier: MIT
// `hotspots patrol`: patrol places sized for a foot patrol (GeoJSON circles + CSV), chosen by the
// rules of engine/include/hotspots/tables/patrol_places.hpp.

#include <fmt/format.h>

#include <cmath>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/category_weights.hpp"
#include "hotspots/tables/patrol_place_layers.hpp"
#include "hotspots/tables/patrol_places.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

class PatrolCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "patrol",
        "Patrol places: foot-patrol-sized places with the most incidents (GeoJSON + CSV)");
    inputs_.add_to(*app);
    app->add_option("-o,--output", output_path_,
                    "output places as polygons (.geojson, .gpkg or .shp)")
        ->required()
        ->group("Output");
    app->add_option("--csv", csv_path_,
                    "output table, one row per place (default: the output path with .csv)")
        ->group("Output");
    app->add_option("--weight-table", weight_table_,
                    "CSV 'category,weight' multiplying each incident by its crime type's weight")
        ->group("Input");
    app->add_option("--shape", shape_,
                    "cells (default): the busiest grid squares, each place its busiest cell and "
                    "the busy cells within --radius of it; circle: Op Savvy's circles by greedy "
                    "maximal coverage")
        ->check(CLI::IsMember({"cells", "circle"}))
        ->group("Patrol places");
    app->add_option("--cell-size", o_.cell_size_m,
                    "side of a cell in metres (--shape cells; default 100, British National Grid "
                    "100 m squares)")
        ->check(CLI::PositiveNumber)
        ->group("Patrol places");
    app->add_option("--radius", o_.radius_m,
                    "a circle's radius, or how far (centre to centre) a busy cell joins a place's "
                    "first cell, metres (default 150, Op Savvy)")
        ->check(CLI::PositiveNumber)
        ->group("Patrol places");
    app->add_option("--min-spacing", o_.min_spacing_m,
                    "least distance between two places' centres, metres (default 300: circles "
                    "never overlap; Op Savvy used 500)")
        ->group("Patrol places");
    app->add_option("--min-incidents", o_.min_incidents,
                    "least incidents a place must hold (default: --min-per-month x the months)")
        ->group("Patrol places");
    app->add_option("--min-per-month", o_.min_incidents_per_month,
                    "--shape circle: least incidents a place holds per month of the period "
                    "(default 3: Op Savvy's 36 a year)")
        ->group("Patrol places");
    app->add_option("--min-cell-per-month", o_.min_cell_incidents_per_month,
                    "--shape cells: least incidents each cell of a place holds per month of the "
                    "period (default 1)")
        ->group("Patrol places");
    count_option_ = app->add_option("--count,--patrol-count", o_.max_count,
                                    "at most N places (default 10 without --max-area; 0 = every "
                                    "place meeting the minimum)")
                        ->group("Patrol places");
    app->add_option("--max-area,--patrol-max-area", o_.max_area_km2,
                    "at most KM2 of places in total (default: no area budget)")
        ->group("Patrol places");
    app->add_option("--recording-share", o_.recording_share,
                    "flag a place when one map point holds more than this share (default 0.5)")
        ->group("Recording locations");
    app->add_option("--recording-names", recording_names_,
                    "words that flag a place by its location names (comma-separated; default: "
                    "hospital,infirmary,a&e,police station,custody)")
        ->delimiter(',')
        ->group("Recording locations");
    app->add_flag("--exclude-recording-locations", o_.exclude_recording_locations,
                  "leave flagged map points out of the selection (counted and reported)")
        ->group("Recording locations");
    app->add_option("--top-locations", o_.top_locations,
                    "location names listed per place (default 3)")
        ->group("Recording locations");
    add_progress_flag(*app, progress_);
    app->footer(
        "Examples:\n"
        "  hotspots patrol street/ --crime-type violence --from 2021-11 --to 2022-10 \\\n"
        "      --boundary leics_lad.geojson --boundary-where \"LAD13CD = 'E06000016'\" \\\n"
        "      -o patrol.geojson\n"
        "  hotspots patrol data/sample/police_uk --crime-type asb --from 2024-07 --to 2024-12 "
        "\\\n"
        "      --skip-bad-rows --count 20 --min-spacing 500 --exclude-recording-locations \\\n"
        "      -o asb_patrol.geojson --csv asb_patrol.csv\n\n"
        "Rules (README 'Patrol places'): the disc of --radius holding the most incidents not\n"
        "yet in a place is taken, again and again (greedy maximal coverage over the incident\n"
        "locations); centres keep --min-spacing apart; selection stops below the minimum or at\n"
        "the budget, and what the budget left out is counted. A place is flagged as a possible\n"
        "recording location (hospital, custody...) by its names or by one busy map point.\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    check_vector_path("--output", output_path_, false);
    if (csv_path_.empty()) csv_path_ = with_csv_extension(output_path_);
    if (!has_suffix(csv_path_, ".csv")) throw InvalidArgument("--csv must end in .csv");
    if (!recording_names_.empty()) o_.recording_names = recording_names_;
    o_.shape = parse_patrol_shape(shape_);
    // The pack's default: 10 places when no budget is given (resolve_pack_defaults).
    if (o_.max_count == 0 && !(o_.max_area_km2 > 0) && count_option_->count() == 0)
      o_.max_count = 10;
    o_.validate();
    check_outputs(inputs_, {weight_table_}, {output_path_, csv_path_});

    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    const Progress progress = printer.callback();
    StudyOptions options = inputs_.resolve();
    Study study =
        progress_phase(progress, "reading", [&] { return prepare_study(inputs_.inputs, options); });
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    Incidents& incidents = study.data.incidents;
    if (!weight_table_.empty())
      apply_category_weights(incidents, read_category_weights(weight_table_), weight_table_);
    if (incidents.size() == 0) throw Error("no incident left to analyse");

    const int months = months_covered(incidents, options.read.from, options.read.to);
    const double study_km2 = area(study.study_area) / 1e6;  // 0 without a boundary: no PAI
    const PatrolPlaces places = progress_phase(progress, "choosing patrol places", [&] {
      return select_patrol_places(incidents, months, study_km2, o_);
    });

    progress_phase(progress, "writing", [&] {
      write_patrol_places(output_path_, places, study.analysis_crs, inputs_.overwrite);
      write_patrol_csv(csv_path_, places, study.analysis_crs, inputs_.overwrite);
    });
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    if (!inputs_.quiet)
      for (const std::string& line : patrol_report(places)) ctx.err << line << "\n";
    return 0;
  }

 private:
  static std::string with_csv_extension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    return (has_ext ? path.substr(0, dot) : path) + ".csv";
  }

  InputOptions inputs_;
  PatrolPlaceOptions o_;
  std::vector<std::string> recording_names_;
  std::string shape_ = to_string(PatrolPlaceOptions{}.shape);
  std::string output_path_;
  std::string csv_path_;
  std::string weight_table_;
  bool progress_ = false;
  CLI::Option* count_option_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_patrol_command() {
  return std::make_unique<PatrolCommand>();
}

}  // namespace hotspots::cli
