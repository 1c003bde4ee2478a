// SPDX-License-Identifier: MIT
// `hotspots change`: two-period change and persistence
// (engine/include/hotspots/hotspots/change.hpp) written to a folder (change_layers.hpp).

#include <fmt/format.h>

#include <algorithm>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/change.hpp"
#include "hotspots/hotspots/change_layers.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/pack/pack_contents.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

std::int32_t month_of(const std::string& text, const char* flag) {
  const std::int32_t m = parse_year_month(text);
  if (m < 0) throw InvalidArgument(fmt::format("{} '{}': expected YYYY-MM", flag, text));
  return m;
}

class ChangeCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "change",
        "Two-period change: KDE difference and ratio, cell counts with an exact test, and which "
        "patrol places persist, are new or have ceased");
    inputs_.add_to(*app);
    app->add_option("--before-from", before_from_,
                    "first month of the before period A (YYYY-MM; default: the months of equal "
                    "length just before --from)")
        ->group("Periods");
    app->add_option("--before-to", before_to_, "last month of the before period A (YYYY-MM)")
        ->group("Periods");
    app->add_option("--radius", o_.kde.radius_m,
                    "KDE radius in metres, the same for both periods (default: Silverman's rule "
                    "on both periods' incidents together)")
        ->check(CLI::PositiveNumber)
        ->group("Surface");
    app->add_option("--cell-size", cell_size_m_,
                    "cell size in metres of the surface and of the cell counts (default: the "
                    "study extent's shorter side / 250)")
        ->check(CLI::PositiveNumber)
        ->group("Surface");
    app->add_option("--kernel", kernel_, "KDE kernel (default quartic)")
        ->check(CLI::IsMember(kernel_names()))
        ->group("Surface");
    app->add_option("--alpha", o_.alpha,
                    "level of the cells' change flag, after Benjamini-Hochberg (default 0.05)")
        ->group("Cells");
    app->add_option("--count,--patrol-count", o_.places.max_count,
                    "patrol places in each period's top list (default 10)")
        ->group("Places");
    app->add_option("--patrol-shape", shape_,
                    "patrol places: cells (default, the busiest 100 m cells) or circle")
        ->check(CLI::IsMember({"cells", "circle"}))
        ->group("Places");
    app->add_option("--place-radius", o_.places.radius_m,
                    "radius of a circle place, or how far a busy cell joins a place's first "
                    "cell, metres (default 150)")
        ->check(CLI::PositiveNumber)
        ->group("Places");
    app->add_option("--min-per-month", o_.places.min_incidents_per_month,
                    "least incidents per month of a circle place (default 3)")
        ->group("Places");
    app->add_option("--min-cell-per-month", o_.places.min_cell_incidents_per_month,
                    "least incidents per month of each cell of a cells place (default 1)")
        ->group("Places");
    app->add_option("--min-overlap", o_.min_overlap_share,
                    "two places match when their overlap is at least this share of the smaller "
                    "one's area (default 0.5)")
        ->group("Places");
    app->add_option("--persistence-periods", o_.persistence_periods,
                    "N: count how many of the last N periods of equal length each place of the "
                    "after period was in the top list (default 4)")
        ->group("Places");
    app->add_option("-o,--output", outdir_,
                    "output folder: difference.tif, ratio.tif, cells.csv/.geojson, "
                    "places.csv/.geojson, map.png")
        ->required()
        ->group("Output");
    add_progress_flag(*app, progress_);
    app->footer(
        "Examples:\n"
        "  hotspots change street/ --crime-type violence --from 2021-11 --to 2022-10 \\\n"
        "      --boundary leics_lad.geojson --boundary-where \"LAD13CD = 'E06000016'\" \\\n"
        "      --radius 300 --cell-size 100 -o violence_change\n"
        "  hotspots change data/sample/police_uk --crime-type asb --from 2024-07 --to 2024-12 \\\n"
        "      --before-from 2024-01 --before-to 2024-06 --skip-bad-rows -o asb_change\n\n"
        "The after period B is --from..--to; the before period A is --before-from..--before-to\n"
        "or the months of equal length just before B. difference.tif = B - A (incidents per\n"
        "km2), ratio.tif = B / A (nodata where A is 0). Each cell's counts are tested with the\n"
        "exact conditional binomial of the zone table (README 'Change').\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    if (inputs_.from.empty() || inputs_.to.empty())
      throw InvalidArgument("give the after period with --from and --to (YYYY-MM)");
    const Period after{month_of(inputs_.from, "--from"), month_of(inputs_.to, "--to")};
    if (!after.valid()) throw InvalidArgument("--from must not be after --to");
    Period before = after.previous();
    if (!before_from_.empty() || !before_to_.empty()) {
      if (before_from_.empty() || before_to_.empty())
        throw InvalidArgument("give both --before-from and --before-to, or neither");
      before = {month_of(before_from_, "--before-from"), month_of(before_to_, "--before-to")};
    }
    o_.kde.kernel = parse_kernel(kernel_);
    if (o_.places.max_count == 0) o_.places.max_count = 10;
    o_.places.shape = parse_patrol_shape(shape_);
    if (o_.persistence_periods < 1) throw InvalidArgument("--persistence-periods must be >= 1");
    const std::vector<std::string> owned = change_folder_files();
    check_outputs(inputs_, {}, {}, {outdir_});

    // One read from the first month any period needs to the end of B.
    const std::int32_t first =
        std::min(before.first, after.first - (o_.persistence_periods - 1) * after.months());
    StudyOptions study_options = inputs_.resolve();
    study_options.read.from = Date{};
    study_options.read.from->month_index = first;
    study_options.read.to = Date{};
    study_options.read.to->month_index = after.last;
    AtomicDirectory folder(outdir_, inputs_.overwrite, owned);
    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    const Progress progress = printer.callback();
    const Study study = progress_phase(
        progress, "reading", [&] { return prepare_study(inputs_.inputs, study_options); });
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    require_incidents(study);
    const Incidents& incidents = study.data.incidents;
    std::vector<std::int32_t> month(incidents.size());
    for (std::size_t i = 0; i < month.size(); ++i) month[i] = incidents.date[i].month_index;

    // The radius and the grid, shared by both periods.
    const bool radius_default = !(o_.kde.radius_m > 0);
    if (radius_default) {
      WeightedPoints both;
      for (std::size_t i = 0; i < incidents.size(); ++i)
        if (before.contains(month[i]) || after.contains(month[i])) {
          both.x.push_back(incidents.x[i]);
          both.y.push_back(incidents.y[i]);
          both.w.push_back(incidents.weight[i]);
        }
      if (both.x.empty())
        throw Error(fmt::format("no incident in {} or {}", before.label(), after.label()));
      o_.kde.radius_m = silverman_radius(both);
    }
    Extent data_extent;
    for (std::size_t i = 0; i < incidents.size(); ++i)
      data_extent.include(incidents.x[i], incidents.y[i]);
    const bool masked = !study.study_area.empty();
    const Extent extent = masked ? extent_of(study.study_area) : data_extent.grown(o_.kde.radius_m);
    const double cell = cell_size_m_ > 0 ? cell_size_m_ : default_cell_size(extent);
    const GridSpec grid = snapped_grid(extent, cell);
    CellMask mask;
    if (masked) mask = cell_mask(grid, study.study_area);
    if (inputs_.verbose || (!inputs_.quiet && (radius_default || !(cell_size_m_ > 0))))
      ctx.err << fmt::format("radius {:.1f} m{}, cell size {:.1f} m, grid {} x {} cells\n",
                             o_.kde.radius_m, radius_default ? " (Silverman rule)" : "", cell,
                             grid.cols, grid.rows);

    const ChangeResult r = progress_phase(progress, "comparing the periods", [&] {
      return analyse_change(incidents, month, before, after, grid, masked ? &mask : nullptr,
                            area(study.study_area) / 1e6, o_);
    });

    ChangeFolderOptions out;
    std::string types;
    for (const std::string& type : inputs_.study.read.crime_types)
      types += (types.empty() ? "" : ", ") + group_title(type);
    out.title =
        fmt::format("{}: {} against {}", types.empty() ? std::string("All incidents") : types,
                    after.label(), before.label());
    out.subtitle = fmt::format(
        "KDE difference ({} {:.0f} m, {:.4g} m cells) · patrol places ({}), top {}, matched at "
        "{:g} overlap",
        to_string(o_.kde.kernel), o_.kde.radius_m, cell, patrol_shape_text(o_.places),
        o_.places.max_count, o_.min_overlap_share);
    out.attribution = kPoliceUkAttribution;
    for (const ZoneLayer& layer : study.boundaries)
      for (const Zone& z : layer.zones) out.boundary.push_back(z.geometry);
    out.metadata = {{"HOTSPOTS_VERSION", HOTSPOTS_VERSION},
                    {"HOTSPOTS_COMMAND", ctx.command_line},
                    {"KERNEL", std::string(to_string(o_.kde.kernel))},
                    {"RADIUS_M", fmt::format("{}", o_.kde.radius_m)},
                    {"RADIUS_SOURCE", radius_default ? "silverman_rule" : "given"},
                    {"CELL_SIZE_M", fmt::format("{}", cell)},
                    {"CRS", study.analysis_crs.label()}};
    progress_phase(progress, "writing",
                   [&] { write_change_folder(folder.temp_path(), study.analysis_crs, r, out); });
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    folder.commit();
    if (!inputs_.quiet) {
      report(ctx, r);
      std::int32_t first_month = after.last;
      for (const std::int32_t m : month) first_month = std::min(first_month, m);
      const std::int32_t needed = std::min(r.before.first, r.persistence_periods.front().first);
      if (first_month > needed)
        ctx.err << fmt::format(
            "warning: the periods compared start in {} but the data in {}: months without data "
            "read as no incidents and no place in the top list\n",
            month_to_string(needed), month_to_string(first_month));
    }
    return 0;
  }

 private:
  static void report(const Context& ctx, const ChangeResult& r) {
    std::int64_t up = 0;
    std::int64_t down = 0;
    for (const CellChange& c : r.cells) {
      up += c.flag == "up" ? 1 : 0;
      down += c.flag == "down" ? 1 : 0;
    }
    ctx.err << fmt::format("before {}: {} incidents; after {}: {} incidents\n", r.before.label(),
                           r.before_incidents, r.after.label(), r.after_incidents);
    ctx.err << fmt::format("cells: {} with incidents, {} up and {} down (FDR)\n", r.cells.size(),
                           up, down);
    ctx.err << fmt::format("patrol places: {} of {} persist, {} ceased, {} new of {}\n", r.persists,
                           r.before_places.size(), r.ceased, r.new_places, r.after_places.size());
    if (r.surfaces.new_ground_cells > 0)
      ctx.err << fmt::format("{} cells had no density before (ratio nodata there)\n",
                             r.surfaces.new_ground_cells);
  }

  InputOptions inputs_;
  ChangeOptions o_;
  std::string before_from_;
  std::string before_to_;
  double cell_size_m_ = 0;
  std::string kernel_ = "quartic";
  std::string shape_ = to_string(PatrolPlaceOptions{}.shape);
  std::string outdir_;
  bool progress_ = false;
};

}  // namespace

std::unique_ptr<Command> make_change_command() {
  return std::make_unique<ChangeCommand>();
}

}  // namespace hotspots::cli
