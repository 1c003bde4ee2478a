// SPDX-License-Identifier: MIT
#include "hotspots/pack/run_pack.hpp"

#include "hotspots/core/binning.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <numeric>
#include <set>
#include <utility>
#include <vector>

#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "hotspots/core/error.hpp"
#include "hotspots/core/period.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/pack_folder.hpp"
#include "hotspots/io/path_guard.hpp"
#include "hotspots/io/rejects.hpp"
#include "hotspots/io/text_encoding.hpp"
#include "hotspots/pack/analyse_memory.hpp"
#include "hotspots/pack/manifest.hpp"
#include "hotspots/pack/products/product_list.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;

void say(const std::function<void(std::string_view)>& sink, const std::string& text) {
  if (sink) sink(text);
}

/// Every group must name crime types the inputs hold (as --crime-type does).
void check_groups(const std::vector<std::string>& groups,
                  const std::vector<std::pair<std::string, std::int64_t>>& present) {
  std::set<std::string> present_lower;
  std::vector<std::string> names;
  for (const auto& [name, rows] : present) {
    std::string key;
    for (char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    present_lower.insert(key);
    names.push_back(name);
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string& group = groups[i];
    const std::vector<std::string> members = expand_crime_types({group});
    if (members.empty()) continue;  // all
    const bool any = std::any_of(members.begin(), members.end(),
                                 [&](const std::string& m) { return present_lower.count(m) > 0; });
    if (!any)
      throw Error(fmt::format("groups[{}] '{}' matches no crime type in the inputs; present: {}", i,
                              group,
                              names.empty() ? "none" : fmt::format("{}", fmt::join(names, "; "))));
  }
}

std::set<std::int32_t> months_of(const Incidents& incidents) {
  std::set<std::int32_t> months;
  for (const Date& d : incidents.date)
    if (d.has_month()) months.insert(d.month_index);
  return months;
}

/// The analysis period from from/to or the months of the data, and whether a fair comparison
/// with the previous period is possible at all.
PackPeriod analysis_period(const Study& study, const StudyOptions& options) {
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
  p.current.first = options.read.from ? options.read.from->month_index : *months.begin();
  p.current.last = options.read.to ? options.read.to->month_index : *months.rbegin();
  for (const std::int32_t m : p.current.month_indexes())
    if (!months.count(m)) p.current_missing_months.push_back(m);
  if (!p.current_missing_months.empty())
    p.no_change_reason = fmt::format("the inputs have no incident in {} of the period",
                                     month_list(p.current_missing_months));
  return p;
}

/// The months from/to ask for; without `to`, up to the last month with an incident.
Period focus_period(const Study& all, const ReadOptions& read) {
  Period p{read.from->month_index, read.to ? read.to->month_index : read.from->month_index};
  if (!read.to)
    for (const Date& d : all.data.incidents.date) p.last = std::max(p.last, d.month_index);
  return p;
}

/// The previous period's incidents, sliced from the study read once (the same filters, CRS
/// and study area; unparsable rows there only lower a count, which the manifest reports).
/// Sets period.previous_available only when every month of both periods has data, so a gap
/// in the files never shows up as a rise or a fall. `all` null: nothing was read before the
/// period.
Incidents previous_period(const Study* all, PackPeriod& period) {
  if (!period.current.valid() || !period.current_missing_months.empty()) return {};
  Study previous = all ? slice(*all, period.previous(), /*with_rows=*/false) : Study{};
  if (previous.data.incidents.size() == 0) {
    period.no_change_reason =
        fmt::format("the inputs have no usable incident in {}", period.previous_label());
    return {};
  }
  const std::set<std::int32_t> months = months_of(previous.data.incidents);
  std::vector<std::int32_t> missing;
  for (const std::int32_t m : period.previous().month_indexes())
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

/// Zone table and concentration of a group that has no map (no incident, or too few locations
/// for a surface), so that its columns and rows are in the pack all the same.
void fill_unmapped(GroupResult& result, const Incidents& current, const Incidents& previous,
                   const PackRequest& request) {
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

PackZones load_zones(const Study& study, const PackSpec& spec) {
  const std::string& zones_path = spec.zones_path;
  const std::string& population_field = spec.population_field;
  PackZones z;
  if (zones_path.empty()) {
    // The boundary features (e.g. districts) are the zones.
    for (const ZoneLayer& layer : study.boundaries)
      z.zones.insert(z.zones.end(), layer.zones.begin(), layer.zones.end());
    z.source = study.boundaries.empty() ? "" : study.boundaries.front().path;
    if (!population_field.empty()) throw InvalidArgument("zones.population_field needs zones.path");
    return z;
  }
  ZoneReadOptions options = spec.zones;
  if (!population_field.empty()) options.extra_fields = {population_field};
  ZoneLayer layer = read_zones(zones_path, options, study.analysis_crs);
  require_unique_zone_ids(layer);  // the zone table is keyed by id
  z.source = zones_path;
  z.id_field = layer.id_field;
  z.name_field = layer.name_field;
  z.repairs = layer.repairs.size();
  z.zones = std::move(layer.zones);
  if (!study.study_area.empty()) {
    // Only the zones of the study area: a district run must not tabulate a county's zones.
    const std::vector<double> share = area_shares_inside(z.zones, study.study_area);
    std::vector<Zone> kept;
    for (std::size_t i = 0; i < z.zones.size(); ++i)
      if (share[i] >= kMinZoneShareInside) kept.push_back(std::move(z.zones[i]));
    z.left_out = z.zones.size() - kept.size();
    if (kept.empty())
      throw InputError(
          zones_path, 0, "",
          fmt::format("none of its {} zones{} has the larger part of its area in the study area",
                      z.zones.size(), options.where.empty() ? "" : " selected by zones.where"));
    z.zones = std::move(kept);
  }
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

GridSpec pack_grid(const Study& study, const PackSpec& spec) {
  const double band = spec.analysis.gistar.distance_band_m;
  const Extent extent = extent_of(study.study_area);
  const double cell =
      spec.cell_size_m > 0
          ? spec.cell_size_m
          : street_scale(study.data.incidents.x, study.data.incidents.y).cell_size_m;
  const GridSpec grid = snapped_grid(extent, cell);
  if (band > 0 && band < cell)
    throw InvalidArgument(
        fmt::format("distance_band_m {} m is shorter than the cell size {} m: no cell would have a "
                    "neighbour",
                    band, cell));
  return grid;
}

/// One group's figures on the request's grid: analyse_group(), or, when the group cannot be
/// mapped, its zone table and concentration alone with a note saying why.
GroupResult analyse_pack_group(const std::string& group, const Incidents& current,
                               const Incidents& previous, const Incidents& outside,
                               const PackRequest& request) {
  GroupResult result;
  result.name = group;
  result.folder = pack_folder_name(group);
  result.current_incidents = static_cast<std::int64_t>(current.size());
  result.previous_incidents = static_cast<std::int64_t>(previous.size());
  const auto per_month = [](const Incidents& inc, const Period& p) {
    std::vector<double> out(static_cast<std::size_t>(p.months()), 0.0);
    for (std::size_t i = 0; i < inc.size(); ++i)
      if (inc.date[i].has_month() && p.contains(inc.date[i].month_index))
        out[static_cast<std::size_t>(inc.date[i].month_index - p.first)] += inc.weight[i];
    return out;
  };
  if (request.period.current.valid()) {
    result.monthly = per_month(current, request.period.current);
    if (request.period.previous_available)
      result.monthly_previous = per_month(previous, request.period.previous());
  }
  if (current.size() == 0) {
    result.note = "no incident in the period";
  } else {
    try {
      result.analysis = analyse_group(current, previous, outside, request.grid, &request.mask,
                                      request.zones.zones, request.zones.population,
                                      request.options, request.period.current.months());
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
    return result;
  }
  result.busiest = rank_busiest_cells(
      bin_points(request.busiest_grid, current.x, current.y, current.weight, &request.busiest_mask),
      request.options.hot_top_percent);
  result.surface_max = finite_max(result.analysis.surface);
  if (result.surface_max > 0)
    result.surface_breaks =
        hotspot_class_breaks(result.analysis.surface, 0.0, result.analysis.hot_threshold);
  return result;
}

/// Runs `jobs` side by side (TBB) and, when some fail, rethrows the first failing one's exception
/// in list order, whatever finished first.
void run_side_by_side(const std::vector<std::function<void()>>& jobs) {
  std::vector<std::exception_ptr> failures(jobs.size());
  tbb::parallel_for(std::size_t{0}, jobs.size(), [&](std::size_t i) {
    try {
      jobs[i]();
    } catch (...) {
      failures[i] = std::current_exception();
    }
  });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

template <class P>
bool product_enabled(const PackContents& pack) {
  if constexpr (requires { P::enabled(pack); })
    return P::enabled(pack);
  else
    return true;
}

void write_group_products(const PackContents& pack, const GroupResult& group,
                          const std::string& dir) {
  const fs::path folder = fs::path(dir) / group.folder;
  std::error_code ec;
  fs::create_directory(folder, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create: {}", folder.string(), ec.message()));
  // The group's products write separate files from the same const figures, so they run side
  // by side (TBB; as many at once as the thread limit allows). Each file's bytes are made by
  // one product alone, so they do not depend on the order or the number of threads. When
  // products fail, the first failing one in list order is reported, whatever finished first.
  std::vector<std::function<void()>> writes;
  for_each_type(PackProductList{}, [&]<class P>() {
    if constexpr (P::scope == ProductScope::group)
      if (product_enabled<P>(pack))
        writes.emplace_back([&pack, &group, &folder] { P::write(pack, group, folder.string()); });
  });
  run_side_by_side(writes);
}

/// Each pack-scope product, timed on its own (manifest.json timings_s, `-v`); then the gathering
/// ones (tables.xlsx, the report), which read the others' files, side by side (TBB), timed
/// together. As with a group's products, the first failing one in list order is reported.
void write_pack_products(const PackContents& pack, const std::string& dir, PhaseTimer& timer) {
  std::vector<std::function<void()>> gathering;
  std::string names;
  for_each_type(PackProductList{}, [&]<class P>() {
    if constexpr (P::scope == ProductScope::pack) {
      if (!product_enabled<P>(pack)) return;
      if constexpr (GatheringProduct<P>) {
        gathering.emplace_back([&pack, &dir] { P::write(pack, dir); });
        names += (names.empty() ? "" : " + ") + std::string(P::name);
      } else {
        P::write(pack, dir);
        timer.lap(std::string(P::name));
      }
    }
  });
  run_side_by_side(gathering);
  if (!gathering.empty()) timer.lap(names);
}

}  // namespace

PackSpec validated_pack_spec(PackSpec spec) {
  spec = resolve_pack_defaults(std::move(spec));
  for (const auto& bound : {spec.study.read.from, spec.study.read.to})
    if (bound && bound->has_day())
      throw InvalidArgument(
          "read.from/read.to: a pack compares whole months with the months before; give them as "
          "YYYY-MM");
  std::set<std::string> folders;
  for (std::size_t i = 0; i < spec.groups.size(); ++i) {
    const std::string& g = spec.groups[i];
    (void)expand_crime_types({g});  // throws InvalidArgument for an empty name
    if (!folders.insert(pack_folder_name(g)).second)
      throw InvalidArgument(fmt::format("groups[{}] '{}' is given twice", i, g));
  }
  return spec;
}

namespace {

// The study of a pack's period and the previous period's incidents: one read (the previous
// period as history), sliced; refuses an empty period and groups the data lack. The run and the
// estimate (estimate_pack_memory) read alike.
struct PackInputs {
  Study study;
  PackPeriod period;
  Incidents previous;
};

PackInputs read_pack_inputs(const PackSpec& spec, const PackEvents& events, PhaseTimer& timer) {
  PackInputs out;
  // One read serves both periods: the previous period is read as history and sliced off.
  StudyOptions study_options = spec.study;
  study_options.read.keep_rejected_rows = true;  // rejects.csv lists every unusable row
  study_options.keep_outside = spec.analysis.edge_incidents;  // smoothed near the boundary
  const ReadOptions& read = spec.study.read;
  if (read.from) {
    // With `to`, the previous period of equal length; without, every month before `from`.
    study_options.read.history_from = Date{};
    study_options.read.history_from->month_index =
        read.to ? Period{read.from->month_index, read.to->month_index}.previous().first : 0;
  }
  Study all = progress_phase(events.progress, "reading",
                             [&] { return prepare_study(spec.inputs, study_options); });
  // Without `from` every month read is the period, and nothing precedes its first incident.
  const bool has_history = read.from.has_value();
  out.study = has_history ? slice(all, focus_period(all, read)) : std::move(all);
  timer.lap("read");
  if (events.study_read) events.study_read(out.study);
  // An empty period must not make a pack of zeros with exit code 0.
  require_incidents(out.study);
  check_groups(spec.groups, out.study.data.types_present);
  out.period = analysis_period(out.study, study_options);
  out.previous = previous_period(has_history ? &all : nullptr, out.period);
  all = Study{};  // sliced: release the history
  timer.lap("previous period");
  return out;
}

AnalyseMemoryInput memory_input(const Study& study, const Incidents& previous, const GridSpec& grid,
                                int permutations) {
  AnalyseMemoryInput in;
  in.incidents = study.data.incidents.size() + previous.size() + study.outside.size();
  in.rows_read = study.data.accounting.read;
  in.grid_cells = grid.cell_count();
  in.permutations = permutations;
  return in;
}

// Refuses (InvalidArgument naming the fields) a pack whose estimated peak with one group at a
// time is above options.max_memory_mb, before the grid is allocated.
void check_memory(const Study& study, const Incidents& previous, const PackRequest& request,
                  const PackRunOptions& options) {
  const AnalyseMemoryInput in =
      memory_input(study, previous, request.grid, request.options.gistar.permutations);
  const MemoryEstimate e = estimate_analyse_memory(in);
  if (!(options.max_memory_mb > 0) || e.bytes / 1e6 <= options.max_memory_mb) return;
  const double budget = options.max_memory_mb * 1e6;
  const double cell = analyse_cell_size_that_fits(in, request.grid.cell_size_m, budget);
  std::string ways;
  if (std::isfinite(cell)) ways += fmt::format("cell_size_m {:.0f} or larger, ", cell);
  AnalyseMemoryInput without = in;
  without.permutations = 0;
  if (in.permutations > 0 && estimate_analyse_memory(without).bytes <= budget)
    ways += "permutations 0 (no local Moran's I), ";
  throw InvalidArgument(fmt::format(
      "this pack would need about {:.0f} MB ({} x {} cells of {:g} m, {} incidents; peak at {}: "
      "{}), more than max_memory_mb {:.0f} MB; use {}a shorter period or raise max_memory_mb",
      e.bytes / 1e6, request.grid.cols, request.grid.rows, request.grid.cell_size_m, in.incidents,
      e.peak_phase, e.breakdown(), options.max_memory_mb, ways));
}

enum class MessageKind { note, decision, warning };

/// One group's run: its result (surfaces released once written), what the run says of it, in
/// order, and the exception that stopped it.
struct GroupRun {
  GroupResult result;
  std::vector<std::pair<MessageKind, std::string>> messages;
  std::exception_ptr failure;
};

/// Analyses one group and writes its products into `folder`: its figures and files depend on the
/// group's incidents and the request alone, so groups can run side by side.
GroupRun run_group(const PackContents& pack, const std::string& group, const Study& study,
                   const Incidents& previous_all, const std::string& folder) {
  GroupRun run;
  const auto say_later = [&run](MessageKind kind, std::string text) {
    run.messages.emplace_back(kind, std::move(text));
  };
  try {
    const PackRequest& request = pack.request;
    GroupResult result;
    {
      const Incidents current = select_group(study.data.incidents, group);
      const Incidents previous = select_group(previous_all, group);
      const Incidents outside = select_group(study.outside, group);
      result = analyse_pack_group(group, current, previous, outside, request);
    }
    if (!result.mapped) {
      say_later(MessageKind::note,
                fmt::format("{}: not mapped ({}); its zone and concentration figures are "
                            "still in the pack",
                            group, result.note));
      run.result = std::move(result);
      return run;
    }
    say_later(
        MessageKind::note,
        fmt::format(
            "{}: {} incidents, radius {:.0f} m{}, {} KDE hotspots, {} hot / {} cold Gi* clusters",
            group, grouped(result.current_incidents), result.analysis.radius_m,
            result.analysis.edge_incidents > 0
                ? fmt::format(" (the surface also smooths {} incidents outside the boundary "
                              "within one radius; counted nowhere)",
                              grouped(result.analysis.edge_incidents))
                : std::string(),
            result.analysis.hotspots.size(), result.analysis.clusters.hot.size(),
            result.analysis.clusters.cold.size()));
    if (result.analysis.radius_from_rule)
      say_later(MessageKind::decision,
                fmt::format("{}: radius: {}", group, describe(result.analysis.scale)));
    if (!result.analysis.oversize.warning.empty())
      say_later(MessageKind::warning,
                fmt::format("{}: {}", group, result.analysis.oversize.warning));
    for (const std::string& line : patrol_report(result.analysis.patrol))
      say_later(MessageKind::note, fmt::format("{}: {}", group, line));
    // The change and emerging analyses once, for their products and summary.md.
    if (product_enabled<ChangeProduct>(pack)) {
      auto change = std::make_shared<const ChangeResult>(pack_change(pack, result));
      result.change = change_figures(*change);
      result.change_result = std::move(change);
    }
    if (product_enabled<EmergingProduct>(pack)) {
      auto emerging = std::make_shared<const PackEmerging>(pack_emerging(pack, result));
      result.emerging = emerging_figures(*emerging, request.spec.emerging);
      result.emerging_result = std::move(emerging);
    }
    write_group_products(pack, result, folder);
    result.change_result.reset();
    result.emerging_result.reset();
    // The surfaces are large and written; keep only the figures for the summary.
    result.analysis.surface = Raster{};
    result.analysis.gistar = GiStarCells{};
    run.result = std::move(result);
  } catch (...) {
    run.failure = std::current_exception();
  }
  return run;
}

/// How many groups run side by side: as many as there are threads, two at most (each holds its
/// surfaces until written), fewer when the estimate for that many is above max_memory_mb
/// (check_memory has made sure one fits). Tells -v and the caller (a batch reserves it) the
/// estimate for the number chosen.
/// The most groups run_pack analyses side by side: one per thread, two at most.
std::size_t most_groups_at_once(std::size_t groups) {
  const auto threads = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  return std::min({groups, threads, std::size_t{2}});
}

std::size_t groups_at_once(const Study& study, const Incidents& previous,
                           const PackRequest& request, const PackRunOptions& options,
                           const PackEvents& events) {
  std::size_t at_once = most_groups_at_once(request.spec.groups.size());
  AnalyseMemoryInput in =
      memory_input(study, previous, request.grid, request.options.gistar.permutations);
  for (; at_once > 1; --at_once) {
    in.groups_at_once = static_cast<int>(at_once);
    if (!(options.max_memory_mb > 0) ||
        estimate_analyse_memory(in).bytes / 1e6 <= options.max_memory_mb)
      break;
  }
  at_once = std::max<std::size_t>(at_once, 1);
  in.groups_at_once = static_cast<int>(at_once);
  const MemoryEstimate e = estimate_analyse_memory(in);
  say(events.decision, fmt::format("estimated peak memory {:.0f} MB (at {}: {})", e.bytes / 1e6,
                                   e.peak_phase, e.breakdown()));
  if (events.memory_estimated) events.memory_estimated(e);
  return at_once;
}

}  // namespace

PackRunResult run_pack(const PackSpec& given, const PackRunOptions& options,
                       const PackEvents& events) {
  PackRunResult out;
  PhaseTimer& timer = out.timer;
  PackRequest request;
  request.spec = validated_pack_spec(given);
  const PackSpec& spec = request.spec;
  request.command_line = options.command_line;
  request.version = options.version;
  request.options = spec.analysis;

  // Refuse what cannot be written before reading anything.
  if (options.output_dir.empty())
    throw InvalidArgument("output_dir: give the folder to write the pack to");
  RunPaths paths;
  paths.inputs = spec.inputs;
  paths.inputs.insert(paths.inputs.end(), spec.study.boundary_paths.begin(),
                      spec.study.boundary_paths.end());
  paths.inputs.push_back(spec.zones_path);
  paths.inputs.push_back(spec.basemap_path);
  paths.output_files = {options.rejects_path};
  paths.output_folders = {options.output_dir};
  check_run_paths(paths, options.overwrite);
  std::vector<std::string> replaced;  // an old pack's own files: only these are replaced
  if (options.overwrite && fs::exists(options.output_dir))
    replaced = existing_pack_files(options.output_dir);
  AtomicDirectory folder(options.output_dir, options.overwrite, replaced);

  PackInputs in = read_pack_inputs(spec, events, timer);
  Study& study = in.study;
  request.period = std::move(in.period);
  request.previous = std::move(in.previous);
  const Incidents& previous_all = request.previous;
  say(events.note,
      fmt::format("period {}{}", request.period.label(),
                  request.period.previous_available
                      ? fmt::format(", compared with {}", request.period.previous_label())
                      : "; no change figures: " + request.period.no_change_reason));

  request.zones = load_zones(study, spec);
  request.area_name = study_area_name(study, spec.title);
  if (!spec.basemap_path.empty())
    request.basemap = read_basemap_lines(spec.basemap_path, study.analysis_crs,
                                         extent_of(study.study_area).grown(1000.0));
  if (!spec.basemap_path.empty() && spec.basemap_attribution.empty())
    say(events.note, fmt::format("basemap {}: no basemap_attribution given; the maps name the "
                                 "file only, and most basemaps' licences ask for a statement",
                                 spec.basemap_path));
  if (request.zones.left_out > 0)
    say(events.note,
        fmt::format("zones: {} of {} zones of {} have less than half their area in the "
                    "study area and are left out",
                    request.zones.left_out, request.zones.left_out + request.zones.zones.size(),
                    request.zones.source));
  request.grid = pack_grid(study, spec);
  check_memory(study, previous_all, request, options);
  const std::size_t at_once = groups_at_once(study, previous_all, request, options, events);
  request.mask = cell_mask(request.grid, study.study_area);
  request.busiest_grid = snapped_grid(extent_of(study.study_area), kBusiestCellSizeM);
  request.busiest_mask = cell_mask(request.busiest_grid, study.study_area);
  // The data-dependent defaults, resolved once for every group and product (the spec keeps 0).
  GiStarCellsOptions& gistar = request.options.gistar;
  if (!(gistar.distance_band_m > 0) && gistar.knn <= 0)
    gistar.distance_band_m = default_band_m(request.grid.cell_size_m);
  timer.lap("prepare");
  if (!(spec.cell_size_m > 0))
    say(events.decision, "cell size: every group's incidents: " +
                             describe(street_scale(study.data.incidents.x, study.data.incidents.y),
                                      /*with_radius=*/false));
  say(events.note,
      fmt::format("grid {} x {} cells of {:.1f} m{}", request.grid.cols, request.grid.rows,
                  request.grid.cell_size_m,
                  spec.cell_size_m > 0 ? std::string() : std::string(" (nearest-neighbour rule)")));

  const PackContents pack{study, request};
  // The groups run through a pipeline: up to `at_once` of them are analysed and written side by
  // side (each group's figures and files depend on its incidents and the request alone), and
  // what the run reports of them (notes, progress, timings, results) is passed on in group order
  // once each is done. Bytes and messages are the same for any thread count.
  std::vector<GroupRun> runs(spec.groups.size());
  std::size_t next = 0;
  // A failed group stops new groups from starting and lets the one beside it finish (cancelling
  // the pipeline would cut that group's own parallel loops short without an error); the first
  // failure in group order is thrown once the pipeline is done.
  std::atomic<bool> failed{false};
  tbb::parallel_pipeline(
      at_once, tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                                   [&](tbb::flow_control& fc) -> std::size_t {
                                                     if (next == spec.groups.size() || failed) {
                                                       fc.stop();
                                                       return 0;
                                                     }
                                                     return next++;
                                                   }) &
                   tbb::make_filter<std::size_t, std::size_t>(
                       tbb::filter_mode::parallel,
                       [&](std::size_t g) {
                         // Isolated: a thread waiting inside this group's loops takes no other
                         // group's work, so two groups at most hold their surfaces at once (the
                         // estimate's case).
                         tbb::this_task_arena::isolate([&] {
                           runs[g] = run_group(pack, spec.groups[g], study, previous_all,
                                               folder.temp_path());
                         });
                         if (runs[g].failure) failed = true;
                         return g;
                       }) &
                   tbb::make_filter<std::size_t, void>(
                       tbb::filter_mode::serial_in_order, [&](std::size_t g) {
                         GroupRun& run = runs[g];
                         if (failed) return;
                         const std::string& group = spec.groups[g];
                         for (const char* phase : {": analysing", ": writing"})
                           progress_phase(events.progress, group + phase, [] {});
                         for (const auto& [kind, text] : run.messages)
                           say(kind == MessageKind::note       ? events.note
                               : kind == MessageKind::decision ? events.decision
                                                               : events.warning,
                               text);
                         timer.lap(group);
                       }));
  for (const GroupRun& run : runs)
    if (run.failure) std::rethrow_exception(run.failure);
  for (GroupRun& run : runs) request.results.push_back(std::move(run.result));
  runs.clear();
  ProgressPhase writing(events.progress, "writing the pack");
  write_pack_products(pack, folder.temp_path(), timer);
  if (!options.rejects_path.empty())
    write_rejects(options.rejects_path, study.data, options.overwrite);
  write_manifest(folder.temp_path(), pack, timer);
  writing.finish();
  folder.commit();
  out.path = folder.path();
  say(events.note, fmt::format("pack written to {}", out.path));
  return out;
}

MemoryEstimate estimate_pack_memory(const PackSpec& given, int threads) {
  const PackSpec spec = validated_pack_spec(given);
  PhaseTimer timer;
  const PackInputs in = read_pack_inputs(spec, {}, timer);
  const GridSpec grid = pack_grid(in.study, spec);
  AnalyseMemoryInput input =
      memory_input(in.study, in.previous, grid, spec.analysis.gistar.permutations);
  // The most run_pack holds with that many threads: two groups side by side when it has two (it
  // runs one when two do not fit its max_memory_mb), so a --mem made from it is never too small.
  const std::size_t at_most =
      threads > 0
          ? std::min({spec.groups.size(), static_cast<std::size_t>(threads), std::size_t{2}})
          : most_groups_at_once(spec.groups.size());
  input.groups_at_once = static_cast<int>(std::max<std::size_t>(at_most, 1));
  return estimate_analyse_memory(input);
}

}  // namespace hotspots
