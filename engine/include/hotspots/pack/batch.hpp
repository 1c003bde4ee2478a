// SPDX-License-Identifier: MIT
#pragma once

// Running a plan's tasks: each task is run_pack() into OUTPUT/<task id>, atomically; a task
// whose finished pack holds the same spec and unchanged inputs is not built again; a failed task
// never stops the others and leaves its error in OUTPUT/.batch/failed/<task id>.txt.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/core/progress.hpp"
#include "hotspots/pack/plan.hpp"

namespace hotspots {

enum class TaskStatus {
  built,       ///< the pack was built now
  up_to_date,  ///< its pack already held the same spec and inputs: left as it was
  failed,      ///< run_pack threw; the error is in TaskOutcome::error and the failed/ file
};

[[nodiscard]] std::string_view to_string(TaskStatus status);

struct TaskOutcome {
  std::size_t index = 0;  ///< in the plan's task list
  std::string id;
  TaskStatus status = TaskStatus::failed;
  std::string error;   ///< why it failed
  double seconds = 0;  ///< wall time of this task
  /// Its estimated peak memory (estimate_analyse_memory), MB; 0 when not known (up to date, or
  /// failed before its incidents were read).
  double estimated_mb = 0;
  /// It waited for other tasks to give back memory before it could start its analysis.
  bool waited_for_memory = false;
};

struct BatchOptions {
  std::string output_dir;  ///< one pack folder per task inside it (created when missing)
  /// Tasks run at once (threads; each pack also uses every core for its own steps). >= 1.
  int workers = 1;
  bool rebuild = false;      ///< build every task even when its pack is up to date
  std::string command_line;  ///< recorded in each manifest
  std::string version;       ///< the tool's version, recorded in each pack
  /// > 0: the memory the tasks share, MB. Each task's peak is estimated once its incidents are
  /// read, before its grid is allocated (estimate_analyse_memory): a task whose estimate alone
  /// is above it fails with run_pack's message (the estimate, its parts, the cell_size_m that
  /// fits); with workers > 1 a task whose estimate does not fit beside those of the tasks
  /// running waits until they finish (MemoryGate), so the estimates of the tasks analysing at
  /// once never sum above it. 0: no limit.
  double max_memory_mb = 0;
};

struct BatchEvents {
  std::function<void(const TaskOutcome&)> task_done;  ///< after each task (any worker thread,
                                                      ///< never two at once)
  /// The phase "tasks", one step per task finished (any worker thread, never two at once).
  Progress progress;
};

/// OUTPUT/<id>: the pack folder of a task.
[[nodiscard]] std::string task_pack_dir(const std::string& output_dir, const PlanTask& task);

/// OUTPUT/.batch/failed/<id>.txt: where a failed task leaves its error.
[[nodiscard]] std::string task_failure_path(const std::string& output_dir, const PlanTask& task);

/// Whether `pack_dir` holds a finished pack (manifest.json) of exactly `spec` (spec_digest of
/// the manifest's spec) whose inputs still have the SHA-256s it records. Never throws: anything
/// unreadable is "not current".
[[nodiscard]] bool pack_is_current(const std::string& pack_dir, const PackSpec& spec);

/// Runs the tasks `which` (indices into `tasks`; all when empty), `options.workers` at a time.
/// Each task: skipped when pack_is_current (unless rebuild), else run_pack into its folder
/// (overwrite: only the old pack's own files are replaced); a failure is caught, written to
/// task_failure_path, reported and does not stop the others; a success removes that file.
/// Returns one outcome per task run, in the order of `which`. Throws InvalidArgument for an
/// index out of range or workers < 1, IoError when the output folder cannot be made.
std::vector<TaskOutcome> run_batch(const std::vector<PlanTask>& tasks,
                                   const std::vector<std::size_t>& which,
                                   const BatchOptions& options, const BatchEvents& events = {});

/// The latest month (dates.hpp month index) of `base`'s inputs read with its read options but
/// no date filter: what a plan's {"last": ...} periods end at. Throws InvalidArgument when no
/// incident is dated; what read_incidents throws.
[[nodiscard]] std::int32_t latest_data_month(const PackSpec& base);

}  // namespace hotspots
