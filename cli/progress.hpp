// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <string_view>

#include "hotspots/core/progress.hpp"

namespace hotspots::cli {

/// Shows the engine's Progress (hotspots/core/progress.hpp) on stderr the way GDAL's terminal
/// progress does, one line per phase:
///
///   Gi*: 0...10...20...30...40...50...60...70...80...90...100 - done.
///
/// (a dot every 2.5 %, the tens as they pass, flushed as it goes). Disabled (no --progress, or
/// -q with it: -q wins, as it suppresses the progress monitor of GDAL's tools), it prints nothing
/// and callback() is empty, so the engine does not even call it.
class ProgressPrinter {
 public:
  /// `progress`: --progress was given; `quiet`: -q was given (it wins, silently).
  ProgressPrinter(std::ostream& err, bool progress, bool quiet)
      : err_(err), enabled_(progress && !quiet) {}

  /// Whether anything is printed (--progress without -q).
  [[nodiscard]] bool enabled() const { return enabled_; }

  /// What to hand to the engine: empty when disabled.
  [[nodiscard]] Progress callback();
  /// One report: a new phase name starts a new line (an unfinished line is ended first).
  void operator()(std::string_view phase, double share);

 private:
  std::ostream& err_;
  bool enabled_;
  std::string phase_;  // the open phase ("" when none)
  int ticks_ = -1;     // ticks of 2.5 % printed on its line (0 = "0")
};

/// Declares --progress on `app` (every long-running command: GDAL's flag).
void add_progress_flag(CLI::App& app, bool& flag);

}  // namespace hotspots::cli
