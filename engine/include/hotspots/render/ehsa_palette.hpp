// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>

#include "hotspots/render/map_png.hpp"
#include "hotspots/stats/ehsa_classes.hpp"

namespace hotspots {

/// The fill colour of each Emerging Hot Spot Analysis class, indexed by EhsaClass, shared by the
/// PNG map and the QGIS style. It follows the scheme of ArcGIS Pro's Emerging Hot Spot
/// Analysis layer (reds for hot, blues for cold, the strongest patterns darkest, historical
/// ones palest, no pattern a light grey) without its hatch patterns, which a flat fill cannot
/// show: the oranges, pinks and purples keep the eight classes of each side apart.
/// The RGB values are ours, not read from an ArcGIS layer file.
inline constexpr std::array<Rgba, 17> kEhsaPalette{{
    {215, 215, 215, 140},  // no pattern
    {255, 127, 0, 255},    // new hot spot: orange
    {231, 41, 138, 255},   // consecutive hot spot: magenta
    {103, 0, 13, 255},     // intensifying hot spot: darkest red
    {203, 24, 29, 255},    // persistent hot spot: red
    {251, 154, 153, 255},  // diminishing hot spot: light pink
    {253, 191, 111, 255},  // sporadic hot spot: light orange
    {194, 165, 207, 255},  // oscillating hot spot: light purple
    {254, 224, 210, 255},  // historical hot spot: palest red
    {0, 166, 202, 255},    // new cold spot: cyan
    {106, 81, 163, 255},   // consecutive cold spot: violet
    {8, 48, 107, 255},     // intensifying cold spot: darkest blue
    {33, 113, 181, 255},   // persistent cold spot: blue
    {158, 202, 225, 255},  // diminishing cold spot: light blue
    {128, 205, 193, 255},  // sporadic cold spot: light teal
    {188, 189, 220, 255},  // oscillating cold spot: lavender
    {222, 235, 247, 255},  // historical cold spot: palest blue
}};

/// kEhsaPalette's colour of `c`.
[[nodiscard]] constexpr Rgba ehsa_class_colour(EhsaClass c) {
  return kEhsaPalette[static_cast<std::size_t>(c)];
}

}  // namespace hotspots
