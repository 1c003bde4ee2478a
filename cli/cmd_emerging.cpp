// SPDX-License-Identifier: MIT
// `hotspots emerging`: Emerging Hot Spot Analysis (ArcGIS Pro; sfdep) of incidents counted per
// unit (squares, hexagons or zones) per time step: space-time Gi*, Mann-Kendall trends and the 17
// categories, written as a folder (units, bins, sensitivity table, QGIS style, PNG map).

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/hotspots/emerging_layers.hpp"
#include "hotspots/hotspots/emerging_memory.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/pack/pack_contents.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/units/units.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

class EmergingCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "emerging",
        "Emerging Hot Spot Analysis: which places are new, intensifying, persistent, diminishing, "
        "sporadic, oscillating or historical hot (or cold) spots over time");
    inputs_.add_to(*app);
    // No INPUT with --zones --value-field: the zones' own values per month are analysed.
    app->get_option("INPUT")->required(false);
    grid_option_ = app->add_option("--grid", grid_, "cell shape: square (default) or hex")
                       ->check(CLI::IsMember({"square", "hex"}))
                       ->group("Units");
    app->add_option("--cell-size", cell_size_m_,
                    fmt::format("cell size in metres (hex: centre spacing); default: shorter side "
                                "of the study extent / {}",
                                kDefaultCellsAcrossShorterSide))
        ->check(positive_distance())
        ->group("Units");
    app->add_option("--zones", zones_path_, "units: these polygons instead of a grid")
        ->group("Units");
    app->add_option("--zone-id-field", zone_id_field_, "field giving the zone id (unit_id)")
        ->group("Units");
    app->add_option("--zone-layer", zone_layer_, "layer of --zones (default: the first)")
        ->group("Units");
    app->add_option("--zone-where", zone_where_, "OGR SQL attribute filter on --zones")
        ->group("Units");
    app->add_option("--value-field", value_field_,
                    "with --zones and no INPUT: analyse the zones' own values (rates, residuals, "
                    "changes; negative allowed), one field per month, named by a pattern whose "
                    "'*' is the month: YYYY-MM, YYYY_MM or YYYYMM (e.g. rate_* for rate_2024_01, "
                    "rate_2024_02, ...)")
        ->group("Units");
    app->add_option("--contiguity", contiguity_,
                    "zones: neighbours that share a point (queen, default) or an edge (rook)")
        ->check(CLI::IsMember({"queen", "rook"}))
        ->group("Neighbours");
    app->add_option("--contiguity-snap", contiguity_snap_m_,
                    "zones: gaps up to this many metres still touch (default 0.001)")
        ->check(number_in(std::nan(""), kMaxDistanceM, "m", 0))
        ->group("Neighbours");
    band_option_ = app->add_option("--distance-band", distance_band_m_,
                                   fmt::format("spatial neighbours within this many metres "
                                               "(default on grids: {} cell sizes; zones: "
                                               "--contiguity)",
                                               kDefaultBandCells))
                       ->check(positive_distance())
                       ->group("Neighbours");
    knn_option_ = app->add_option("--knn", knn_, "spatial neighbours: the K nearest unit centres")
                      ->check(number_in(0))
                      ->excludes(band_option_)
                      ->group("Neighbours");
    app->add_option("--time-step-months", step_months_,
                    "months per time step (default 1; ArcGIS 'Time Step Interval')")
        ->check(CLI::Range(1, 120))
        ->group("Space-time");
    app->add_option("--time-lags", time_lags_,
                    "earlier time steps in each bin's neighbourhood (default 1; ArcGIS "
                    "'Neighborhood Time Step', sfdep k)")
        ->check(CLI::Range(0, 120))
        ->group("Space-time");
    app->add_option("--global-window", global_window_,
                    "bins the Gi* mean and SD are taken over: cube (default, ArcGIS 'Entire "
                    "cube') or slice (each time step alone, as sfdep's code)")
        ->check(CLI::IsMember({"cube", "slice"}))
        ->group("Space-time");
    app->add_flag("--no-fdr", no_fdr_,
                  "bins from raw p-values (default: False Discovery Rate bins, as ArcGIS Pro)")
        ->group("Space-time");
    app->add_option("--compat", compat_,
                    "classification rules: arcgis (default) or sfdep (sfdep's "
                    "classify_hotspot(), threshold 0.01)")
        ->check(CLI::IsMember({"arcgis", "sfdep"}))
        ->group("Space-time");
    app->add_flag("--all-units", all_units_,
                  "every unit of the study area in the cube (default: units with at least one "
                  "incident, as ArcGIS)")
        ->group("Space-time");
    app->add_flag("--allow-gaps", allow_gaps_,
                  "analyse months without any incident as zeros (default: an error)")
        ->group("Space-time");
    app->add_flag("--no-sensitivity", no_sensitivity_,
                  "skip the sensitivity table (steps 1-3 months x lags 1-3: 8 more cubes)")
        ->group("Space-time");
    app->add_option("-o,--output", outdir_, "output folder (created; see --overwrite)")
        ->required()
        ->group("Output");
    app->add_flag("--gpkg", gpkg_, "also units.gpkg")->group("Output");
    app->add_option("--max-memory", max_memory_mb_,
                    "refuse, before building the cube, a run whose estimated peak memory is "
                    "above this many MB, saying what would fit (default: 80% of the machine's "
                    "memory)")
        ->check(number_in(1, 1e9, "MB"))
        ->group("Output");
    add_progress_flag(*app, progress_);
    app->footer(
        "Examples:\n"
        "  hotspots emerging data/sample/police_uk --crime-type asb --boundary "
        "data/sample/force_area.geojson \\\n"
        "      --skip-bad-rows --grid hex --cell-size 250 -o asb_emerging\n"
        "  hotspots emerging street/ --crime-type burglary --zones lsoa.gpkg --zone-id-field "
        "LSOA11CD \\\n"
        "      --time-step-months 3 --time-lags 2 --compat sfdep -o burglary_emerging\n"
        "  hotspots emerging --zones lsoa_rates.gpkg --zone-id-field LSOA11CD --value-field "
        "'rate_*' \\\n"
        "      -o rate_emerging   # the zones' own monthly values, no incidents\n\n"
        "Cube: Σ incidents per unit per time step; steps are whole and end with the last month "
        "(leading\n  months that do not fill a step are left out and reported); a month "
        "without any incident is an\n  error unless --allow-gaps. ArcGIS needs at least 10 "
        "steps for a trend worth the name.\n"
        "Space-time Gi* (Ord & Getis 1995): binary weights, the unit and its spatial "
        "neighbours at steps\n  t, t-1, ..., t-K (K = --time-lags), mean and SD over "
        "--global-window; bins +-1/2/3 at 90/95/99 %.\n"
        "Trend: Mann-Kendall of each unit's Gi* z series (tie-corrected variance, continuity "
        "correction);\n  significant at p <= 0.05.\n"
        "Classes (ArcGIS): the final step decides the side; hot = gi_bin >= 1. New: hot only at "
        "the final step;\n  consecutive: one final run of >= 2 hot steps, < 90 % hot; "
        "intensifying / persistent / diminishing:\n  >= 90 % hot with a significant upward / "
        "no / downward trend; sporadic: otherwise, never cold;\n  oscillating: otherwise, cold "
        "at some step; historical: >= 90 % hot but not the final step.\n"
        "  Cold spots mirror them. --compat sfdep applies sfdep's 16 tests in its order (README).\n"
        "Folder: units.geojson (unit_id, pattern, class, category as ArcGIS, count, hot_steps, "
        "cold_steps,\n  trend_tau/s/z/p of the z series, count_tau/s/z/p of the counts), "
        "units.qml, bins.csv\n  (unit_id,step,count,gi_z,gi_p,gi_bin), sensitivity.csv, "
        "map.png, units.gpkg with --gpkg.\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    const bool zones = !zones_path_.empty();
    const bool values = !value_field_.empty();
    if (values && !zones)
      throw InvalidArgument("--value-field: give --zones, the layer whose fields are analysed");
    if (values && !inputs_.inputs.empty())
      throw InvalidArgument(
          "--value-field analyses the zones' own values: give no INPUT (incidents are counted "
          "only without --value-field)");
    if (!values && inputs_.inputs.empty())
      throw InvalidArgument("INPUT is required (or --zones FILE --value-field PATTERN)");
    if (zones && (grid_option_->count() > 0 || cell_size_m_ > 0))
      throw InvalidArgument("--zones: --grid and --cell-size apply to grids only");
    const std::vector<std::string> owned = emerging_folder_files(true);
    check_outputs(inputs_, {zones_path_}, {}, {outdir_});

    EmergingOptions options;
    options.time_step_months = step_months_;
    options.gi.time_lags = time_lags_;
    options.gi.global_window = global_window_ == "slice" ? GlobalWindow::slice : GlobalWindow::cube;
    options.gi.fdr = !no_fdr_;
    options.classes.compat = compat_ == "sfdep" ? Compat::sfdep : Compat::arcgis;
    options.distance_band_m = band_option_->count() ? distance_band_m_ : 0;
    options.knn = knn_option_->count() ? knn_ : 0;
    options.contiguity = contiguity_ == "rook" ? Contiguity::rook : Contiguity::queen;
    options.contiguity_snap_m = contiguity_snap_m_;
    options.all_units = all_units_;
    options.allow_gaps = allow_gaps_;
    options.sensitivity = !no_sensitivity_;
    if (values) return run_values(ctx, options, owned);
    const StudyOptions study_options = inputs_.resolve();
    if (study_options.read.from && study_options.read.to)
      options.span = {study_options.read.from->month_index, study_options.read.to->month_index};
    options.validate();

    AtomicDirectory folder(outdir_, inputs_.overwrite, owned);
    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    const Progress progress = printer.callback();
    const Study study = progress_phase(
        progress, "reading", [&] { return prepare_study(inputs_.inputs, study_options); });
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    const Incidents& incidents = study.data.incidents;
    if (incidents.size() == 0) throw Error("no incident left to analyse");
    std::vector<std::int32_t> month(incidents.size());
    for (std::size_t i = 0; i < month.size(); ++i) month[i] = incidents.date[i].month_index;

    const Units units = progress_phase(progress, "units", [&] {
      return zones ? read_zone_units(ctx, study) : make_grid_units(study);
    });
    EmergingMemoryInput memory =
        emerging_memory_input(units, incidents.x, incidents.y, month, options);
    memory.rows_read = study.data.accounting.read;
    check_memory(ctx, memory);
    const EmergingResult result = analyse_emerging(units, incidents.x, incidents.y,
                                                   incidents.weight, month, options, progress);
    if (!inputs_.quiet) report(ctx, units, result, "incidents");

    EmergingFolderOptions out;
    std::vector<std::string> titles;
    for (const std::string& type : inputs_.study.read.crime_types)
      titles.push_back(group_title(type));
    out.title = titles.empty() ? "Emerging hot spots" : join(titles) + ": emerging hot spots";
    out.subtitle = fmt::format(
        "{} · {} steps of {} month{} ({}) · {} time lag{} · {} window{} · {} rules",
        units_label(units), result.steps.size(), step_months_, step_months_ > 1 ? "s" : "",
        result.span.label(), time_lags_, time_lags_ == 1 ? "" : "s", global_window_,
        no_fdr_ ? "" : ", FDR", compat_ == "sfdep" ? "sfdep" : "ArcGIS");
    out.attribution = kPoliceUkAttribution;
    for (const ZoneLayer& layer : study.boundaries)
      for (const Zone& z : layer.zones) out.boundary.push_back(z.geometry);
    out.gpkg = gpkg_;
    progress_phase(progress, "writing", [&] {
      write_emerging_folder(folder.temp_path(), study.analysis_crs, units, result, out);
    });
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    folder.commit();
    return 0;
  }

 private:
  /// The month a value field stands for: the part of `field` the pattern's '*' matched, as
  /// YYYY-MM, YYYY_MM or YYYYMM; -1 when it is none of these.
  static std::int32_t field_month(const std::string& field, const std::string& pattern) {
    const std::size_t star = pattern.find('*');
    const std::string part =
        field.substr(star, field.size() - (pattern.size() - 1));  // the '*' part
    std::string digits;
    for (std::size_t i = 0; i < part.size(); ++i) {
      const char c = part[i];
      if (c >= '0' && c <= '9')
        digits += c;
      else if (!((c == '-' || c == '_') && i == 4))
        return -1;
    }
    if (digits.size() != 6 || !(part.size() == 6 || part.size() == 7)) return -1;
    const int year = std::stoi(digits.substr(0, 4)), month = std::stoi(digits.substr(4, 2));
    if (month < 1 || month > 12) return -1;
    return year * 12 + month - 1;
  }

  // --zones --value-field: the zones' values per month, in --t_srs or the zones' own CRS.
  int run_values(Context& ctx, const EmergingOptions& options,
                 const std::vector<std::string>& owned) const {
    Crs crs;
    if (!inputs_.study.dst_crs.empty()) {
      crs = crs_from_user_text(inputs_.study.dst_crs);
      require_projected(crs, "--t_srs");
    }
    ZoneReadOptions read;
    read.value_field_pattern = value_field_;
    read.layer = zone_layer_;
    read.where = zone_where_;
    read.id_field = zone_id_field_;
    read.assume_crs = inputs_.study.boundary.assume_crs;
    const ZoneLayer layer = read_zones(zones_path_, read, crs);
    if (!inputs_.quiet)
      for (const ZoneRepair& r : layer.repairs)
        ctx.err << fmt::format("{}: zone {} repaired: {}\n", zones_path_, r.zone_id, r.reason);
    // One field per month, every month of the span once.
    std::map<std::int32_t, std::size_t> field_of;  // month -> index into value_fields
    for (std::size_t k = 0; k < layer.value_fields.size(); ++k) {
      const std::string& f = layer.value_fields[k];
      const std::int32_t m = field_month(f, value_field_);
      if (m < 0)
        throw InputError(zones_path_, 0, f,
                         fmt::format("matches --value-field '{}' but its '*' part is not a month "
                                     "(YYYY-MM, YYYY_MM or YYYYMM)",
                                     value_field_));
      const auto [at, added] = field_of.emplace(m, k);
      if (!added)
        throw InputError(
            zones_path_, 0, f,
            fmt::format("holds the same month as field '{}'", layer.value_fields[at->second]));
    }
    const Period span{field_of.begin()->first, field_of.rbegin()->first};
    std::vector<std::int32_t> missing;
    for (std::int32_t m = span.first; m <= span.last; ++m)
      if (!field_of.count(m)) missing.push_back(m);
    if (!missing.empty())
      throw InputError(zones_path_, 0, value_field_,
                       fmt::format("no field for {} between the first and last month of the "
                                   "fields ({}): every month needs its value",
                                   month_list(missing), span.label()));
    std::vector<std::vector<double>> values;
    for (const auto& [m, k] : field_of) {
      std::vector<double> step;
      step.reserve(layer.zones.size());
      for (const Zone& z : layer.zones) step.push_back(z.values[k]);
      values.push_back(std::move(step));
    }
    const Units units = zone_units(layer);
    const Crs& analysis_crs = crs.empty() ? layer.source_crs : crs;
    AtomicDirectory folder(outdir_, inputs_.overwrite, owned);
    const EmergingResult result = analyse_emerging_values(units, values, span, options);
    if (!inputs_.quiet) report(ctx, units, result, "(sum of the values)");
    EmergingFolderOptions out;
    out.title = fmt::format("{}: emerging hot spots", value_field_);
    out.subtitle = fmt::format(
        "{} zones' values · {} monthly steps ({}) · {} time lag{} · {} window{} · {} rules",
        units.size(), result.steps.size(), result.span.label(), time_lags_,
        time_lags_ == 1 ? "" : "s", global_window_, no_fdr_ ? "" : ", FDR",
        compat_ == "sfdep" ? "sfdep" : "ArcGIS");
    out.attribution = fmt::format(
        "Values: {} ({})", std::filesystem::path(zones_path_).filename().string(), value_field_);
    out.gpkg = gpkg_;
    write_emerging_folder(folder.temp_path(), analysis_crs, units, result, out);
    folder.commit();
    return 0;
  }

  static std::string join(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : ", ") + w;
    return s;
  }

  static std::string units_label(const Units& units) {
    switch (units.shape()) {
      case UnitShape::square:
        return fmt::format("{:g} m squares", units.cell_size_m());
      case UnitShape::hexagon:
        return fmt::format("{:g} m hexagons", units.cell_size_m());
      case UnitShape::zone:
        break;
    }
    return "zones";
  }

  double budget_mb() const {
    return max_memory_mb_ > 0 ? max_memory_mb_ : default_memory_budget_mb();
  }

  // Refuses a cube whose estimated peak is above --max-memory, with the estimate, what makes it
  // and what would fit; -v prints the estimate.
  void check_memory(const Context& ctx, const EmergingMemoryInput& in) const {
    const MemoryEstimate e = estimate_emerging_memory(in);
    const double budget = budget_mb();
    if (inputs_.verbose)
      ctx.err << fmt::format("estimated peak memory {:.0f} MB (at {}: {})\n", e.bytes / 1e6,
                             e.peak_phase, e.breakdown());
    if (e.bytes / 1e6 <= budget) return;
    std::string ways;
    EmergingMemoryInput t = in;
    t.sensitivity = false;
    if (in.sensitivity && estimate_emerging_memory(t).bytes / 1e6 <= budget)
      ways += "--no-sensitivity, ";
    for (int step = std::max(step_months_, 1) + 1; step <= 12 && !in.sensitivity; ++step) {
      t.steps = in.months / step;
      if (estimate_emerging_memory(t).bytes / 1e6 <= budget) {
        ways += fmt::format("--time-step-months {}, ", step);
        break;
      }
    }
    throw InvalidArgument(fmt::format(
        "this run would need about {:.0f} MB (a cube of {:.0f} units x {} steps; peak at {}: "
        "{}), more than --max-memory {:.0f} MB; use {}a larger --cell-size, a shorter period "
        "(--from/--to) or raise --max-memory",
        e.bytes / 1e6, in.cube_units, in.steps, e.peak_phase, e.breakdown(), budget, ways));
  }

  Units make_grid_units(const Study& study) const {
    GridUnitsOptions grid;
    grid.shape = grid_ == "hex" ? UnitShape::hexagon : UnitShape::square;
    grid.cell_size_m = cell_size_m_;
    grid.max_memory_mb = budget_mb();
    const Incidents& incidents = study.data.incidents;
    return grid_units(grid, study.study_area, incidents.x, incidents.y);
  }

  Units read_zone_units(const Context& ctx, const Study& study) const {
    ZoneReadOptions read;
    read.layer = zone_layer_;
    read.where = zone_where_;
    read.id_field = zone_id_field_;
    read.assume_crs = inputs_.study.boundary.assume_crs;
    const ZoneLayer layer = read_zones(zones_path_, read, study.analysis_crs);
    if (!inputs_.quiet)
      for (const ZoneRepair& r : layer.repairs)
        ctx.err << fmt::format("{}: zone {} repaired: {}\n", zones_path_, r.zone_id, r.reason);
    return zone_units(layer);
  }

  void report(const Context& ctx, const Units& units, const EmergingResult& r,
              std::string_view what) const {
    const std::size_t n = r.units.size();
    ctx.err << fmt::format("cube: {} of {} {} x {} steps of {} month{} ({}) = {} bins, {:.6g} {}\n",
                           n, units.size(), units_label(units), r.steps.size(), step_months_,
                           step_months_ > 1 ? "s" : "", r.span.label(), n * r.steps.size(),
                           r.counted_weight, what);
    if (r.band_default || inputs_.verbose)
      ctx.err << fmt::format(
          "neighbours: {}\n",
          r.knn > 0 ? fmt::format("{} nearest units", r.knn)
          : r.distance_band_m > 0
              ? fmt::format("distance band {:g} m{}", r.distance_band_m,
                            r.band_default ? fmt::format(" ({} cells)", kDefaultBandCells) : "")
              : fmt::format("{} contiguity", contiguity_));
    if (!r.dropped_months.empty())
      ctx.err << fmt::format("left out (fewer than one {}-month step before the cube): {}\n",
                             step_months_, month_list(r.dropped_months));
    if (!r.gap_months.empty())
      ctx.err << fmt::format("warning: months without any incident, analysed as zeros: {}\n",
                             month_list(r.gap_months));
    if (r.steps.size() < 10)
      ctx.err << fmt::format("warning: {} time steps; ArcGIS requires at least 10 for a trend\n",
                             r.steps.size());
    if (r.uncounted_weight > 0)
      ctx.err << fmt::format("{:.6g} incidents lie in no unit and are not counted\n",
                             r.uncounted_weight);
    if (r.islands > 0)
      ctx.err << fmt::format("{} unit(s) without a spatial neighbour (time lags only)\n",
                             r.islands);
    const MannKendallResult& o = r.overall_trend;
    ctx.err << fmt::format("overall trend of the cube: Mann-Kendall z {:.3f}, p {:.3g}\n", o.z,
                           o.p);
    std::string classes;
    for (std::size_t k = 0; k < kEhsaClassCount; ++k)
      if (r.class_counts[k] > 0)
        classes += fmt::format("{}{} {}", classes.empty() ? "" : ", ", r.class_counts[k],
                               ehsa_class_label(static_cast<EhsaClass>(k)));
    ctx.err << "classes: " << classes << "\n";
  }

  InputOptions inputs_;
  CLI::Option* grid_option_ = nullptr;
  CLI::Option* band_option_ = nullptr;
  CLI::Option* knn_option_ = nullptr;
  std::string grid_ = "square";
  double cell_size_m_ = 0;
  std::string zones_path_;
  std::string zone_id_field_;
  std::string zone_layer_;
  std::string zone_where_;
  std::string value_field_;
  std::string contiguity_ = "queen";
  double contiguity_snap_m_ = 0.001;
  double distance_band_m_ = 0;
  int knn_ = 0;
  int step_months_ = 1;
  double max_memory_mb_ = 0;
  int time_lags_ = 1;
  std::string global_window_ = "cube";
  bool no_fdr_ = false;
  std::string compat_ = "arcgis";
  bool all_units_ = false;
  bool allow_gaps_ = false;
  bool no_sensitivity_ = false;
  std::string outdir_;
  bool gpkg_ = false;
  bool progress_ = false;
};

}  // namespace

std::unique_ptr<Command> make_emerging_command() {
  return std::make_unique<EmergingCommand>();
}

}  // namespace hotspots::cli
