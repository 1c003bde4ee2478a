// SPDX-License-Identifier: MIT
#include "hotspots/core/memory_estimate.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hotspots {

void MemoryEstimate::add(std::string name, double part_bytes) {
  if (!(part_bytes > 0)) return;
  parts.push_back({std::move(name), part_bytes});
  bytes += part_bytes;
}

std::string MemoryEstimate::breakdown() const {
  std::vector<MemoryPart> sorted = parts;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const MemoryPart& a, const MemoryPart& b) { return a.bytes > b.bytes; });
  std::string out;
  for (const MemoryPart& p : sorted)
    if (p.bytes >= 0.5e6)
      out += fmt::format("{}{} {:.0f} MB", out.empty() ? "" : ", ", p.name, p.bytes / 1e6);
  return out;
}

MemoryEstimate reading_memory(std::int64_t rows) {
  MemoryEstimate e;
  e.peak_phase = "reading";
  e.add("program and libraries", kProgramBytes);
  e.add("rows being read", static_cast<double>(rows) * kBytesPerRowWhileReading);
  return e;
}

MemoryEstimate larger_of(MemoryEstimate a, MemoryEstimate b) {
  return a.bytes >= b.bytes ? std::move(a) : std::move(b);
}

}  // namespace hotspots
