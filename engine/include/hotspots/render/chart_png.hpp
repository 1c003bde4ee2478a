// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace hotspots {

/// One line of a chart: a label for the legend and a y value per x (NaN: no point).
struct ChartSeries {
  std::string label;
  std::vector<double> y;
};

/// A line chart, by default with a logarithmic x axis (area shares span decades: 0.5 % to 5 %).
struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<double> x;  ///< ascending (and positive on a log axis)
  std::vector<ChartSeries> series;
  bool log_x = true;  ///< false: a linear x axis (e.g. months 1..12)
  /// Empty, or one tick label per x (e.g. "Nov\n2021": '\n' starts a second line; "" leaves a
  /// tick unlabelled) instead of the numbers.
  std::vector<std::string> x_labels;
  std::string note;  ///< small grey line at the foot, e.g. the licence statement
};

/// Tick labels for the months `first` … `last` (month indexes, year·12 + month − 1): "Nov" under
/// each, with the year on a second line under the first month and every January ("Nov\n2021").
/// Above 12 months every k-th is labelled (k = ⌈months / 12⌉), the others are "".
[[nodiscard]] std::vector<std::string> month_tick_labels(std::int32_t first, std::int32_t last);

/// Draws `chart` with cairo into a 960 x 600 PNG (white background, DejaVu Sans text, one
/// colour per series from a fixed 8-colour palette, then dashed lines) and writes it atomically
/// (AtomicFile). The bytes depend only on the chart, cairo and the font: no timestamp or other
/// metadata is written. Throws InvalidArgument for an empty chart, x not ascending (or not
/// positive on a log axis)
/// or a series or x_labels of another length; IoError when the file exists and overwrite is off, or
/// cairo cannot write it. Cost: O(points); ~20 ms.
void write_line_chart_png(const std::string& path, const LineChart& chart, bool overwrite);

/// A day-of-week × hour heat chart: when incidents happen in the week.
struct WeekHourChart {
  std::string title;
  std::string subtitle;  ///< e.g. "38 of 41 incidents had a time of day (only those counted)"
  /// Σ weight by hour of the week, index = weekday · 24 + hour (Monday 00:00–01:00 first).
  std::array<double, 168> weight{};
  std::string note;  ///< small grey line at the foot, e.g. the licence statement
};

/// Draws `chart` with cairo into a 960 x 600 PNG: a 7 × 24 grid (rows Monday..Sunday, columns
/// hours 0..23) shaded from white (0) to dark red (the largest cell), each non-zero cell with its
/// value, the total of each day at the row's end and of each hour under its column; written
/// atomically, with no metadata. Throws InvalidArgument for a negative or non-finite weight;
/// IoError when the file exists and overwrite is off, or cairo cannot write it. Cost: ~20 ms.
void write_week_hour_chart_png(const std::string& path, const WeekHourChart& chart, bool overwrite);

}  // namespace hotspots
