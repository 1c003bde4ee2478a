// SPDX-License-Identifier: MIT
#include "hotspots/core/memory_gate.hpp"

namespace hotspots {

bool MemoryGate::acquire(double bytes) {
  std::unique_lock lock(mutex_);
  const auto room = [&] { return reserved_ == 0 || reserved_ + bytes <= budget_; };
  const bool waited = !room();
  freed_.wait(lock, room);
  reserved_ += bytes;
  return waited;
}

void MemoryGate::release(double bytes) {
  {
    const std::lock_guard lock(mutex_);
    reserved_ -= bytes;
    if (reserved_ < 1e-6) reserved_ = 0;  // rounding of many additions and subtractions
  }
  freed_.notify_all();
}

double MemoryGate::reserved_bytes() const {
  const std::lock_guard lock(mutex_);
  return reserved_;
}

}  // namespace hotspots
