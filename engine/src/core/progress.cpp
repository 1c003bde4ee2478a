// SPDX-License-Identifier: MIT
#include "hotspots/core/progress.hpp"

#include <algorithm>

namespace hotspots {

ProgressPhase::ProgressPhase(const Progress& progress, std::string_view phase, std::size_t total)
    : progress_(progress), phase_(phase), total_(std::max<std::size_t>(total, 1)) {
  if (progress_) progress_(phase_, 0.0);
}

void ProgressPhase::advance(std::size_t done) {
  if (!progress_ || finished_) return;
  const double share = static_cast<double>(std::min(done, total_)) / static_cast<double>(total_);
  if (share >= 1.0) return finish();
  if (share - reported_ < 0.01) return;
  reported_ = share;
  progress_(phase_, share);
}

void ProgressPhase::finish() {
  if (finished_) return;
  finished_ = true;
  if (progress_) progress_(phase_, 1.0);
}

}  // namespace hotspots
