// SPDX-License-Identifier: MIT
#pragma once

// A small portable generator so that test data are the same everywhere: SplitMix64 and a uniform
// double from the top 53 bits (the standard library's distributions differ between
// implementations).

#include <cmath>
#include <cstdint>

namespace hotspots::testing {

class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// Poisson(lambda) by Knuth's product of uniforms (lambda small).
  double poisson(double lambda) {
    const double limit = std::exp(-lambda);
    double prod = uniform();
    int k = 0;
    while (prod > limit) {
      prod *= uniform();
      ++k;
    }
    return k;
  }

 private:
  std::uint64_t state_;
};

}  // namespace hotspots::testing
