// SPDX-License-Identifier: MIT
// MemoryGate: runs reserving their estimated peaks from a shared budget never hold more than the
// budget at once, each run is admitted once the others give back enough, and a run that fits
// alone is admitted when nothing else is held (no wait for ever).

#include "hotspots/core/memory_gate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

namespace hotspots {
namespace {

TEST(MemoryGate, ReservationsHeldAtOnceNeverExceedTheBudget) {
  MemoryGate gate(1000);
  // Twelve runs on six threads, estimates 300..800: at most three of the small ones fit at once.
  std::vector<double> estimates;
  for (int i = 0; i < 12; ++i) estimates.push_back(300 + 50 * (i % 11));
  std::mutex m;
  double held = 0;
  double most = 0;
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t k = next++; k < estimates.size(); k = next++) {
      const double bytes = estimates[k];
      std::ignore = gate.acquire(bytes);
      {
        const std::lock_guard lock(m);
        held += bytes;
        most = std::max(most, held);
        EXPECT_LE(held, 1000.0);  // held ≤ what the gate holds: added after acquire
        EXPECT_LE(gate.reserved_bytes(), 1000.0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      {
        const std::lock_guard lock(m);
        held -= bytes;
      }
      gate.release(bytes);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  EXPECT_LE(most, 1000.0);
  // Whether any thread waited depends on the scheduler (all twelve may run one after another on
  // a loaded machine), so it is not asserted here; the next test makes a wait happen for sure.
  EXPECT_EQ(gate.reserved_bytes(), 0.0);
}

TEST(MemoryGate, ARunThatFitsAloneIsAdmittedWhenNothingIsHeld) {
  MemoryGate gate(1000);
  EXPECT_TRUE(gate.fits(1000));
  EXPECT_FALSE(gate.fits(1000.5));
  EXPECT_FALSE(gate.acquire(1000));  // nothing held: no wait
  std::atomic<bool> admitted{false};
  std::thread second([&] {
    EXPECT_TRUE(gate.acquire(1));  // waits for the first to give its reservation back
    admitted = true;
    gate.release(1);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(admitted.load());
  gate.release(1000);
  second.join();
  EXPECT_TRUE(admitted.load());
  EXPECT_EQ(gate.reserved_bytes(), 0.0);
}

}  // namespace
}  // namespace hotspots
