// SPDX-License-Identifier: MIT
// `hotspots analyse`: from incidents to a QGIS-ready hotspot pack per crime group — KDE surface
// and hotspots, Gi* cells and clusters, zone table, concentration, patrol list, maps, summary.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/pack_folder.hpp"
#include "hotspots/pack/pack_spec.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/workflows/analyse.hpp"
#include "options.hpp"
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
    app_ = app;
    inputs_.add_to(*app);
    // With --spec the inputs come from the spec.
    app->get_option("INPUT")->required(false);
    app->add_option("--spec", spec_path_,
                    "rebuild a pack from its manifest.json (or a spec JSON file): every input and "
                    "parameter from there, byte-identical outputs; only -o, --overwrite, "
                    "--rejects, -q, -v and --progress may be given with it")
        ->group("Input");
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
    app->add_option("--kernel", kernel_, kernel_help())
        ->check(kernel_choices())
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
    const PackSpec spec =
        resolve_pack_defaults(spec_path_.empty() ? spec_from_options() : spec_from_file());
    PackRequest request = make_request(ctx, spec);
    StudyOptions study_options = spec.study;
    study_options.read.keep_rejected_rows = true;  // rejects.csv lists every unusable row
    for (const auto& bound : {study_options.read.from, study_options.read.to})
      if (bound && bound->has_day())
        throw InvalidArgument(
            "--from/--to: analyse compares whole months with the months before; give them as "
            "YYYY-MM");
    // Refuse what cannot be written before reading anything.
    if (outdir_.empty()) throw InvalidArgument("-o: give the folder to write the pack to");
    check_outputs(spec.inputs, spec.study.boundary_paths, {spec.zones_path}, {inputs_.rejects_path},
                  {outdir_}, inputs_.overwrite);
    std::vector<std::string> replaced;  // an old pack's own files: only these are replaced
    if (inputs_.overwrite && fs::exists(outdir_)) replaced = existing_pack_files(outdir_);
    AtomicDirectory pack(outdir_, inputs_.overwrite, replaced);

    // One read serves both periods: the previous period is read as history and sliced off.
    const ReadOptions& read = study_options.read;
    if (read.from) {
      study_options.read.history_from = Date{};
      study_options.read.history_from->month_index =
          read.to ? read.from->month_index - (read.to->month_index - read.from->month_index + 1)
                  : 0;
    }
    if (progress_) ctx.err << "reading incidents and boundaries...\n";
    Study all = prepare_study(spec.inputs, study_options);
    // Without --from every month read is the period, and nothing precedes its first incident.
    const bool has_history = read.from.has_value();
    Study study = has_history ? slice(all, focus_period(all, read)) : std::move(all);
    timer.lap("read");
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    check_groups(request.groups, study.data.types_present);
    request.period = analysis_period(study, study_options);
    const Incidents previous_all = previous_period(has_history ? &all : nullptr, request.period);
    all = Study{};  // sliced: release the history
    timer.lap("previous period");
    if (!inputs_.quiet)
      ctx.err << fmt::format(
          "period {}{}\n", request.period.label(),
          request.period.previous_available
              ? fmt::format(", compared with {}", request.period.previous_label())
              : "; no change figures: " + request.period.no_change_reason);

    request.zones = load_zones(study, spec);
    request.grid = pack_grid(study, spec);
    request.mask = cell_mask(request.grid, study.study_area);
    timer.lap("prepare");
    if (!inputs_.quiet)
      ctx.err << fmt::format("grid {} x {} cells of {:.1f} m{}\n", request.grid.cols,
                             request.grid.rows, request.grid.cell_size_m,
                             spec.cell_size_m > 0 ? "" : " (extent / 250)");

    for (const std::string& group : request.groups) {
      if (progress_) ctx.err << fmt::format("{}: analysing...\n", group);
      GroupResult result;
      result.name = group;
      result.folder = folder_name(group);
      const Incidents current = select_group(study.data.incidents, group);
      const Incidents previous = select_group(previous_all, group);
      result.current_incidents = static_cast<std::int64_t>(current.size());
      result.previous_incidents = static_cast<std::int64_t>(previous.size());
      if (current.size() == 0) {
        result.note = "no incident in the period";
      } else {
        try {
          result.analysis =
              analyse_group(current, previous, request.grid, &request.mask, request.zones.zones,
                            request.zones.population, request.options);
          result.mapped = true;
        } catch (const IoError&) {
          throw;
        } catch (const Error& e) {
          // One sparse group (e.g. a single location) must not cost the whole pack.
          result.note = e.what();
        }
      }
      if (!result.mapped) {
        fill_unmapped(result, current, previous, request);
        if (!inputs_.quiet)
          ctx.err << fmt::format(
              "{}: not mapped ({}); its zone and concentration figures are "
              "still in the pack\n",
              group, result.note);
        request.results.push_back(std::move(result));
        continue;
      }
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
      write_group(pack.temp_path(), study, request, result);
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
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    write_manifest(pack.temp_path(), ctx, study, request, timer);
    pack.commit();
    if (!inputs_.quiet) ctx.err << fmt::format("pack written to {}\n", pack.path());
    if (inputs_.verbose) ctx.err << "timings: " << timer.report() << "\n";
    return 0;
  }

 private:
  /// The spec the options describe (defaults applied later, by resolve_pack_defaults).
  PackSpec spec_from_options() const {
    if (inputs_.inputs.empty()) throw InvalidArgument("INPUT is required (or give --spec)");
    if (inputs_.study.boundary_paths.empty())
      throw InvalidArgument("analyse needs --boundary: the study area of the pack");
    if (!population_field_.empty() && zones_path_.empty())
      throw InvalidArgument("--population-field needs --zones");
    if (!(top_percent_ > 0)) throw InvalidArgument("--top-percent must be above 0");
    PackSpec s;
    s.inputs = inputs_.inputs;
    s.study = inputs_.resolve();
    s.study.read.keep_rejected_rows = false;  // set by the run, not part of the spec
    s.zones_path = zones_path_;
    s.zones = zone_options_;
    s.population_field = population_field_;
    s.groups = split_list(groups_text_);
    if (s.groups.empty()) throw InvalidArgument("--groups: give at least one group");
    s.cell_size_m = cell_size_m_;
    AnalysisOptions& o = s.analysis;
    o.kde.kernel = parse_kernel(kernel_);
    o.kde.radius_m = radius_m_;
    o.hot_top_percent = top_percent_;
    o.gistar.distance_band_m = distance_band_m_;
    o.gistar.fdr = !no_fdr_;
    o.gistar.permutations = permutations_;
    o.gistar.seed = seed_;
    o.patrol.max_count = patrol_count_;
    o.patrol.max_area_km2 = patrol_max_area_km2_;
    return s;
  }

  /// The spec of an earlier pack (--spec); no option that would change it may be given.
  PackSpec spec_from_file() const {
    static const std::set<std::string> allowed = {"--spec",     "--output", "--overwrite",
                                                  "--rejects",  "--quiet",  "--verbose",
                                                  "--progress", "--help"};
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

  PackRequest make_request(const Context& ctx, const PackSpec& spec) const {
    PackRequest r;
    r.command_line = ctx.command_line;
    r.spec = spec;
    r.groups = spec.groups;
    std::set<std::string> folders;
    for (const auto& g : r.groups) {
      (void)expand_crime_types({g});  // throws InvalidArgument for an empty name
      if (!folders.insert(folder_name(g)).second)
        throw InvalidArgument(fmt::format("--groups: '{}' is given twice", g));
    }
    r.options = spec.analysis;
    r.zones_path = spec.zones_path;
    r.population_field = spec.population_field;
    return r;
  }

  /// Every group must name crime types the inputs hold (as --crime-type does).
  static void check_groups(const std::vector<std::string>& groups,
                           const std::vector<std::pair<std::string, std::int64_t>>& present) {
    std::set<std::string> present_lower;
    std::vector<std::string> names;
    for (const auto& [name, rows] : present) {
      std::string key;
      for (char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      present_lower.insert(key);
      names.push_back(name);
    }
    for (const std::string& group : groups) {
      const std::vector<std::string> members = expand_crime_types({group});
      if (members.empty()) continue;  // all
      const bool any = std::any_of(members.begin(), members.end(), [&](const std::string& m) {
        return present_lower.count(m) > 0;
      });
      if (!any)
        throw Error(
            fmt::format("--groups: '{}' matches no crime type in the inputs; present: {}", group,
                        names.empty() ? "none" : fmt::format("{}", fmt::join(names, "; "))));
    }
  }

  static std::set<std::int32_t> months_of(const Incidents& incidents) {
    std::set<std::int32_t> months;
    for (const Date& d : incidents.date)
      if (d.has_month()) months.insert(d.month_index);
    return months;
  }

  /// The analysis period from --from/--to or the months of the data, and whether a fair
  /// comparison with the previous period is possible at all.
  static PackPeriod analysis_period(const Study& study, const StudyOptions& options) {
    PackPeriod p;
    const std::set<std::int32_t> months = months_of(study.data.incidents);
    if (months.empty()) {
      p.no_change_reason = "the incidents carry no dates";
      for (const auto& src : study.data.sources) {
        if (!src.time_field.empty()) continue;
        // Dates are found by name only in police.uk's layout: point at the columns there are.
        const std::string columns = excerpt(fmt::format("{}", fmt::join(src.columns, ", ")));
        p.no_change_reason += fmt::format(
            " ({} has no date column: name one with --time-field; columns: {})", src.path, columns);
        break;
      }
      return p;
    }
    p.from_month = options.read.from ? options.read.from->month_index : *months.begin();
    p.to_month = options.read.to ? options.read.to->month_index : *months.rbegin();
    p.months = p.to_month - p.from_month + 1;
    p.previous_from_month = p.from_month - p.months;
    for (std::int32_t m = p.from_month; m <= p.to_month; ++m)
      if (!months.count(m)) p.current_missing_months.push_back(m);
    if (!p.current_missing_months.empty())
      p.no_change_reason = fmt::format("the inputs have no incident in {} of the period",
                                       month_list(p.current_missing_months));
    return p;
  }

  /// The months --from/--to ask for; without --to, up to the last month with an incident.
  static Period focus_period(const Study& all, const ReadOptions& read) {
    Period p{read.from->month_index, read.to ? read.to->month_index : read.from->month_index};
    if (!read.to)
      for (const Date& d : all.data.incidents.date) p.last = std::max(p.last, d.month_index);
    return p;
  }

  /// The previous period's incidents, sliced from the study read once (the same filters, CRS
  /// and study area; unparsable rows there only lower a count, which the manifest reports).
  /// Sets period.previous_available only when every month of both periods has data, so a gap
  /// in the files never shows up as a rise or a fall.
  /// `all` null: nothing was read before the period.
  static Incidents previous_period(const Study* all, PackPeriod& period) {
    if (period.from_month < 0 || !period.current_missing_months.empty()) return {};
    const Period previous_months{period.previous_from_month, period.from_month - 1};
    Study previous = all ? slice(*all, previous_months, /*with_rows=*/false) : Study{};
    if (previous.data.incidents.size() == 0) {
      period.no_change_reason =
          fmt::format("the inputs have no usable incident in {}", period.previous_label());
      return {};
    }
    const std::set<std::int32_t> months = months_of(previous.data.incidents);
    std::vector<std::int32_t> missing;
    for (std::int32_t m = period.previous_from_month; m < period.from_month; ++m)
      if (!months.count(m)) missing.push_back(m);
    period.previous_rows = static_cast<std::int64_t>(previous.data.incidents.size());
    period.previous_rows_rejected =
        previous.data.accounting.rejected_total() -
        previous.data.accounting.rejected_for(RejectReason::filtered_date) -
        previous.data.accounting.rejected_for(RejectReason::filtered_crime_type);
    if (!missing.empty()) {
      period.no_change_reason = fmt::format("the inputs have no incident in {} of {}",
                                            month_list(missing), period.previous_label());
      return {};
    }
    period.previous_available = true;
    return std::move(previous.data.incidents);
  }

  /// Zone table and concentration of a group that has no map (no incident, or too few
  /// locations for a surface), so that its columns and rows are in the pack all the same.
  static void fill_unmapped(GroupResult& result, const Incidents& current,
                            const Incidents& previous, const PackRequest& request) {
    GroupAnalysis& a = result.analysis;
    a.incidents = std::accumulate(current.weight.begin(), current.weight.end(), 0.0);
    if (!request.zones.zones.empty())
      a.zone_table = compute_zone_table(
          request.zones.zones, request.zones.population, PointColumns{current.x, current.y},
          PointColumns{previous.x, previous.y}, {}, request.options.zone_table);
    Raster counts(request.grid, 0.0);
    for (std::size_t i = 0; i < current.size(); ++i) {
      const auto col = request.grid.col_of(current.x[i]);
      const auto row = request.grid.row_of(current.y[i]);
      if (col >= 0 && row >= 0 && col < request.grid.cols && row < request.grid.rows)
        counts.at(row, col) += current.weight[i];
    }
    a.concentration = compute_concentration(counts, request.options.concentration, &request.mask);
  }

  static PackZones load_zones(const Study& study, const PackSpec& spec) {
    const std::string& zones_path = spec.zones_path;
    const std::string& population_field = spec.population_field;
    PackZones z;
    if (zones_path.empty()) {
      // The boundary features (e.g. districts) are the zones.
      for (const ZoneLayer& layer : study.boundaries)
        z.zones.insert(z.zones.end(), layer.zones.begin(), layer.zones.end());
      z.source = study.boundaries.empty() ? "" : study.boundaries.front().path;
      if (!population_field.empty()) throw InvalidArgument("--population-field needs --zones");
      return z;
    }
    ZoneReadOptions options = spec.zones;
    if (!population_field.empty()) options.extra_fields = {population_field};
    ZoneLayer layer = read_zones(zones_path, options, study.analysis_crs);
    z.source = zones_path;
    z.id_field = layer.id_field;
    z.name_field = layer.name_field;
    z.repairs = layer.repairs.size();
    z.zones = std::move(layer.zones);
    if (!population_field.empty()) {
      for (const Zone& zone : z.zones) {
        const std::string& text = zone.extra.empty() ? std::string() : zone.extra.front();
        char* end = nullptr;
        const double value = text.empty() ? std::nan("") : std::strtod(text.c_str(), &end);
        if (!text.empty() && (end == text.c_str() || *end != '\0' || !(value >= 0)))
          throw InputError(
              zones_path, zone.fid, population_field,
              fmt::format("zone '{}': population '{}' is not a number >= 0", zone.id, text));
        z.population.push_back(value);  // NaN = unknown: per_1000 left empty
      }
    }
    return z;
  }

  static GridSpec pack_grid(const Study& study, const PackSpec& spec) {
    const double band = spec.analysis.gistar.distance_band_m;
    const Extent extent = extent_of(study.study_area);
    const double cell = spec.cell_size_m > 0 ? spec.cell_size_m : default_cell_size(extent);
    const GridSpec grid = snapped_grid(extent, cell);
    if (band > 0 && band < cell)
      throw InvalidArgument(fmt::format(
          "--distance-band {} m is shorter than the cell size {} m: no cell would have a "
          "neighbour",
          band, cell));
    return grid;
  }

  CLI::App* app_ = nullptr;
  InputOptions inputs_;
  std::string spec_path_;
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
};

}  // namespace

std::unique_ptr<Command> make_analyse_command() {
  return std::make_unique<AnalyseCommand>();
}

}  // namespace hotspots::cli
