// SPDX-License-Identifier: MIT
#include "hotspots/pack/pack_spec.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "hotspots/core/error.hpp"
#include "hotspots/io/file_digest.hpp"

namespace hotspots {
namespace {

using json = nlohmann::ordered_json;

std::string encoding_name(TextEncoding e) {
  switch (e) {
    case TextEncoding::auto_detect:
      return "auto";
    case TextEncoding::utf8:
      return "utf-8";
    case TextEncoding::windows1252:
      return "windows-1252";
    case TextEncoding::latin1:
      return "latin-1";
  }
  return "auto";
}

TextEncoding encoding_of(const std::string& name) {
  return name == "auto" || name.empty() ? TextEncoding::auto_detect : parse_text_encoding(name);
}

std::string contiguity_name(Contiguity c) {
  return c == Contiguity::queen ? "queen" : "rook";
}

json date_json(const std::optional<Date>& d) {
  return d ? json(d->to_string()) : json(nullptr);
}

/// One JSON object being read: every key is taken at most once and unknown keys are errors, so
/// that a typo in a spec or plan file ("radus_m") is refused rather than silently ignored.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, const std::string& source)
      : object_(object), path_(std::move(path)), source_(source) {
    if (!object_.is_object()) fail(path_, "expected an object");
  }

  ~ObjectReader() noexcept(false) {
    if (std::uncaught_exceptions() > 0) return;
    for (const auto& [key, value] : object_.items())
      if (!taken_.count(key)) fail(field(key), "unknown key");
  }

  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  template <class T>
  void get(const char* key, T& out) {
    const json* v = take(key);
    if (!v) return;
    read_value(*v, field(key), out);
  }

  void get_date(const char* key, std::optional<Date>& out) {
    const json* v = take(key);
    if (!v || v->is_null()) return;
    if (!v->is_string()) fail(field(key), "expected a date \"YYYY-MM\" or null");
    out = parse_date(v->get<std::string>());
    if (!out || out->has_time()) fail(field(key), "expected YYYY-MM or YYYY-MM-DD");
  }

  /// The object under `key` (an empty object when absent).
  ObjectReader child(const char* key) {
    const json* v = take(key);
    return ObjectReader(v ? *v : empty(), field(key), source_);
  }

  [[noreturn]] void fail(const std::string& field_path, const std::string& what) const {
    throw InvalidArgument(fmt::format("{}: {}: {}", source_, field_path, what));
  }

 private:
  static const json& empty() {
    static const json e = json::object();
    return e;
  }
  const json* take(const char* key) {
    taken_.insert(key);
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  std::string field(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  void read_value(const json& v, const std::string& at, std::string& out) const {
    if (!v.is_string()) fail(at, "expected a string");
    out = v.get<std::string>();
  }
  void read_value(const json& v, const std::string& at, bool& out) const {
    if (!v.is_boolean()) fail(at, "expected true or false");
    out = v.get<bool>();
  }
  void read_value(const json& v, const std::string& at, double& out) const {
    if (!v.is_number()) fail(at, "expected a number");
    out = v.get<double>();
  }
  template <class I>
  requires std::is_integral_v<I>
  void read_value(const json& v, const std::string& at, I& out) const {
    if (!v.is_number_integer()) fail(at, "expected an integer");
    const bool in_range =
        v.is_number_unsigned()
            ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<I>::max())
            : std::cmp_greater_equal(v.get<std::int64_t>(), std::numeric_limits<I>::min()) &&
                  std::cmp_less_equal(v.get<std::int64_t>(), std::numeric_limits<I>::max());
    if (!in_range)
      fail(at, fmt::format("expected an integer in {} .. {}", std::numeric_limits<I>::min(),
                           std::numeric_limits<I>::max()));
    out = v.get<I>();
  }
  template <class T>
  void read_value(const json& v, const std::string& at, std::vector<T>& out) const {
    if (!v.is_array()) fail(at, "expected an array");
    out.clear();
    for (std::size_t i = 0; i < v.size(); ++i) {
      T item{};
      read_value(v[i], fmt::format("{}[{}]", at, i), item);
      out.push_back(std::move(item));
    }
  }

  const json& object_;
  std::string path_;
  const std::string& source_;
  std::set<std::string> taken_;
};

/// Reads `key` as a name and turns it into a value with `parse` (which throws InvalidArgument
/// for unknown names); the error names the key.
template <class E, class Parse>
void get_choice(ObjectReader& r, const char* key, E& out, const std::string& at, Parse parse) {
  std::string name;
  r.get(key, name);
  if (name.empty()) return;
  try {
    out = parse(name);
  } catch (const InvalidArgument& e) {
    r.fail(at + "." + key, e.what());
  }
}

}  // namespace

AnalysisOptions pack_analysis_defaults() {
  AnalysisOptions o;
  o.gistar.fdr = true;
  o.gistar.permutations = 99;
  return o;
}

PackSpec resolve_pack_defaults(PackSpec spec) {
  if (spec.groups.empty()) throw InvalidArgument("groups: give at least one group");
  for (std::size_t i = 0; i < spec.groups.size(); ++i)
    if (spec.groups[i].empty()) throw InvalidArgument(fmt::format("groups[{}] is empty", i));
  if (spec.study.boundary_paths.empty() && !spec.study.data_study_area)
    throw InvalidArgument(
        "boundaries.paths: a pack needs a boundary, its study area (or data_study_area: one "
        "made from the data)");
  if (!spec.population_field.empty() && spec.zones_path.empty())
    throw InvalidArgument("zones.population_field needs zones.path");
  if (!spec.basemap_attribution.empty() && spec.basemap_path.empty())
    throw InvalidArgument("basemap_attribution needs basemap_path (the basemap it credits)");
  if (std::any_of(spec.basemap_attribution.begin(), spec.basemap_attribution.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
    throw InvalidArgument("basemap_attribution: one line of text, without control characters");
  if (!(spec.cell_size_m >= 0) || !std::isfinite(spec.cell_size_m))
    throw InvalidArgument(
        fmt::format("grid.cell_size_m must be 0 (default) or a positive number of metres, got {}",
                    spec.cell_size_m));
  AnalysisOptions& o = spec.analysis;
  if (!(o.hot_top_percent > 0) || !(o.hot_top_percent <= 100))
    throw InvalidArgument(
        fmt::format("kde.hot_top_percent must be in (0, 100], got {}", o.hot_top_percent));
  o.kde.output = OutputValue::density;  // the pack's maps and classes are densities
  if (o.patrol.max_count == 0 && !(o.patrol.max_area_km2 > 0)) o.patrol.max_count = 10;
  o.gistar.validate_local();
  o.patrol.validate();
  o.concentration.validate();
  o.zone_table.validate();
  const PackEmergingSpec& e = spec.emerging;
  if (!(e.cell_size_m >= 0) || !std::isfinite(e.cell_size_m))
    throw InvalidArgument(fmt::format(
        "emerging.cell_size_m must be 0 (default) or a positive number of metres, got {}",
        e.cell_size_m));
  if (e.time_step_months < 1)
    throw InvalidArgument(
        fmt::format("emerging.time_step_months must be >= 1, got {}", e.time_step_months));
  if (e.time_lags < 0)
    throw InvalidArgument(fmt::format("emerging.time_lags must be >= 0, got {}", e.time_lags));
  return spec;
}

std::string pack_spec_json(const PackSpec& spec) {
  const ReadOptions& r = spec.study.read;
  const ZoneReadOptions& b = spec.study.boundary;
  const AnalysisOptions& o = spec.analysis;
  json j;
  j["spec_version"] = kPackSpecVersion;
  j["title"] = spec.title;
  j["inputs"] = spec.inputs;
  j["read"] = {{"x_field", r.x_field},
               {"y_field", r.y_field},
               {"src_crs", r.src_crs},
               {"time_field", r.time_field},
               {"category_field", r.category_field},
               {"weight_field", r.weight_field},
               {"layer", r.layer},
               {"crime_types", r.crime_types},
               {"from", date_json(r.from)},
               {"to", date_json(r.to)},
               {"skip_bad_rows", r.skip_bad_rows},
               {"encoding", encoding_name(r.encoding)},
               {"max_line_bytes", r.max_line_bytes}};
  // Only a spec that filters forces names them, so that specs written before forces were read
  // keep their digest (a batch rerun leaves their packs).
  if (!r.forces.empty()) j["read"]["forces"] = r.forces;
  j["boundaries"] = {{"paths", spec.study.boundary_paths},
                     {"layer", b.layer},
                     {"where", b.where},
                     {"id_field", b.id_field},
                     {"name_field", b.name_field},
                     {"assume_crs", b.assume_crs},
                     {"min_hole_area_m2", spec.study.min_hole_area_m2}};
  j["dst_crs"] = spec.study.dst_crs;
  // Only a spec whose study area is made from the data says so (older specs keep their digest).
  if (const auto& a = spec.study.data_study_area)
    j["data_study_area"] = {{"buffer_m", a->buffer_m},
                            {"outlier_distance_m", a->outlier_distance_m},
                            {"min_neighbours", a->min_neighbours},
                            {"concavity", a->concavity}};
  j["zones"] = {{"path", spec.zones_path},
                {"layer", spec.zones.layer},
                {"where", spec.zones.where},
                {"id_field", spec.zones.id_field},
                {"name_field", spec.zones.name_field},
                {"assume_crs", spec.zones.assume_crs},
                {"population_field", spec.population_field}};
  j["basemap"] = {{"path", spec.basemap_path}, {"attribution", spec.basemap_attribution}};
  j["groups"] = spec.groups;
  j["grid"] = {{"cell_size_m", spec.cell_size_m}};
  j["rejects"] = {{"list_outside_study_area", spec.rejects_list_outside}};
  j["kde"] = {{"kernel", std::string(to_string(o.kde.kernel))},
              {"radius_m", o.kde.radius_m},
              {"hot_top_percent", o.hot_top_percent},
              {"connectivity", std::string(to_string(o.connectivity))},
              {"edge_incidents", o.edge_incidents}};
  j["gistar"] = {{"distance_band_m", o.gistar.distance_band_m},
                 {"knn", o.gistar.knn},
                 {"fdr", o.gistar.fdr},
                 {"lisa_contiguity", contiguity_name(o.gistar.lisa_contiguity)},
                 {"cluster_level", o.cluster_level}};
  // Every local statistic's options (LocalStatisticList), by name.
  visit_local_statistic_options(o.gistar, [&](const char* name, const auto& value,
                                              const char* /*help*/) { j["gistar"][name] = value; });
  j["concentration"] = {{"top_percent", o.concentration.top_percent},
                        {"target_share", o.concentration.target_share}};
  j["zone_table"] = {{"alpha", o.zone_table.alpha}};
  j["patrol"] = {{"shape", to_string(o.patrol.shape)},
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
                 {"top_locations", o.patrol.top_locations},
                 {"min_timed_share", o.patrol.min_timed_share},
                 {"peak_window_hours", o.patrol.peak_window_hours}};
  j["emerging"] = {{"enabled", spec.emerging.enabled},
                   {"cell_size_m", spec.emerging.cell_size_m},
                   {"time_step_months", spec.emerging.time_step_months},
                   {"time_lags", spec.emerging.time_lags}};
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

PackSpec parse_pack_spec(std::string_view json_text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw InvalidArgument(fmt::format("{}: not valid JSON ({})", source, e.what()));
  }
  std::string prefix;
  if (doc.is_object() && doc.contains("spec")) {
    // A pack's manifest: the spec is one key among the run's figures.
    if (!doc["spec"].is_object())
      throw InvalidArgument(fmt::format("{}: spec: expected an object", source));
    doc = json(doc["spec"]);
    prefix = "spec";
  }
  PackSpec spec;
  {
    ObjectReader top(doc, prefix, source);
    int version = 0;
    top.get("spec_version", version);
    if (version < 1 || version > kPackSpecVersion)
      top.fail(prefix.empty() ? "spec_version" : prefix + ".spec_version",
               fmt::format("version {} is not one this hotspots reads (1..{})", version,
                           kPackSpecVersion));
    top.get("title", spec.title);
    top.get("inputs", spec.inputs);
    {
      ObjectReader r = top.child("read");
      ReadOptions& o = spec.study.read;
      r.get("x_field", o.x_field);
      r.get("y_field", o.y_field);
      r.get("src_crs", o.src_crs);
      r.get("time_field", o.time_field);
      r.get("category_field", o.category_field);
      r.get("weight_field", o.weight_field);
      r.get("layer", o.layer);
      r.get("crime_types", o.crime_types);
      r.get("forces", o.forces);
      r.get_date("from", o.from);
      r.get_date("to", o.to);
      r.get("skip_bad_rows", o.skip_bad_rows);
      std::string encoding = "auto";
      r.get("encoding", encoding);
      try {
        o.encoding = encoding_of(encoding);
      } catch (const InvalidArgument& e) {
        r.fail(prefix.empty() ? "read.encoding" : prefix + ".read.encoding", e.what());
      }
      r.get("max_line_bytes", o.max_line_bytes);
    }
    {
      ObjectReader b = top.child("boundaries");
      b.get("paths", spec.study.boundary_paths);
      b.get("layer", spec.study.boundary.layer);
      b.get("where", spec.study.boundary.where);
      b.get("id_field", spec.study.boundary.id_field);
      b.get("name_field", spec.study.boundary.name_field);
      b.get("assume_crs", spec.study.boundary.assume_crs);
      b.get("min_hole_area_m2", spec.study.min_hole_area_m2);
      spec.study.boundary.encoding = spec.study.read.encoding;
    }
    top.get("dst_crs", spec.study.dst_crs);
    if (doc.contains("data_study_area")) {
      ObjectReader a = top.child("data_study_area");
      DataStudyAreaOptions area;
      a.get("buffer_m", area.buffer_m);
      a.get("outlier_distance_m", area.outlier_distance_m);
      a.get("min_neighbours", area.min_neighbours);
      a.get("concavity", area.concavity);
      spec.study.data_study_area = area;
    }
    {
      ObjectReader z = top.child("zones");
      z.get("path", spec.zones_path);
      z.get("layer", spec.zones.layer);
      z.get("where", spec.zones.where);
      z.get("id_field", spec.zones.id_field);
      z.get("name_field", spec.zones.name_field);
      z.get("assume_crs", spec.zones.assume_crs);
      z.get("population_field", spec.population_field);
    }
    {
      ObjectReader b = top.child("basemap");
      b.get("path", spec.basemap_path);
      b.get("attribution", spec.basemap_attribution);
    }
    top.get("groups", spec.groups);
    top.child("grid").get("cell_size_m", spec.cell_size_m);
    top.child("rejects").get("list_outside_study_area", spec.rejects_list_outside);
    const std::string at = prefix.empty() ? "" : prefix + ".";
    AnalysisOptions& o = spec.analysis;
    {
      ObjectReader k = top.child("kde");
      get_choice(k, "kernel", o.kde.kernel, at + "kde", parse_kernel);
      k.get("radius_m", o.kde.radius_m);
      k.get("hot_top_percent", o.hot_top_percent);
      get_choice(k, "connectivity", o.connectivity, at + "kde", parse_connectivity);
      k.get("edge_incidents", o.edge_incidents);
    }
    {
      ObjectReader g = top.child("gistar");
      g.get("distance_band_m", o.gistar.distance_band_m);
      g.get("knn", o.gistar.knn);
      g.get("fdr", o.gistar.fdr);
      visit_local_statistic_options(o.gistar, [&](const char* name, auto& value,
                                                  const char* /*help*/) { g.get(name, value); });
      get_choice(g, "lisa_contiguity", o.gistar.lisa_contiguity, at + "gistar",
                 [](const std::string& name) {
                   if (name == "queen") return Contiguity::queen;
                   if (name == "rook") return Contiguity::rook;
                   throw InvalidArgument(fmt::format("'{}': expected queen or rook", name));
                 });
      g.get("cluster_level", o.cluster_level);
    }
    {
      ObjectReader c = top.child("concentration");
      c.get("top_percent", o.concentration.top_percent);
      c.get("target_share", o.concentration.target_share);
    }
    top.child("zone_table").get("alpha", o.zone_table.alpha);
    {
      ObjectReader p = top.child("patrol");
      std::string shape = to_string(o.patrol.shape);
      p.get("shape", shape);
      o.patrol.shape = parse_patrol_shape(shape);
      p.get("cell_size_m", o.patrol.cell_size_m);
      p.get("radius_m", o.patrol.radius_m);
      p.get("min_spacing_m", o.patrol.min_spacing_m);
      p.get("min_incidents", o.patrol.min_incidents);
      p.get("min_incidents_per_month", o.patrol.min_incidents_per_month);
      p.get("min_cell_incidents_per_month", o.patrol.min_cell_incidents_per_month);
      p.get("max_count", o.patrol.max_count);
      p.get("max_area_km2", o.patrol.max_area_km2);
      p.get("recording_share", o.patrol.recording_share);
      p.get("recording_names", o.patrol.recording_names);
      p.get("exclude_recording_locations", o.patrol.exclude_recording_locations);
      p.get("top_locations", o.patrol.top_locations);
      p.get("min_timed_share", o.patrol.min_timed_share);
      p.get("peak_window_hours", o.patrol.peak_window_hours);
    }
    {
      ObjectReader e = top.child("emerging");
      e.get("enabled", spec.emerging.enabled);
      e.get("cell_size_m", spec.emerging.cell_size_m);
      e.get("time_step_months", spec.emerging.time_step_months);
      e.get("time_lags", spec.emerging.time_lags);
    }
  }
  return spec;
}

void check_pack_inputs(std::string_view manifest_text, const std::string& source) {
  const json doc = json::parse(manifest_text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("inputs")) return;  // a bare spec: nothing recorded
  const json& inputs = doc["inputs"];
  if (!inputs.is_array())
    throw InvalidArgument(fmt::format("{}: inputs: expected an array", source));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const json& input = inputs[i];
    if (!input.is_object() || !input.contains("path") || !input["path"].is_string() ||
        !input.contains("sha256") || !input["sha256"].is_string())
      throw InvalidArgument(
          fmt::format("{}: inputs[{}]: expected an object with path and sha256", source, i));
    const std::string path = input["path"].get<std::string>();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw Error(fmt::format(
          "{}: input '{}' is missing (relative paths are relative to the folder the pack was "
          "made from)",
          source, path));
    if (sha256_file(path) != input["sha256"].get<std::string>())
      throw Error(fmt::format(
          "{}: input '{}' has changed since the pack was made (its SHA-256 differs), so the "
          "pack cannot be rebuilt as it was; run analyse with options for a new pack",
          source, path));
  }
}

}  // namespace hotspots
