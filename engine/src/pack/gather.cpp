// SPDX-License-Identifier: MIT
#include "hotspots/pack/gather.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "hotspots/core/error.hpp"
#include "hotspots/io/csv_text.hpp"
#include "hotspots/pack/batch.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using pack_io::csv_field;
using pack_io::number;
using pack_io::read_text;

struct Row {
  Row(const PlanTask* t, std::string st, std::string err)
      : task(t), status(std::move(st)), error(std::move(err)) {}
  const PlanTask* task = nullptr;
  std::string status;
  std::string error;
  std::string group;
  double incidents = std::nan("");
  double previous = std::nan("");
  std::int64_t hotspots = -1;
  std::int64_t hot_clusters = -1;
  std::int64_t patrol = -1;
  std::int64_t rank = 0;
  double share = std::nan("");
};

}  // namespace

GatherResult gather_batch(const std::vector<PlanTask>& tasks, const std::string& output_dir) {
  GatherResult result;
  std::vector<Row> rows;
  for (const PlanTask& task : tasks) {
    const std::string manifest =
        (fs::path(task_pack_dir(output_dir, task)) / "manifest.json").string();
    const std::string failure = task_failure_path(output_dir, task);
    std::error_code ec;
    if (fs::is_regular_file(failure, ec)) {
      ++result.failed;
      std::string error = read_text(failure);
      while (!error.empty() && (error.back() == '\n' || error.back() == '\r')) error.pop_back();
      // One line per row of index.csv.
      for (char& c : error)
        if (c == '\n' || c == '\r') c = ' ';
      rows.emplace_back(&task, "failed", error);
      continue;
    }
    if (!fs::is_regular_file(manifest, ec)) {
      ++result.missing;
      rows.emplace_back(&task, "missing", "no finished pack");
      continue;
    }
    json m;
    try {
      m = json::parse(read_text(manifest));
    } catch (const json::exception& e) {
      throw IoError(fmt::format("{}: not a readable manifest ({})", manifest, e.what()));
    }
    ++result.done;
    for (const json& g : m.value("groups", json::array())) {
      Row row(&task, "done", "");
      row.group = g.value("name", "");
      row.incidents = g.value("incidents", 0.0);
      if (g.contains("previous_incidents") && g["previous_incidents"].is_number())
        row.previous = g["previous_incidents"].get<double>();
      row.hotspots = g.value("kde_hotspots", std::int64_t{0});
      row.hot_clusters = g.value("gistar_hot_clusters", std::int64_t{0});
      // "patrol_places" since the patrol places (issue #11); "patrol_items" in older packs.
      row.patrol = g.contains("patrol_places") ? g.value("patrol_places", std::int64_t{0})
                                               : g.value("patrol_items", std::int64_t{0});
      rows.push_back(std::move(row));
    }
  }
  // League tables: areas of one period ranked by the incidents of one group.
  std::map<std::pair<std::string, std::string>, std::vector<Row*>> leagues;
  for (Row& r : rows)
    if (r.status == "done") leagues[{r.task->period, r.group}].push_back(&r);
  for (auto& [key, league] : leagues) {
    double total = 0;
    for (const Row* r : league) total += r->incidents;
    for (Row* r : league) {
      r->rank = 1 + std::count_if(league.begin(), league.end(),
                                  [&](const Row* o) { return o->incidents > r->incidents; });
      r->share = total > 0 ? r->incidents / total : std::nan("");
    }
  }
  // A table people open in Excel (README "Tables"): BOM, the share as a rounded percentage.
  std::string csv = kCsvBom;
  csv +=
      "task_id,area,period,status,error,group,incidents,previous_incidents,change_pct,"
      "kde_hotspots,gistar_hot_clusters,patrol_places,rank_in_period,share_of_period_pct\n";
  for (const Row& r : rows) {
    const double change =
        r.previous > 0 ? 100.0 * (r.incidents - r.previous) / r.previous : std::nan("");
    const auto count = [](std::int64_t v) { return v < 0 ? std::string() : std::to_string(v); };
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.task->id),
                       csv_field(r.task->area), csv_field(r.task->period), r.status,
                       csv_field(r.error), csv_field(r.group), number(r.incidents),
                       number(r.previous), csv_rounded(change, 1), count(r.hotspots),
                       count(r.hot_clusters), count(r.patrol),
                       r.rank > 0 ? std::to_string(r.rank) : std::string(), csv_percent(r.share));
  }
  result.index_path = (fs::path(output_dir) / "index.csv").string();
  pack_io::write_text(result.index_path, csv, /*overwrite=*/true);
  return result;
}

}  // namespace hotspots
