// SPDX-License-Identifier: MIT
#include "hotspots/core/phase_timer.hpp"

#include <fmt/format.h>

namespace hotspots {

std::string PhaseTimer::report() const {
  std::string s;
  double total = 0;
  for (const auto& [name, seconds] : laps_) {
    s += fmt::format("{} {:.3f} s, ", name, seconds);
    total += seconds;
  }
  return s + fmt::format("total {:.3f} s", total);
}

std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace hotspots
