// SPDX-License-Identifier: MIT
// `hotspots evaluate`: rolling-origin backtest of hotspot methods (hit rate, PAI, PEI, RRI),
// written as a CSV of every score, a summary CSV and table, and a PNG chart of PAI.

#include <fmt/format.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <variant>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/gistar_cells.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/render/chart_png.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/workflows/evaluate.hpp"
#include "options.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

constexpr const char* kDefaultMethods =
    "default,patrol,kde:radius=auto,kde:radius=150,kde:radius=300,kde:radius=600,gistar,counts,"
    "last";

/// --methods' help: every method of MethodList with its usage and summary (fields in the
/// summaries, e.g. test_months, said as the flags that set them).
std::string methods_help() {
  std::string list;
  for_each_type(MethodList{}, [&]<class M>() {
    if (!list.empty()) list += ", ";
    list += fmt::format("{} ({})", M::usage, with_flags(M::summary));
  });
  return fmt::format("comma-separated methods, each NAME[:KEY=VALUE]...: {}. Default: {}", list,
                     kDefaultMethods);
}

/// A number for the CSVs: shortest round-trip form, empty for NaN.
std::string csv_number(double v) {
  return std::isnan(v) ? "" : fmt::format("{}", v);
}

std::string table_number(double v, int decimals) {
  return std::isnan(v) ? "-" : fmt::format("{:.{}f}", v, decimals);
}

void write_text(const std::string& path, const std::string& text, bool overwrite) {
  AtomicFile file(path, overwrite);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    out << text;
    out.flush();
    if (!out) throw IoError(write_error_text(path, "cannot write"));
  }
  file.commit();
}

/// The backtest allocates and frees a few whole-grid rasters per fit (KDE surface, Gi* z and p,
/// window counts). glibc serves blocks that large with mmap and unmaps them on free, so every
/// fit page-faults its rasters in again; on a VM that was three quarters of the run
/// (bench_evaluate, 24 origins x 6 methods on 500 x 500 cells: 8.6 s, 2.1 s with the settings
/// below). Keeping blocks up to 256 MiB on the heap, and up to 512 MiB of freed memory before
/// trimming, lets each fit reuse the pages of the last. Process-wide, so it is set here in the
/// CLI (the engine keeps no global state); the other commands allocate their rasters once.
void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

class EvaluateCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app =
        parent.add_subcommand("evaluate",
                              "how well each hotspot method predicts the next months' incidents "
                              "(rolling-origin backtest: hit rate, PAI, PEI, RRI)");
    inputs_.add_to(*app);
    app->add_option("--train", train_, "months each method is fitted on (default 12)")
        ->check(number_in(0))
        ->group("Backtest");
    app->add_option("--test", test_, "months each fit is scored on (default 1)")
        ->check(number_in(0))
        ->group("Backtest");
    app->add_option("--step", step_, "months between origins (default 1)")
        ->check(number_in(0))
        ->group("Backtest");
    app->add_option("--methods", methods_, methods_help())->group("Backtest");
    app->add_option("--area-percent", area_percents_,
                    "hot-area shares of the study area's cells, in % (default 0.5,1,2,5)")
        ->delimiter(',')
        ->group("Backtest");
    app->add_option(
           "--cell-size", cell_size_m_,
           "cell size in metres shared by every method (default 100: about a street block, fine "
           "enough to direct patrols)")
        ->check(positive_distance())
        ->group("Grid");
    app->add_option("-o,--output", output_dir_,
                    "output folder (created if missing): scores.csv, summary.csv, pai.png")
        ->required()
        ->group("Output");
    add_progress_flag(*app, progress_);
    app->footer(
        "Examples:\n"
        "  hotspots evaluate data/sample/police_uk --crime-type asb --boundary "
        "data/sample/force_area.geojson \\\n"
        "      --skip-bad-rows --train 6 --test 1 -o asb_eval\n"
        "  hotspots evaluate street/ --crime-type asb --boundary force.geojson --train 12 --test 1 "
        "\\\n"
        "      --methods kde:radius=150,kde:radius=300,gistar:band=500,counts,last "
        "--area-percent 0.5,1,2,5 -o eval\n\n"
        "Origins: every month o from (first month + --train) on, by --step, whose test window "
        "ends by the last\n"
        "  month; train = [o - train, o - 1], test = [o, o + test - 1]. Origins with a month "
        "without incidents\n"
        "  in their windows are skipped (reported).\n"
        "Hot area: the top k study-area cells by the method's score (ties: lower row-major cell "
        "first; NaN last),\n"
        "  k = round-half-up(share x cells), at least 1. Study area = cells whose centre lies in "
        "--boundary.\n"
        "Scores, with n/N = test incidents in the hot area / study area, a/A = the hot area's "
        "share of cells:\n"
        "  hit rate = n/N;  PAI = (n/N)/(a/A) (Chainey, Tompson & Uhlig 2008);\n"
        "  PEI = n/n*, n* = most test incidents any k cells hold = PAI/PAI* (Hunt 2016);\n"
        "  RRI = (n/n_train)/(N/N_train), Levine's Recapture Rate Index (CrimeStat IV, Levine "
        "2008).\n"
        "Outputs: scores.csv (one row per origin, method and share), summary.csv, pai.png (mean "
        "PAI against\n"
        "  share); the summary table and one recommendation line per share (best mean PAI, and "
        "the origins\n"
        "  where it had the highest PAI) on stdout.\n\n" +
        crime_type_help());
    return app;
  }

  int run(Context& ctx) override {
    keep_freed_memory();
    EvaluateOptions options;
    options.methods = parse_method_specs(methods_);
    options.train_months = train_;
    options.test_months = test_;
    options.step_months = step_;
    if (!area_percents_.empty()) options.area_percents = area_percents_;
    options.validate();
    namespace fs = std::filesystem;
    const fs::path dir(output_dir_);
    if (fs::exists(dir) && !fs::is_directory(dir))
      throw InvalidArgument(fmt::format("-o {}: exists and is not a folder", output_dir_));
    const std::string scores_path = (dir / "scores.csv").string();
    const std::string summary_path = (dir / "summary.csv").string();
    const std::string chart_path = (dir / "pai.png").string();
    check_outputs(inputs_, {},
                  fs::exists(dir) ? std::vector{scores_path, summary_path, chart_path}
                                  : std::vector<std::string>{},
                  {output_dir_});

    PhaseTimer timer;
    ProgressPrinter printer(ctx.err, progress_, inputs_.quiet);
    const Progress progress = printer.callback();
    Study study = progress_phase(progress, "reading",
                                 [&] { return prepare_study(inputs_.inputs, inputs_.resolve()); });
    timer.lap("read");
    if (inputs_.verbose) log_choices(ctx.err, study);
    if (!inputs_.quiet) report_read(ctx.err, study.data);
    const Incidents& incidents = study.data.incidents;
    require_incidents(study);

    const bool masked = !study.study_area.empty();
    const GridSpec grid = masked ? snapped_grid(extent_of(study.study_area), cell_size_m_)
                                 : grid_over_points(incidents.x, incidents.y, cell_size_m_);
    CellMask mask;
    if (masked) mask = cell_mask(grid, study.study_area);
    timer.lap("grid");

    const EvaluateResult result =
        evaluate_methods(incidents, grid, masked ? &mask : nullptr, options, progress);
    timer.lap("evaluate");
    if (!inputs_.quiet) {
      if (result.undated_weight > 0)
        ctx.err << fmt::format("{:g} incidents without a month are not used\n",
                               result.undated_weight);
      if (result.outside_weight > 0)
        ctx.err << fmt::format(
            "{:g} incidents lie in cells whose centre is outside the study area and are not "
            "used\n",
            result.outside_weight);
      for (const Origin& o : result.skipped)
        ctx.err << fmt::format(
            "origin {} skipped: a month of {}..{} holds no incident (a gap in the data)\n",
            month_to_string(o.origin), month_to_string(o.train_first),
            month_to_string(o.test_last));
    }
    const auto summary = summarise_scores(result, options.methods.size(), options.area_percents);

    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
      throw IoError(fmt::format("-o {}: cannot create the folder: {}", output_dir_, ec.message()));
    write_text(scores_path, scores_csv(result, options), inputs_.overwrite);
    write_text(summary_path, summary_csv(summary, options), inputs_.overwrite);
    write_line_chart_png(chart_path, chart(summary, options, result), inputs_.overwrite);
    timer.lap("write");
    ctx.out << report(result, summary, options);
    if (inputs_.verbose) ctx.err << "timings: " << timer.report() << "\n";
    return 0;
  }

 private:
  std::string scores_csv(const EvaluateResult& r, const EvaluateOptions& o) const {
    std::string s =
        "origin,train_first,train_last,test_first,test_last,method,area_percent,hot_cells,"
        "study_cells,test_incidents,test_hits,best_hits,train_incidents,train_hits,hit_rate,pai,"
        "pei,rri\n";
    for (const ScoreRow& row : r.rows) {
      const Origin& org = r.origins[row.origin];
      const AreaScore& a = row.score;
      s += fmt::format(
          "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", month_to_string(org.origin),
          month_to_string(org.train_first), month_to_string(org.train_last),
          month_to_string(org.test_first), month_to_string(org.test_last),
          o.methods[row.method].label(), csv_number(a.area_percent), a.hot_cells, r.study_cells,
          csv_number(row.test_incidents), csv_number(a.test_hits), csv_number(a.best_hits),
          csv_number(row.train_incidents), csv_number(a.train_hits), csv_number(a.hit_rate),
          csv_number(a.pai), csv_number(a.pei), csv_number(a.rri));
    }
    return s;
  }

  static std::string summary_csv(const std::vector<ScoreSummary>& summary,
                                 const EvaluateOptions& o) {
    std::string s =
        "method,area_percent,origins,mean_hit_rate,mean_pai,sd_pai,min_pai,max_pai,mean_pei,"
        "mean_rri,wins\n";
    for (const ScoreSummary& x : summary)
      s += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", o.methods[x.method].label(),
                       csv_number(x.area_percent), x.origins, csv_number(x.mean_hit_rate),
                       csv_number(x.mean_pai), csv_number(x.sd_pai), csv_number(x.min_pai),
                       csv_number(x.max_pai), csv_number(x.mean_pei), csv_number(x.mean_rri),
                       x.wins);
    return s;
  }

  static LineChart chart(const std::vector<ScoreSummary>& summary, const EvaluateOptions& o,
                         const EvaluateResult& r) {
    LineChart c;
    c.title = fmt::format("Mean PAI over {} origins ({} to {}); months: train {}, test {}",
                          r.origins.size(), month_to_string(r.origins.front().origin),
                          month_to_string(r.origins.back().origin), o.train_months, o.test_months);
    c.x_label = "hot area, % of the study area (log scale)";
    c.y_label = "Predictive Accuracy Index";
    // Area shares in ascending order (the summary keeps the order given).
    std::vector<std::size_t> idx(o.area_percents.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
      return o.area_percents[a] < o.area_percents[b];
    });
    for (const std::size_t i : idx) c.x.push_back(o.area_percents[i]);
    const std::size_t n_areas = o.area_percents.size();
    for (std::size_t m = 0; m < o.methods.size(); ++m) {
      ChartSeries s{o.methods[m].label(), {}};
      for (const std::size_t i : idx) s.y.push_back(summary[m * n_areas + i].mean_pai);
      c.series.push_back(std::move(s));
    }
    return c;
  }

  std::string report(const EvaluateResult& r, const std::vector<ScoreSummary>& summary,
                     const EvaluateOptions& o) const {
    std::string s = fmt::format(
        "{} origins {} to {} (train {} months, test {}, step {}), {} study-area cells of {} m\n",
        r.origins.size(), month_to_string(r.origins.front().origin),
        month_to_string(r.origins.back().origin), o.train_months, o.test_months, o.step_months,
        grouped(r.study_cells), cell_size_m_);
    std::size_t width = 6;
    for (const auto& m : o.methods) width = std::max(width, m.label().size());
    s += fmt::format("{:<{}}  {:>6}  {:>8}  {:>8}  {:>7}  {:>7}  {:>7}  {:>6}  {:>6}  {:>5}\n",
                     "method", width, "area%", "hit_rate", "PAI", "PAI_sd", "PAI_min", "PAI_max",
                     "PEI", "RRI", "wins");
    for (const ScoreSummary& x : summary)
      s += fmt::format("{:<{}}  {:>6}  {:>8}  {:>8}  {:>7}  {:>7}  {:>7}  {:>6}  {:>6}  {:>5}\n",
                       o.methods[x.method].label(), width, fmt::format("{:g}", x.area_percent),
                       table_number(x.mean_hit_rate, 4), table_number(x.mean_pai, 1),
                       table_number(x.sd_pai, 1), table_number(x.min_pai, 1),
                       table_number(x.max_pai, 1), table_number(x.mean_pei, 3),
                       table_number(x.mean_rri, 2), x.wins);
    const std::size_t n_areas = o.area_percents.size();
    for (std::size_t a = 0; a < n_areas; ++a) {
      std::size_t best = o.methods.size();
      for (std::size_t m = 0; m < o.methods.size(); ++m) {
        const double p = summary[m * n_areas + a].mean_pai;
        if (!std::isnan(p) &&
            (best == o.methods.size() || p > summary[best * n_areas + a].mean_pai))
          best = m;
      }
      if (best == o.methods.size()) continue;
      const ScoreSummary& b = summary[best * n_areas + a];
      const std::string command = std::visit([&](const auto& m) { return m.command(cell_size_m_); },
                                             o.methods[best].method);
      s += fmt::format(
          "recommended at {:g}% of the area: {} (mean PAI {:.1f}; highest PAI at {} of {} "
          "origins)\n  made by: {}\n",
          o.area_percents[a], o.methods[best].label(), b.mean_pai, b.wins, r.origins.size(),
          command);
    }
    return s;
  }

  InputOptions inputs_;
  int train_ = 12;
  int test_ = 1;
  int step_ = 1;
  std::string methods_ = kDefaultMethods;
  std::vector<double> area_percents_;
  double cell_size_m_ = 100;
  std::string output_dir_;
  bool progress_ = false;
};

}  // namespace

std::unique_ptr<Command> make_evaluate_command() {
  return std::make_unique<EvaluateCommand>();
}

}  // namespace hotspots::cli
