// SPDX-License-Identifier: MIT
// `hotspots gistar`: Getis-Ord Gi* hot-spot analysis (and local Moran's I) of incidents counted
// on a square fishnet, hexagons or user zones: cells (GeoJSON/GPKG/SHP/CSV), clusters, z-score
// GeoTIFF (square grids only).

#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/gistar_cells.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/raster_io.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/units/hex_grid.hpp"
#include "hotspots/units/polygon_contiguity.hpp"
#include "output.hpp"

namespace hotspots::cli {
namespace {

/// Default distance band in cells (see the --distance-band help).
constexpr double kDefaultBandCells = 5.0;

bool ends_with(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  std::string tail = s.substr(s.size() - suffix.size());
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == suffix;
}

class GiStarCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "gistar",
        "Getis-Ord Gi* hot spots (and local Moran's I) of incidents counted on a square or "
        "hexagonal grid or in user zones");
    inputs_.add_to(*app);
    grid_option_ =
        app->add_option("--grid", grid_,
                        "cell shape: square (default) or hex (pointy-topped hexagons, as R "
                        "sf::st_make_grid(square = FALSE) and ArcGIS TRANSVERSE_HEXAGON)")
            ->group("Grid");
    app->add_option("--cell-size", cell_size_m_,
                    "cell size in metres; for hex the distance between adjacent centres (= the "
                    "flat-to-flat width). Default: square: shorter side of the study extent / "
                    "250, the rule of 'hotspots kde'; hex: the hexagon of the same area as that "
                    "square (x 1.0746)")
        ->check(CLI::PositiveNumber)
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
    app->add_option("--contiguity", contiguity_,
                    "zones: neighbours for Gi* (self included) and local Moran's I: queen "
                    "(boundaries share a point, default) or rook (share an edge of positive "
                    "length)")
        ->group("Zones");
    app->add_option("--contiguity-snap", contiguity_snap_m_,
                    "zones: gaps up to this many metres between boundaries still touch "
                    "(default 0.001)")
        ->check(CLI::NonNegativeNumber)
        ->group("Zones");
    app->add_option("--extent", extent_text_,
                    "grid extent xmin,ymin,xmax,ymax in the analysis CRS (snapped outward to whole "
                    "cells; incidents outside are not counted); default: the boundary's extent, "
                    "else the incidents' bounding box")
        ->group("Grid");
    band_option_ =
        app->add_option(
               "--distance-band", distance_band_m_,
               "neighbours: cells whose centres are within this many metres, the cell itself "
               "included (default: 5 cell sizes, 81 cells; ArcGIS's 'at least one neighbour' "
               "default is 1 cell on a fishnet, which makes Gi* little more than the cell's own "
               "count)")
            ->check(CLI::PositiveNumber)
            ->group("Gi*");
    knn_option_ = app->add_option("--knn", knn_,
                                  "neighbours: the K nearest cell centres instead (ties included)")
                      ->check(CLI::PositiveNumber)
                      ->group("Gi*");
    app->add_flag("--fdr", fdr_,
                  "bins with the False Discovery Rate correction (ArcGIS; Benjamini-Hochberg); "
                  "gi_z and gi_p are unchanged")
        ->group("Gi*");
    app->add_option(
           "--permutations", permutations_,
           "local Moran's I permutations (default 99, the smallest p-value is then 0.01; PySAL "
           "and GeoDa use 999 for publication). They dominate the run time: 800 x 800 cells "
           "take ~12 s with 99 and 2.5-5 min with 999 on 2 cores, against ~0.5 s for Gi* "
           "alone; 0 skips local Moran's I")
        ->check(CLI::NonNegativeNumber)
        ->group("Local Moran's I");
    app->add_option("--seed", seed_, "seed of the permutations (default 12345)")
        ->group("Local Moran's I");
    app->add_option(
           "--lisa-contiguity", lisa_contiguity_,
           "local Moran's I neighbours on square grids: queen (8 touching cells, default) or "
           "rook (4); hexagons use their 6 edge neighbours, zones --contiguity")
        ->group("Local Moran's I");
    app->add_option("--cluster-level", cluster_level_,
                    "clusters: cells with gi_bin >= LEVEL, 1/2/3 = 90/95/99 % confidence "
                    "(default 2)")
        ->check(CLI::Range(1, 3))
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
        "--cells zones.geojson\n\n"
        "Study area: with --boundary, the cells whose CENTRE lies inside it (GDAL's rasterisation "
        "rule);\nincidents in other cells are not counted (reported). Without, every cell of the "
        "grid (--extent,\nor the incidents' bounding box snapped to whole cells). Cells outside "
        "are excluded, not zeros.\n"
        "Hexagons (--grid hex): pointy-topped, rows shifted half a cell (R sf::st_make_grid "
        "square=FALSE,\n  ArcGIS TRANSVERSE_HEXAGON); --cell-size = centre spacing = flat-to-flat "
        "width; an incident\n  goes to the nearest centre (ties: the northern, then the western "
        "hexagon); default band 5 spacings.\n"
        "Zones (--zones): an incident counts in the first zone (layer order) covering it; Gi* "
        "neighbours by\n  --contiguity (queen: boundaries share a point; rook: an edge), self "
        "included; zones without\n  neighbours get a null gi_z and are listed. cell_id = the "
        "zone id.\n"
        "Gi* (Ord & Getis 1995, = ArcGIS Hot Spot Analysis GiZScore, = spdep localG with "
        "include.self):\n"
        "  Gi*_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n W_i - W_i^2)/(n-1))), w binary, self "
        "included,\n"
        "  x = count per cell (sum of --weight-field), S the population SD over the n study-area "
        "cells.\n"
        "  gi_p is two-sided normal; gi_bin +-3/2/1 = hot/cold at 99/95/90 %, 0 otherwise.\n"
        "Local Moran's I (Anselin 1995): row-standardised contiguity, conditional permutations; "
        "lisa_type\n"
        "  HH, LL, HL, LH where the pseudo p-value lisa_p <= 0.05, \"\" otherwise.\n"
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
    if (zones && grid_option_->count() > 0)
      throw InvalidArgument(
          "--zones and --grid are mutually exclusive: the zones are the units of analysis");
    if (zones && (!extent_text_.empty() || cell_size_m_ > 0))
      throw InvalidArgument("--zones: --cell-size and --extent apply to grids only");
    if (!zones_path_.empty() || grid_ == "hex") {
      if (!zscores_path_.empty())
        throw InvalidArgument(fmt::format(
            "--zscores: the GeoTIFF of z-scores needs a square grid; with {} write --cells",
            zones ? "--zones" : "--grid hex"));
      if (ends_with(cells_path_, ".csv") && zones)
        throw InvalidArgument("--cells .csv: not available with --zones; use .geojson or .gpkg");
    }
    if (contiguity_ != "queen" && contiguity_ != "rook")
      throw InvalidArgument(fmt::format("--contiguity '{}': expected queen or rook", contiguity_));
    if (cells_path_.empty() && clusters_path_.empty() && zscores_path_.empty())
      throw InvalidArgument("give --cells, --clusters, --zscores or several");
    if (band_option_->count() > 0 && knn_option_->count() > 0)
      throw InvalidArgument("give one of --distance-band and --knn");
    if (cells_subset_ != "all" && cells_subset_ != "nonzero" && cells_subset_ != "significant")
      throw InvalidArgument(
          fmt::format("--cells-subset '{}': expected all, nonzero or significant", cells_subset_));
    GiStarCellsOptions options;
    options.fdr = fdr_;
    options.permutations = permutations_;
    options.seed = seed_;
    options.lisa_contiguity = parse_lisa_contiguity(lisa_contiguity_);
    const Connectivity connectivity = parse_connectivity(connectivity_);
    for (const std::string* p : {&cells_path_, &clusters_path_})
      if (!p->empty() && !ends_with(*p, ".geojson") && !ends_with(*p, ".json") &&
          !ends_with(*p, ".gpkg") && !ends_with(*p, ".shp") &&
          !(p == &cells_path_ && ends_with(*p, ".csv")))
        throw InvalidArgument(fmt::format("{} {}: unknown format; use .geojson, .gpkg or .shp{}",
                                          p == &cells_path_ ? "--cells" : "--clusters", *p,
                                          p == &cells_path_ ? " or .csv" : ""));
    check_outputs(inputs_, {zones_path_}, {cells_path_, clusters_path_, zscores_path_});

    Study study = prepare_study(inputs_.inputs, inputs_.resolve());
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    const Incidents& incidents = study.data.incidents;
    if (incidents.size() == 0) throw Error("no incident left to analyse");
    if (zones || grid_ == "hex") return run_units(ctx, study, options, zones);

    // Grid: over the boundary (cells with their centre inside) or the incidents' bounding box.
    const bool masked = !study.study_area.empty();
    Extent extent;
    if (masked) {
      extent = extent_of(study.study_area);
    } else {
      for (std::size_t i = 0; i < incidents.size(); ++i)
        extent.include(incidents.x[i], incidents.y[i]);
    }
    if (!extent_text_.empty()) extent = parse_extent(extent_text_);
    const bool cell_default = cell_size_m_ <= 0;
    const double cell = cell_default ? default_cell_size(extent) : cell_size_m_;
    const GridSpec grid = masked || !extent_text_.empty()
                              ? snapped_grid(extent, cell)
                              : grid_over_points(incidents.x, incidents.y, cell);
    const bool band_default = band_option_->count() == 0 && knn_option_->count() == 0;
    if (knn_option_->count() > 0) {
      options.knn = knn_;
    } else {
      options.distance_band_m = band_default ? kDefaultBandCells * cell : distance_band_m_;
      if (options.distance_band_m < cell)
        throw InvalidArgument(fmt::format(
            "--distance-band {} m is shorter than the cell size {} m: no cell would have a "
            "neighbour; give at least the cell size",
            options.distance_band_m, cell));
    }
    if (inputs_.verbose || (!inputs_.quiet && (cell_default || band_default)))
      ctx.err << fmt::format("cell size {:.1f} m{}, {}, grid {} x {} cells\n", cell,
                             cell_default ? " (extent / 250)" : "",
                             neighbours_text(options, band_default), grid.cols, grid.rows);

    CellMask mask;
    if (masked) mask = cell_mask(grid, study.study_area);
    const GiStarCells cells = compute_gistar_cells(grid, masked ? &mask : nullptr, incidents.x,
                                                   incidents.y, incidents.weight, options);
    if (!inputs_.quiet && cells.uncounted_weight > 0)
      ctx.err << fmt::format(
          "{:.6g} of {:.6g} incidents lie outside the grid or in cells whose centre is outside "
          "the study area and are not counted\n",
          cells.uncounted_weight, cells.uncounted_weight + cells.counted_weight);

    if (!zscores_path_.empty()) write_zscores(ctx, study, cells, options, cell, cell_default);
    if (!cells_path_.empty()) write_cells(study, cells);
    if (!clusters_path_.empty()) {
      const GiStarClusters clusters = gistar_clusters(cells, cluster_level_, cold_, connectivity,
                                                      incidents.x, incidents.y, incidents.weight);
      write_clusters(study, clusters);
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
  static Contiguity parse_lisa_contiguity(const std::string& name) {
    if (name == "queen") return Contiguity::queen;
    if (name == "rook") return Contiguity::rook;
    throw InvalidArgument(fmt::format("--lisa-contiguity '{}': expected queen or rook", name));
  }

  static std::string neighbours_text(const GiStarCellsOptions& o, bool band_default) {
    if (o.knn > 0) return fmt::format("{} nearest cells", o.knn);
    return fmt::format("distance band {:.1f} m{}", o.distance_band_m,
                       band_default ? " (5 cells)" : "");
  }

  bool keep_cell(const GiStarCells& c, std::size_t i) const {
    if (std::isnan(c.counts.values[i])) return false;
    if (cells_subset_ == "nonzero") return c.counts.values[i] > 0;
    if (cells_subset_ == "significant")
      return c.gi.bin[i] != 0 || (!c.lisa_cluster.empty() && c.lisa_cluster[i] != 0);
    return true;
  }

  static std::string cell_id(std::int64_t row, std::int64_t col) {
    return fmt::format("r{}c{}", row, col);
  }

  void write_cells(const Study& study, const GiStarCells& c) const {
    const bool lisa = !c.lisa_i.empty();
    if (ends_with(cells_path_, ".csv")) {
      write_cells_csv(c, lisa);
      return;
    }
    write_square_cells(
        cells_path_, study.analysis_crs, c, [&](std::size_t i) { return keep_cell(c, i); },
        inputs_.overwrite, "cells");
  }

  void write_cells_csv(const GiStarCells& c, bool lisa) const {
    const GridSpec& g = c.counts.grid;
    const auto num = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); };
    AtomicFile file(cells_path_, inputs_.overwrite);
    {
      std::ofstream out(file.temp_path(), std::ios::binary);
      if (!out) throw IoError(fmt::format("{}: cannot write", cells_path_));
      out << "cell_id,row,col,x,y,count,gi_z,gi_p,gi_bin,n_neighbors,lisa_i,lisa_p,lisa_type\n";
      std::string line;
      for (std::int64_t row = 0; row < g.rows; ++row)
        for (std::int64_t col = 0; col < g.cols; ++col) {
          const auto i = static_cast<std::size_t>(g.index(row, col));
          if (!keep_cell(c, i)) continue;
          line = fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", cell_id(row, col), row,
                             col, g.centre_x(col), g.centre_y(row), num(c.counts.values[i]),
                             num(c.gi.z[i]), num(c.gi.p[i]), c.gi.bin[i], c.gi.n_neighbors[i],
                             lisa ? num(c.lisa_i[i]) : "", lisa ? num(c.lisa_p[i]) : "",
                             lisa ? lisa_type_name(c.lisa_cluster[i]) : "");
          out << line;
        }
      if (!out.flush()) throw IoError(fmt::format("{}: write failed", cells_path_));
    }
    file.commit();
  }

  void write_clusters(const Study& study, const GiStarClusters& clusters) const {
    write_cluster_rows(clusters_path_, study.analysis_crs, cluster_rows(clusters),
                       inputs_.overwrite, "clusters");
  }

  void write_zscores(const Context& ctx, const Study& study, const GiStarCells& c,
                     const GiStarCellsOptions& o, double cell, bool cell_default) const {
    Raster z(c.counts.grid);
    z.values = c.gi.z;
    GeoTiffOptions tiff;
    tiff.overwrite = inputs_.overwrite;
    tiff.band_description = "gi_z";
    tiff.units = "z-score";
    tiff.metadata = {{"HOTSPOTS_VERSION", HOTSPOTS_VERSION},
                     {"HOTSPOTS_COMMAND", ctx.command_line},
                     {"STATISTIC", "Getis-Ord Gi* z-score (Ord & Getis 1995)"},
                     {"CELL_SIZE_M", fmt::format("{}", cell)},
                     {"CELL_SIZE_SOURCE", cell_default ? "extent_shorter_side_div_250" : "given"},
                     {"NEIGHBOURS", o.knn > 0 ? fmt::format("knn {}", o.knn)
                                              : fmt::format("distance band {} m, self included",
                                                            o.distance_band_m)},
                     {"CELL_VALUE", "incidents per cell"},
                     {"STUDY_CELLS", fmt::format("{}", c.study_cells)},
                     {"INCIDENTS", fmt::format("{}", c.counted_weight)},
                     {"CRS", study.analysis_crs.label()}};
    write_geotiff(zscores_path_, z, study.analysis_crs, tiff);
  }

  // Units of analysis that are not square cells: hexagons (--grid hex) or user zones (--zones).
  // Each unit has a polygon, a centre, an area and an id; from there the pipeline is shared.
  struct Units {
    std::vector<std::string> ids;
    std::vector<MultiPolygon> polygons;
    std::vector<double> cx, cy, area_m2;
    std::vector<std::int64_t> rows, cols;  // hex only (CSV output)
    HexGridSpec grid;                      // hex only: the window and its study-area cells
    std::vector<std::int64_t> cells;
    std::vector<double> counts;
    Neighbours contiguity;
    double counted = 0;
    double uncounted = 0;
  };

  Units hex_units(const Context& ctx, const Study& study, double& band_cell) const {
    const Incidents& incidents = study.data.incidents;
    const bool masked = !study.study_area.empty();
    Extent extent;
    if (masked) {
      extent = extent_of(study.study_area);
    } else {
      for (std::size_t i = 0; i < incidents.size(); ++i)
        extent.include(incidents.x[i], incidents.y[i]);
    }
    const bool given_extent = !extent_text_.empty();
    if (given_extent) extent = parse_extent(extent_text_);
    const bool cell_default = cell_size_m_ <= 0;
    const double cell =
        cell_default ? hex_cell_size_for_square_area(default_cell_size(extent)) : cell_size_m_;
    band_cell = cell;
    const HexGridSpec grid = masked || given_extent
                                 ? hex_grid_over_extent(extent, cell)
                                 : hex_grid_over_points(incidents.x, incidents.y, cell);
    // Study area: hexagons whose centre lies in the boundary (closed polygon) or in --extent;
    // without either, every hexagon of the window over the incidents.
    std::vector<double> gx, gy;
    gx.reserve(static_cast<std::size_t>(grid.cell_count()));
    gy.reserve(static_cast<std::size_t>(grid.cell_count()));
    for (std::int64_t r = 0; r < grid.rows; ++r)
      for (std::int64_t c = 0; c < grid.cols; ++c)
        gx.push_back(grid.centre_x(r, c)), gy.push_back(grid.centre_y(r));
    std::vector<std::uint8_t> inside(gx.size(), 1);
    if (masked) {
      const ZoneIndex index({&study.study_area});
      const std::vector<std::int32_t> hit = index.locate(gx, gy);
      for (std::size_t i = 0; i < gx.size(); ++i) inside[i] = hit[i] >= 0;
    } else if (given_extent) {
      for (std::size_t i = 0; i < gx.size(); ++i) inside[i] = extent.contains(gx[i], gy[i]);
    }
    Units u;
    u.grid = grid;
    std::vector<std::int64_t>& cells = u.cells;
    std::vector<std::int32_t> location(gx.size(), -1);
    for (std::size_t i = 0; i < gx.size(); ++i) {
      if (!inside[i]) continue;
      const auto k = static_cast<std::int64_t>(i);
      location[i] = static_cast<std::int32_t>(cells.size());
      cells.push_back(k);
      const std::int64_t r = k / grid.cols;
      const std::int64_t c = k % grid.cols;
      u.ids.push_back(cell_id(r, c));
      u.rows.push_back(r);
      u.cols.push_back(c);
      u.cx.push_back(gx[i]);
      u.cy.push_back(gy[i]);
      u.area_m2.push_back(grid.cell_area_m2());
      u.polygons.push_back({Polygon{grid.polygon(r, c), {}}});
    }
    if (cells.size() < 2)
      throw Error(
          fmt::format("only {} hexagon(s) of {:.1f} m in the study area; use a smaller "
                      "--cell-size",
                      cells.size(), cell));
    u.counts.assign(cells.size(), 0.0);
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      const double w = incidents.weight.empty() ? 1.0 : incidents.weight[i];
      const std::int64_t k = grid.locate(incidents.x[i], incidents.y[i]);
      const std::int32_t loc = k < 0 ? -1 : location[static_cast<std::size_t>(k)];
      if (loc < 0) {
        u.uncounted += w;
      } else {
        u.counts[static_cast<std::size_t>(loc)] += w;
        u.counted += w;
      }
    }
    u.contiguity = hex_edge_neighbours(grid, cells);
    if (inputs_.verbose || (!inputs_.quiet && cell_default))
      ctx.err << fmt::format("hexagon cell size {:.1f} m{}, {} hexagons in the study area\n", cell,
                             cell_default ? " (the area of a square of extent / 250)" : "",
                             cells.size());
    return u;
  }

  Units zone_units(const Context& ctx, const Study& study) const {
    ZoneReadOptions read;
    read.layer = zone_layer_;
    read.where = zone_where_;
    read.id_field = zone_id_field_;
    read.assume_crs = inputs_.study.boundary.assume_crs;
    const ZoneLayer layer = read_zones(zones_path_, read, study.analysis_crs);
    if (layer.zones.size() < 2)
      throw InputError(zones_path_, 0, "",
                       fmt::format("{} zone(s); Gi* needs at least two", layer.zones.size()));
    if (!inputs_.quiet)
      for (const ZoneRepair& r : layer.repairs)
        ctx.err << fmt::format("{}: zone {} repaired: {}\n", zones_path_, r.zone_id, r.reason);
    Units u;
    std::vector<const MultiPolygon*> ptrs;
    for (const Zone& z : layer.zones) {
      u.ids.push_back(z.id);
      u.polygons.push_back(z.geometry);
      u.area_m2.push_back(area(z.geometry));
      if (!(u.area_m2.back() > 0))
        throw InputError(zones_path_, 0, layer.id_field,
                         fmt::format("zone {} has no area; remove it or fix its geometry", z.id));
      const Point c = polygon_centroid(z.geometry);
      u.cx.push_back(c.x);
      u.cy.push_back(c.y);
      ptrs.push_back(&u.polygons.back());
    }
    ptrs.clear();
    for (const MultiPolygon& p : u.polygons) ptrs.push_back(&p);
    const Incidents& incidents = study.data.incidents;
    const ZoneIndex index(ptrs);
    const std::vector<std::int32_t> zone_of = index.locate(incidents.x, incidents.y);
    u.counts.assign(u.ids.size(), 0.0);
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      const double w = incidents.weight.empty() ? 1.0 : incidents.weight[i];
      if (zone_of[i] < 0) {
        u.uncounted += w;
      } else {
        u.counts[static_cast<std::size_t>(zone_of[i])] += w;
        u.counted += w;
      }
    }
    u.contiguity =
        polygon_contiguity(u.polygons, contiguity_ == "rook" ? Contiguity::rook : Contiguity::queen,
                           contiguity_snap_m_);
    if (inputs_.verbose)
      ctx.err << fmt::format("{} zones from {} (id field '{}'), {} contiguity\n", u.ids.size(),
                             zones_path_, layer.id_field, contiguity_);
    return u;
  }

  int run_units(Context& ctx, const Study& study, const GiStarCellsOptions& cell_options,
                bool zones) const {
    double cell = 0;
    const Units u = zones ? zone_units(ctx, study) : hex_units(ctx, study, cell);
    GiStarUnitsOptions options;
    options.fdr = cell_options.fdr;
    options.permutations = cell_options.permutations;
    options.seed = cell_options.seed;
    const bool band_given = band_option_->count() > 0;
    if (knn_option_->count() > 0) {
      if (knn_ >= static_cast<int>(u.ids.size()))
        throw InvalidArgument(fmt::format("--knn {}: must be below the number of {} ({})", knn_,
                                          zones ? "zones" : "hexagons", u.ids.size()));
      options.knn = knn_;
    } else if (band_given) {
      options.distance_band_m = distance_band_m_;
      if (!zones && distance_band_m_ < cell)
        throw InvalidArgument(fmt::format(
            "--distance-band {} m is shorter than the hexagon spacing {} m: no hexagon would "
            "have a neighbour; give at least the cell size",
            distance_band_m_, cell));
    } else if (!zones) {
      options.distance_band_m = kDefaultBandCells * cell;
      if (!inputs_.quiet)
        ctx.err << fmt::format("distance band {:.1f} m (5 hexagon spacings)\n",
                               options.distance_band_m);
    }
    // Hexagons: the band as a lattice stencil (exact integer test, no R-tree).
    Neighbours band;
    const bool stencil = !zones && options.distance_band_m > 0;
    if (stencil) {
      band = hex_band_neighbours(u.grid, u.cells, options.distance_band_m);
      options.distance_band_m = 0;
    }
    const GiStarUnits r = compute_gistar_units(u.counts, u.cx, u.cy, u.contiguity, options,
                                               stencil ? &band : nullptr);
    if (!inputs_.quiet && u.uncounted > 0)
      ctx.err << fmt::format(
          "{:.6g} of {:.6g} incidents lie outside every {} and are not counted\n", u.uncounted,
          u.uncounted + u.counted, zones ? "zone" : "study-area hexagon");
    if (!inputs_.quiet && !r.islands.empty()) {
      std::string list;
      for (std::size_t k = 0; k < r.islands.size() && k < 10; ++k)
        list += (k ? ", " : "") + u.ids[static_cast<std::size_t>(r.islands[k])];
      ctx.err << fmt::format("{} {} without Gi* neighbours (islands; gi_z is null): {}{}\n",
                             r.islands.size(), zones ? "zone(s)" : "hexagon(s)", list,
                             r.islands.size() > 10 ? ", ..." : "");
    }
    if (!cells_path_.empty()) write_unit_cells(study, u, r, zones);
    if (!clusters_path_.empty()) {
      const UnitClusters clusters = gistar_unit_clusters(u.counts, r.gi, u.contiguity, u.polygons,
                                                         u.area_m2, cluster_level_, cold_);
      write_unit_clusters(study, clusters);
      if (inputs_.verbose)
        ctx.err << fmt::format("{} hot and {} cold clusters (gi_bin >= {}{})\n",
                               clusters.hot.size(), clusters.cold.size(), cluster_level_,
                               fdr_ ? ", FDR" : "");
    }
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    return 0;
  }

  bool keep_unit(const Units& u, const GiStarUnits& r, std::size_t i) const {
    if (cells_subset_ == "nonzero") return u.counts[i] > 0;
    if (cells_subset_ == "significant")
      return r.gi.bin[i] != 0 || (!r.lisa_cluster.empty() && r.lisa_cluster[i] != 0);
    return true;
  }

  void write_unit_cells(const Study& study, const Units& u, const GiStarUnits& r,
                        bool zones) const {
    const bool lisa = !r.lisa_i.empty();
    if (ends_with(cells_path_, ".csv")) {
      const auto num = [](double v) {
        return std::isnan(v) ? std::string() : fmt::format("{}", v);
      };
      AtomicFile file(cells_path_, inputs_.overwrite);
      {
        std::ofstream out(file.temp_path(), std::ios::binary);
        if (!out) throw IoError(fmt::format("{}: cannot write", cells_path_));
        out << "cell_id,row,col,x,y,count,gi_z,gi_p,gi_bin,n_neighbors,lisa_i,lisa_p,lisa_type\n";
        for (std::size_t i = 0; i < u.ids.size(); ++i) {
          if (!keep_unit(u, r, i)) continue;
          out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", u.ids[i], u.rows[i],
                             u.cols[i], u.cx[i], u.cy[i], num(u.counts[i]), num(r.gi.z[i]),
                             num(r.gi.p[i]), r.gi.bin[i], r.gi.n_neighbors[i],
                             lisa ? num(r.lisa_i[i]) : "", lisa ? num(r.lisa_p[i]) : "",
                             lisa ? lisa_type_name(r.lisa_cluster[i]) : "");
        }
        if (!out.flush()) throw IoError(fmt::format("{}: write failed", cells_path_));
      }
      file.commit();
      return;
    }
    std::vector<PolygonFeature> features;
    for (std::size_t i = 0; i < u.ids.size(); ++i) {
      if (!keep_unit(u, r, i)) continue;
      PolygonFeature f;
      f.geometry = u.polygons[i];
      f.values =
          gistar_cell_values(u.ids[i], u.counts[i], r.gi, r.lisa_i, r.lisa_p, r.lisa_cluster, i);
      features.push_back(std::move(f));
    }
    VectorWriteOptions options;
    options.overwrite = inputs_.overwrite;
    options.layer_name = zones ? "zones" : "cells";
    write_polygons(cells_path_, study.analysis_crs, gistar_cell_fields(), features, options);
  }

  void write_unit_clusters(const Study& study, const UnitClusters& clusters) const {
    std::vector<ClusterRow> rows;
    for (const auto* list : {&clusters.hot, &clusters.cold})
      for (const UnitCluster& a : *list)
        rows.push_back({a.outline, list == &clusters.hot, a.rank,
                        static_cast<std::int64_t>(a.members.size()), a.incidents, a.area_km2,
                        a.mean_z, a.pai});
    write_cluster_rows(clusters_path_, study.analysis_crs, rows, inputs_.overwrite, "clusters");
  }

  InputOptions inputs_;
  std::string grid_ = "square";
  std::string zones_path_;
  std::string zone_id_field_;
  std::string zone_layer_;
  std::string zone_where_;
  std::string contiguity_ = "queen";
  double contiguity_snap_m_ = 0.001;
  CLI::Option* grid_option_ = nullptr;
  std::string extent_text_;
  double cell_size_m_ = 0;
  double distance_band_m_ = 0;
  int knn_ = 0;
  bool fdr_ = false;
  int permutations_ = 99;
  std::uint64_t seed_ = 12345;
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
