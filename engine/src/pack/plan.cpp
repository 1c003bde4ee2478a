// SPDX-License-Identifier: MIT
#include "hotspots/pack/plan.hpp"

#include <fmt/format.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/core/period.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/file_digest.hpp"
#include "hotspots/io/forces.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/pack/pack_contents.hpp"

namespace hotspots {
namespace {

using json = nlohmann::ordered_json;

/// Throws InvalidArgument "source: key: what".
[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& what) {
  throw InvalidArgument(fmt::format("{}: {}: {}", source, key, what));
}

/// Refuses keys of `object` that are not in `allowed` (a typo is an error, not a default).
void only_keys(const json& object, const std::string& path, const std::string& source,
               const std::set<std::string>& allowed) {
  if (!object.is_object()) fail(source, path, "expected an object");
  for (const auto& [key, value] : object.items())
    if (!allowed.count(key)) fail(source, path.empty() ? key : path + "." + key, "unknown key");
}

std::string string_at(const json& object, const std::string& key, const std::string& path,
                      const std::string& source) {
  if (!object.contains(key)) fail(source, path + "." + key, "missing");
  if (!object[key].is_string()) fail(source, path + "." + key, "expected a string");
  return object[key].get<std::string>();
}

std::int32_t month_at(const json& object, const std::string& key, const std::string& path,
                      const std::string& source) {
  const std::string text = string_at(object, key, path, source);
  const std::int32_t m = parse_year_month(text);
  if (m < 0) fail(source, path + "." + key, fmt::format("'{}' is not a month YYYY-MM", text));
  return m;
}

int positive_at(const json& object, const std::string& key, int fallback, const std::string& path,
                const std::string& source) {
  if (!object.contains(key)) return fallback;
  const json& v = object[key];
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > 1200)
    fail(source, path + "." + key, "expected an integer in 1 .. 1200");
  return v.get<int>();
}

struct Area {
  std::string id;
  json patch;  ///< keys merged into the base spec
};

/// Merges `patch` into `target` key by key (objects recursively; anything else replaced).
void merge(json& target, const json& patch) {
  for (const auto& [key, value] : patch.items()) {
    if (value.is_object() && target.contains(key) && target[key].is_object())
      merge(target[key], value);
    else
      target[key] = value;
  }
}

std::vector<Area> areas_of(const json& plan, const std::string& source) {
  std::vector<Area> areas;
  if (static_cast<int>(plan.contains("areas")) + static_cast<int>(plan.contains("areas_from")) +
          static_cast<int>(plan.contains("forces")) >
      1)
    fail(source, plan.contains("forces") ? "forces" : "areas_from",
         "give one of areas, areas_from and forces");
  if (plan.contains("forces")) {
    const json& list = plan["forces"];
    if (!list.is_array() || list.empty()) fail(source, "forces", "expected a non-empty array");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = fmt::format("forces[{}]", i);
      // A force is its name, or an object naming it with its own boundary, zones and inputs.
      json item = list[i].is_string() ? json{{"force", list[i]}} : list[i];
      if (!item.is_object()) fail(source, path, "expected a force name or an object");
      only_keys(item, path, source, {"force", "inputs", "boundary", "zones"});
      const std::string name = string_at(item, "force", path, source);
      Area a;
      a.id = force_key(name);
      if (a.id.empty()) fail(source, path + ".force", "empty force name");
      a.patch["read"] = {{"forces", json::array({name})}};
      if (item.contains("inputs")) a.patch["inputs"] = item["inputs"];
      if (item.contains("boundary")) a.patch["boundaries"] = item["boundary"];
      if (item.contains("zones")) a.patch["zones"] = item["zones"];
      areas.push_back(std::move(a));
    }
  } else if (plan.contains("areas")) {
    const json& list = plan["areas"];
    if (!list.is_array() || list.empty()) fail(source, "areas", "expected a non-empty array");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = fmt::format("areas[{}]", i);
      only_keys(list[i], path, source, {"id", "inputs", "boundary", "zones"});
      Area a;
      a.id = string_at(list[i], "id", path, source);
      if (list[i].contains("inputs")) a.patch["inputs"] = list[i]["inputs"];
      if (list[i].contains("boundary")) a.patch["boundaries"] = list[i]["boundary"];
      if (list[i].contains("zones")) a.patch["zones"] = list[i]["zones"];
      areas.push_back(std::move(a));
    }
  } else if (plan.contains("areas_from")) {
    const json& from = plan["areas_from"];
    only_keys(from, "areas_from", source, {"boundary", "id_field", "layer"});
    const std::string path = string_at(from, "boundary", "areas_from", source);
    ZoneReadOptions options;
    options.id_field = string_at(from, "id_field", "areas_from", source);
    if (from.contains("layer")) options.layer = string_at(from, "layer", "areas_from", source);
    options.assume_crs = "EPSG:4326";
    // Only the ids are needed; WGS 84 suits a layer anywhere.
    const ZoneLayer layer = read_zones(path, options, crs_from_epsg(4326));
    for (const Zone& zone : layer.zones) {
      std::string quoted;
      for (char c : zone.id) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      Area a;
      a.id = zone.id;
      a.patch["boundaries"] = {{"paths", json::array({path})},
                               {"layer", options.layer},
                               {"where", fmt::format("{} = '{}'", options.id_field, quoted)}};
      areas.push_back(std::move(a));
    }
  } else {
    areas.push_back(Area{"", json::object()});
  }
  std::set<std::string> seen;
  for (const Area& a : areas)
    if (!seen.insert(pack_folder_name(a.id)).second)
      fail(source,
           plan.contains("areas")    ? "areas"
           : plan.contains("forces") ? "forces"
                                     : "areas_from",
           fmt::format("two areas share the id '{}' (as a folder name)", pack_folder_name(a.id)));
  return areas;
}

std::vector<Period> periods_of(const json& plan, const std::string& source,
                               const std::function<std::int32_t()>& latest_month) {
  std::vector<Period> periods;
  if (!plan.contains("periods")) return {Period{}};  // the base spec's own from/to
  const json& list = plan["periods"];
  if (!list.is_array() || list.empty()) fail(source, "periods", "expected a non-empty array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = fmt::format("periods[{}]", i);
    const json& p = list[i];
    if (p.is_object() && p.contains("last")) {
      only_keys(p, path, source, {"last"});
      const json& l = p["last"];
      const std::string lpath = path + ".last";
      only_keys(l, lpath, source, {"months", "refreshes", "step"});
      const int months = positive_at(l, "months", 12, lpath, source);
      const int refreshes = positive_at(l, "refreshes", 1, lpath, source);
      const int step = positive_at(l, "step", 1, lpath, source);
      if (!latest_month)
        fail(source, lpath, "needs the data's latest month (batch --data-to YYYY-MM)");
      const std::int32_t end = latest_month();
      for (int k = refreshes - 1; k >= 0; --k)
        periods.push_back(Period{end - k * step - months + 1, end - k * step});
    } else if (p.is_object() && p.contains("rolling")) {
      only_keys(p, path, source, {"rolling"});
      const json& r = p["rolling"];
      const std::string rpath = path + ".rolling";
      only_keys(r, rpath, source, {"from", "to", "months", "step"});
      const std::int32_t first = month_at(r, "from", rpath, source);
      const std::int32_t last = month_at(r, "to", rpath, source);
      const int months = positive_at(r, "months", 12, rpath, source);
      const int step = positive_at(r, "step", 1, rpath, source);
      if (last < first + months - 1)
        fail(source, rpath,
             fmt::format("no window of {} months fits from {} to {}", months,
                         month_to_string(first), month_to_string(last)));
      for (std::int32_t s = first; s + months - 1 <= last; s += step)
        periods.push_back(Period{s, s + months - 1});
    } else {
      only_keys(p, path, source, {"from", "to"});
      const Period one{month_at(p, "from", path, source), month_at(p, "to", path, source)};
      if (one.last < one.first) fail(source, path, "to is before from");
      periods.push_back(one);
    }
  }
  return periods;
}

std::string period_id(const Period& p) {
  return p.first == p.last
             ? month_to_string(p.first)
             : fmt::format("{}_{}", month_to_string(p.first), month_to_string(p.last));
}

}  // namespace

std::vector<PlanTask> expand_plan(std::string_view json_text, const std::string& source,
                                  const LatestMonth& latest_month) {
  json plan;
  try {
    plan = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw InvalidArgument(fmt::format("{}: not valid JSON ({})", source, e.what()));
  }
  only_keys(plan, "", source, {"plan_version", "base", "areas", "areas_from", "forces", "periods"});
  if (!plan.contains("plan_version") || !plan["plan_version"].is_number_integer() ||
      plan["plan_version"].get<std::int64_t>() < 1 ||
      plan["plan_version"].get<std::int64_t>() > kPlanVersion)
    fail(source, "plan_version", fmt::format("expected 1 .. {}", kPlanVersion));
  if (!plan.contains("base")) fail(source, "base", "missing: the spec every task starts from");
  json base = plan["base"];
  if (!base.is_object()) fail(source, "base", "expected an object");
  if (!base.contains("spec_version")) base["spec_version"] = kPackSpecVersion;

  const std::vector<Area> areas = areas_of(plan, source);
  std::optional<std::int32_t> latest;  // asked once, only for a `last` period
  const auto resolve_latest = [&]() {
    if (!latest) latest = latest_month(parse_pack_spec(base.dump(), source + " (base)"));
    return *latest;
  };
  const std::vector<Period> periods = periods_of(
      plan, source, latest_month ? std::function<std::int32_t()>(resolve_latest) : nullptr);
  std::vector<PlanTask> tasks;
  tasks.reserve(areas.size() * periods.size());
  for (const Area& area : areas)
    for (const Period& period : periods) {
      json spec = base;
      merge(spec, area.patch);
      if (period.valid()) {
        spec["read"]["from"] = month_to_string(period.first);
        spec["read"]["to"] = month_to_string(period.last);
      }
      PlanTask task;
      task.area = area.id;
      task.period = period.valid() ? period.label() : "";
      std::vector<std::string> parts;
      if (!area.id.empty()) parts.push_back(pack_folder_name(area.id));
      if (period.valid()) parts.push_back(period_id(period));
      task.id = parts.empty() ? "pack" : fmt::format("{}", fmt::join(parts, "_"));
      const std::string where = fmt::format("{} (task {}{})", source, tasks.size(),
                                            area.id.empty() ? "" : ", " + area.id);
      task.spec = resolve_pack_defaults(parse_pack_spec(spec.dump(), where));
      tasks.push_back(std::move(task));
    }
  return tasks;
}

std::string spec_digest(const PackSpec& spec) {
  return sha256_hex(pack_spec_json(spec));
}

}  // namespace hotspots
