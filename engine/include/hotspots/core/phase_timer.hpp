// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hotspots {

/// Wall-clock seconds per named phase of a run, in the order they ended (for -v and the pack's
/// manifest "timings_s", the only part of a pack that differs between identical runs).
class PhaseTimer {
 public:
  PhaseTimer() : last_(std::chrono::steady_clock::now()) {}

  /// Ends the phase that began at the previous lap (or construction) under `name`.
  void lap(const std::string& name) {
    const auto now = std::chrono::steady_clock::now();
    laps_.emplace_back(name, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

  /// "read 0.512 s, asb 0.100 s, total 0.612 s".
  [[nodiscard]] std::string report() const;

  [[nodiscard]] const std::vector<std::pair<std::string, double>>& laps() const { return laps_; }

 private:
  std::chrono::steady_clock::time_point last_;
  std::vector<std::pair<std::string, double>> laps_;
};

/// 1234567 -> "1,234,567" (counts in messages, maps and reports).
[[nodiscard]] std::string grouped(std::int64_t n);

}  // namespace hotspots
