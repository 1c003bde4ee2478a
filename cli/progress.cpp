// SPDX-License-Identifier: MIT
#include "progress.hpp"

#include <cmath>

namespace hotspots::cli {

Progress ProgressPrinter::callback() {
  if (!enabled_) return {};
  return [this](std::string_view phase, double share) { (*this)(phase, share); };
}

void ProgressPrinter::operator()(std::string_view phase, double share) {
  if (!enabled_) return;
  if (phase_.empty() || phase != phase_) {
    if (!phase_.empty()) err_ << "\n";  // the engine left a phase unfinished: end its line
    phase_ = std::string(phase);
    ticks_ = -1;
    err_ << phase_ << ": ";
  }
  const double clamped = std::isfinite(share) ? std::min(std::max(share, 0.0), 1.0) : 0.0;
  const int target = static_cast<int>(std::floor(clamped * 40.0 + 1e-9));
  for (int t = ticks_ + 1; t <= target; ++t) {
    if (t % 4 == 0)
      err_ << t / 4 * 10;
    else
      err_ << '.';
  }
  ticks_ = std::max(ticks_, target);
  if (ticks_ >= 40) {
    err_ << " - done.\n";
    phase_.clear();
    ticks_ = -1;
  }
  err_.flush();
}

void add_progress_flag(CLI::App& app, bool& flag) {
  app.add_flag("--progress", flag,
               "show each phase's progress on stderr as GDAL does (\"Gi*: 0...10...20 ... 100 - "
               "done.\"); quiet otherwise, and with -q (-q wins, as in GDAL's tools)")
      ->group("Output");
}

}  // namespace hotspots::cli
