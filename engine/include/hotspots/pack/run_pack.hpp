// SPDX-License-Identifier: MIT
#pragma once

// `hotspots analyse` as a library call: a PackSpec in, a pack folder out. The CLI parses options
// into a spec and prints what the run reports; a batch runs many specs; tests call it directly.

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotspots/core/memory_estimate.hpp"
#include "hotspots/core/phase_timer.hpp"
#include "hotspots/core/progress.hpp"
#include "hotspots/io/study.hpp"
#include "hotspots/pack/pack_contents.hpp"
#include "hotspots/pack/pack_spec.hpp"

namespace hotspots {

/// What a pack run tells its caller while it works; the engine never prints. Unset callbacks
/// are not called.
struct PackEvents {
  /// The phases of the run: "reading", then per group "<group>: analysing" and
  /// "<group>: writing", then "writing the pack" (core/progress.hpp). With groups side by side
  /// (run_pack), a group's two phases are reported in group order once it is written.
  Progress progress;
  /// A line a person running the pack should read (period, grid, each group's figures, a group
  /// that could not be mapped, where the pack was written).
  std::function<void(std::string_view)> note;
  /// Every automatic decision with its figures (the nearest-neighbour rule behind a default
  /// cell size or radius), for -v.
  std::function<void(std::string_view)> decision;
  /// What the reader must not miss (a KDE hotspot larger than the neighbourhood scale); also in
  /// the summary and the manifest.
  std::function<void(std::string_view)> warning;
  /// The study as read for the period, before any analysis (fields detected, CRS chosen, row
  /// rejections and reader warnings are the caller's to report).
  std::function<void(const Study&)> study_read;
  /// The run's estimated peak memory (estimate_analyse_memory), once the incidents are read and
  /// before the grid is allocated, after the max_memory_mb check: a batch reserves it from the
  /// budget its tasks share here (and may block until other tasks give theirs back).
  std::function<void(const MemoryEstimate&)> memory_estimated;
};

/// Where and how a pack is written; none of it changes the pack's contents.
struct PackRunOptions {
  std::string output_dir;    ///< built under a hidden temporary name, moved into place whole
  bool overwrite = false;    ///< replace an earlier pack (only the files its manifest lists)
  std::string rejects_path;  ///< also list every unusable row here ("" = only the pack's own)
  std::string command_line;  ///< recorded in manifest.json
  std::string version;       ///< the tool's version, recorded in every product
  /// > 0: refuse, before the grid is allocated, a run whose estimated peak memory
  /// (estimate_analyse_memory) is above this many MB, naming the cell size that would fit.
  double max_memory_mb = 0;
};

/// What a finished run reports.
struct PackRunResult {
  std::string path;  ///< the pack folder
  PhaseTimer timer;  ///< per-phase wall-clock seconds (also in manifest.json "timings_s")
};

/// Checks a spec the way run_pack will use it, before anything is read: defaults resolved
/// (resolve_pack_defaults), whole months only in from/to, every group naming crime types, no two
/// groups sharing a folder. Throws InvalidArgument naming the field. O(groups).
[[nodiscard]] PackSpec validated_pack_spec(PackSpec spec);

/// Builds the pack of `spec` in options.output_dir: reads the inputs once over the period and
/// the previous period (sliced in memory), analyses each crime group on one grid
/// (analyse_group), writes each product of PackProductList and manifest.json last, then moves
/// the folder into place. Groups are analysed and written two at a time when there are two
/// threads or more and the memory estimate for two fits options.max_memory_mb (one at a time
/// otherwise); tables.xlsx and the report, which read the other products' files, are written
/// side by side last. Every file's bytes are the same for any number of threads. Refuses, before
/// reading, outputs that would land on an input, an existing folder without `overwrite`, and
/// special files (check_run_paths). A group that cannot be mapped (no incident, one location) keeps
/// its zone and concentration figures and is noted, not fatal. On any failure nothing that looks
/// like a finished pack is left. Throws InvalidArgument (spec; a run above options.max_memory_mb,
/// naming the estimate, its parts and the cell_size_m that fits), InputError/IoError (inputs,
/// writing), Error (no data). Cost: reading O(rows), then per group KDE + Gi* (see kde.hpp,
/// gistar.hpp) and the writes.
PackRunResult run_pack(const PackSpec& spec, const PackRunOptions& options,
                       const PackEvents& events = {});

/// The peak memory run_pack(spec, ...) would be estimated to need with as many groups side by
/// side as it runs at most with `threads` threads (two with two or more; 0: this machine's
/// threads) (estimate_analyse_memory): reads the inputs and makes the grid as run_pack does, then
/// stops; writes nothing. For a batch's --list and --slurm-mem auto (the node's --cpus-per-task).
/// Throws what run_pack throws before its memory check. Cost: reading O(rows).
[[nodiscard]] MemoryEstimate estimate_pack_memory(const PackSpec& spec, int threads = 0);

}  // namespace hotspots
