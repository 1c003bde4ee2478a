// SPDX-License-Identifier: MIT
// `hotspots analyse`: from incidents to a QGIS-ready hotspot pack per crime group — KDE surface
// and hotspots, Gi* cells and clusters, zone table, concentration, patrol places, maps, summary.

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/pack/pack_spec.hpp"
#include "hotspots/pack/run_pack.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

/// Splits "a,b,c" into its non-empty trimmed parts.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string part;
  for (char c : text + ",") {
    if (c == ',') {
      const auto b = part.find_first_not_of(' ');
      const auto e = part.find_last_not_of(' ');
      if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
      part.clear();
    } else {
      part += c;
    }
  }
  return out;
}

class AnalyseCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "analyse",
        "The hotspot pack per crime group: KDE surface and hotspots, Gi* cells and clusters, "
        "zone table, concentration, patrol places, maps, report.pdf/.html, tables.xlsx, "
        "summary.md, QGIS project");
    app->alias("analyze");
    app_ = app;
    inputs_.add_to(*app);
    // With --spec the inputs come from the spec.
    app->get_option("INPUT")->required(false);
    app->add_option("--spec", spec_path_,
                    "rebuild a pack from its manifest.json (or a spec JSON file): every input and "
                    "parameter from there, byte-identical outputs; only -o, --overwrite, "
                    "--rejects, -q, -v, --progress and --max-memory may be given with it")
        ->group("Input");
    app->add_option("-o,--output", outdir_,
                    "output folder (built under a hidden temporary name and moved into place "
                    "when complete; an existing folder is refused without --overwrite)")
        ->required()
        ->group("Output");
    app->add_flag("--rejects-outside", rejects_list_outside_,
                  "the pack's rejects.csv lists the rows outside the study area too (default: "
                  "they are counted in summary.md and manifest.json, not listed)")
        ->group("Output");
    app->add_option(
           "--basemap", basemap_path_,
           "basemap drawn under every map, reprojected: a vector layer (roads, "
           "outlines: GeoPackage, Shapefile, GeoJSON...; e.g. OS Open Roads) or a raster "
           "(GeoTIFF, MBTiles, GeoPackage tiles; e.g. OS OpenMap Local), drawn faded grey; "
           "copied, clipped to the study area, into the pack as the bottom layer of "
           "hotspots.qgs (basemap.tif or basemap.geojson)")
        ->group("Output");
    app->add_option("--basemap-attribution", basemap_attribution_,
                    "the basemap's licence statement, e.g. \"Contains OS data © Crown copyright "
                    "and database right 2024\": on every map under the police.uk line and in "
                    "the report's data sources")
        ->group("Output");
    app->add_option("--title", title_,
                    "the study area's name on maps, summary.md and manifest.json (default: the "
                    "names of the --boundary features, e.g. \"Leicester\")")
        ->group("Output");
    app->add_option("--groups", groups_text_,
                    "crime groups analysed separately, comma-separated (default asb,violence,all; "
                    "any --crime-type group or category name)")
        ->group("Analysis");
    app->add_option("--zones", zones_path_,
                    "zones of the zone table, e.g. LSOAs, wards, parishes (default: the "
                    "--boundary features)")
        ->group("Zones");
    app->add_option("--zone-layer", zone_options_.layer, "layer of --zones")->group("Zones");
    app->add_option("--zone-where", zone_options_.where,
                    "OGR SQL attribute filter on --zones, e.g. \"LAD13NM = 'Blaby'\" (either "
                    "way, zones with less than half their area in the study area are left out)")
        ->group("Zones");
    app->add_option("--zone-id-field", zone_options_.id_field,
                    "id field of --zones (default: a field named *CD, id or code)")
        ->group("Zones");
    app->add_option("--zone-name-field", zone_options_.name_field,
                    "name field of --zones (default: a field named *NM or name)")
        ->group("Zones");
    app->add_option("--population-field", population_field_,
                    "population field of --zones: adds incidents per 1,000 residents")
        ->group("Zones");
    app->add_option("--cell-size", cell_size_m_,
                    "cell size in metres of the KDE and Gi* grid (default: the nearest-neighbour "
                    "rule over every incident of the period: 2 x max(mean, median) distance from "
                    "each distinct location to the nearest other, outliers beyond 3 SD left out)")
        ->check(positive_distance())
        ->group("Kernel density");
    app->add_option("--radius", radius_m_,
                    "KDE bandwidth in metres (default: the nearest-neighbour rule per group, as "
                    "'hotspots kde': 2 cells of 2 x max(mean, median) distance between distinct "
                    "locations; -v prints the figures)")
        ->check(positive_distance())
        ->group("Kernel density");
    app->add_option("--kernel", kernel_, kernel_help())
        ->check(kernel_choices())
        ->group("Kernel density");
    app->add_option("--top-percent", top_percent_,
                    "KDE hotspots: the top P% of the study area's cells by density (default 5)")
        ->check(number_in(0, 100, "%"))
        ->group("Kernel density");
    app->add_flag("--no-edge-incidents", no_edge_incidents_,
                  "drop incidents outside --boundary before smoothing (default: those within one "
                  "radius of the study area are smoothed, then the surface is masked; every count "
                  "counts only incidents inside)")
        ->group("Kernel density");
    app->add_option("--distance-band", distance_band_m_,
                    fmt::format("Gi* neighbours: cells whose centres are within this many "
                                "metres (default {} cell sizes)",
                                kDefaultBandCells))
        ->check(positive_distance())
        ->group("Gi*");
    app->add_flag("--no-fdr", no_fdr_,
                  "Gi* bins from raw p-values (default: False Discovery Rate correction, since "
                  "a pack tests thousands of cells)")
        ->group("Gi*");
    add_local_statistic_flags(*app, local_, "Gi*");
    app->add_option("--patrol-count", patrol_count_,
                    "patrol places: at most N (default 10 when no budget is given)")
        ->check(number_in(0))
        ->group("Patrol places");
    app->add_option("--patrol-max-area", patrol_max_area_km2_,
                    "patrol places: at most KM2 in total (each is pi x radius^2)")
        ->check(number_in(0, std::nan(""), "km2"))
        ->group("Patrol places");
    app->add_option("--patrol-shape", patrol_shape_,
                    "patrol places: cells (default: the busiest grid squares, the rule that "
                    "predicted best) or circle (Op Savvy's 150 m circles)")
        ->check(CLI::IsMember({"cells", "circle"}))
        ->group("Patrol places");
    app->add_option("--patrol-cell-size", patrol_.cell_size_m,
                    "patrol places: side of a cell in metres (shape cells; default 100)")
        ->check(positive_distance())
        ->group("Patrol places");
    app->add_option("--patrol-radius", patrol_.radius_m,
                    "patrol places: a circle's radius, or how far (centre to centre) a busy cell "
                    "joins a place's first cell, metres (default 150, Op Savvy)")
        ->check(positive_distance())
        ->group("Patrol places");
    app->add_option("--min-spacing", patrol_.min_spacing_m,
                    "patrol places: least distance between centres, metres (default 300)")
        ->group("Patrol places");
    app->add_option("--min-incidents", patrol_.min_incidents,
                    "patrol places: least incidents a place holds (default: --min-per-month x "
                    "months)")
        ->group("Patrol places");
    app->add_option("--min-per-month", patrol_.min_incidents_per_month,
                    "patrol places (circle): least incidents a place holds per month of the "
                    "period (default 3)")
        ->group("Patrol places");
    app->add_option("--min-cell-per-month", patrol_.min_cell_incidents_per_month,
                    "patrol places (cells): least incidents each cell of a place holds per month "
                    "of the period (default 1)")
        ->group("Patrol places");
    app->add_option("--recording-share", patrol_.recording_share,
                    "patrol places: flag one map point holding more than this share (default 0.5)")
        ->group("Patrol places");
    app->add_flag("--exclude-recording-locations", patrol_.exclude_recording_locations,
                  "patrol places: leave flagged map points (hospitals, custody...) out")
        ->group("Patrol places");
    app->add_flag("--emerging", emerging_.enabled,
                  "also an emerging hot spot analysis per group over the period's months "
                  "(emerging/ in each group's folder; as `hotspots emerging`)")
        ->group("Emerging hot spots");
    app->add_option("--emerging-cell-size", emerging_.cell_size_m,
                    "emerging: hexagon width in metres (default: as hotspots emerging, the "
                    "study extent's default)")
        ->check(positive_distance())
        ->group("Emerging hot spots");
    app->add_option("--emerging-time-step", emerging_.time_step_months,
                    "emerging: months per time step (default 1)")
        ->check(number_in(0))
        ->group("Emerging hot spots");
    app->add_option("--emerging-time-lags", emerging_.time_lags,
                    "emerging: space-time Gi* time lags (default 1)")
        ->check(number_in(std::nan(""), std::nan(""), "", 0))
        ->group("Emerging hot spots");
    app->add_option("--max-memory", max_memory_mb_,
                    "refuse, before the grid is allocated, a pack whose estimated peak memory is "
                    "above this many MB, naming the cell size that fits (default: 80% of the "
                    "machine's memory)")
        ->check(number_in(1, 1e9, "MB"))
        ->group("Output");
    add_progress_flag(*app, progress_);
    app->footer(
        "Examples:\n"
        "  hotspots analyse data/sample/police_uk --boundary data/sample/districts.geojson \\\n"
        "      --zones data/sample/small_areas.geojson --population-field population "
        "--from 2024-07 --to 2024-12 \\\n"
        "      --skip-bad-rows -o out/sample/pack\n"
        "  hotspots analyse street/ --boundary lad.geojson --zones lsoa.gpkg --zone-id-field "
        "LSOA21CD \\\n"
        "      --groups asb,violence,burglary --radius 300 --cell-size 50 --patrol-max-area 2 "
        "-o pack_2024\n"
        "  hotspots analyse police_uk/2019-02 --force derbyshire --data-study-area "
        "--data-study-area-buffer 500 \\\n"
        "      -o derbyshire_2019-02   # one force of an archive folder, no boundary file at "
        "hand\n\n"
        "  hotspots analyse street/ --boundary lad.geojson --boundary-where \"LAD13NM = "
        "'Charnwood'\" \\\n"
        "      --zones lsoa.gpkg --zone-where \"LSOA11NM LIKE 'Charnwood%'\" --title "
        "\"Charnwood district\" -o charnwood\n"
        "  hotspots analyse street/ --boundary lad.geojson --basemap openmap_local.tif \\\n"
        "      --basemap-attribution \"Contains OS data © Crown copyright and database right "
        "2024\" \\\n"
        "      -o leicester   # a raster (or vector) basemap under every map, credited\n\n"
        "Period: --from/--to (default: every month in the data). The previous period is the same "
        "number of\n"
        "  months just before --from, read from the same inputs; the zone table compares the "
        "two (exact\n"
        "  conditional binomial test, Benjamini-Hochberg across zones). Rows of the previous "
        "period are\n"
        "  reported as filtered_date rejections of the analysis period; its own counts are in "
        "the manifest.\n"
        "Grid: one grid for every group (KDE and Gi* alike), over the boundary's extent; cells "
        "whose\n"
        "  centre lies inside the boundary form the study area.\n"
        "Pack: report.pdf and report.html (the briefing: key figures, maps, patrol places, top "
        "zones,\n"
        "  methods, caveats), tables.xlsx (every CSV table as a sheet; CSVs are UTF-8 with a "
        "BOM),\n"
        "  summary.md, manifest.json (inputs with SHA-256, every parameter, row accounting, "
        "timings),\n"
        "  hotspots.qgs, zones.csv/.geojson, concentration.csv, rejects.csv and per group: "
        "density.tif,\n"
        "  hotspots.geojson, gistar_z.tif, gistar_cells.geojson (significant cells), "
        "gistar_clusters.geojson,\n"
        "  patrol.csv, patrol.geojson, map.png, gistar_map.png, zone_map.png, trend.png, "
        "places/P1.png\n"
        "  and places/P1_months.png per patrol place, with a QGIS .qml style beside each layer;\n"
        "  study_area.geojson; with --emerging also emerging/units.geojson, bins.csv,\n"
        "  sensitivity.csv, map.png.\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    const PackSpec spec = spec_path_.empty() ? spec_from_options() : spec_from_file();
    PackRunOptions options;
    options.output_dir = outdir_;
    options.overwrite = inputs_.overwrite;
    options.rejects_path = inputs_.rejects_path;
    options.command_line = ctx.command_line;
    options.version = HOTSPOTS_VERSION;
    options.max_memory_mb = max_memory_mb_ > 0 ? max_memory_mb_ : default_memory_budget_mb();
    PackEvents events;
    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    events.progress = printer.callback();
    if (!inputs_.quiet) events.note = [&](std::string_view line) { ctx.err << line << "\n"; };
    if (inputs_.verbose) events.decision = [&](std::string_view line) { ctx.err << line << "\n"; };
    if (!inputs_.quiet)
      events.warning = [&](std::string_view line) { ctx.err << "warning: " << line << "\n"; };
    events.study_read = [&](const Study& study) {
      if (inputs_.verbose) log_choices(ctx.err, study);
      if (!inputs_.quiet) report_read(ctx.err, study.data);
    };
    const PackRunResult result = run_pack(spec, options, events);
    if (inputs_.verbose) ctx.err << "timings: " << result.timer.report() << "\n";
    return 0;
  }

 private:
  /// The spec the options describe (defaults applied later, by resolve_pack_defaults).
  PackSpec spec_from_options() const {
    if (inputs_.inputs.empty()) throw InvalidArgument("INPUT is required (or give --spec)");
    if (inputs_.study.boundary_paths.empty() && !inputs_.data_study_area)
      throw InvalidArgument(
          "analyse needs --boundary: the study area of the pack (or --data-study-area: one made "
          "from the data, a concave hull of the incidents)");
    if (!population_field_.empty() && zones_path_.empty())
      throw InvalidArgument("--population-field needs --zones");
    if (!(top_percent_ > 0)) throw InvalidArgument("--top-percent must be above 0");
    PackSpec s;
    s.inputs = inputs_.inputs;
    s.title = title_;
    s.basemap_path = basemap_path_;
    s.basemap_attribution = basemap_attribution_;
    s.study = inputs_.resolve();
    s.study.read.keep_rejected_rows = false;  // set by the run, not part of the spec
    for (const auto& bound : {s.study.read.from, s.study.read.to})
      if (bound && bound->has_day())
        throw InvalidArgument(
            "--from/--to: analyse compares whole months with the months before; give them as "
            "YYYY-MM");
    s.zones_path = zones_path_;
    s.zones = zone_options_;
    s.population_field = population_field_;
    s.groups = split_list(groups_text_);
    if (s.groups.empty()) throw InvalidArgument("--groups: give at least one group");
    s.cell_size_m = cell_size_m_;
    s.rejects_list_outside = rejects_list_outside_;
    AnalysisOptions& o = s.analysis;
    o.kde.kernel = parse_kernel(kernel_);
    o.kde.radius_m = radius_m_;
    o.hot_top_percent = top_percent_;
    o.edge_incidents = !no_edge_incidents_;
    o.gistar.distance_band_m = distance_band_m_;
    o.gistar.fdr = !no_fdr_;
    static_cast<LocalStatisticOptions&>(o.gistar) = local_;
    o.patrol = patrol_;
    o.patrol.shape = parse_patrol_shape(patrol_shape_);
    o.patrol.max_count = patrol_count_;
    o.patrol.max_area_km2 = patrol_max_area_km2_;
    s.emerging = emerging_;
    return s;
  }

  /// The spec of an earlier pack (--spec); no option that would change it may be given.
  PackSpec spec_from_file() const {
    static const std::set<std::string> allowed = {"--spec",     "--output",     "--overwrite",
                                                  "--rejects",  "--quiet",      "--verbose",
                                                  "--progress", "--max-memory", "--help"};
    for (const CLI::Option* option : app_->get_options()) {
      if (option->count() == 0) continue;
      const std::string name = option->get_name(false, true);
      bool ok = false;
      for (const std::string& n : CLI::detail::split(name, ',')) ok |= allowed.count(n) > 0;
      if (!ok)
        throw InvalidArgument(fmt::format(
            "--spec: {} cannot be given with --spec (the spec holds every input and parameter; "
            "edit a copy of it instead)",
            name == "INPUT" ? "an INPUT" : name));
    }
    std::ifstream in(spec_path_, std::ios::binary);
    if (!in) throw IoError(fmt::format("{}: cannot read", spec_path_));
    std::ostringstream text;
    text << in.rdbuf();
    PackSpec spec = parse_pack_spec(text.str(), spec_path_);
    check_pack_inputs(text.str(), spec_path_);
    return spec;
  }

  CLI::App* app_ = nullptr;
  InputOptions inputs_;
  std::string spec_path_;
  std::string outdir_;
  std::string groups_text_ = "asb,violence,all";
  std::string zones_path_;
  std::string title_;
  std::string basemap_path_;
  std::string basemap_attribution_;
  ZoneReadOptions zone_options_;
  std::string population_field_;
  bool rejects_list_outside_ = false;
  double cell_size_m_ = 0;
  double radius_m_ = 0;
  // The defaults of a spec (pack_analysis_defaults): the command, spec files and plans agree.
  std::string kernel_ = std::string(to_string(PackSpec{}.analysis.kde.kernel));
  double top_percent_ = PackSpec{}.analysis.hot_top_percent;
  double distance_band_m_ = 0;
  bool no_fdr_ = !PackSpec{}.analysis.gistar.fdr;
  bool no_edge_incidents_ = !PackSpec{}.analysis.edge_incidents;
  LocalStatisticOptions local_ = PackSpec{}.analysis.gistar;
  std::int64_t patrol_count_ = 0;
  PatrolPlaceOptions patrol_;
  std::string patrol_shape_ = to_string(PatrolPlaceOptions{}.shape);
  PackEmergingSpec emerging_;
  double patrol_max_area_km2_ = 0;
  bool progress_ = false;
  double max_memory_mb_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_analyse_command() {
  return std::make_unique<AnalyseCommand>();
}

}  // namespace hotspots::cli
