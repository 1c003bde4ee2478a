// SPDX-License-Identifier: MIT
// `hotspots gistar`: Getis-Ord Gi* hot-spot analysis (and local Moran's I) of incidents counted
// on a square fishnet, hexagons or user zones: cells (GeoJSON/GPKG/SHP/CSV), clusters, z-score
// GeoTIFF (square grids only).

#include <fmt/format.h>

#include <optional>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/gistar_layers.hpp"
#include "hotspots/hotspots/gistar_memory.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/hotspots/optimized_gistar.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/units/units.hpp"
#include "options.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

class GiStarCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "gistar",
        "Getis-Ord Gi* hot spots (and local Moran's I) of incidents counted on a square or "
        "hexagonal grid or in user zones");
    inputs_.add_to(*app);
    // No INPUT with --zones --value-field: the zones' own numbers are analysed.
    app->get_option("INPUT")->required(false);
    grid_option_ =
        app->add_option("--grid", grid_,
                        "cell shape: square (default) or hex (pointy-topped hexagons, as R "
                        "sf::st_make_grid(square = FALSE) and ArcGIS TRANSVERSE_HEXAGON)")
            ->group("Grid");
    app->add_option("--cell-size", cell_size_m_,
                    fmt::format("cell size in metres; for hex the distance between adjacent "
                                "centres (= the flat-to-flat width). Default: square: shorter "
                                "side of the study extent / {}, the rule of 'hotspots kde'; hex: "
                                "the hexagon of the same area as that square (x 1.0746)",
                                kDefaultCellsAcrossShorterSide))
        ->check(positive_distance())
        ->group("Grid");
    app->add_option("--zones", zones_path_,
                    "units of analysis: these polygons (e.g. LSOAs, any OGR format) instead of a "
                    "grid; Gi* neighbours by --contiguity unless --distance-band/--knn is given "
                    "(between zone centroids)")
        ->group("Zones");
    app->add_option("--zone-id-field", zone_id_field_,
                    "field giving the zone id written as cell_id (default: a field named *CD, id "
                    "or code, else the feature id)")
        ->group("Zones");
    app->add_option("--zone-layer", zone_layer_, "layer of --zones (default: the first)")
        ->group("Zones");
    app->add_option("--zone-where", zone_where_,
                    "OGR SQL attribute filter on --zones, e.g. \"LSOA11NM LIKE 'Leicester%'\"")
        ->group("Zones");
    app->add_option("--value-field", value_field_,
                    "zones: analyse this numeric field of --zones (a rate, a residual, a change; "
                    "negative allowed) instead of counting incidents; give no INPUT. Analysis "
                    "CRS: --t_srs, else the zones' own CRS if projected in metres")
        ->group("Zones");
    app->add_option("--contiguity", contiguity_,
                    "zones: neighbours for Gi* (self included) and local Moran's I: queen "
                    "(boundaries share a point, default) or rook (share an edge of positive "
                    "length)")
        ->group("Zones");
    app->add_option("--contiguity-snap", contiguity_snap_m_,
                    "zones: gaps up to this many metres between boundaries still touch "
                    "(default 0.001)")
        ->check(number_in(std::nan(""), kMaxDistanceM, "m", 0))
        ->group("Zones");
    app->add_option("--extent", extent_text_,
                    "grid extent xmin,ymin,xmax,ymax in the analysis CRS (snapped outward to whole "
                    "cells; incidents outside are not counted); default: the boundary's extent, "
                    "else the incidents' bounding box")
        ->group("Grid");
    band_option_ =
        app->add_option(
               "--distance-band", distance_band_m_,
               fmt::format("neighbours: cells whose centres are within this many metres, the "
                           "cell itself included (default: {} cell sizes; ArcGIS's 'at least "
                           "one neighbour' default is 1 cell on a fishnet, which makes Gi* "
                           "little more than the cell's own count)",
                           kDefaultBandCells))
            ->check(positive_distance())
            ->group("Gi*");
    knn_option_ = app->add_option("--knn", knn_,
                                  "neighbours: the K nearest cell centres instead (ties included)")
                      ->check(number_in(0))
                      ->group("Gi*");
    app->add_flag("--fdr", fdr_,
                  "bins with the False Discovery Rate correction (ArcGIS; Benjamini-Hochberg); "
                  "gi_z and gi_p are unchanged")
        ->group("Gi*");
    // One flag per option of each local statistic (LocalStatisticList); computed only for
    // --cells, the one output that holds them. 99 permutations (the smallest pseudo p 0.01;
    // PySAL and GeoDa use 999 for publication: 0.26 s on 800 x 800 cells).
    local_.permutations = 99;
    add_local_statistic_flags(*app, local_, "Local statistics (in --cells)");
    app->add_option(
           "--lisa-contiguity", lisa_contiguity_,
           "local Moran's I neighbours on square grids: queen (8 touching cells, default) or "
           "rook (4); hexagons use their 6 edge neighbours, zones --contiguity")
        ->group("Local statistics (in --cells)");
    app->add_option("--cluster-level", cluster_level_,
                    "clusters: cells with gi_bin >= LEVEL, 1/2/3 = 90/95/99 % confidence "
                    "(default 2)")
        ->check(number_in(std::nan(""), 3, "", 1))
        ->group("Clusters");
    app->add_flag("--cold", cold_, "clusters: add cold clusters (gi_bin <= -LEVEL)")
        ->group("Clusters");
    app->add_option("--connectivity", connectivity_,
                    "clusters on square grids: cells that merge into one polygon: queen (edges "
                    "or corners, default) or rook (edges only); hexagons merge across edges, "
                    "zones by --contiguity")
        ->group("Clusters");
    app->add_option("--cells", cells_path_,
                    "output cells with count, gi_z, gi_p, gi_bin, n_neighbors, lisa_i, lisa_p, "
                    "lisa_type (.geojson, .gpkg, .shp; or .csv: one row per cell with row, col "
                    "and the centre x, y in the analysis CRS instead of a polygon)")
        ->group("Output");
    app->add_option(
           "--cells-subset", cells_subset_,
           "cells written: all (default: every study-area cell), nonzero (count > 0) or "
           "significant (gi_bin != 0 or a lisa_type). All 640,000 cells of an 800 x 800 grid: "
           ".geojson 265 MB in ~30 s, .gpkg 180 MB in ~19 s, .csv 51 MB in < 1 s")
        ->group("Output");
    app->add_option("--clusters", clusters_path_,
                    "output cluster polygons (.geojson, .gpkg or .shp)")
        ->group("Output");
    app->add_option("--zscores", zscores_path_, "output GeoTIFF of gi_z (nodata outside)")
        ->group("Output");
    app->add_flag("--optimized", optimized_,
                  "ArcGIS Optimized Hot Spot Analysis: cell size from the incidents' spacing, "
                  "the distance band from the first peak of incremental spatial autocorrelation "
                  "(global Moran's I of the cell counts), FDR on; every decision on stderr. "
                  "Excludes --cell-size, --distance-band, --knn, --grid, --zones, --extent")
        ->group("Optimized");
    app->add_option("--isa-table", isa_table_path_,
                    "with --optimized: write the Moran's I series (Distance, MoransI, ExpectedI, "
                    "Variance, z_score, p_value, no_neighbours, peak) to this .csv")
        ->group("Optimized");
    app->add_option("--max-memory", max_memory_mb_,
                    "refuse, before building anything, a run whose estimated peak memory is above "
                    "this many MB, saying what would fit (default: 80% of the machine's memory)")
        ->check(number_in(1, 1e9, "MB"))
        ->group("Output");
    add_progress_flag(*app, progress_);
    app->footer(
        "Examples:\n"
        "  hotspots gistar data/sample/police_uk --crime-type asb --boundary "
        "data/sample/force_area.geojson \\\n"
        "      --skip-bad-rows --cell-size 200 --distance-band 600 --fdr --cells asb_cells.geojson "
        "--clusters asb_clusters.geojson\n"
        "  hotspots gistar street/ --from 2021-01 --to 2021-12 --cell-size 100 --permutations 0 "
        "\\\n"
        "      --cells-subset significant --cells hot.gpkg --zscores z.tif\n"
        "  hotspots gistar data/sample/police_uk --crime-type asb --boundary "
        "data/sample/force_area.geojson \\\n"
        "      --skip-bad-rows --grid hex --cell-size 250 --cells hex.gpkg --clusters "
        "hex_clusters.gpkg\n"
        "  hotspots gistar data/sample/police_uk --crime-type asb --skip-bad-rows \\\n"
        "      --zones data/sample/small_areas.geojson --zone-id-field area_id --contiguity rook "
        "--cells zones.geojson\n"
        "  hotspots gistar --zones columbus.gpkg --value-field CRIME --contiguity queen "
        "--cells columbus_gi.gpkg\n"
        "  hotspots gistar data/sample/police_uk --crime-type asb --boundary "
        "data/sample/force_area.geojson \\\n"
        "      --skip-bad-rows --optimized --isa-table isa.csv --cells opt_cells.geojson "
        "--clusters opt_clusters.geojson\n\n"
        "Optimized (--optimized; ArcGIS Optimized Hot Spot Analysis): cell = 2 x max(mean, median) "
        "distance\n  from each distinct incident location to the nearest other (outliers beyond "
        "mean + 3 SD left out);\n  with --boundary every cell whose centre is inside is kept "
        "(zeros too), without only cells\n  holding incidents; global Moran's I of the counts "
        "(row-standardised fixed band, randomisation\n  variance) at 10 distances from the one "
        "giving every non-outlier cell a neighbour, stepping by\n  the mean nearest-cell "
        "distance, spread below one standard distance when they would pass it; the\n  band is "
        "the first peak with z > 1.65, else the mean distance to the k-th nearest cell\n  (k = 5 "
        "% of cells, 3..30, at most one standard distance); Gi* with FDR bins.\n\n"
        "Values (--zones FILE --value-field FIELD, no INPUT): Gi* and local Moran's I of the "
        "field's numbers;\n  count in --cells holds the value, incidents in --clusters the sum "
        "of the members' values\n  (pai is null when the values do not sum to a positive "
        "total). A null or non-numeric value\n  is an error naming the zone.\n\n"
        "Study area: with --boundary, the cells whose CENTRE lies inside it (GDAL's rasterisation "
        "rule);\nincidents in other cells are not counted (reported). Without, every cell of the "
        "grid (--extent,\nor the incidents' bounding box snapped to whole cells). Cells outside "
        "are excluded, not zeros.\n"
        "Hexagons (--grid hex): pointy-topped, rows shifted half a cell (R sf::st_make_grid "
        "square=FALSE,\n  ArcGIS TRANSVERSE_HEXAGON); --cell-size = centre spacing = flat-to-flat "
        "width; an incident\n  goes to the nearest centre (ties: the northern, then the western "
        "hexagon); default band " +
        fmt::format("{}", kDefaultBandCells) +
        " spacings.\n"
        "Zones (--zones): an incident counts in the first zone (layer order) covering it; Gi* "
        "neighbours by\n  --contiguity (queen: boundaries share a point; rook: an edge), self "
        "included. cell_id = the zone id.\n"
        "Islands: a unit without Gi* neighbours (a zone without contiguous zones, a cell or "
        "hexagon whose band\n  holds no other study-area unit) gets a null gi_z and is listed.\n"
        "Gi* (Ord & Getis 1995, = ArcGIS Hot Spot Analysis GiZScore, = spdep localG with "
        "include.self):\n"
        "  Gi*_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n W_i - W_i^2)/(n-1))), w binary, self "
        "included,\n"
        "  x = count per cell (sum of --weight-field), S the population SD over the n study-area "
        "cells.\n"
        "  gi_p is two-sided normal; gi_bin +-3/2/1 = hot/cold at 99/95/90 %, 0 otherwise.\n"
        "Local statistics beside Gi* (in --cells):\n" +
        local_statistics_help() +
        "  lisa_type: HH, LL, HL, LH where the pseudo p-value lisa_p <= 0.05, \"\" otherwise.\n"
        "Cells: cell_id \"r{row}c{col}\" (row 0 = north, col 0 = west, as in the GeoTIFF), in "
        "row-major order.\n"
        "Clusters: id, type (hot/cold), rank (per type: hot by incidents, cold by cells), cells, "
        "incidents,\n"
        "  area_km2, mean_z, pai (share of incidents / share of area).\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    if (grid_ != "square" && grid_ != "hex")
      throw InvalidArgument(fmt::format("--grid '{}': expected square or hex", grid_));
    const bool zones = !zones_path_.empty();
    const bool values = !value_field_.empty();
    if (values && !zones)
      throw InvalidArgument("--value-field: give --zones, the layer whose field is analysed");
    if (values && !inputs_.inputs.empty())
      throw InvalidArgument(
          "--value-field analyses the zones' own numbers: give no INPUT (incidents are counted "
          "only without --value-field)");
    if (!values && inputs_.inputs.empty())
      throw InvalidArgument("INPUT is required (or --zones FILE --value-field FIELD)");
    if (zones && grid_option_->count() > 0)
      throw InvalidArgument(
          "--zones and --grid are mutually exclusive: the zones are the units of analysis");
    if (zones && (!extent_text_.empty() || cell_size_m_ > 0))
      throw InvalidArgument("--zones: --cell-size and --extent apply to grids only");
    if (zones || grid_ == "hex") {
      if (!zscores_path_.empty())
        throw InvalidArgument(fmt::format(
            "--zscores: the GeoTIFF of z-scores needs a square grid; with {} write --cells",
            zones ? "--zones" : "--grid hex"));
      if (has_suffix(cells_path_, ".csv") && zones)
        throw InvalidArgument("--cells .csv: not available with --zones; use .geojson or .gpkg");
    }
    const Contiguity contiguity = parse_contiguity("--contiguity", contiguity_);
    if (optimized_) check_optimized(zones);
    if (!isa_table_path_.empty() && !optimized_)
      throw InvalidArgument("--isa-table: the Moran's I series is written with --optimized");
    if (cells_path_.empty() && clusters_path_.empty() && zscores_path_.empty())
      throw InvalidArgument("give --cells, --clusters, --zscores or several");
    if (band_option_->count() > 0 && knn_option_->count() > 0)
      throw InvalidArgument("give one of --distance-band and --knn");
    const CellSubset subset = parse_subset(cells_subset_);
    const Contiguity lisa_contiguity = parse_contiguity("--lisa-contiguity", lisa_contiguity_);
    GiStarUnitsOptions options;
    options.distance_band_m = band_option_->count() ? distance_band_m_ : 0;
    options.knn = knn_option_->count() ? knn_ : 0;
    options.fdr = fdr_;
    // Local statistics are written only in --cells: without them their permutations are work
    // nobody asked for (issue #15).
    local_.validate_local();  // before reading, and even when --cells does not ask for them
    static_cast<LocalStatisticOptions&>(options) = local_;
    if (cells_path_.empty()) disable_local_statistics(options);
    options.validate();  // before reading: a usage error must not wait for the data
    options.contiguity = zones ? contiguity : lisa_contiguity;
    options.contiguity_snap_m = contiguity_snap_m_;
    const GiStarClusterOptions cluster{
        .level = cluster_level_, .cold = cold_, .connectivity = parse_connectivity(connectivity_)};
    check_vector_path("--cells", cells_path_, /*csv=*/true);
    check_vector_path("--clusters", clusters_path_, /*csv=*/false);
    check_outputs(inputs_, {zones_path_},
                  {cells_path_, clusters_path_, zscores_path_, isa_table_path_});
    check_raster_path("--zscores", zscores_path_);
    if (!extent_text_.empty()) extent_ = parse_extent(extent_text_);
    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    const Progress progress = printer.callback();
    if (values) return run_values(ctx, options, cluster, subset, progress);

    Study study = progress_phase(progress, "reading",
                                 [&] { return prepare_study(inputs_.inputs, inputs_.resolve()); });
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (inputs_.verbose && cells_path_.empty())
      ctx.err << "local statistics not computed: only --cells holds their fields\n";
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    const Incidents& incidents = study.data.incidents;
    require_incidents(study);
    if (extent_) check_extent_holds_incidents(*extent_, study);

    std::optional<OptimizedGiStarPlan> plan;
    if (optimized_) {
      plan = progress_phase(progress, "optimized scale", [&] {
        return plan_optimized_gistar(incidents.x, incidents.y, incidents.weight, study.study_area);
      });
      if (!inputs_.quiet)
        for (const std::string& line : describe(*plan)) ctx.err << line << "\n";
      const GiStarUnitsOptions chosen = plan->gistar_options(options);
      options.distance_band_m = chosen.distance_band_m;
      options.fdr = chosen.fdr;
      if (!isa_table_path_.empty()) write_isa_table(isa_table_path_, plan->isa, inputs_.overwrite);
    }
    if (!zones && !plan) check_memory(ctx, grid_memory_input(study, options));
    const Units units = plan ? plan->units : progress_phase(progress, "units", [&] {
      return zones ? read_zone_units(ctx, study) : make_grid_units(ctx, study);
    });
    if (zones || plan) {
      GiStarMemoryInput in = zone_memory_input(units, incidents.size(), options);
      in.rows_read = study.data.accounting.read;
      check_memory(ctx, in);
    }
    const GiStarAnalysis analysis =
        analyse_gistar(units, incidents.x, incidents.y, incidents.weight, options, progress);
    report_analysis(ctx, units, analysis);

    if (!zscores_path_.empty()) {
      ZscoreProvenance provenance;
      provenance.version = HOTSPOTS_VERSION;
      provenance.command_line = ctx.command_line;
      provenance.cell_size_default = cell_size_m_ <= 0;
      provenance.overwrite = inputs_.overwrite;
      if (plan) {
        provenance.cell_size_source = "optimized_nearest_neighbour_rule";
        provenance.extra = optimized_metadata(*plan);
      }
      progress_phase(progress, "writing z-scores", [&] {
        write_gistar_zscores(zscores_path_, study.analysis_crs, units, analysis, provenance);
      });
    }
    VectorWriteOptions vector;
    vector.overwrite = inputs_.overwrite;
    if (!cells_path_.empty()) {
      vector.layer_name = zones ? "zones" : "cells";
      progress_phase(progress, "writing cells", [&] {
        write_gistar_cells(cells_path_, study.analysis_crs, units, analysis, subset, vector);
      });
    }
    if (!clusters_path_.empty()) {
      const GiStarClusters clusters = progress_phase(progress, "clusters", [&] {
        return gistar_clusters(units, analysis, incidents.x, incidents.y, incidents.weight,
                               cluster);
      });
      vector.layer_name = "clusters";
      progress_phase(progress, "writing clusters", [&] {
        write_gistar_clusters(clusters_path_, study.analysis_crs, clusters, vector);
      });
      if (inputs_.verbose)
        ctx.err << fmt::format("{} hot and {} cold clusters (gi_bin >= {}{})\n",
                               clusters.hot.size(), clusters.cold.size(), cluster_level_,
                               fdr_ ? ", FDR" : "");
    }
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    return 0;
  }

 private:
  static Contiguity parse_contiguity(std::string_view flag, const std::string& name) {
    if (name == "queen") return Contiguity::queen;
    if (name == "rook") return Contiguity::rook;
    throw InvalidArgument(fmt::format("{} '{}': expected queen or rook", flag, name));
  }

  // --optimized decides the grid and the neighbours itself.
  void check_optimized(bool zones) const {
    const char* clash = zones                       ? "--zones"
                        : grid_option_->count() > 0 ? "--grid"
                        : cell_size_m_ > 0          ? "--cell-size"
                        : band_option_->count() > 0 ? "--distance-band"
                        : knn_option_->count() > 0  ? "--knn"
                        : !extent_text_.empty()     ? "--extent"
                                                    : nullptr;
    if (clash)
      throw InvalidArgument(fmt::format(
          "--optimized decides the square grid and the distance band from the incidents; drop "
          "{} (or drop --optimized to set it yourself)",
          clash));
    if (!isa_table_path_.empty() && !has_suffix(isa_table_path_, ".csv"))
      throw InvalidArgument(fmt::format("--isa-table '{}': expected a .csv file", isa_table_path_));
  }

  static CellSubset parse_subset(const std::string& name) {
    if (name == "all") return CellSubset::all;
    if (name == "nonzero") return CellSubset::nonzero;
    if (name == "significant") return CellSubset::significant;
    throw InvalidArgument(
        fmt::format("--cells-subset '{}': expected all, nonzero or significant", name));
  }

  GridUnitsOptions grid_options() const {
    GridUnitsOptions grid;
    grid.shape = grid_ == "hex" ? UnitShape::hexagon : UnitShape::square;
    grid.cell_size_m = cell_size_m_;
    grid.max_memory_mb = budget_mb();
    if (extent_) grid.extent = *extent_;
    return grid;
  }

  double budget_mb() const {
    return max_memory_mb_ > 0 ? max_memory_mb_ : default_memory_budget_mb();
  }

  // What the run will hold, from the grid it would lay out (nothing per cell allocated yet).
  GiStarMemoryInput grid_memory_input(const Study& study, const GiStarUnitsOptions& options) const {
    const Incidents& incidents = study.data.incidents;
    const GridUnitsLayout layout =
        grid_units_layout(grid_options(), study.study_area, incidents.x, incidents.y);
    GiStarMemoryInput in = common_memory_input(options);
    in.shape = layout.shape;
    in.window_cells = layout.window_cells;
    in.units = layout.expected_units;
    in.masked = !study.study_area.empty();
    in.incidents = incidents.size();
    in.rows_read = study.data.accounting.read;
    in.cell_size_m = layout.cell_size_m;
    if (in.knn <= 0 && !(in.distance_band_m > 0)) {
      in.distance_band_m = default_band_m(in.cell_size_m);
      in.band_follows_cell = true;
    }
    return in;
  }

  GiStarMemoryInput zone_memory_input(const Units& units, std::size_t incidents,
                                      const GiStarUnitsOptions& options) const {
    GiStarMemoryInput in = common_memory_input(options);
    in.shape = UnitShape::zone;
    in.units = static_cast<double>(units.size());
    in.incidents = incidents;
    if (in.distance_band_m > 0)
      for (std::size_t i = 0; i < units.size(); ++i) in.zones_area_m2 += units.area_m2(i);
    return in;
  }

  GiStarMemoryInput common_memory_input(const GiStarUnitsOptions& options) const {
    GiStarMemoryInput in;
    in.distance_band_m = options.distance_band_m;
    in.knn = options.knn;
    in.contiguity = options.contiguity;
    in.permutations = options.permutations;
    in.clusters = !clusters_path_.empty();
    in.zscores = !zscores_path_.empty();
    return in;
  }

  // Refuses a run whose estimated peak is above --max-memory, with the estimate, what makes it
  // and each change that would fit; -v prints the estimate.
  void check_memory(const Context& ctx, const GiStarMemoryInput& in) const {
    const MemoryEstimate e = estimate_gistar_memory(in);
    const double budget = budget_mb();
    if (inputs_.verbose)
      ctx.err << fmt::format("estimated peak memory {:.0f} MB (at {}: {})\n", e.bytes / 1e6,
                             e.peak_phase, e.breakdown());
    if (e.bytes / 1e6 <= budget) return;
    const GiStarMemoryFit fit = gistar_memory_fit(in, budget * 1e6);
    std::vector<std::string> ways;
    if (fit.cell_size_m > 0 && std::isfinite(fit.cell_size_m))
      ways.push_back(fmt::format("--cell-size {:.0f} or larger", fit.cell_size_m));
    if (fit.without_local_moran) ways.push_back("--permutations 0 (no local Moran's I)");
    if (fit.distance_band_m > 0)
      ways.push_back(fmt::format("--distance-band {:.0f} or shorter", fit.distance_band_m));
    if (fit.knn > 0) ways.push_back(fmt::format("--knn {} or fewer", fit.knn));
    if (in.shape != UnitShape::zone && !in.masked && !extent_)
      ways.push_back("a boundary or --extent to limit the area");
    ways.push_back("raise --max-memory");
    std::string options;
    for (std::size_t k = 0; k < ways.size(); ++k)
      options += (k == 0 ? "" : k + 1 == ways.size() ? " or " : ", ") + ways[k];
    const std::string what = in.shape == UnitShape::zone
                                 ? fmt::format("{:.0f} zones", in.units)
                                 : fmt::format("{:.0f} {} of {:g} m ({} in the window)", in.units,
                                               in.shape == UnitShape::square ? "cells" : "hexagons",
                                               in.cell_size_m, in.window_cells);
    throw InvalidArgument(fmt::format(
        "this run would need about {:.0f} MB ({}; peak at {}: {}), more than --max-memory {:.0f} "
        "MB; use {}",
        e.bytes / 1e6, what, e.peak_phase, e.breakdown(), budget, options));
  }

  Units make_grid_units(const Context& ctx, const Study& study) const {
    const GridUnitsOptions grid = grid_options();
    const Incidents& incidents = study.data.incidents;
    Units units = grid_units(grid, study.study_area, incidents.x, incidents.y);
    const bool cell_default = cell_size_m_ <= 0;
    if (grid.shape == UnitShape::hexagon && (inputs_.verbose || (!inputs_.quiet && cell_default)))
      ctx.err << fmt::format("hexagon cell size {:.1f} m{}, {} hexagons in the study area\n",
                             units.cell_size_m(),
                             cell_default ? fmt::format(" (the area of a square of extent / {})",
                                                        kDefaultCellsAcrossShorterSide)
                                          : "",
                             units.size());
    return units;
  }

  // --zones --value-field: the zones' numbers, in --t_srs or the zones' own projected CRS.
  int run_values(Context& ctx, const GiStarUnitsOptions& options,
                 const GiStarClusterOptions& cluster, CellSubset subset,
                 const Progress& progress) const {
    Crs crs;
    if (!inputs_.study.dst_crs.empty()) {
      crs = crs_from_user_text(inputs_.study.dst_crs);
      require_projected(crs, "--t_srs");
    }
    ZoneLayer layer;
    const Units units =
        progress_phase(progress, "units", [&] { return read_zone_units(ctx, crs, &layer); });
    check_memory(ctx, zone_memory_input(units, 0, options));
    std::vector<double> values;
    values.reserve(layer.zones.size());
    for (const Zone& z : layer.zones) values.push_back(z.value);
    const Crs& analysis_crs = crs.empty() ? layer.source_crs : crs;
    if (inputs_.verbose)
      ctx.err << fmt::format("values of field '{}', analysis CRS {}\n", value_field_,
                             analysis_crs.label());
    const GiStarAnalysis analysis = analyse_gistar_values(units, values, options, progress);
    report_analysis(ctx, units, analysis);
    VectorWriteOptions vector;
    vector.overwrite = inputs_.overwrite;
    if (!cells_path_.empty()) {
      vector.layer_name = "zones";
      progress_phase(progress, "writing cells", [&] {
        write_gistar_cells(cells_path_, analysis_crs, units, analysis, subset, vector);
      });
    }
    if (!clusters_path_.empty()) {
      const GiStarClusters clusters = progress_phase(progress, "clusters", [&] {
        return gistar_clusters(units, analysis, {}, {}, {}, cluster);
      });
      vector.layer_name = "clusters";
      progress_phase(progress, "writing clusters", [&] {
        write_gistar_clusters(clusters_path_, analysis_crs, clusters, vector);
      });
      if (inputs_.verbose)
        ctx.err << fmt::format("{} hot and {} cold clusters (gi_bin >= {}{})\n",
                               clusters.hot.size(), clusters.cold.size(), cluster_level_,
                               fdr_ ? ", FDR" : "");
    }
    return 0;
  }

  Units read_zone_units(const Context& ctx, const Study& study) const {
    return read_zone_units(ctx, study.analysis_crs, nullptr);
  }

  // analysis empty: the zones' own CRS (read_zones). `layer_out` receives the layer read.
  Units read_zone_units(const Context& ctx, const Crs& analysis, ZoneLayer* layer_out) const {
    ZoneReadOptions read;
    read.value_field = value_field_;
    read.layer = zone_layer_;
    read.where = zone_where_;
    read.id_field = zone_id_field_;
    read.assume_crs = inputs_.study.boundary.assume_crs;
    ZoneLayer layer = read_zones(zones_path_, read, analysis);
    Units units = zone_units(layer);
    if (!inputs_.quiet) {
      for (const std::string& w : layer.warnings) ctx.err << "warning: " << w << "\n";
      for (const ZoneRepair& r : layer.repairs)
        ctx.err << fmt::format("{}: zone {} repaired: {}\n", zones_path_, r.zone_id, r.reason);
    }
    if (inputs_.verbose)
      ctx.err << fmt::format("{} zones from {} (id field '{}'), {} contiguity\n", units.size(),
                             zones_path_, layer.id_field, contiguity_);
    if (layer_out) *layer_out = std::move(layer);
    return units;
  }

  void report_analysis(const Context& ctx, const Units& units, const GiStarAnalysis& a) const {
    const UnitShape shape = units.shape();
    const bool cell_default = cell_size_m_ <= 0 && !optimized_;
    if (shape == UnitShape::square && !optimized_ &&
        (inputs_.verbose || (!inputs_.quiet && (cell_default || a.band_default)))) {
      const std::string neighbours =
          a.knn > 0
              ? fmt::format("{} nearest cells", a.knn)
              : fmt::format("distance band {:.1f} m{}", a.distance_band_m,
                            a.band_default ? fmt::format(" ({} cells)", kDefaultBandCells) : "");
      ctx.err << fmt::format(
          "cell size {:.1f} m{}, {}, grid {} x {} cells\n", units.cell_size_m(),
          cell_default ? fmt::format(" (extent / {})", kDefaultCellsAcrossShorterSide) : "",
          neighbours, units.square_grid().cols, units.square_grid().rows);
    }
    if (shape == UnitShape::hexagon && a.band_default && !inputs_.quiet)
      ctx.err << fmt::format("distance band {:.1f} m ({} hexagon spacings)\n", a.distance_band_m,
                             kDefaultBandCells);
    const UnitCounts& c = a.counts;
    if (!inputs_.quiet && c.uncounted_weight > 0)
      ctx.err << fmt::format(
          "{:.6g} of {:.6g} incidents lie outside {} and are not counted\n", c.uncounted_weight,
          c.uncounted_weight + c.counted_weight,
          shape == UnitShape::square
              ? "the grid or in cells whose centre is outside the study area"
              : (shape == UnitShape::zone ? "every zone" : "every study-area hexagon"));
    const std::vector<std::int32_t>& islands = a.stats.islands;
    if (!inputs_.quiet && !islands.empty()) {
      std::string list;
      for (std::size_t k = 0; k < islands.size() && k < 10; ++k)
        list += (k ? ", " : "") + units.id(static_cast<std::size_t>(islands[k]));
      ctx.err << fmt::format("{} {} without Gi* neighbours (islands; gi_z is null): {}{}\n",
                             islands.size(),
                             shape == UnitShape::zone      ? "zone(s)"
                             : shape == UnitShape::hexagon ? "hexagon(s)"
                                                           : "cell(s)",
                             list, islands.size() > 10 ? ", ..." : "");
    }
  }

  InputOptions inputs_;
  std::string grid_ = "square";
  std::string zones_path_;
  std::string zone_id_field_;
  std::string zone_layer_;
  std::string zone_where_;
  std::string value_field_;
  std::string contiguity_ = "queen";
  double contiguity_snap_m_ = 0.001;
  CLI::Option* grid_option_ = nullptr;
  std::string extent_text_;
  std::optional<Extent> extent_;  ///< --extent, parsed before any work
  double cell_size_m_ = 0;
  double distance_band_m_ = 0;
  int knn_ = 0;
  double max_memory_mb_ = 0;
  bool progress_ = false;
  bool fdr_ = false;
  bool optimized_ = false;
  std::string isa_table_path_;
  LocalStatisticOptions local_;
  std::string lisa_contiguity_ = "queen";
  int cluster_level_ = 2;
  bool cold_ = false;
  std::string connectivity_ = "queen";
  std::string cells_path_;
  std::string cells_subset_ = "all";
  std::string clusters_path_;
  std::string zscores_path_;
  CLI::Option* band_option_ = nullptr;
  CLI::Option* knn_option_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_gistar_command() {
  return std::make_unique<GiStarCommand>();
}

}  // namespace hotspots::cli
