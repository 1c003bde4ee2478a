// SPDX-License-Identifier: MIT
#include "hotspots/pack/batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "hotspots/core/error.hpp"
#include "hotspots/core/memory_gate.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/pack/run_pack.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;

void write_failure(const std::string& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  pack_io::write_text(path, text + "\n", /*overwrite=*/true);
}

}  // namespace

std::string_view to_string(TaskStatus status) {
  switch (status) {
    case TaskStatus::built:
      return "built";
    case TaskStatus::up_to_date:
      return "up to date";
    case TaskStatus::failed:
      break;
  }
  return "failed";
}

std::string task_pack_dir(const std::string& output_dir, const PlanTask& task) {
  return (fs::path(output_dir) / task.id).string();
}

std::string task_failure_path(const std::string& output_dir, const PlanTask& task) {
  return (fs::path(output_dir) / ".batch" / "failed" / (task.id + ".txt")).string();
}

bool pack_is_current(const std::string& pack_dir, const PackSpec& spec) {
  const std::string manifest = (fs::path(pack_dir) / "manifest.json").string();
  std::error_code ec;
  if (!fs::is_regular_file(manifest, ec)) return false;
  try {
    const std::string text = pack_io::read_text(manifest);
    if (spec_digest(parse_pack_spec(text, manifest)) != spec_digest(spec)) return false;
    check_pack_inputs(text, manifest);  // throws when an input changed or is gone
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<TaskOutcome> run_batch(const std::vector<PlanTask>& tasks,
                                   const std::vector<std::size_t>& which,
                                   const BatchOptions& options, const BatchEvents& events) {
  if (options.workers < 1)
    throw InvalidArgument(fmt::format("workers {}: must be at least 1", options.workers));
  std::vector<std::size_t> order = which;
  if (order.empty())
    for (std::size_t i = 0; i < tasks.size(); ++i) order.push_back(i);
  for (std::size_t i : order)
    if (i >= tasks.size())
      throw InvalidArgument(fmt::format("task {}: the plan has {} tasks (0 .. {})", i, tasks.size(),
                                        tasks.empty() ? 0 : tasks.size() - 1));
  std::error_code ec;
  fs::create_directories(options.output_dir, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create: {}", options.output_dir, ec.message()));

  std::vector<TaskOutcome> outcomes(order.size());
  std::atomic<std::size_t> next{0};
  std::mutex report;
  ProgressPhase phase(events.progress, "tasks", order.size());
  std::size_t finished = 0;
  std::optional<MemoryGate> gate;
  if (options.max_memory_mb > 0) gate.emplace(options.max_memory_mb * 1e6);
  const auto work = [&] {
    for (std::size_t k = next++; k < order.size(); k = next++) {
      const PlanTask& task = tasks[order[k]];
      TaskOutcome& out = outcomes[k];
      out.index = order[k];
      out.id = task.id;
      const auto start = std::chrono::steady_clock::now();
      const std::string dir = task_pack_dir(options.output_dir, task);
      try {
        if (!options.rebuild && pack_is_current(dir, task.spec)) {
          out.status = TaskStatus::up_to_date;
        } else {
          PackRunOptions run;
          run.output_dir = dir;
          run.overwrite = true;
          run.command_line = options.command_line;
          run.version = options.version;
          run.max_memory_mb = options.max_memory_mb;
          PackEvents events_of_task;
          // The reservation is given back however the task ends.
          struct Reservation {
            MemoryGate* gate = nullptr;
            double bytes = 0;
            ~Reservation() {
              if (gate) gate->release(bytes);
            }
          } held;
          events_of_task.memory_estimated = [&](const MemoryEstimate& e) {
            out.estimated_mb = e.bytes / 1e6;
            if (!gate) return;
            out.waited_for_memory = gate->acquire(e.bytes);
            held.gate = &*gate;
            held.bytes = e.bytes;
          };
          std::ignore = run_pack(task.spec, run, events_of_task);
          out.status = TaskStatus::built;
        }
        fs::remove(task_failure_path(options.output_dir, task), ec);
      } catch (const std::exception& e) {
        out.status = TaskStatus::failed;
        out.error = e.what();
        try {
          write_failure(task_failure_path(options.output_dir, task), out.error);
        } catch (const std::exception& w) {
          out.error += fmt::format(" (and the failure could not be recorded: {})", w.what());
        }
      }
      out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      {
        const std::lock_guard<std::mutex> lock(report);
        if (events.task_done) events.task_done(out);
        phase.advance(++finished);
      }
    }
  };
  const auto n = static_cast<std::size_t>(options.workers) < order.size()
                     ? static_cast<std::size_t>(options.workers)
                     : order.size();
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  phase.finish();
  return outcomes;
}

std::int32_t latest_data_month(const PackSpec& base) {
  ReadOptions read = base.study.read;
  read.from.reset();
  read.to.reset();
  read.history_from.reset();
  const ReadResult data = read_incidents(base.inputs, read);
  std::int32_t latest = -1;
  for (const Date& d : data.incidents.date) latest = std::max(latest, d.month_index);
  if (latest < 0)
    throw InvalidArgument(
        "the plan's last periods need dated incidents: the base spec's inputs have none");
  return latest;
}

}  // namespace hotspots
