// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace hotspots {

/// One line of a chart: a label for the legend and a y value per x (NaN: no point).
struct ChartSeries {
  std::string label;
  std::vector<double> y;
};

/// A line chart with a logarithmic x axis (area shares span decades: 0.5 % to 5 %).
struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<double> x;  ///< positive, ascending
  std::vector<ChartSeries> series;
};

/// Draws `chart` with cairo into a 960 x 600 PNG (white background, DejaVu Sans text, one
/// colour per series from a fixed 8-colour palette, then dashed lines) and writes it atomically
/// (AtomicFile). The bytes depend only on the chart, cairo and the font: no timestamp or other
/// metadata is written. Throws InvalidArgument for an empty chart, x not positive and ascending
/// or a series of another length; IoError when the file exists and overwrite is off, or cairo
/// cannot write it. Cost: O(points); ~20 ms.
void write_line_chart_png(const std::string& path, const LineChart& chart, bool overwrite);

}  // namespace hotspots
