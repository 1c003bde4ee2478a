// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "hotspots/core/geometry.hpp"

namespace hotspots::cli {

/// "xmin,ymin,xmax,ymax" -> Extent; throws InvalidArgument naming --extent.
Extent parse_extent(const std::string& text);

}  // namespace hotspots::cli
