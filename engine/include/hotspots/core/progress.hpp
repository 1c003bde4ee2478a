// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>

namespace hotspots {

/// How far a long run is, for a caller that shows it (GDAL's GDALProgressFunc, with the name of
/// the phase): the engine calls progress(phase, share) with share in [0, 1], not decreasing within
/// a phase, and share = 1 exactly once when the phase ends. Phases follow one another; one ends
/// before the next begins. Calls are never concurrent, but may come from a worker thread. The
/// engine never prints: the CLI decides what to show. An empty function is never called.
using Progress = std::function<void(std::string_view phase, double share)>;

/// One phase of a Progress, for engine loops: the constructor reports share 0, advance(done)
/// reports done / total when it has grown by at least 1 % since the last report, finish() reports
/// 1 (once; later calls and the destructor do nothing, so a phase left by an exception is not
/// reported as done). With an empty Progress every call is a no-op. Not thread-safe: call from
/// one thread (or under the caller's lock). O(1) per call.
class ProgressPhase {
 public:
  ProgressPhase(const Progress& progress, std::string_view phase, std::size_t total = 1);
  ProgressPhase(const ProgressPhase&) = delete;
  ProgressPhase& operator=(const ProgressPhase&) = delete;

  /// `done` of the phase's `total` steps are finished (done <= total; more is taken as total).
  void advance(std::size_t done);
  /// The phase has ended: reports share 1.
  void finish();

 private:
  const Progress& progress_;
  std::string phase_;
  std::size_t total_;
  double reported_ = 0;
  bool finished_ = false;
};

/// Runs `work()` as one phase of `progress` without steps of its own (0 before, 1 after) and
/// returns what it returns. For steps that cannot report from inside (a file read, a write).
template <class Work>
decltype(auto) progress_phase(const Progress& progress, std::string_view phase, Work&& work) {
  ProgressPhase p(progress, phase);
  if constexpr (std::is_void_v<decltype(work())>) {
    work();
    p.finish();
  } else {
    decltype(auto) result = work();
    p.finish();
    return result;
  }
}

}  // namespace hotspots
