// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <mutex>

namespace hotspots {

/// Shares a memory budget between runs working at once (the tasks of a batch): a run reserves
/// its estimated peak (MemoryEstimate::bytes) before it allocates, waiting while the runs
/// already holding reservations leave too little, and gives it back when done. A run whose
/// estimate alone is above the budget is never admitted (the caller refuses it instead);
/// when nothing else is reserved any estimate within the budget is admitted at once, so runs
/// that fit one at a time never wait for ever. Thread-safe.
class MemoryGate {
 public:
  /// `budget_bytes` > 0: the sum of the reservations held at once never exceeds it.
  explicit MemoryGate(double budget_bytes) : budget_(budget_bytes) {}

  [[nodiscard]] double budget_bytes() const { return budget_; }

  /// Whether `bytes` can ever be admitted (bytes <= the budget).
  [[nodiscard]] bool fits(double bytes) const { return bytes <= budget_; }

  /// Blocks until `bytes` fit beside the reservations held, then holds them. Returns whether
  /// it had to wait. Precondition: fits(bytes).
  bool acquire(double bytes);

  /// Gives back `bytes` acquired earlier and wakes the runs waiting.
  void release(double bytes);

  /// Bytes reserved now.
  [[nodiscard]] double reserved_bytes() const;

 private:
  double budget_;
  double reserved_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
};

}  // namespace hotspots
