// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace hotspots {

/// What the Slurm scripts of a plan run.
struct SlurmOptions {
  std::string hotspots_exe;  ///< absolute path of the hotspots binary
  std::string plan_path;     ///< absolute path of the plan
  std::string output_dir;    ///< absolute path of the batch output folder
  std::string work_dir;      ///< the folder relative paths of the plan are read from
  std::string log_dir;       ///< where Slurm writes each task's stdout/stderr
  std::size_t tasks = 0;     ///< tasks of the plan (array 0 .. tasks − 1)
  int max_parallel = 0;      ///< array tasks at once (%M); 0 = as Slurm allows
  int cpus_per_task = 2;
  std::string memory;      ///< --mem, e.g. "4G" or "2300M" ("" = the partition's default)
  std::string time_limit;  ///< --time, e.g. "01:00:00" ("" = the partition's default)
  std::string partition;   ///< --partition ("" = the default partition)
  /// The month `last` periods end at ("YYYY-MM"), resolved once when the scripts are written, so
  /// every array task expands the plan to the same tasks without reading the data ("" = none).
  std::string data_to;
};

/// Headroom added to the largest task estimate for Slurm's --mem: the analyse estimate was 0.91 to
/// 1.04 of the measured peak RSS (benchmarks/README.md "Memory estimates"), and a task that goes
/// over --mem is killed by Slurm, not slowed down.
inline constexpr double kSlurmMemoryHeadroom = 0.25;

/// Slurm's --mem for a job array whose tasks' estimated peaks are `task_bytes` (one --mem holds
/// for every task of an array): the largest × (1 + kSlurmMemoryHeadroom), rounded up to whole
/// 100 MB (10^6 bytes), as "<MB>M" (Slurm's M is 2^20 bytes, so this rounds up further).
/// Throws InvalidArgument when `task_bytes` is empty or holds a value that is not positive and
/// finite. O(tasks).
[[nodiscard]] std::string slurm_memory_for(std::span<const double> task_bytes);

/// The scripts of a Slurm run, as (file name, text): tasks.sbatch (a job array, one task per
/// $SLURM_ARRAY_TASK_ID: `hotspots batch PLAN -o OUT --task $SLURM_ARRAY_TASK_ID`),
/// gather.sbatch (`hotspots batch PLAN -o OUT --gather`) and submit.sh, which submits the array
/// and the gather job with --dependency=afterany on it (so failed tasks are gathered as failed).
/// Paths are single-quoted for the shell. Throws InvalidArgument when tasks is 0.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> slurm_scripts(
    const SlurmOptions& options);

}  // namespace hotspots
