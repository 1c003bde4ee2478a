// SPDX-License-Identifier: MIT
#include "hotspots/pack/manifest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include <tbb/parallel_for.h>

#include "hotspots/io/file_digest.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

/// The SHA-256 of each file, computed side by side (TBB; the digests do not depend on the
/// order); when some cannot be read, the first such in list order is rethrown.
std::vector<std::string> sha256_files(const std::vector<std::string>& paths) {
  std::vector<std::string> digests(paths.size());
  std::vector<std::exception_ptr> failures(paths.size());
  tbb::parallel_for(std::size_t{0}, paths.size(), [&](std::size_t i) {
    try {
      digests[i] = sha256_file(paths[i]);
    } catch (...) {
      failures[i] = std::current_exception();
    }
  });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return digests;
}

}  // namespace

void write_manifest(const std::string& dir, const PackContents& pack, const PhaseTimer& timer) {
  const Study& study = pack.study;
  const PackRequest& request = pack.request;
  json m;
  m["tool"] = "hotspots";
  m["version"] = request.version;
  m["command"] = request.command_line;
  // Exactly what ran: `hotspots analyse --spec manifest.json -o NEW` rebuilds the pack from it.
  m["spec"] = json::parse(pack_spec_json(request.spec));

  // Inputs: every file read, with its SHA-256 (zip members: the zip itself).
  std::vector<std::pair<std::string, std::string>> input_files;  // role, path
  std::set<std::string> seen;
  const auto add_input = [&](const std::string& role, std::string path) {
    if (path.rfind("/vsizip/", 0) == 0) {
      path = path.substr(8);
      std::string lower = path;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto zip = lower.find(".zip/");
      if (zip != std::string::npos) path = path.substr(0, zip + 4);
    }
    if (seen.insert(path).second) input_files.emplace_back(role, std::move(path));
  };
  for (const InputSource& s : study.data.sources) add_input("incidents", s.path);
  for (const ZoneLayer& b : study.boundaries) add_input("boundary", b.path);
  if (!request.spec.zones_path.empty()) add_input("zones", request.spec.zones_path);
  if (!request.spec.basemap_path.empty()) add_input("basemap", request.spec.basemap_path);
  std::vector<std::string> input_paths;
  for (const auto& [role, path] : input_files) input_paths.push_back(path);
  const std::vector<std::string> input_digests = sha256_files(input_paths);
  json inputs = json::array();
  for (std::size_t i = 0; i < input_files.size(); ++i) {
    const auto& [role, path] = input_files[i];
    std::error_code ec;
    const auto bytes = fs::file_size(path, ec);
    inputs.push_back({{"role", role},
                      {"path", path},
                      {"bytes", ec ? 0 : static_cast<std::int64_t>(bytes)},
                      {"sha256", input_digests[i]}});
  }
  m["inputs"] = inputs;
  // Files of other forces not opened (--force and their police.uk names): not inputs of the
  // pack, listed so that the row counts below can be traced.
  json skipped = json::array();
  for (const std::string& path : study.data.skipped_by_name) skipped.push_back(path);
  if (!skipped.empty()) m["inputs_skipped_by_name"] = skipped;

  const AnalysisOptions& o = request.options;
  json groups = json::array();
  for (const GroupResult& r : request.results) {
    const GroupAnalysis& a = r.analysis;
    json g = {{"name", r.name},
              {"title", group_title(r.name)},
              {"folder", r.folder},
              {"mapped", r.mapped},
              {"note", r.note},
              {"incidents", r.current_incidents},
              {"previous_incidents",
               request.period.previous_available ? json(r.previous_incidents) : json(nullptr)},
              {"monthly_incidents", r.monthly},
              {"previous_monthly_incidents", r.monthly_previous},
              {"kde_radius_m", a.radius_m},
              {"kde_edge_incidents", a.edge_incidents},
              {"kde_radius_source", a.radius_from_rule ? "nearest_neighbour_rule" : "given"},
              {"kde_hotspots_over_neighbourhood_scale", a.oversize.ranks},
              {"warnings",
               a.oversize.warning.empty() ? json::array() : json::array({a.oversize.warning})},
              {"kde_hot_cells", a.hot_cells},
              {"kde_hotspot_threshold",
               std::isfinite(a.hot_threshold) ? json(a.hot_threshold) : json(nullptr)},
              {"density_max", r.surface_max},
              {"density_classes", r.surface_breaks},
              {"kde_hotspots", a.hotspots.size()},
              {"gistar_hot_clusters", a.clusters.hot.size()},
              {"gistar_cold_clusters", a.clusters.cold.size()},
              {"patrol_places", a.patrol.places.size()},
              {"patrol_min_incidents", a.patrol.min_incidents},
              {"patrol_incidents", a.patrol.covered_incidents},
              {"patrol_stopped_by", to_string(a.patrol.stopped_by)},
              {"patrol_over_budget", a.patrol.over_budget},
              {"patrol_over_budget_incidents", a.patrol.over_budget_incidents},
              {"patrol_next_best_incidents", a.patrol.next_best_incidents},
              {"patrol_flagged", a.patrol.flagged},
              {"patrol_excluded_points", a.patrol.excluded_points},
              {"patrol_excluded_incidents", a.patrol.excluded_incidents},
              {"patrol_excluded_names", a.patrol.excluded_names},
              {"zones_outside", a.zone_table.outside}};
    groups.push_back(g);
  }
  m["parameters"] = {
      {"area_name", request.area_name},
      {"groups", request.spec.groups},
      {"period", request.period.label()},
      {"period_months", request.period.current.months()},
      {"previous_period",
       request.period.previous_available ? json(request.period.previous_label()) : json(nullptr)},
      {"no_change_reason",
       request.period.previous_available ? json(nullptr) : json(request.period.no_change_reason)},
      {"analysis_crs", study.analysis_crs.label()},
      {"crs_reason", study.crs_reason},
      {"grid",
       {{"xmin", request.grid.xmin},
        {"ymax", request.grid.ymax},
        {"cell_size_m", request.grid.cell_size_m},
        {"cell_size_source",
         request.spec.cell_size_m > 0 ? "given" : "nearest_neighbour_rule (README: Default scale)"},
        {"cols", request.grid.cols},
        {"rows", request.grid.rows},
        {"study_cells", request.mask.count_inside()},
        {"study_area_rule", "cell centre inside the boundary"}}},
      {"kde",
       {{"kernel", std::string(to_string(o.kde.kernel))},
        {"radius_m", o.kde.radius_m > 0 ? json(o.kde.radius_m) : json("nearest_neighbour_rule")},
        {"neighbourhood_scale_km2", kNeighbourhoodScaleKm2},
        {"output", "density per km2"},
        {"hotspots", fmt::format("top {}% of study-area cells", o.hot_top_percent)},
        {"edge_incidents",
         o.edge_incidents ? "incidents outside the boundary within one radius of a study-area cell "
                            "are smoothed, then the surface is masked; they are in no count"
                          : "off: incidents outside the boundary are dropped before smoothing"},
        {"connectivity", o.connectivity == Connectivity::queen ? "queen" : "rook"}}},
      {"gistar",
       {{"distance_band_m", pack_io::gistar_band_m(request)},
        {"fdr", o.gistar.fdr},
        {"permutations", o.gistar.permutations},
        {"seed", o.gistar.seed},
        {"cluster_level", o.cluster_level}}},
      {"zones",
       {{"source", request.zones.source},
        {"id_field", request.zones.id_field},
        {"name_field", request.zones.name_field},
        {"population_field", request.spec.population_field},
        {"count", request.zones.zones.size()},
        {"left_out", request.zones.left_out},
        {"rule", request.zones.source == request.spec.zones_path && !request.spec.zones_path.empty()
                     ? fmt::format("at least {:g}% of the zone's area inside the study area",
                                   kMinZoneShareInside * 100)
                     : std::string("the boundary features")},
        {"change_test",
         "exact conditional binomial (Przyborowski & Wilenski 1940), BH across "
         "zones"},
        {"alpha", o.zone_table.alpha}}},
      {"patrol",
       {{"source", o.patrol.shape == PatrolShape::cells
                       ? "the busiest grid cells, grouped within radius_m (README: Patrol places)"
                       : "incident locations, greedy maximal coverage (README: Patrol places)"},
        {"shape", to_string(o.patrol.shape)},
        {"cell_size_m", o.patrol.cell_size_m},
        {"radius_m", o.patrol.radius_m},
        {"min_spacing_m", o.patrol.min_spacing_m},
        {"min_incidents", o.patrol.min_incidents},
        {"min_incidents_per_month", o.patrol.min_incidents_per_month},
        {"min_cell_incidents_per_month", o.patrol.min_cell_incidents_per_month},
        {"max_count", o.patrol.max_count},
        {"max_area_km2", o.patrol.max_area_km2},
        {"recording_share", o.patrol.recording_share},
        {"recording_names", o.patrol.recording_names},
        {"exclude_recording_locations", o.patrol.exclude_recording_locations},
        {"peak_window_hours", o.patrol.peak_window_hours}}},
      {"concentration",
       {{"top_percent", o.concentration.top_percent},
        {"target_share", o.concentration.target_share}}}};

  const RowAccounting& acc = study.data.accounting;
  json rejected = json::object();
  for (auto reason : kAllRejectReasons)
    rejected[std::string(to_string(reason))] = acc.rejected_for(reason);
  m["rows"] = {{"read", acc.read},
               {"used", acc.used},
               {"rejected", rejected},
               {"previous_period_rows", request.period.previous_rows},
               {"previous_period_rows_unusable", request.period.previous_rows_rejected},
               {"balanced", acc.balanced()}};
  m["groups"] = groups;

  // Outputs written so far, sorted, with their digests (manifest.json itself excluded).
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), dir).generic_string());
  std::sort(files.begin(), files.end());
  std::vector<std::string> output_paths;
  for (const std::string& f : files) output_paths.push_back(pack_io::join(dir, f));
  const std::vector<std::string> output_digests = sha256_files(output_paths);
  json outputs = json::array();
  for (std::size_t i = 0; i < files.size(); ++i)
    outputs.push_back({{"path", files[i]}, {"sha256", output_digests[i]}});
  m["outputs"] = outputs;

  json timings = json::object();
  for (const auto& [name, seconds] : timer.laps())
    timings[name] = std::round(seconds * 1000) / 1000;
  m["timings_s"] = timings;
  pack_io::write_text(
      pack_io::join(dir, "manifest.json"),
      m.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
}

}  // namespace hotspots
