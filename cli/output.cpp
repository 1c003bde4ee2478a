// SPDX-License-Identifier: MIT
#include "output.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "hotspots/core/error.hpp"

namespace hotspots::cli {

Extent parse_extent(const std::string& text) {
  double v[4];
  if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) != 4 ||
      !(v[0] < v[2]) || !(v[1] < v[3]))
    throw InvalidArgument(
        fmt::format("--extent '{}': expected xmin,ymin,xmax,ymax in metres", text));
  return {v[0], v[1], v[2], v[3]};
}

}  // namespace hotspots::cli
