// SPDX-License-Identifier: MIT
// `hotspots info`: an exact account of what the inputs hold.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/pack/summary.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

using Json = nlohmann::ordered_json;

Json extent_json(const Extent& e) {
  if (e.empty()) return nullptr;
  return Json::array({e.xmin, e.ymin, e.xmax, e.ymax});
}

Json to_json(const Study& study, const DataSummary& s) {
  const RowAccounting& acc = study.data.accounting;
  Json j;
  Json rejected = Json::object();
  for (auto r : kAllRejectReasons) rejected[std::string(to_string(r))] = acc.rejected_for(r);
  j["rows"] = {{"read", acc.read},
               {"used", acc.used},
               {"rejected", acc.rejected_total()},
               {"rejected_by_reason", rejected}};
  Json sources = Json::array();
  for (const auto& src : study.data.sources)
    sources.push_back({{"path", src.path},
                       {"format", src.format},
                       {"rows", src.rows},
                       {"x_field", src.x_field},
                       {"y_field", src.y_field},
                       {"fields_auto_detected", src.fields_auto_detected},
                       {"crs", src.crs}});
  j["sources"] = sources;
  // Files of other forces not opened (--force and their police.uk names).
  j["skipped_by_name"] = study.data.skipped_by_name;
  Json months = Json::object();
  for (const auto& [m, n] : s.per_month) months[month_to_string(m)] = n;
  Json missing = Json::array();
  for (auto m : s.missing_months) missing.push_back(month_to_string(m));
  j["months"] = {{"first", s.per_month.empty() ? "" : month_to_string(s.per_month.front().first)},
                 {"last", s.per_month.empty() ? "" : month_to_string(s.per_month.back().first)},
                 {"count", s.per_month.size()},
                 {"missing", missing},
                 {"undated", s.undated},
                 {"per_month", months}};
  // per_type is sorted and unique: append, as ordered_json's operator[] searches linearly and
  // would make 200,000 crime types take a minute.
  Json types = Json::object();
  auto& type_list = types.get_ref<Json::object_t&>();
  type_list.reserve(s.per_type.size());
  for (const auto& [name, n] : s.per_type) type_list.emplace_back(name, n);
  j["crime_types"] = types;
  j["uncategorised"] = s.uncategorised;
  j["distinct_locations"] = s.distinct_locations;
  j["total_weight"] = s.total_weight;
  j["source_crs"] = study.source_crs.label();
  j["source_extent"] = extent_json(s.source_extent);
  j["analysis_crs"] = study.analysis_crs.label();
  j["analysis_crs_reason"] = study.crs_reason;
  j["analysis_extent"] = extent_json(s.analysis_extent);
  Json boundaries = Json::array();
  for (const auto& b : s.boundaries) {
    Json repairs = Json::array();
    for (const auto& r : b.repairs) repairs.push_back({{"id", r.zone_id}, {"reason", r.reason}});
    Json features = Json::array();
    for (const auto& f : b.per_feature)
      features.push_back(
          {{"id", f.id}, {"name", f.name}, {"area_km2", f.area_km2}, {"incidents", f.incidents}});
    boundaries.push_back({{"path", b.path},
                          {"layer", b.layer},
                          {"features", b.features},
                          {"repaired", repairs},
                          {"inside", b.inside},
                          {"outside", b.outside},
                          {"per_feature", features}});
  }
  j["boundaries"] = boundaries;
  Json forces = Json::array();
  for (const auto& f : s.per_force)
    forces.push_back({{"force", f.key},
                      {"name", f.name},
                      {"rows", f.rows},
                      {"used", f.used},
                      {"rejected", f.rejected},
                      {"months", f.months},
                      {"first_month", f.first_month < 0 ? "" : month_to_string(f.first_month)},
                      {"last_month", f.last_month < 0 ? "" : month_to_string(f.last_month)}});
  j["forces"] = forces;
  return j;
}

std::string extent_text(const Extent& e, bool degrees) {
  if (e.empty()) return "(none)";
  return degrees
             ? fmt::format("x {:.6f} .. {:.6f}, y {:.6f} .. {:.6f}", e.xmin, e.xmax, e.ymin, e.ymax)
             : fmt::format("x {:.1f} .. {:.1f}, y {:.1f} .. {:.1f} ({:.1f} x {:.1f} km)", e.xmin,
                           e.xmax, e.ymin, e.ymax, e.width() / 1000, e.height() / 1000);
}

void print_text(std::ostream& out, const Study& study, const DataSummary& s) {
  const RowAccounting& acc = study.data.accounting;
  std::int64_t files = static_cast<std::int64_t>(study.data.sources.size());
  out << fmt::format("Rows read       {:>12}  ({} file{})\n", grouped(acc.read), files,
                     files == 1 ? "" : "s");
  out << fmt::format("Rows used       {:>12}\n", grouped(acc.used));
  out << fmt::format("Rows rejected   {:>12}\n", grouped(acc.rejected_total()));
  for (auto r : kAllRejectReasons)
    if (acc.rejected_for(r) > 0)
      out << fmt::format("  {:<22}{:>10}\n", to_string(r), grouped(acc.rejected_for(r)));
  if (!s.per_month.empty()) {
    out << fmt::format("Months          {} .. {} ({} with incidents",
                       month_to_string(s.per_month.front().first),
                       month_to_string(s.per_month.back().first), s.per_month.size());
    if (!s.missing_months.empty()) {
      out << fmt::format("; {} missing: ", s.missing_months.size());
      // Runs of consecutive missing months as "a..b".
      for (std::size_t i = 0; i < s.missing_months.size();) {
        std::size_t j = i;
        while (j + 1 < s.missing_months.size() &&
               s.missing_months[j + 1] == s.missing_months[j] + 1)
          ++j;
        out << (i ? ", " : "") << month_to_string(s.missing_months[i]);
        if (j > i) out << ".." << month_to_string(s.missing_months[j]);
        i = j + 1;
      }
    }
    out << ")\n";
  }
  if (s.undated > 0) out << fmt::format("Undated         {:>12}\n", grouped(s.undated));
  if (!s.per_force.empty()) {
    out << fmt::format("{:<20}{:>10}{:>10}{:>10}  months\n",
                       fmt::format("Forces ({}):", s.per_force.size()), "rows", "used", "rejected");
    for (const auto& f : s.per_force)
      out << fmt::format("  {:<18}{:>10}{:>10}{:>10}  {}{}\n", f.key, grouped(f.rows),
                         grouped(f.used), grouped(f.rejected), f.months,
                         f.months == 0 ? ""
                                       : fmt::format(" ({} .. {})", month_to_string(f.first_month),
                                                     month_to_string(f.last_month)));
  }
  if (!s.per_type.empty()) {
    out << fmt::format("Crime types ({}):\n", s.per_type.size());
    for (const auto& [name, n] : s.per_type)
      out << fmt::format("  {:<30}{:>10}\n", name, grouped(n));
  }
  if (s.uncategorised > 0 && !s.per_type.empty())
    out << fmt::format("  {:<30}{:>10}\n", "(no category)", grouped(s.uncategorised));
  out << fmt::format("Distinct locations {:>9} for {} incidents\n", grouped(s.distinct_locations),
                     grouped(acc.used));
  out << fmt::format("Extent {:<11} {}\n", study.source_crs.label(),
                     extent_text(s.source_extent, study.source_crs.geographic));
  out << fmt::format("Extent {:<11} {}\n", study.analysis_crs.label(),
                     extent_text(s.analysis_extent, false));
  out << fmt::format("Analysis CRS    {} ({}; {})\n", study.analysis_crs.label(),
                     study.analysis_crs.name, study.crs_reason);
  for (const auto& b : s.boundaries) {
    out << fmt::format("Boundary {} (layer {}, {} feature{})\n", b.path, b.layer, b.features,
                       b.features == 1 ? "" : "s");
    for (const auto& r : b.repairs)
      out << fmt::format("  repaired invalid polygon {}: {}\n", r.zone_id, r.reason);
    out << fmt::format("  inside  {:>10}\n  outside {:>10}\n", grouped(b.inside),
                       grouped(b.outside));
    for (const auto& f : b.per_feature)
      out << fmt::format("  {:<12} {:<32}{:>10}  {:>9.2f} km2\n", f.id, f.name,
                         grouped(f.incidents), f.area_km2);
  }
}

class InfoCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand("info",
                                          "Count what the inputs hold: rows used and "
                                          "rejected, months, crime types, extent, zones");
    inputs_.add_to(*app);
    app->add_flag("--json", json_, "machine-readable output on stdout");
    add_progress_flag(*app, progress_);
    app->footer(
        "Examples:\n"
        "  hotspots info data/sample/police_uk --skip-bad-rows\n"
        "  hotspots info ~/Downloads/2024-03.zip --crime-type asb --from 2023-04 --to 2024-03\n"
        "  hotspots info police_uk/2019-02 --force leicestershire --force \"Derbyshire "
        "Constabulary\"\n"
        "  hotspots info data/sample/force_export.csv --time-field committed_at \\\n"
        "      --category-field offence_group --boundary data/sample/districts.geojson --json\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    StudyOptions options = inputs_.resolve();
    options.allow_no_incidents = true;  // a header-only file is reported as zeros
    check_outputs(inputs_, {}, {});
    PhaseTimer timer;
    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    const Progress progress = printer.callback();
    const Study study =
        progress_phase(progress, "reading", [&] { return prepare_study(inputs_.inputs, options); });
    timer.lap("read");
    if (!inputs_.quiet) report_warnings(ctx.err, study.data);
    if (inputs_.verbose) log_choices(ctx.err, study);
    const DataSummary summary =
        progress_phase(progress, "summarising", [&] { return summarise(study); });
    timer.lap("summary");
    if (!inputs_.rejects_path.empty())
      write_rejects(inputs_.rejects_path, study.data, inputs_.overwrite);
    if (json_)
      // Input text is decoded to UTF-8 by the readers; file names (bytes on Linux) may still
      // not be, and are shown with U+FFFD rather than aborting the dump.
      ctx.out << to_json(study, summary).dump(2, ' ', false, Json::error_handler_t::replace)
              << "\n";
    else
      print_text(ctx.out, study, summary);
    timer.lap("output");
    if (inputs_.verbose) {
      ctx.err << "timings: " << timer.report() << "\n";
      ctx.err << read_rate(study.data, timer.laps().front().second) << "\n";
    }
    return 0;
  }

 private:
  InputOptions inputs_;
  bool json_ = false;
  bool progress_ = false;
};

}  // namespace

std::unique_ptr<Command> make_info_command() {
  return std::make_unique<InfoCommand>();
}

}  // namespace hotspots::cli
