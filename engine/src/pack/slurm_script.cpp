// SPDX-License-Identifier: MIT
#include "hotspots/pack/slurm_script.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

/// POSIX single quotes: 'it'\''s'.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string header(const SlurmOptions& o, const std::string& name, const std::string& log) {
  std::string s = "#!/bin/bash\n";
  s += fmt::format("#SBATCH --job-name={}\n", name);
  s += fmt::format("#SBATCH --chdir={}\n", o.work_dir);
  s += fmt::format("#SBATCH --output={}/{}\n", o.log_dir, log);
  s += fmt::format("#SBATCH --cpus-per-task={}\n", o.cpus_per_task);
  if (!o.memory.empty()) s += fmt::format("#SBATCH --mem={}\n", o.memory);
  if (!o.time_limit.empty()) s += fmt::format("#SBATCH --time={}\n", o.time_limit);
  if (!o.partition.empty()) s += fmt::format("#SBATCH --partition={}\n", o.partition);
  return s;
}

}  // namespace

std::string slurm_memory_for(std::span<const double> task_bytes) {
  if (task_bytes.empty()) throw InvalidArgument("tasks: no task estimate to set --mem from");
  double largest = 0;
  for (const double b : task_bytes) {
    if (!std::isfinite(b) || b <= 0)
      throw InvalidArgument(fmt::format("tasks: a task's estimate ({} bytes) is not positive", b));
    largest = std::max(largest, b);
  }
  const double hundreds = std::ceil(largest * (1 + kSlurmMemoryHeadroom) / 100e6);
  return fmt::format("{:.0f}M", hundreds * 100);
}

std::vector<std::pair<std::string, std::string>> slurm_scripts(const SlurmOptions& o) {
  if (o.tasks == 0) throw InvalidArgument("tasks: the plan has no task to submit");
  std::string tasks = header(o, "hotspots-batch", "task-%a.log");
  tasks += fmt::format("#SBATCH --array=0-{}{}\n", o.tasks - 1,
                       o.max_parallel > 0 ? fmt::format("%{}", o.max_parallel) : "");
  tasks += "# One pack per array task; a finished pack with the same spec is left as it is.\n";
  const std::string data_to = o.data_to.empty() ? "" : " --data-to " + quoted(o.data_to);
  tasks += fmt::format("exec {} batch {} -o {}{} --task \"$SLURM_ARRAY_TASK_ID\" -j 1 --quiet\n",
                       quoted(o.hotspots_exe), quoted(o.plan_path), quoted(o.output_dir), data_to);
  std::string gather = header(o, "hotspots-gather", "gather.log");
  gather += "# index.csv of every task: done, failed (with its error) or missing.\n";
  gather += fmt::format("exec {} batch {} -o {}{} --gather\n", quoted(o.hotspots_exe),
                        quoted(o.plan_path), quoted(o.output_dir), data_to);
  std::string submit =
      "#!/bin/sh\n# Submits the task array, then the gather job after it ends.\nset -eu\n";
  submit += "cd \"$(dirname \"$0\")\"\n";
  submit += fmt::format("mkdir -p {}\n", quoted(o.log_dir));
  submit += "array=$(sbatch --parsable tasks.sbatch)\n";
  submit += "array=${array%%;*}\n";
  submit += "gather=$(sbatch --parsable --dependency=afterany:\"$array\" gather.sbatch)\n";
  submit += "echo \"submitted task array $array and gather job ${gather%%;*}\"\n";
  return {{"tasks.sbatch", tasks}, {"gather.sbatch", gather}, {"submit.sh", submit}};
}

}  // namespace hotspots
