// SPDX-License-Identifier: MIT
// `hotspots analyse`: from incidents to a QGIS-ready hotspot pack per crime group — KDE surface
// and hotspots, Gi* cells and clusters, zone table, concentration, patrol list, maps, summary.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/analyse.hpp"
#include "hotspots/atomic_file.hpp"
#include "hotspots/error.hpp"
#include "hotspots/map_png.hpp"
#include "output.hpp"
#include "pack_writer.hpp"

namespace hotspots::cli {
namespace {

namespace fs = std::filesystem;

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

/// A group name usable as a folder name: lower case, letters, digits and '-' only.
std::string folder_name(const std::string& group) {
  std::string out;
  for (char c : group) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0)
      out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "group" : out;
}

class AnalyseCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "analyse",
        "The hotspot pack per crime group: KDE surface and hotspots, Gi* cells and clusters, "
        "zone table, concentration, patrol list, maps, summary.md, QGIS project");
    app->alias("analyze");
    inputs_.add_to(*app);
    app->add_option("-o,--output", outdir_,
                    "output folder (built under a hidden temporary name and moved into place "
                    "when complete; an existing folder is refused without --overwrite)")
        ->required()
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
                    "cell size in metres of the KDE and Gi* grid (default: shorter side of the "
                    "study extent / 250)")
        ->check(CLI::PositiveNumber)
        ->group("Kernel density");
    app->add_option("--radius", radius_m_,
                    "KDE bandwidth in metres (default: Silverman's rule per group, as "
                    "'hotspots kde')")
        ->check(CLI::PositiveNumber)
        ->group("Kernel density");
    app->add_option("--kernel", kernel_,
                    "quartic (default), epanechnikov, triweight, triangular, uniform, gaussian")
        ->group("Kernel density");
    app->add_option("--top-percent", top_percent_,
                    "KDE hotspots: the top P% of the study area's cells by density (default 5)")
        ->check(CLI::Range(0.0, 100.0))
        ->group("Kernel density");
    app->add_option("--distance-band", distance_band_m_,
                    "Gi* neighbours: cells whose centres are within this many metres (default 5 "
                    "cell sizes)")
        ->check(CLI::PositiveNumber)
        ->group("Gi*");
    app->add_flag("--no-fdr", no_fdr_,
                  "Gi* bins from raw p-values (default: False Discovery Rate correction, since "
                  "a pack tests thousands of cells)")
        ->group("Gi*");
    app->add_option("--permutations", permutations_,
                    "local Moran's I permutations (default 99; 0 skips local Moran's I)")
        ->check(CLI::NonNegativeNumber)
        ->group("Gi*");
    app->add_option("--seed", seed_, "seed of the permutations (default 12345)")->group("Gi*");
    app->add_option("--patrol-count", patrol_count_,
                    "patrol list: at most N hotspots (default 10 when no budget is given)")
        ->check(CLI::PositiveNumber)
        ->group("Patrol list");
    app->add_option("--patrol-max-area", patrol_max_area_km2_,
                    "patrol list: hotspots in rank order while their total area stays within "
                    "KM2 (a larger one is skipped and smaller ones below it still taken)")
        ->check(CLI::PositiveNumber)
        ->group("Patrol list");
    app->add_flag("--progress", progress_, "report each step on stderr");
    app->footer(
        "Examples:\n"
        "  hotspots analyse data/sample/police_uk --boundary data/sample/districts.geojson \\\n"
        "      --zones data/sample/small_areas.geojson --population-field population "
        "--from 2024-07 --to 2024-12 \\\n"
        "      --skip-bad-rows -o out/sample/pack\n"
        "  hotspots analyse street/ --boundary lad.geojson --zones lsoa.gpkg --zone-id-field "
        "LSOA21CD \\\n"
        "      --groups asb,violence,burglary --radius 300 --cell-size 50 --patrol-max-area 2 "
        "-o pack_2024\n\n"
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
        "Pack: summary.md, manifest.json (inputs with SHA-256, every parameter, row accounting, "
        "timings),\n"
        "  hotspots.qgs, zones.csv/.geojson, concentration.csv, rejects.csv and per group: "
        "density.tif,\n"
        "  hotspots.geojson, gistar_z.tif, gistar_cells.geojson (significant cells), "
        "gistar_clusters.geojson,\n"
        "  patrol.csv, map.png, with a QGIS .qml style beside each layer.\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    PhaseTimer timer;
    if (inputs_.study.boundary_paths.empty())
      throw InvalidArgument("analyse needs --boundary: the study area of the pack");
    PackRequest request = make_request(ctx);
    // Refuse an existing folder before reading anything.
    AtomicDirectory pack(outdir_, inputs_.overwrite);

    StudyOptions study_options = inputs_.resolve();
    const std::optional<Date> from = study_options.read.from;
    const std::optional<Date> to = study_options.read.to;
    // The previous period comes from the same inputs, so the date filter is applied here.
    study_options.read.from.reset();
    study_options.read.to.reset();
    study_options.read.keep_rejected_rows = true;  // rejects.csv lists every unusable row
    if (progress_) ctx.err << "reading incidents and boundaries...\n";
    Study study = prepare_study(inputs_.inputs, study_options);
    timer.lap("read");
    if (inputs_.verbose) log_choices(ctx.err, study);

    request.period = split_periods(study, from, to);
    if (!inputs_.quiet) {
      report_rejections(ctx.err, study.data.accounting);
      ctx.err << fmt::format(
          "period {} ({} months){}\n", request.period.label(), request.period.months,
          request.period.previous_available
              ? fmt::format(", compared with {}", request.period.previous_label())
              : "; the inputs do not cover the previous period: no change "
                "figures");
    }
    if (study.data.incidents.size() == 0) throw Error("no incident in the analysis period");

    request.zones = load_zones(study);
    request.grid = pack_grid(study);
    request.mask = cell_mask(request.grid, study.study_area);
    timer.lap("prepare");
    if (!inputs_.quiet)
      ctx.err << fmt::format("grid {} x {} cells of {:.1f} m{}\n", request.grid.cols,
                             request.grid.rows, request.grid.cell_size_m,
                             cell_size_m_ > 0 ? "" : " (extent / 250)");

    for (const std::string& group : request.groups) {
      if (progress_) ctx.err << fmt::format("{}: analysing...\n", group);
      GroupResult result;
      result.name = group;
      result.folder = folder_name(group);
      const Incidents current = select_group(study.data.incidents, group);
      const Incidents previous = select_group(previous_, group);
      result.previous_incidents = static_cast<std::int64_t>(previous.size());
      if (current.size() == 0) {
        if (!inputs_.quiet)
          ctx.err << fmt::format("{}: no incident in the period; nothing mapped\n", group);
        request.results.push_back(std::move(result));
        continue;
      }
      result.analysis =
          analyse_group(current, previous, request.grid, &request.mask, request.zones.zones,
                        request.zones.population, request.options);
      result.current_incidents = static_cast<std::int64_t>(current.size());
      result.surface_max = finite_max(result.analysis.surface);
      if (result.surface_max > 0)
        result.surface_breaks = quantile_breaks(result.analysis.surface, 0.0);
      timer.lap(group.c_str());
      if (!inputs_.quiet)
        ctx.err << fmt::format(
            "{}: {} incidents, radius {:.0f} m, {} KDE hotspots, {} hot / {} cold Gi* clusters\n",
            group, grouped(result.current_incidents), result.analysis.radius_m,
            result.analysis.hotspots.size(), result.analysis.clusters.hot.size(),
            result.analysis.clusters.cold.size());
      write_group(pack.temp_path(), ctx, study, request, result);
      timer.lap((group + " write").c_str());
      // The surfaces are large and written; keep only the figures for the summary.
      result.analysis.surface = Raster{};
      result.analysis.gistar = GiStarCells{};
      request.results.push_back(std::move(result));
    }
    // The pack lists the rows that could not be used; those outside the period or the crime
    // types asked for are only counted (manifest.json, summary.md): --rejects lists them too.
    write_rejects((fs::path(pack.temp_path()) / "rejects.csv").string(), study.data, false,
                  /*include_filtered=*/false);
    write_pack_tables(pack.temp_path(), study, request);
    write_summary(pack.temp_path(), study, request);
    write_pack_project(pack.temp_path(), study, request);
    timer.lap("summary");
    write_manifest(pack.temp_path(), ctx, study, request, timer);
    pack.commit();
    if (!inputs_.quiet) ctx.err << fmt::format("pack written to {}\n", pack.path());
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    if (inputs_.verbose) ctx.err << "timings: " << timer.report() << "\n";
    return 0;
  }

 private:
  PackRequest make_request(const Context& ctx) const {
    PackRequest r;
    r.command_line = ctx.command_line;
    r.groups = split_list(groups_text_);
    if (r.groups.empty()) throw InvalidArgument("--groups: give at least one group");
    std::set<std::string> folders;
    for (const auto& g : r.groups) {
      (void)expand_crime_types({g});  // throws InvalidArgument for an empty name
      if (!folders.insert(folder_name(g)).second)
        throw InvalidArgument(fmt::format("--groups: '{}' is given twice", g));
    }
    AnalysisOptions& o = r.options;
    o.kde.kernel = parse_kernel(kernel_);
    o.kde.output = OutputValue::density;
    o.kde.radius_m = radius_m_;
    o.hot_top_percent = top_percent_;
    if (!(top_percent_ > 0)) throw InvalidArgument("--top-percent must be above 0");
    o.gistar.distance_band_m = distance_band_m_;
    o.gistar.fdr = !no_fdr_;
    o.gistar.permutations = permutations_;
    o.gistar.seed = seed_;
    o.patrol.max_count = patrol_count_;
    o.patrol.max_area_km2 = patrol_max_area_km2_;
    if (patrol_count_ == 0 && !(patrol_max_area_km2_ > 0)) o.patrol.max_count = 10;
    o.patrol.validate();
    o.concentration.validate();
    o.zone_table.validate();
    r.zones_path = zones_path_;
    r.population_field = population_field_;
    return r;
  }

  /// Keeps the analysis period's incidents in `study` (the others are counted as
  /// filtered_date) and moves the previous period's into previous_.
  PackPeriod split_periods(Study& study, const std::optional<Date>& from,
                           const std::optional<Date>& to) {
    Incidents& all = study.data.incidents;
    std::int32_t first = -1;
    std::int32_t last = -1;
    for (const Date& d : all.date) {
      if (!d.has_month()) continue;
      if (first < 0 || d.month_index < first) first = d.month_index;
      last = std::max(last, d.month_index);
    }
    PackPeriod p;
    const bool explicit_period = from.has_value() || to.has_value();
    if (first < 0 && explicit_period)
      throw InvalidArgument("--from/--to: the incidents carry no dates");
    p.from_month = from ? from->month_index : first;
    p.to_month = to ? to->month_index : last;
    p.undated_kept = !explicit_period;
    if (first >= 0) {
      p.months = p.to_month - p.from_month + 1;
      if (p.months <= 0) throw InvalidArgument("--to is before --from");
      p.previous_from_month = p.from_month - p.months;
      p.previous_available = first <= p.previous_from_month;
    }
    std::vector<std::uint8_t> keep(all.size(), 0);
    std::vector<std::uint8_t> previous(all.size(), 0);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Date& d = all.date[i];
      if (!d.has_month()) {
        keep[i] = p.undated_kept ? 1 : 0;
        continue;
      }
      if (from && from->has_day() && d.has_day() && d.days_since_epoch() < from->days_since_epoch())
        continue;
      if (to && to->has_day() && d.has_day() && d.days_since_epoch() > to->days_since_epoch())
        continue;
      if (d.month_index >= p.from_month && d.month_index <= p.to_month)
        keep[i] = 1;
      else if (d.month_index >= p.previous_from_month && d.month_index < p.from_month)
        previous[i] = 1;
    }
    previous_ = all;
    previous_.keep_only(previous);
    reject_incidents(all, keep, RejectReason::filtered_date,
                     fmt::format("outside the analysis period {}", p.label()),
                     study.data.accounting, true);
    p.previous_rows = static_cast<std::int64_t>(previous_.size());
    return p;
  }

  PackZones load_zones(const Study& study) const {
    PackZones z;
    if (zones_path_.empty()) {
      // The boundary features (e.g. districts) are the zones.
      for (const ZoneLayer& layer : study.boundaries)
        z.zones.insert(z.zones.end(), layer.zones.begin(), layer.zones.end());
      z.source = study.boundaries.empty() ? "" : study.boundaries.front().path;
      if (!population_field_.empty()) throw InvalidArgument("--population-field needs --zones");
      return z;
    }
    ZoneReadOptions options = zone_options_;
    if (!population_field_.empty()) options.extra_fields = {population_field_};
    ZoneLayer layer = read_zones(zones_path_, options, study.analysis_crs);
    z.source = zones_path_;
    z.id_field = layer.id_field;
    z.name_field = layer.name_field;
    z.repairs = layer.repairs.size();
    z.zones = std::move(layer.zones);
    if (!population_field_.empty()) {
      for (const Zone& zone : z.zones) {
        const std::string& text = zone.extra.empty() ? std::string() : zone.extra.front();
        char* end = nullptr;
        const double value = text.empty() ? std::nan("") : std::strtod(text.c_str(), &end);
        if (!text.empty() && (end == text.c_str() || *end != '\0' || !(value >= 0)))
          throw InputError(
              zones_path_, zone.fid, population_field_,
              fmt::format("zone '{}': population '{}' is not a number >= 0", zone.id, text));
        z.population.push_back(value);  // NaN = unknown: per_1000 left empty
      }
    }
    return z;
  }

  GridSpec pack_grid(const Study& study) const {
    const Extent extent = extent_of(study.study_area);
    const double cell = cell_size_m_ > 0 ? cell_size_m_ : default_cell_size(extent);
    const GridSpec grid = snapped_grid(extent, cell);
    if (distance_band_m_ > 0 && distance_band_m_ < cell)
      throw InvalidArgument(fmt::format(
          "--distance-band {} m is shorter than the cell size {} m: no cell would have a "
          "neighbour",
          distance_band_m_, cell));
    return grid;
  }

  InputOptions inputs_;
  std::string outdir_;
  std::string groups_text_ = "asb,violence,all";
  std::string zones_path_;
  ZoneReadOptions zone_options_;
  std::string population_field_;
  double cell_size_m_ = 0;
  double radius_m_ = 0;
  std::string kernel_ = "quartic";
  double top_percent_ = 5.0;
  double distance_band_m_ = 0;
  bool no_fdr_ = false;
  int permutations_ = 99;
  std::uint64_t seed_ = 12345;
  std::int64_t patrol_count_ = 0;
  double patrol_max_area_km2_ = 0;
  bool progress_ = false;
  Incidents previous_;
};

}  // namespace

std::unique_ptr<Command> make_analyse_command() {
  return std::make_unique<AnalyseCommand>();
}

}  // namespace hotspots::cli
