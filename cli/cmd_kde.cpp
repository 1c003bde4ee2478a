// SPDX-License-Identifier: MIT
// `hotspots kde`: kernel density surface (GeoTIFF) and hotspot polygons (GeoJSON/GPKG/SHP).

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <utility>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/binning.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/hot_area_layers.hpp"
#include "hotspots/hotspots/hot_areas.hpp"
#include "hotspots/hotspots/hot_areas_by_force.hpp"
#include "hotspots/hotspots/hot_cells.hpp"
#include "hotspots/io/category_weights.hpp"
#include "hotspots/io/raster_io.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/stats/kde_memory.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "options.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

class KdeCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "kde", "Kernel density surface (GeoTIFF) and hotspot polygons (GeoJSON, GPKG, SHP)");
    inputs_.add_to(*app);
    app->add_option(
           "--radius", radius_m_,
           "bandwidth (search radius) in metres (default: 2 default cells, the nearest-neighbour "
           "rule; -v prints the figures)")
        ->check(positive_distance())
        ->group("Kernel density");
    app->add_option("--cell-size", cell_size_m_,
                    "cell size in metres (default: 2 x max(mean, median) distance from each "
                    "distinct incident location to the nearest other, outliers beyond 3 SD left "
                    "out: ArcGIS Optimized Hot Spot Analysis's rule)")
        ->check(positive_distance())
        ->group("Kernel density");
    app->add_option("--kernel", kernel_, kernel_help())
        ->check(kernel_choices())
        ->group("Kernel density");
    app->add_option("--output-value", output_value_,
                    "density (per km2, default), raw (QGIS 'raw' / sfhotspot), count (per cell)")
        ->group("Kernel density");
    app->add_option("--weight-table", weight_table_,
                    "CSV 'category,weight' multiplying each incident by its crime type's weight")
        ->group("Kernel density");
    app->add_option("--extent", extent_text_,
                    "grid extent xmin,ymin,xmax,ymax in the analysis CRS (snapped outward to whole "
                    "cells)")
        ->group("Kernel density");
    app->add_option("--surface", surface_path_, "output GeoTIFF of the surface")->group("Output");
    app->add_option("--hotspots", hotspots_path_,
                    "output hotspot polygons (.geojson, .gpkg or .shp)")
        ->group("Output");
    app->add_option("--top-percent", top_percent_,
                    "hot cells: the top P% of the study area's cells by density (default 5)")
        ->check(number_in(0, 100, "%"))
        ->group("Hotspots");
    threshold_option_ = app->add_option("--threshold", threshold_, "hot cells: value >= T instead")
                            ->check(number_in())
                            ->group("Hotspots");
    mean_sd_option_ =
        app->add_option("--mean-sd", mean_sd_k_,
                        "hot cells: value >= mean + K·SD of the non-zero cells instead")
            ->check(number_in())
            ->group("Hotspots");
    app->add_option("--connectivity", connectivity_,
                    "cells that merge into one polygon: queen (edges or corners, default) or rook "
                    "(edges only)")
        ->group("Hotspots");
    app->add_option("--hotspots-scope", hotspots_scope_,
                    "auto (default): without --boundary and with incidents of two or more police "
                    "forces, hotspots are ranked force by force (each force's top list, a "
                    "`force` field); force: always so; all: one ranking of every cell")
        ->check(CLI::IsMember({"auto", "force", "all"}))
        ->group("Hotspots");
    app->add_option("--zones", zones_path_, "zones whose names each hotspot lists (e.g. wards)")
        ->group("Hotspots");
    app->add_option("--zone-name-field", zone_name_field_, "name field of --zones")
        ->group("Hotspots");
    app->add_flag("--sparse", sparse_,
                  "omit the surface's tiles that no incident reaches (GDAL SPARSE_OK=TRUE); they "
                  "read back as nodata instead of 0")
        ->group("Output");
    app->add_option("--max-memory", max_memory_mb_,
                    "refuse a run whose estimated peak memory is above this many MB (default: 80% "
                    "of the machine's memory)")
        ->check(number_in(1, 1e9, "MB"))
        ->group("Output");
    add_progress_flag(*app, progress_);
    app->add_flag("--no-edge-incidents", no_edge_incidents_,
                  "drop incidents outside --boundary before smoothing (default: those within one "
                  "radius of the study area are smoothed, then the surface is masked; they are "
                  "counted in no hotspot figure)");
    app->footer(
        "Examples:\n"
        "  hotspots kde data/sample/police_uk --crime-type asb --boundary "
        "data/sample/force_area.geojson \\\n"
        "      --skip-bad-rows --radius 250 --cell-size 25 --surface asb.tif --hotspots "
        "asb_hotspots.geojson\n"
        "  hotspots kde force_export.csv --time-field committed_at --category-field offence_group "
        "\\\n"
        "      --crime-type violence --kernel epanechnikov --output-value count --surface v.tif\n"
        "  hotspots kde police_uk/2019-02 --force btp --crime-type theft --surface btp.tif   "
        "# one force of an archive folder\n\n"
        "  hotspots kde national_year/ --skip-bad-rows --cell-size 25 --radius 250 --surface "
        "gb25.tif --sparse\n"
        "      (national extent: the surface is streamed tile by tile; --sparse stores only the "
        "tiles near incidents)\n\n"
        "Density (quartic, ArcGIS Kernel Density): (1/h^2) * sum 3/pi * w * (1-(d/h)^2)^2, "
        "x 1e6 per km2.\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    if (surface_path_.empty() && hotspots_path_.empty())
      throw InvalidArgument("give --surface, --hotspots or both");
    KdeOptions kde;
    kde.kernel = parse_kernel(kernel_);
    kde.output = parse_output_value(output_value_);
    const HotRule rule = hot_rule();
    const Connectivity connectivity = parse_connectivity(connectivity_);
    // Every usage error is found here, before any work: nothing is read or written when the
    // run is refused. Outputs onto inputs first (the gravest), then formats.
    check_outputs(inputs_, {weight_table_, zones_path_}, {surface_path_, hotspots_path_});
    check_raster_path("--surface", surface_path_);
    check_vector_path("--hotspots", hotspots_path_, /*csv=*/false);
    const std::optional<Extent> given_extent =
        extent_text_.empty() ? std::nullopt : std::optional<Extent>(parse_extent(extent_text_));

    PhaseTimer timer;
    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    const Progress progress = printer.callback();
    StudyOptions study_options = inputs_.resolve();
    study_options.keep_outside = !no_edge_incidents_;
    Study study = progress_phase(progress, "reading",
                                 [&] { return prepare_study(inputs_.inputs, study_options); });
    timer.lap("read");
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    Incidents& incidents = study.data.incidents;
    if (!weight_table_.empty()) {
      const auto weights = read_category_weights(weight_table_);
      apply_category_weights(incidents, weights, weight_table_);
      if (study.outside.size() > 0) apply_category_weights(study.outside, weights, weight_table_);
    }
    require_incidents(study);
    if (given_extent) check_extent_holds_incidents(*given_extent, study);

    const bool radius_default = radius_m_ <= 0;
    const bool cell_default = cell_size_m_ <= 0;
    std::optional<StreetScale> scale;
    if (radius_default || cell_default) scale = street_scale(incidents.x, incidents.y);
    kde.radius_m = radius_default ? scale->radius_m : radius_m_;
    kde.validate();

    Extent data_extent;
    for (std::size_t i = 0; i < incidents.size(); ++i)
      data_extent.include(incidents.x[i], incidents.y[i]);
    Extent extent =
        !study.study_area.empty() ? extent_of(study.study_area) : data_extent.grown(kde.radius_m);
    if (given_extent) extent = *given_extent;
    const double cell = cell_default ? scale->cell_size_m : cell_size_m_;
    // The surface alone is streamed tile by tile (memory follows the cells near incidents);
    // hotspots need the whole surface. Either way the run is refused by its estimated memory.
    // A national extent's hotspots are each force's own top list (hot_areas_by_force): the
    // surface is then streamed and each force's window held in turn.
    const bool by_force =
        !hotspots_path_.empty() && hotspots_scope_ != "all" &&
        (hotspots_scope_ == "force" || (!masked_run(study) && forces_present(incidents) >= 2));
    const bool stream = hotspots_path_.empty() || by_force;
    const GridSpec grid = snapped_grid(extent, cell, stream ? kMaxStreamedCells : kMaxHeldCells);
    const double need_mb =
        check_memory(grid, incidents.size(), kde.radius_m, stream, masked_run(study));
    if (inputs_.verbose)
      ctx.err << fmt::format("estimated peak memory {:.0f} MB ({})\n", need_mb,
                             stream ? "surface streamed tile by tile" : "whole surface held");
    if (scale && inputs_.verbose) ctx.err << describe(*scale) << "\n";
    if (inputs_.verbose || (!inputs_.quiet && (radius_default || cell_default)))
      ctx.err << fmt::format("radius {:.1f} m{}, cell size {:.1f} m{}, grid {} x {} cells\n",
                             kde.radius_m,
                             radius_default ? " (nearest-neighbour rule: 2 cells)" : "", cell,
                             cell_default ? " (nearest-neighbour rule)" : "", grid.cols, grid.rows);

    CellMask mask;
    const bool masked = !study.study_area.empty();
    if (masked) mask = cell_mask(grid, study.study_area);
    timer.lap("grid");
    // Edge incidents: those outside the boundary within one radius of a study-area cell are
    // smoothed too (the surface is masked), so density just inside the boundary is not too low.
    auto metadata = output_metadata(ctx, kde, radius_default, cell, cell_default, study);
    // A streamed surface without hotspots needs the incidents' coordinates no more: they are
    // moved into the density's points, not copied (24 MB at 1M incidents).
    const bool last_use = stream && !by_force;
    WeightedPoints points = last_use
                                ? WeightedPoints{std::move(incidents.x), std::move(incidents.y),
                                                 std::move(incidents.weight)}
                                : WeightedPoints{incidents.x, incidents.y, incidents.weight};
    if (last_use) incidents.keep_only({});  // the other columns emptied too: a consistent 0
    const SmoothingPoints smoothing = with_edge_points(
        std::move(points), WeightedPoints{study.outside.x, study.outside.y, study.outside.weight},
        grid, masked ? &mask : nullptr, kde.radius_m);
    if (smoothing.edge_incidents > 0 && !inputs_.quiet)
      ctx.err << fmt::format(
          "the density also smooths {} incidents outside the boundary within {:.0f} m of it "
          "(counted nowhere; --no-edge-incidents drops them)\n",
          smoothing.edge_incidents, kde.radius_m);
    metadata.emplace_back("EDGE_INCIDENTS", fmt::format("{}", smoothing.edge_incidents));
    if (stream && !surface_path_.empty()) {
      TiledGeoTiffOptions tiff;
      tiff.base.overwrite = inputs_.overwrite;
      tiff.base.metadata = metadata;
      tiff.base.band_description = std::string(to_string(kde.output));
      tiff.base.units = output_units(kde.output);
      tiff.sparse = sparse_;
      tiff.tile_cells = kTileCells;
      GeoTiffTileWriter writer(surface_path_, grid, study.analysis_crs, tiff);
      DensityTiling tiling;
      tiling.tile_cells = kTileCells;
      tiling.skip_empty = sparse_;
      tiling.progress = progress;
      std::int64_t near_data = 0;
      for_each_density_tile(
          smoothing.points, grid, kde, tiling, masked ? &mask : nullptr, [&](const DensityTile& t) {
            if (!t.empty) ++near_data;
            writer.write_block(t.tile_row, t.tile_col, t.rows, t.cols, t.values.data());
          });
      progress_phase(progress, "finishing the GeoTIFF", [&] { writer.finish(); });
      timer.lap("kde+write_surface");
      const std::int64_t all =
          ((grid.rows + kTileCells - 1) / kTileCells) * ((grid.cols + kTileCells - 1) / kTileCells);
      if (inputs_.verbose)
        ctx.err << fmt::format(
            "surface: {} of {} tiles of {} x {} cells near incidents, {} "
            "written{}\n",
            near_data, all, kTileCells, kTileCells, writer.blocks_written(),
            sparse_ ? " (SPARSE_OK: the others read back as nodata)" : "");
    }
    if (by_force) hotspots_by_force(ctx, study, grid, kde, rule, connectivity, timer, progress);
    if (stream) {
      if (!inputs_.rejects_path.empty())
        write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
      if (inputs_.verbose) ctx.err << "timings: " << timer.report() << "\n";
      return 0;
    }
    const Raster surface = progress_phase(progress, "density", [&] {
      return estimate_density(smoothing.points, grid, kde, masked ? &mask : nullptr);
    });
    timer.lap("kde");
    std::int64_t study_cells = masked ? mask.count_inside() : grid.cell_count();

    if (!surface_path_.empty()) {
      GeoTiffOptions tiff;
      tiff.overwrite = inputs_.overwrite;
      tiff.metadata = metadata;
      tiff.band_description = std::string(to_string(kde.output));
      tiff.units = output_units(kde.output);
      progress_phase(progress, "writing the surface",
                     [&] { write_geotiff(surface_path_, surface, study.analysis_crs, tiff); });
      timer.lap("write_surface");
    }
    if (!hotspots_path_.empty()) {
      const double parameter = rule == HotRule::top_percent ? top_percent_
                               : rule == HotRule::threshold ? threshold_
                                                            : mean_sd_k_;
      // Without a boundary the study area is the data's rectangle, mostly empty land at a
      // national extent: its top p % would grow with the rectangle. Rank the cells near data.
      HotRule used = rule;
      if (rule == HotRule::top_percent && !masked) {
        const auto near = std::count_if(surface.values.begin(), surface.values.end(),
                                        [](double v) { return v > 0; });
        if (2 * near < grid.cell_count()) {
          used = HotRule::top_percent_near_data;
          study_cells = near;  // shares of area and PAI are of the cells near incidents too
          if (!inputs_.quiet)
            ctx.err << fmt::format(
                "warning: no boundary, and {} of the rectangle's {} cells ({:.0f} %) are beyond "
                "one radius of every incident: hot cells are the top {}% of the {} cells near "
                "incidents, not of the rectangle, and area shares and PAI are of those cells "
                "(give --boundary to rank within a study area)\n",
                grid.cell_count() - near, grid.cell_count(),
                100.0 * static_cast<double>(grid.cell_count() - near) /
                    static_cast<double>(grid.cell_count()),
                parameter, near);
        }
      }
      ProgressPhase hotspots_phase(progress, "hotspots");
      const auto hot = select_hot_cells(surface, used, parameter);
      const CellRegions regions = label_regions(grid, hot, connectivity);
      double total = 0;
      for (double w : incidents.weight) total += w;
      const auto areas = summarise_hot_areas(surface, regions, incidents.x, incidents.y,
                                             incidents.weight, study_cells, total);
      const ZoneNames zone_names =
          load_zone_names(zones_path_, zone_name_field_, study.analysis_crs);
      write_hot_areas(hotspots_path_, areas, zone_names, study.analysis_crs, inputs_.overwrite,
                      "density");
      hotspots_phase.finish();
      const OversizeHotAreas oversize = oversize_hot_areas(areas, kNeighbourhoodScaleKm2);
      if (!oversize.warning.empty() && !inputs_.quiet)
        ctx.err << "warning: " << oversize.warning << "\n";
      timer.lap("hotspots");
      if (!inputs_.quiet)
        ctx.err << fmt::format("{} hotspot{} from {} hot cells ({})\n", areas.size(),
                               areas.size() == 1 ? "" : "s", std::count(hot.begin(), hot.end(), 1),
                               rule_text(used, parameter));
    }
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    if (inputs_.verbose) ctx.err << "timings: " << timer.report() << "\n";
    return 0;
  }

 private:
  // Each force's hot areas on its window of the grid, written as one layer with a `force` field.
  void hotspots_by_force(Context& ctx, const Study& study, const GridSpec& grid,
                         const KdeOptions& kde, HotRule rule, Connectivity connectivity,
                         PhaseTimer& timer, const Progress& progress) const {
    ForceHotAreasOptions o;
    o.kde = kde;
    o.rule = rule;
    o.parameter = rule == HotRule::top_percent ? top_percent_
                  : rule == HotRule::threshold ? threshold_
                                               : mean_sd_k_;
    o.connectivity = connectivity;
    const auto forces = hot_areas_by_force(study.data.incidents, grid, o, progress);
    std::vector<HotArea> areas;
    std::vector<std::string> names;
    std::int64_t hot = 0;
    for (const ForceHotAreas& f : forces) {
      hot += f.hot_cells;
      for (const HotArea& a : f.areas) {
        areas.push_back(a);
        names.push_back(f.force);
      }
      if (inputs_.verbose)
        ctx.err << fmt::format(
            "{}: {} incidents, {} hotspots from {} hot cells of its {} cells within {:.0f} m of "
            "its incidents ({} incidents of other forces smoothed at its edges; {} group{} of "
            "incidents, windows of {} cells)\n",
            f.force, f.incidents, f.areas.size(), f.hot_cells, f.ranked_cells, kde.radius_m,
            f.edge_incidents, f.groups, f.groups == 1 ? "" : "s", f.window_cells);
    }
    const ZoneNames zone_names = load_zone_names(zones_path_, zone_name_field_, study.analysis_crs);
    write_hot_areas(hotspots_path_, areas, zone_names, study.analysis_crs, inputs_.overwrite,
                    "density", names);
    timer.lap("hotspots_by_force");
    if (!inputs_.quiet)
      ctx.err << fmt::format(
          "{} hotspot{} from {} hot cells, ranked force by force over {} forces ({}; each "
          "force's cells are those within one radius of its incidents; --hotspots-scope all "
          "ranks every cell together)\n",
          areas.size(), areas.size() == 1 ? "" : "s", hot, forces.size(),
          rule == HotRule::top_percent ? fmt::format("top {}% of each force's cells", o.parameter)
                                       : rule_text(rule, o.parameter));
  }

  HotRule hot_rule() const {
    const bool threshold = threshold_option_->count() > 0;
    const bool mean_sd = mean_sd_option_->count() > 0;
    if (threshold && mean_sd) throw InvalidArgument("give one of --threshold and --mean-sd");
    if (threshold) return HotRule::threshold;
    if (mean_sd) return HotRule::mean_sd;
    if (!(top_percent_ > 0)) throw InvalidArgument("--top-percent must be above 0");
    return HotRule::top_percent;
  }

  static constexpr std::int64_t kTileCells = 256;
  // Grid size limits that are not about memory: a streamed GeoTIFF's sides fit GDAL's int; a
  // held surface's cell count fits the address arithmetic comfortably.
  static constexpr std::int64_t kMaxStreamedCells = std::int64_t{1} << 40;
  static constexpr std::int64_t kMaxHeldCells = std::int64_t{1} << 36;

  static bool masked_run(const Study& study) { return !study.study_area.empty(); }

  // Refuses a run whose estimated peak memory is above --max-memory, naming the estimate and a
  // cell size that would fit.
  // Returns the estimate in MB.
  double check_memory(const GridSpec& grid, std::size_t incidents, double radius_m, bool stream,
                      bool masked) const {
    KdeMemoryInput in;
    in.grid = grid;
    in.incidents = incidents;
    in.radius_m = radius_m;
    in.whole_surface = !stream;
    in.mask = masked;
    in.hotspots = !hotspots_path_.empty();
    in.tile_cells = kTileCells;
    const double budget_mb = max_memory_mb_ > 0 ? max_memory_mb_ : default_memory_budget_mb();
    const double need_mb = static_cast<double>(estimate_kde_memory(in)) / 1e6;
    if (need_mb <= budget_mb) return need_mb;
    const double fit = cell_size_that_fits(in, budget_mb * 1e6);
    if (!std::isfinite(fit))
      throw InvalidArgument(fmt::format(
          "this run would need about {:.0f} MB ({} x {} cells of {} m), more than --max-memory "
          "{:.0f} MB, and no cell size fits: the {} incidents alone need about {:.0f} MB; raise "
          "--max-memory or read fewer incidents",
          need_mb, grid.cols, grid.rows, grid.cell_size_m, budget_mb, incidents,
          (kKdeBaseBytes + static_cast<double>(incidents) * (kKdeBytesPerIncident + 56)) / 1e6));
    throw InvalidArgument(fmt::format(
        "this run would need about {:.0f} MB ({} x {} cells of {} m{}), more than --max-memory "
        "{:.0f} MB; use --cell-size {:.0f} or larger{}, a boundary or --extent to limit the "
        "area, or raise --max-memory",
        need_mb, grid.cols, grid.rows, grid.cell_size_m,
        stream ? ", surface streamed tile by tile" : ", whole surface held for --hotspots",
        budget_mb, std::ceil(fit), stream ? "" : ", drop --hotspots to stream the surface"));
  }

  static std::string rule_text(HotRule rule, double p) {
    switch (rule) {
      case HotRule::top_percent:
        return fmt::format("top {}% of the study area's cells", p);
      case HotRule::top_percent_near_data:
        return fmt::format("top {}% of the cells near incidents", p);
      case HotRule::threshold:
        return fmt::format("value >= {}", p);
      case HotRule::mean_sd:
        return fmt::format("value >= mean + {} SD of non-zero cells", p);
    }
    return "";
  }

  static std::string output_units(OutputValue v) {
    switch (v) {
      case OutputValue::density:
        return "incidents/km2";
      case OutputValue::raw:
        return "kernel sum";
      case OutputValue::count:
        return "incidents/cell";
    }
    return "";
  }

  std::vector<std::pair<std::string, std::string>> output_metadata(const Context& ctx,
                                                                   const KdeOptions& kde,
                                                                   bool radius_default, double cell,
                                                                   bool cell_default,
                                                                   const Study& study) const {
    return {{"HOTSPOTS_VERSION", HOTSPOTS_VERSION},
            {"HOTSPOTS_COMMAND", ctx.command_line},
            {"KERNEL", std::string(to_string(kde.kernel))},
            {"RADIUS_M", fmt::format("{}", kde.radius_m)},
            {"RADIUS_SOURCE", radius_default ? "nearest_neighbour_rule" : "given"},
            {"CELL_SIZE_M", fmt::format("{}", cell)},
            {"CELL_SIZE_SOURCE", cell_default ? "nearest_neighbour_rule" : "given"},
            {"OUTPUT_VALUE", std::string(to_string(kde.output))},
            {"UNITS", output_units(kde.output)},
            {"CELL_VALUE_AT", "cell centre"},
            {"INCIDENTS", fmt::format("{}", study.data.incidents.size())},
            {"CRS", study.analysis_crs.label()}};
  }

  InputOptions inputs_;
  double radius_m_ = 0;
  double cell_size_m_ = 0;
  std::string kernel_ = "quartic";
  std::string output_value_ = "density";
  std::string weight_table_;
  std::string extent_text_;
  std::string surface_path_;
  std::string hotspots_path_;
  double top_percent_ = 5.0;
  std::string hotspots_scope_ = "auto";
  double threshold_ = 0;
  double mean_sd_k_ = 0;
  std::string connectivity_ = "queen";
  std::string zones_path_;
  std::string zone_name_field_;
  bool progress_ = false;
  bool no_edge_incidents_ = false;
  bool sparse_ = false;
  double max_memory_mb_ = 0;
  CLI::Option* threshold_option_ = nullptr;
  CLI::Option* mean_sd_option_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_kde_command() {
  return std::make_unique<KdeCommand>();
}

}  // namespace hotspots::cli
