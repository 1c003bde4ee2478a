// SPDX-License-Identifier: MIT
#include "hotspots/render/chart_png.hpp"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include "detail/cairo_text.hpp"
#include "detail/png_file.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {
namespace {

constexpr int kWidth = 960;
constexpr int kHeight = 600;
constexpr double kLeft = 80, kRight = 250, kTop = 50, kBottom = 70;

// Okabe-Ito colours (distinguishable with colour-blindness), then black.
constexpr std::array<std::array<double, 3>, 8> kPalette = {{{0.00, 0.45, 0.70},
                                                            {0.80, 0.40, 0.00},
                                                            {0.00, 0.62, 0.45},
                                                            {0.80, 0.47, 0.65},
                                                            {0.90, 0.62, 0.00},
                                                            {0.34, 0.71, 0.91},
                                                            {0.94, 0.89, 0.26},
                                                            {0.00, 0.00, 0.00}}};

/// A "nice" step (1, 2 or 5 × 10^k) giving about `ticks` intervals over `range`.
double nice_step(double range, int ticks) {
  const double raw = range / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double f : {1.0, 2.0, 5.0})
    if (f * mag >= raw) return f * mag;
  return 10 * mag;
}

void text(cairo_t* cr, double x, double y, const std::string& s, double align_x, double align_y) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  cairo_move_to(cr, x - e.x_bearing - e.width * align_x, y - e.y_bearing - e.height * align_y);
  cairo_show_text(cr, s.c_str());
}

// A white kWidth x kHeight chart in DejaVu Sans, written atomically as a PNG by save().
class ChartCanvas {
 public:
  ChartCanvas(const std::string& path, bool overwrite)
      : path_(path),
        file_(path, overwrite),
        surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, kWidth, kHeight),
                 cairo_surface_destroy),
        context_(cairo_create(surface_.get()), cairo_destroy) {
    cairo_set_source_rgb(cr(), 1, 1, 1);
    cairo_paint(cr());
    cairo_select_font_face(cr(), "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  }
  cairo_t* cr() { return context_.get(); }
  void save() {
    detail::write_png(surface_.get(), file_.temp_path());
    file_.commit();
  }

 private:
  std::string path_;
  AtomicFile file_;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface_;
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> context_;
};

}  // namespace

std::vector<std::string> month_tick_labels(std::int32_t first, std::int32_t last) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::vector<std::string> labels;
  if (last < first) return labels;
  const auto n = static_cast<std::size_t>(last - first + 1);
  const std::size_t every = n <= 12 ? 1 : (n + 11) / 12;
  for (std::int32_t m = first; m <= last; ++m) {
    const auto i = static_cast<std::size_t>(m - first);
    const int month = m % 12;  // 0 = January
    if (i % every != 0)
      labels.emplace_back();
    else if (i == 0 || month == 0)
      labels.push_back(fmt::format("{}\n{}", kMonths[month], m / 12));
    else
      labels.emplace_back(kMonths[month]);
  }
  return labels;
}

void write_line_chart_png(const std::string& path, const LineChart& chart, bool overwrite) {
  detail::use_cairo_text();
  if (chart.x.empty() || chart.series.empty())
    throw InvalidArgument("chart: no x value or no series");
  for (std::size_t i = 0; i < chart.x.size(); ++i)
    if ((chart.log_x && !(chart.x[i] > 0)) || !std::isfinite(chart.x[i]) ||
        (i > 0 && !(chart.x[i] > chart.x[i - 1])))
      throw InvalidArgument(chart.log_x ? "chart: x values must be positive and ascending"
                                        : "chart: x values must be finite and ascending");
  if (!chart.x_labels.empty() && chart.x_labels.size() != chart.x.size())
    throw InvalidArgument(
        fmt::format("chart: {} x_labels for {} x values", chart.x_labels.size(), chart.x.size()));
  double ymax = 0;
  for (const auto& s : chart.series) {
    if (s.y.size() != chart.x.size())
      throw InvalidArgument(fmt::format("chart: series '{}' has {} values for {} x values", s.label,
                                        s.y.size(), chart.x.size()));
    for (const double v : s.y)
      if (std::isfinite(v)) ymax = std::max(ymax, v);
  }
  if (ymax <= 0) ymax = 1;
  const double ystep = nice_step(ymax, 6);
  ymax = std::ceil(ymax / ystep) * ystep;
  // Log (or linear) x axis, padded by 10 % of the span on both sides (a single x gets a decade,
  // or one unit, around it).
  const auto axis = [&](double x) { return chart.log_x ? std::log10(x) : x; };
  double lx0 = axis(chart.x.front());
  double lx1 = axis(chart.x.back());
  const double pad = lx1 > lx0 ? 0.1 * (lx1 - lx0) : (chart.log_x ? 0.5 : 1.0);
  lx0 -= pad;
  lx1 += pad;
  const double pw = kWidth - kLeft - kRight;
  const double ph = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (axis(x) - lx0) / (lx1 - lx0) * pw; };
  auto py = [&](double y) { return kTop + ph - y / ymax * ph; };

  ChartCanvas canvas(path, overwrite);
  cairo_t* cr = canvas.cr();

  // Grid lines and tick labels.
  cairo_set_font_size(cr, 12);
  cairo_set_line_width(cr, 1);
  for (double y = 0; y <= ymax + ystep / 2; y += ystep) {
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, kLeft, std::round(py(y)) + 0.5);
    cairo_line_to(cr, kLeft + pw, std::round(py(y)) + 0.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, kLeft - 8, py(y), fmt::format("{:g}", y), 1.0, 0.5);
  }
  for (std::size_t i = 0; i < chart.x.size(); ++i) {
    const double x = chart.x[i];
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, std::round(px(x)) + 0.5, kTop);
    cairo_line_to(cr, std::round(px(x)) + 0.5, kTop + ph);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    // A label may hold a line break ("Nov\n2021"): each line under the one before.
    const std::string label = chart.x_labels.empty() ? fmt::format("{:g}", x) : chart.x_labels[i];
    std::size_t start = 0;
    for (int line = 0; start <= label.size(); ++line) {
      const std::size_t end = std::min(label.find('\n', start), label.size());
      text(cr, px(x), kTop + ph + 8 + 15 * line, label.substr(start, end - start), 0.5, 0.0);
      start = end + 1;
    }
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_rectangle(cr, kLeft + 0.5, kTop + 0.5, pw, ph);
  cairo_stroke(cr);
  cairo_set_font_size(cr, 14);
  text(cr, kLeft + pw / 2, kHeight - 18, chart.x_label, 0.5, 1.0);
  cairo_save(cr);
  cairo_translate(cr, 22, kTop + ph / 2);
  cairo_rotate(cr, -M_PI / 2);
  text(cr, 0, 0, chart.y_label, 0.5, 0.5);
  cairo_restore(cr);
  cairo_set_font_size(cr, 16);
  text(cr, kLeft + pw / 2, 18, chart.title, 0.5, 0.0);
  if (!chart.note.empty()) {
    cairo_set_font_size(cr, 10);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    text(cr, 8, kHeight - 4, chart.note, 0.0, 1.0);
    cairo_set_source_rgb(cr, 0, 0, 0);
  }

  // Series and legend.
  cairo_set_font_size(cr, 12);
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& c = kPalette[s % kPalette.size()];
    const bool dashed = s >= kPalette.size();
    const std::array<double, 2> dash = {6.0, 4.0};
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_set_line_width(cr, 2);
    cairo_set_dash(cr, dash.data(), dashed ? 2 : 0, 0);
    bool pen = false;
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
      const double v = chart.series[s].y[i];
      if (!std::isfinite(v)) {
        pen = false;
        continue;
      }
      if (pen)
        cairo_line_to(cr, px(chart.x[i]), py(v));
      else
        cairo_move_to(cr, px(chart.x[i]), py(v));
      pen = true;
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, dash.data(), 0, 0);
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
      const double v = chart.series[s].y[i];
      if (!std::isfinite(v)) continue;
      cairo_arc(cr, px(chart.x[i]), py(v), 3.5, 0, 2 * M_PI);
      cairo_fill(cr);
    }
    const double ly = kTop + 10 + 22 * static_cast<double>(s);
    const double lx = kLeft + pw + 20;
    cairo_set_dash(cr, dash.data(), dashed ? 2 : 0, 0);
    cairo_move_to(cr, lx, ly);
    cairo_line_to(cr, lx + 28, ly);
    cairo_stroke(cr);
    cairo_set_dash(cr, dash.data(), 0, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, lx + 36, ly, chart.series[s].label, 0.0, 0.5);
  }
  canvas.save();
}

void write_week_hour_chart_png(const std::string& path, const WeekHourChart& chart,
                               bool overwrite) {
  detail::use_cairo_text();
  double vmax = 0;
  for (const double v : chart.weight) {
    if (!std::isfinite(v) || v < 0)
      throw InvalidArgument("week-hour chart: weights must be finite and not negative");
    vmax = std::max(vmax, v);
  }
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  constexpr double left = 60, top = 90, cell_w = 30, cell_h = 48;
  constexpr double grid_w = 24 * cell_w, grid_h = 7 * cell_h;

  ChartCanvas canvas(path, overwrite);
  cairo_t* cr = canvas.cr();
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_font_size(cr, 16);
  text(cr, kWidth / 2.0, 14, chart.title, 0.5, 0.0);
  cairo_set_font_size(cr, 12);
  text(cr, kWidth / 2.0, 40, chart.subtitle, 0.5, 0.0);

  std::array<double, 7> by_day{};
  std::array<double, 24> by_hour{};
  for (int d = 0; d < 7; ++d)
    for (int h = 0; h < 24; ++h) {
      const double v = chart.weight[static_cast<std::size_t>(d * 24 + h)];
      by_day[static_cast<std::size_t>(d)] += v;
      by_hour[static_cast<std::size_t>(h)] += v;
      const double t = vmax > 0 ? v / vmax : 0.0;  // white -> dark red (0.65, 0.06, 0.08)
      const double x = left + h * cell_w, y = top + d * cell_h;
      cairo_set_source_rgb(cr, 1 - 0.35 * t, 1 - 0.94 * t, 1 - 0.92 * t);
      cairo_rectangle(cr, x, y, cell_w, cell_h);
      cairo_fill(cr);
      if (v > 0) {
        cairo_set_source_rgb(cr, t > 0.5 ? 1.0 : 0.0, t > 0.5 ? 1.0 : 0.0, t > 0.5 ? 1.0 : 0.0);
        cairo_set_font_size(cr, 10);
        text(cr, x + cell_w / 2, y + cell_h / 2, fmt::format("{:g}", v), 0.5, 0.5);
      }
    }
  cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
  cairo_set_line_width(cr, 1);
  for (int h = 0; h <= 24; ++h) {
    cairo_move_to(cr, left + h * cell_w + 0.5, top);
    cairo_line_to(cr, left + h * cell_w + 0.5, top + grid_h);
  }
  for (int d = 0; d <= 7; ++d) {
    cairo_move_to(cr, left, top + d * cell_h + 0.5);
    cairo_line_to(cr, left + grid_w, top + d * cell_h + 0.5);
  }
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_font_size(cr, 12);
  for (int d = 0; d < 7; ++d) {
    text(cr, left - 8, top + (d + 0.5) * cell_h, kDays[d], 1.0, 0.5);
    text(cr, left + grid_w + 10, top + (d + 0.5) * cell_h,
         fmt::format("{:g}", by_day[static_cast<std::size_t>(d)]), 0.0, 0.5);
  }
  text(cr, left + grid_w + 10, top - 8, "Day total", 0.0, 1.0);
  for (int h = 0; h < 24; ++h) {
    const double x = left + (h + 0.5) * cell_w;
    text(cr, x, top - 8, fmt::format("{:02d}", h), 0.5, 1.0);
    text(cr, x, top + grid_h + 8, fmt::format("{:g}", by_hour[static_cast<std::size_t>(h)]), 0.5,
         0.0);
  }
  text(cr, left - 8, top + grid_h + 8, "Total", 1.0, 0.0);
  cairo_set_font_size(cr, 14);
  text(cr, left + grid_w / 2, top + grid_h + 36, "Hour of the day (local clock time recorded)", 0.5,
       0.0);
  if (!chart.note.empty()) {
    cairo_set_font_size(cr, 10);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    text(cr, 8, kHeight - 4, chart.note, 0.0, 1.0);
  }
  canvas.save();
}

}  // namespace hotspots
