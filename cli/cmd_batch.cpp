// SPDX-License-Identifier: MIT
// `hotspots batch`: a plan of packs (areas × periods, each one PackSpec) run locally with
// bounded workers, one task at a time under any array scheduler (--task), or as a Slurm job
// array (--slurm); --gather merges the finished packs into index.csv.

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/pack/batch.hpp"
#include "hotspots/pack/gather.hpp"
#include "hotspots/pack/plan.hpp"
#include "hotspots/pack/run_pack.hpp"
#include "hotspots/pack/slurm_script.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace hotspots::cli {
namespace {

namespace fs = std::filesystem;

std::string absolute(const std::string& path) {
  return fs::absolute(path).lexically_normal().string();
}

class BatchCommand final : public Command {
 public:
  CLI::App* setup(CLI::App& parent) override {
    CLI::App* app = parent.add_subcommand(
        "batch",
        "A programme of hotspot packs from a plan (areas x periods): run locally in parallel, "
        "one task at a time (--task, for any array scheduler), or as a Slurm job array");
    app->add_option("PLAN", plan_path_, "plan file (JSON; see README 'hotspots batch')")
        ->required()
        ->check(CLI::ExistingFile);
    app->add_option("-o,--output", outdir_,
                    "folder of the packs: one sub-folder per task id, index.csv, .batch/")
        ->group("Output");
    app->add_flag("--list", list_, "print the tasks (index, id, area, period), run nothing");
    app->add_flag("--estimate-memory", estimate_memory_,
                  "with --list: read each task's inputs and add its estimated peak memory in MB "
                  "(what --max-memory is compared with; reading takes as long as each task's "
                  "read)")
        ->needs("--list");
    app->add_option("--task", task_indices_,
                    "run only these tasks (indices from --list; repeatable or comma-separated)")
        ->delimiter(',');
    app->add_option("-j,--workers", workers_,
                    "tasks built at once (default: the number of cores, at most the tasks)")
        ->check(CLI::PositiveNumber);
    app->add_option("--max-memory", max_memory_mb_,
                    "memory the tasks share, MB (default: 80% of the machine's memory): a task "
                    "whose estimated peak (made once its incidents are read, before its grid is "
                    "allocated) is above it fails naming what would fit; with -j, a task "
                    "waits while the estimates of the tasks running leave it too little")
        ->check(number_in(1, 1e9, "MB"));
    app->add_flag("--rebuild", rebuild_,
                  "build every task, even one whose pack already holds the same spec and inputs");
    app->add_option("--data-to", data_to_,
                    "the month (YYYY-MM) the plan's {\"last\": ...} periods end at (default: the "
                    "latest month of the base spec's inputs, read once)");
    app->add_flag("--gather", gather_,
                  "write index.csv from the finished packs (run nothing); failed and missing "
                  "tasks are listed");
    app->add_option("--slurm", slurm_dir_,
                    "write tasks.sbatch, gather.sbatch and submit.sh for a Slurm job array into "
                    "this folder (run nothing)")
        ->group("Slurm");
    app->add_option("--slurm-max-parallel", slurm_.max_parallel,
                    "array tasks running at once (--array=0-N%M)")
        ->check(CLI::PositiveNumber)
        ->group("Slurm");
    app->add_option("--slurm-cpus", slurm_.cpus_per_task, "--cpus-per-task (default 2)")
        ->check(CLI::PositiveNumber)
        ->group("Slurm");
    app->add_option("--slurm-mem", slurm_.memory,
                    "--mem, e.g. 4G; 'auto': every task's inputs are read to estimate its peak, "
                    "and --mem is the largest estimate + 25 %, in whole 100 MB")
        ->check([](const std::string& v) -> std::string {
          if (v == "auto") return {};
          std::size_t digits = 0;
          while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9') ++digits;
          const bool unit_ok =
              digits == v.size() ||
              (digits + 1 == v.size() && std::string("KMGT").find(v.back()) != std::string::npos);
          if (digits > 0 && unit_ok) return {};
          return "'" + v + "' is not Slurm's --mem (a number with K, M, G or T) or 'auto'";
        })
        ->group("Slurm");
    app->add_option("--slurm-time", slurm_.time_limit, "--time, e.g. 01:00:00")->group("Slurm");
    app->add_option("--slurm-partition", slurm_.partition, "--partition")->group("Slurm");
    app->add_flag("-q,--quiet", quiet_, "no diagnostics but errors");
    app->add_flag(
        "--progress", progress_,
        "GDAL's progress of the tasks on stderr (\"tasks: 0...10...20 ... 100 - "
        "done.\") instead of a line per task as it finishes (the default); -q wins, as in "
        "GDAL's tools");
    app->footer(
        "Examples:\n"
        "  hotspots batch plan.json --list\n"
        "  hotspots batch plan.json --list --estimate-memory   # each task's peak, MB\n"
        "  hotspots batch plan.json -o runs/2022 -j 2\n"
        "  hotspots batch plan.json -o runs/2022 --task 3          # one task (GNU parallel, "
        "arrays)\n"
        "  hotspots batch plan.json -o runs/2022 --slurm runs/slurm && sh runs/slurm/submit.sh\n"
        "  hotspots batch plan.json -o runs/2022 --slurm runs/slurm --slurm-mem auto\n"
        "  hotspots batch plan.json -o runs/2022 --gather\n\n"
        "Plan (JSON): {\"plan_version\": 1, \"base\": {spec, as a pack's manifest.json \"spec\"},\n"
        "  \"areas\": [{\"id\": ..., \"boundary\": {\"paths\": [...], \"where\": ...}, "
        "\"zones\": {...}, \"inputs\": [...]}]\n"
        "  or \"areas_from\": {\"boundary\": FILE, \"id_field\": F} (one task per feature),\n"
        "  \"periods\": [{\"from\": \"2022-01\", \"to\": \"2022-12\"} | {\"rolling\": {\"from\", "
        "\"to\", \"months\": 12, \"step\": 1}}]}\n"
        "Tasks are areas x periods, ids \"<area>_<from>_<to>\". A rerun leaves packs whose "
        "manifest holds the same\n"
        "  spec and unchanged inputs, and redoes changed, failed and missing ones. A failed task "
        "never stops the\n"
        "  others: its error is in OUTPUT/.batch/failed/<id>.txt and the exit code is 1.");
    return app;
  }

  int run(Context& ctx) override {
    std::ifstream in(plan_path_, std::ios::binary);
    if (!in) throw IoError(fmt::format("{}: cannot read", plan_path_));
    std::ostringstream text;
    text << in.rdbuf();
    std::string latest_text;  // the month `last` periods end at, once resolved
    const LatestMonth latest = [&](const PackSpec& base) {
      const std::int32_t m = data_to_.empty() ? latest_data_month(base) : [&] {
        const std::int32_t given = parse_year_month(data_to_);
        if (given < 0) throw InvalidArgument("--data-to: '" + data_to_ + "' is not YYYY-MM");
        return given;
      }();
      latest_text = month_to_string(m);
      if (!quiet_ && data_to_.empty())
        ctx.err << fmt::format(
            "the plan's last periods end at {}, the data's latest month "
            "(--data-to sets it)\n",
            latest_text);
      return m;
    };
    const std::vector<PlanTask> tasks = expand_plan(text.str(), plan_path_, latest);
    slurm_.data_to = latest_text;

    if (list_) {
      int failed = 0;
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        std::string estimate;
        if (estimate_memory_) {
          try {
            estimate = fmt::format("\t{:.0f} MB", estimate_pack_memory(tasks[i].spec).bytes / 1e6);
          } catch (const std::exception& e) {
            estimate = "\t-";
            ++failed;
            ctx.err << fmt::format("task {} {}: cannot estimate its memory: {}\n", i, tasks[i].id,
                                   e.what());
          }
        }
        ctx.out << fmt::format("{}\t{}\t{}\t{}{}\n", i, tasks[i].id,
                               tasks[i].area.empty() ? "-" : tasks[i].area,
                               tasks[i].period.empty() ? "-" : tasks[i].period, estimate);
      }
      return failed > 0 ? 1 : 0;
    }
    if (outdir_.empty()) throw InvalidArgument("-o: give the folder of the packs");
    if (gather_) return gather(ctx, tasks);
    if (!slurm_dir_.empty()) return write_slurm(ctx, tasks);

    BatchOptions options;
    options.output_dir = outdir_;
    options.rebuild = rebuild_;
    options.command_line = ctx.command_line;
    options.version = HOTSPOTS_VERSION;
    const auto cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.workers = workers_ > 0 ? workers_ : cores;
    options.max_memory_mb = max_memory_mb_ > 0 ? max_memory_mb_ : default_memory_budget_mb();
    std::vector<std::size_t> which(task_indices_.begin(), task_indices_.end());
    BatchEvents events;
    ProgressPrinter printer(ctx.err, progress_, quiet_);
    events.progress = printer.callback();
    if (!quiet_ && !progress_)
      events.task_done = [&](const TaskOutcome& o) {
        ctx.err << fmt::format(
            "task {} {}: {} ({:.1f} s{}{}){}\n", o.index, o.id, to_string(o.status), o.seconds,
            o.estimated_mb > 0 ? fmt::format(", estimated peak {:.0f} MB", o.estimated_mb) : "",
            o.waited_for_memory ? ", waited for memory" : "",
            o.error.empty() ? "" : ": " + o.error);
      };
    const std::vector<TaskOutcome> outcomes = run_batch(tasks, which, options, events);
    std::size_t failed = 0, built = 0, current = 0;
    for (const TaskOutcome& o : outcomes) {
      failed += o.status == TaskStatus::failed;
      built += o.status == TaskStatus::built;
      current += o.status == TaskStatus::up_to_date;
    }
    if (!quiet_)
      ctx.err << fmt::format("{} task{}: {} built, {} up to date, {} failed{}\n", outcomes.size(),
                             outcomes.size() == 1 ? "" : "s", built, current, failed,
                             failed ? fmt::format(" (errors in {}/.batch/failed/)", outdir_) : "");
    return failed > 0 ? 1 : 0;
  }

 private:
  int gather(Context& ctx, const std::vector<PlanTask>& tasks) const {
    const GatherResult r = gather_batch(tasks, outdir_);
    if (!quiet_)
      ctx.err << fmt::format(
          "{}: {} done, {} failed, {} missing (also index.geojson, "
          "persistence.csv, summary.md)\n",
          r.index_path, r.done, r.failed, r.missing);
    return r.failed + r.missing > 0 ? 1 : 0;
  }

  int write_slurm(Context& ctx, const std::vector<PlanTask>& tasks) {
    SlurmOptions o = slurm_;
    o.hotspots_exe = fs::canonical("/proc/self/exe").string();
    o.plan_path = absolute(plan_path_);
    o.output_dir = absolute(outdir_);
    o.work_dir = fs::current_path().string();
    o.log_dir = absolute((fs::path(slurm_dir_) / "logs").string());
    o.tasks = tasks.size();
    if (o.memory == "auto") o.memory = memory_from_estimates(ctx, tasks);
    for (const std::string* p : {&o.plan_path, &o.output_dir, &o.work_dir, &o.log_dir})
      if (p->find_first_of(" \t\n'\"") != std::string::npos)
        throw InvalidArgument(fmt::format(
            "--slurm: '{}' holds a space or a quote, which #SBATCH lines cannot carry", *p));
    std::error_code ec;
    fs::create_directories(slurm_dir_, ec);
    if (ec) throw IoError(fmt::format("{}: cannot create: {}", slurm_dir_, ec.message()));
    for (const auto& [name, script] : slurm_scripts(o)) {
      const std::string path = (fs::path(slurm_dir_) / name).string();
      AtomicFile file(path, /*overwrite=*/true);
      {
        std::ofstream out(file.temp_path(), std::ios::binary);
        out << script;
        if (!out.flush()) throw IoError(write_error_text(path, "write failed"));
      }
      fs::permissions(file.temp_path(), fs::perms::owner_exec | fs::perms::group_exec,
                      fs::perm_options::add, ec);
      file.commit();
    }
    if (!quiet_) {
      if (o.memory.empty())
        ctx.err << "no --slurm-mem: each task gets the partition's default memory "
                   "(--slurm-mem auto sets it from the tasks' estimates)\n";
      ctx.err << fmt::format("{} tasks; submit with: sh {}/submit.sh\n", tasks.size(), slurm_dir_);
    }
    return 0;
  }

  /// --slurm-mem auto: every task's estimated peak with --slurm-cpus threads (its inputs read, as
  /// --list --estimate-memory does), then slurm_memory_for; a task that cannot be estimated stops
  /// the scripts being written.
  std::string memory_from_estimates(Context& ctx, const std::vector<PlanTask>& tasks) const {
    std::vector<double> bytes;
    bytes.reserve(tasks.size());
    std::size_t largest = 0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      try {
        // A task runs on its node with --cpus-per-task threads, not this machine's.
        bytes.push_back(estimate_pack_memory(tasks[i].spec, slurm_.cpus_per_task).bytes);
      } catch (const std::exception& e) {
        throw InvalidArgument(fmt::format(
            "--slurm-mem auto: task {} {}: cannot estimate its memory: {} (give --slurm-mem "
            "yourself)",
            i, tasks[i].id, e.what()));
      }
      if (bytes.back() > bytes[largest]) largest = i;
    }
    std::string memory = slurm_memory_for(bytes);
    if (!quiet_)
      ctx.err << fmt::format(
          "--mem={}: the largest estimate, task {} {} ({:.0f} MB), + {:.0f} %, in whole 100 MB\n",
          memory, largest, tasks[largest].id, bytes[largest] / 1e6, kSlurmMemoryHeadroom * 100);
    return memory;
  }

  std::string plan_path_;
  std::string outdir_;
  bool list_ = false;
  bool estimate_memory_ = false;
  std::vector<std::size_t> task_indices_;
  int workers_ = 0;
  double max_memory_mb_ = 0;
  bool rebuild_ = false;
  bool gather_ = false;
  std::string data_to_;
  std::string slurm_dir_;
  SlurmOptions slurm_;
  bool quiet_ = false;
  bool progress_ = false;
};

}  // namespace

std::unique_ptr<Command> make_batch_command() {
  return std::make_unique<BatchCommand>();
}

}  // namespace hotspots::cli
