// SPDX-License-Identifier: MIT
#include "hotspots/render/map_png.hpp"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <numbers>
#include <optional>

#include "detail/cairo_text.hpp"
#include "detail/png_file.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {
namespace {

// ColorBrewer YlOrRd, 9 classes (Brewer 2003, colorbrewer2.org).
constexpr std::array<Rgba, 9> kYlOrRd = {{{255, 255, 204, 255},
                                          {255, 237, 160, 255},
                                          {254, 217, 118, 255},
                                          {254, 178, 76, 255},
                                          {253, 141, 60, 255},
                                          {252, 78, 42, 255},
                                          {227, 26, 28, 255},
                                          {189, 0, 38, 255},
                                          {128, 0, 38, 255}}};

constexpr int kQuantileClasses = 7;
constexpr char kFont[] = "DejaVu Sans";

// Sizes scale with the image width so that a 3200 px map looks like a 1600 px one, enlarged.
struct Metrics {
  double u;  // 1 "unit" = width / 1600
  double margin, title_pt, subtitle_pt, text_pt, small_pt, legend_w, gap, header_h, footer_h;
  explicit Metrics(int width_px) : u(width_px / 1600.0) {
    margin = std::round(32 * u);
    title_pt = 34 * u;
    subtitle_pt = 22 * u;
    text_pt = 18 * u;
    small_pt = 15 * u;
    legend_w = std::round(340 * u);
    gap = std::round(24 * u);
    header_h = std::round(margin + title_pt * 1.25 + subtitle_pt * 1.5 + 10 * u);
    footer_h = std::round(margin + small_pt * 1.6);
  }
};

constexpr double kAttributionLineSpacing = 1.35;

// The attribution's lines ('\n' separates them); one, maybe empty, at least.
std::vector<std::string> attribution_lines(const MapSpec& spec) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = spec.attribution.find('\n', start);
    lines.push_back(spec.attribution.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

Extent content_extent(const MapSpec& spec) {
  if (!spec.extent.empty()) return spec.extent;
  Extent e;
  if (spec.surface != nullptr && spec.surface->grid.cell_count() > 0)
    e.include(spec.surface->grid.extent());
  for (const MapLayerLines& layer : spec.layers)
    for (const MultiPolygon& mp : layer.polygons) e.include(extent_of(mp));
  return e;
}

// 1, 2 or 5 × 10^k metres, the largest not above `target`.
double round_length(double target) {
  const double p = std::pow(10.0, std::floor(std::log10(target)));
  for (double f : {5.0, 2.0, 1.0})
    if (f * p <= target) return f * p;
  return p;
}

std::string length_label(double m) {
  return m >= 1000 ? fmt::format("{:g} km", m / 1000) : fmt::format("{:g} m", m);
}

// Legend numbers: three significant figures without an exponent below 1000, whole numbers above.
std::string value_label(double v) {
  return std::fabs(v) >= 1000 ? fmt::format("{:.0f}", v) : fmt::format("{:.3g}", v);
}

struct CairoSurface {
  cairo_surface_t* s;
  ~CairoSurface() { cairo_surface_destroy(s); }
};
struct CairoContext {
  cairo_t* c;
  ~CairoContext() { cairo_destroy(c); }
};

void set_rgba(cairo_t* cr, const Rgba& c) {
  cairo_set_source_rgba(cr, c[0] / 255.0, c[1] / 255.0, c[2] / 255.0, c[3] / 255.0);
}

void show_text(cairo_t* cr, double x, double y, const std::string& text, double size, bool bold,
               Rgba colour = {30, 30, 30, 255}) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  set_rgba(cr, colour);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

cairo_text_extents_t text_extents(cairo_t* cr, const std::string& text, double size, bool bold) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_text_extents_t te;
  cairo_text_extents(cr, text.c_str(), &te);
  return te;
}

// The font size at which `text` fits in `width` pixels: `size`, or smaller down to 60 % of it.
double fitting_size(cairo_t* cr, const std::string& text, double size, bool bold, double width) {
  const double advance = text_extents(cr, text, size, bold).x_advance;
  return advance > width ? std::max(0.6 * size, size * width / advance) : size;
}

// `text` cut at a word (or character) boundary with "…" so that it fits in `width` pixels.
std::string fitted_text(cairo_t* cr, const std::string& text, double size, bool bold,
                        double width) {
  if (text_extents(cr, text, size, bold).x_advance <= width) return text;
  std::string cut = text;
  while (!cut.empty()) {
    // Drop one UTF-8 code point.
    do cut.pop_back();
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80);
    if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0x80) != 0) cut.pop_back();
    if (text_extents(cr, cut + "…", size, bold).x_advance <= width) return cut + "…";
  }
  return "…";
}

// A title "AREA: WHAT, PERIOD" that does not fit keeps what follows its last ": " whole (the crime
// group and the period a reader needs) and cuts the area's list of names instead; other texts
// are cut at their end (fitted_text).
std::string fitted_title(cairo_t* cr, const std::string& text, double size, double width) {
  if (text_extents(cr, text, size, true).x_advance <= width) return text;
  const std::size_t colon = text.rfind(": ");
  if (colon != std::string::npos && colon > 0) {
    const std::string tail = text.substr(colon);
    const double tail_w = text_extents(cr, tail, size, true).x_advance;
    if (tail_w < 0.8 * width) {
      // Whole words of the area first ("Leicester, Rutland, Blaby and 6 more…"), else characters.
      std::string head = text.substr(0, colon);
      for (std::size_t space = head.rfind(' '); space != std::string::npos && space > 0;
           space = head.rfind(' ')) {
        head.resize(space);
        while (!head.empty() && (head.back() == ',' || head.back() == ' ')) head.pop_back();
        if (!head.empty() && text_extents(cr, head + "…" + tail, size, true).x_advance <= width)
          return head + "…" + tail;
      }
      return fitted_text(cr, text.substr(0, colon), size, true, width - tail_w) + tail;
    }
  }
  return fitted_text(cr, text, size, true, width);
}

// Words of `text` in lines no wider than `width` pixels (a single word wider stays whole).
std::vector<std::string> wrapped_lines(cairo_t* cr, const std::string& text, double size,
                                       double width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    const std::string word = text.substr(start, end - start);
    const std::string longer = line.empty() ? word : line + " " + word;
    if (!line.empty() && text_extents(cr, longer, size, false).x_advance > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void ring_path(cairo_t* cr, const MapLayout& lay, const Ring& ring) {
  if (ring.size() < 3) return;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Point p = lay.to_pixel(ring[i]);
    if (i == 0)
      cairo_move_to(cr, p.x, p.y);
    else
      cairo_line_to(cr, p.x, p.y);
  }
  cairo_close_path(cr);
}

// How each surface value gets its colour: class breaks for quantiles, or min/max for linear.
struct SurfaceColours {
  bool linear = true;
  const std::vector<MapCategory>* categories = nullptr;  // MapClassing::categories
  double min = 0, max = 0;
  std::vector<double> bounds;  // quantile: kQuantileClasses + 1 bounds, ascending
  bool any = false;

  Rgba colour(double v) const {
    if (categories != nullptr) {
      for (const MapCategory& c : *categories)
        if (c.value == v) return c.rgba;
      return {0, 0, 0, 0};
    }
    if (linear) return heat_ramp(max > min ? (v - min) / (max - min) : 1.0);
    // Class k holds [bounds[k], bounds[k+1]), the last one its upper bound too. Upper bounds
    // decide so that tied quantiles (a plateau of equal values) take the hottest class they
    // reach: a surface with one value above min is drawn in the hot colour, not the cold one.
    const auto it = std::upper_bound(bounds.begin() + 1, bounds.end() - 1, v);
    const auto k = static_cast<int>(it - (bounds.begin() + 1));
    return class_colour(k);
  }
  static Rgba class_colour(int k) {
    return heat_ramp(static_cast<double>(k) / (kQuantileClasses - 1));
  }
};

SurfaceColours surface_colours(const MapSpec& spec) {
  SurfaceColours sc;
  sc.linear = spec.classing == MapClassing::linear;
  sc.min = spec.surface_min;
  if (spec.classing == MapClassing::categories) {
    if (spec.categories.empty()) throw InvalidArgument("map: categories: none given");
    sc.categories = &spec.categories;
    sc.linear = false;
    for (double v : spec.surface->values)
      if (!Raster::is_nodata(v) && v > spec.surface_min) sc.any = true;
    return sc;
  }
  if (spec.classing == MapClassing::given) {
    if (spec.breaks.size() != std::size_t{kQuantileClasses} + 1 ||
        !std::is_sorted(spec.breaks.begin(), spec.breaks.end()))
      throw InvalidArgument(fmt::format("map: breaks must be {} ascending values, got {}",
                                        kQuantileClasses + 1, spec.breaks.size()));
    sc.bounds = spec.breaks;
  } else {
    sc.bounds = quantile_breaks(*spec.surface, spec.surface_min, kQuantileClasses);
  }
  if (sc.bounds.empty()) return sc;
  sc.any = true;
  sc.max = sc.bounds.back();
  return sc;
}

void draw_surface(cairo_t* cr, const MapLayout& lay, const Raster& r, const SurfaceColours& sc,
                  double vmin, double alpha) {
  const int cols = static_cast<int>(r.grid.cols);
  const int rows = static_cast<int>(r.grid.rows);
  CairoSurface img{cairo_image_surface_create(CAIRO_FORMAT_ARGB32, cols, rows)};
  if (cairo_surface_status(img.s) != CAIRO_STATUS_SUCCESS)
    throw InvalidArgument(fmt::format("map: cannot draw a surface of {} x {} cells", cols, rows));
  cairo_surface_flush(img.s);
  unsigned char* data = cairo_image_surface_get_data(img.s);
  const int stride = cairo_image_surface_get_stride(img.s);
  for (int row = 0; row < rows; ++row) {
    auto* line = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(row) * stride);
    for (int col = 0; col < cols; ++col) {
      const double v = r.at(row, col);
      if (Raster::is_nodata(v) || v <= vmin) {
        line[col] = 0;  // transparent: the white page shows through
        continue;
      }
      const Rgba c = sc.colour(v);
      // cairo's ARGB32 is premultiplied by alpha.
      const auto pre = [&](std::uint8_t ch) {
        return static_cast<std::uint32_t>((ch * c[3] + 127) / 255);
      };
      line[col] = (std::uint32_t{c[3]} << 24) | (pre(c[0]) << 16) | (pre(c[1]) << 8) | pre(c[2]);
    }
  }
  cairo_surface_mark_dirty(img.s);
  cairo_save(cr);
  const Point origin = lay.to_pixel({r.grid.xmin, r.grid.ymax});
  cairo_translate(cr, origin.x, origin.y);
  const double s = r.grid.cell_size_m * lay.px_per_m;
  cairo_scale(cr, s, s);
  cairo_set_source_surface(cr, img.s, 0, 0);
  // Nearest neighbour: cells stay crisp squares and no colour is invented between classes.
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  if (alpha < 1)
    cairo_paint_with_alpha(cr, alpha);
  else
    cairo_paint(cr);
  cairo_restore(cr);
}

void draw_layer(cairo_t* cr, const MapLayout& lay, const MapLayerLines& layer) {
  // A feature whose box, grown by its line width and a pixel of antialiasing, misses the frame
  // (the clip) would paint nothing: it is not drawn at all (a close-up crosses few of the
  // zones). The pixels are the same; so is the state the loop leaves (set below).
  const double margin = layer.width_px + 2;
  for (const MultiPolygon& mp : layer.polygons) {
    Extent box;
    for (const Polygon& poly : mp)
      for (const Point& p : poly.exterior) box.include(p.x, p.y);
    if (!box.empty()) {
      const Point top_left = lay.to_pixel({box.xmin, box.ymax});
      const Point bottom_right = lay.to_pixel({box.xmax, box.ymin});
      if (bottom_right.x + margin < lay.frame_x ||
          top_left.x - margin > lay.frame_x + lay.frame_w ||
          bottom_right.y + margin < lay.frame_y || top_left.y - margin > lay.frame_y + lay.frame_h)
        continue;
    }
    cairo_new_path(cr);
    for (const Polygon& poly : mp) {
      ring_path(cr, lay, poly.exterior);
      for (const Ring& h : poly.holes) ring_path(cr, lay, h);
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    if (layer.fill[3] > 0) {
      set_rgba(cr, layer.fill);
      cairo_fill_preserve(cr);
    }
    set_rgba(cr, layer.rgba);
    cairo_set_line_width(cr, layer.width_px);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
  }
  if (!layer.polygons.empty()) {
    // What drawing the last feature leaves, whether or not it was drawn.
    cairo_new_path(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    set_rgba(cr, layer.rgba);
    cairo_set_line_width(cr, layer.width_px);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  }
}

void draw_points(cairo_t* cr, const MapLayout& lay, const MapPoints& layer) {
  for (std::size_t i = 0; i < layer.points.size(); ++i) {
    const Point p = lay.to_pixel(layer.points[i]);
    const double count = i < layer.counts.size() ? std::max(layer.counts[i], 0.0) : 1.0;
    cairo_new_path(cr);
    cairo_arc(cr, p.x, p.y, layer.radius_px * std::sqrt(count), 0, 2 * std::numbers::pi);
    set_rgba(cr, layer.rgba);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
  }
}

// Every layer's labels, placed together so that none hides another (place_labels); a label
// moved off its feature gets a leader line back to it.
void draw_labels(cairo_t* cr, const MapLayout& lay, const std::vector<MapLayerLines>& layers,
                 const Metrics& m) {
  struct Item {
    const MapLayerLines* layer;
    const std::string* text;
    double advance;
  };
  std::vector<Item> items;
  std::vector<LabelBox> boxes;
  const double size = m.text_pt;
  const double pad = 4 * m.u;
  for (const MapLayerLines& layer : layers)
    for (std::size_t i = 0; i < layer.labels.size() && i < layer.polygons.size(); ++i) {
      if (layer.labels[i].empty() || layer.polygons[i].empty()) continue;
      // The centre of the largest part's bounding box: cheap, stable, and inside for the
      // compact shapes hotspots and patrol circles have.
      const Polygon* big = &layer.polygons[i].front();
      for (const Polygon& p : layer.polygons[i])
        if (std::fabs(signed_area(p.exterior)) > std::fabs(signed_area(big->exterior))) big = &p;
      Extent e;
      for (const Point& p : big->exterior) e.include(p.x, p.y);
      Extent feature;  // the whole feature, in pixels
      for (const Polygon& p : layer.polygons[i])
        for (const Point& q : p.exterior) {
          const Point px = lay.to_pixel(q);
          feature.include(px.x, px.y);
        }
      const auto te = text_extents(cr, layer.labels[i], size, true);
      items.push_back({&layer, &layer.labels[i], te.x_advance});
      boxes.push_back({lay.to_pixel({(e.xmin + e.xmax) / 2, (e.ymin + e.ymax) / 2}),
                       te.x_advance + 2 * pad, size * 1.1 + 2 * pad,
                       feature.grown(layer.width_px)});
    }
  const Extent frame{lay.frame_x, lay.frame_y, lay.frame_x + lay.frame_w,
                     lay.frame_y + lay.frame_h};
  // Unlabelled outlines of keep_labels_off layers (e.g. the hotspots of a close-up) are
  // obstacles a label avoids.
  std::vector<Extent> obstacles;
  for (const MapLayerLines& layer : layers)
    for (std::size_t i = 0; i < layer.polygons.size() && layer.keep_labels_off; ++i) {
      if (i < layer.labels.size() && !layer.labels[i].empty()) continue;
      Extent feature;
      for (const Polygon& p : layer.polygons[i])
        for (const Point& q : p.exterior) {
          const Point px = lay.to_pixel(q);
          feature.include(px.x, px.y);
        }
      if (!feature.empty()) obstacles.push_back(feature.grown(layer.width_px));
    }
  const std::vector<Point> at = place_labels(boxes, frame, 8, obstacles);
  // Leader lines from the feature's box to the label's box, along the line between centres.
  for (std::size_t k = 0; k < items.size(); ++k) {
    const Point c = at[k];
    const LabelBox& b = boxes[k];
    const Point a = b.anchor;
    // Fraction of the way from a to c where a segment leaves the box of half-size (hw, hh)
    // centred on `centre`.
    const auto exit_t = [&](Point centre, double hw, double hh, bool from_start) {
      double t = from_start ? 0.0 : 1.0;
      const double dx = c.x - a.x, dy = c.y - a.y;
      for (double step = 0.5; step > 1e-4; step /= 2) {
        const double probe = from_start ? t + step : t - step;
        const Point p{a.x + probe * dx, a.y + probe * dy};
        const bool in = std::fabs(p.x - centre.x) <= hw && std::fabs(p.y - centre.y) <= hh;
        if (in) t = probe;
      }
      return t;
    };
    const Extent& f = b.feature;
    const double t0 = f.empty() ? 0.0
                                : exit_t({(f.xmin + f.xmax) / 2, (f.ymin + f.ymax) / 2},
                                         f.width() / 2, f.height() / 2, true);
    const double t1 = exit_t(c, b.width / 2, b.height / 2, false);
    if (t1 - t0 <= 0) continue;
    cairo_move_to(cr, a.x + t0 * (c.x - a.x), a.y + t0 * (c.y - a.y));
    cairo_line_to(cr, a.x + t1 * (c.x - a.x), a.y + t1 * (c.y - a.y));
    set_rgba(cr, items[k].layer->rgba);
    cairo_set_line_width(cr, 1.5 * m.u);
    cairo_stroke(cr);
  }
  for (std::size_t k = 0; k < items.size(); ++k) {
    const Point c = at[k];
    const double w = boxes[k].width, h = boxes[k].height;
    cairo_rectangle(cr, std::round(c.x - w / 2), std::round(c.y - h / 2), std::round(w),
                    std::round(h));
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(cr);
    set_rgba(cr, items[k].layer->rgba);
    cairo_set_line_width(cr, 1.5 * m.u);
    cairo_stroke(cr);
    show_text(cr, c.x - items[k].advance / 2, c.y + size * 0.38, *items[k].text, size, true);
  }
}

void draw_scale_bar(cairo_t* cr, const MapLayout& lay, const Metrics& m) {
  const double h = std::round(8 * m.u);
  const double x0 = lay.scale_bar_x, y0 = lay.scale_bar_y;
  const auto te = text_extents(cr, lay.scale_bar_label, m.small_pt, false);
  // White backing so the bar reads over a dark surface.
  const double pad = std::round(8 * m.u);
  cairo_rectangle(cr, x0 - pad, y0 - h - m.small_pt * 1.4 - pad,
                  lay.scale_bar_px + te.x_advance / 2 + 2 * pad, h + m.small_pt * 1.4 + 2 * pad);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
  cairo_fill(cr);
  // Two halves, black then white with a black frame, as on topographic maps.
  const double half = lay.scale_bar_px / 2;
  cairo_rectangle(cr, x0, y0 - h, half, h);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_fill(cr);
  cairo_rectangle(cr, x0 + half, y0 - h, lay.scale_bar_px - half, h);
  cairo_fill(cr);
  cairo_rectangle(cr, x0 + half + 1, y0 - h + 1, lay.scale_bar_px - half - 2, h - 2);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);
  const double ty = y0 - h - 5 * m.u;
  show_text(cr, x0 - text_extents(cr, "0", m.small_pt, false).x_advance / 2, ty, "0", m.small_pt,
            false);
  show_text(cr, x0 + lay.scale_bar_px - te.x_advance / 2, ty, lay.scale_bar_label, m.small_pt,
            false);
}

void draw_north_arrow(cairo_t* cr, const MapLayout& lay, const Metrics& m) {
  const double s = 22 * m.u;
  const double cx = lay.frame_x + lay.frame_w - 2.2 * s, top = lay.frame_y + 1.2 * s;
  cairo_arc(cr, cx, top + 1.3 * s, 1.55 * s, 0, 2 * std::numbers::pi);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
  cairo_fill(cr);
  // A split arrowhead: the left half filled, the right half outlined.
  cairo_move_to(cr, cx, top);
  cairo_line_to(cr, cx - 0.6 * s, top + 1.8 * s);
  cairo_line_to(cr, cx, top + 1.4 * s);
  cairo_close_path(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_fill(cr);
  cairo_move_to(cr, cx, top);
  cairo_line_to(cr, cx + 0.6 * s, top + 1.8 * s);
  cairo_line_to(cr, cx, top + 1.4 * s);
  cairo_close_path(cr);
  cairo_set_line_width(cr, 1.5 * m.u);
  cairo_stroke(cr);
  const auto te = text_extents(cr, "N", m.text_pt, true);
  show_text(cr, cx - te.x_advance / 2, top + 1.8 * s + m.text_pt * 0.95, "N", m.text_pt, true);
}

void draw_legend(cairo_t* cr, const MapSpec& spec, const MapLayout& lay, const SurfaceColours& sc,
                 const Metrics& m) {
  const double x = lay.frame_x + lay.frame_w + m.gap;
  double y = lay.frame_y + m.text_pt;
  const double sw = std::round(34 * m.u), sh = std::round(22 * m.u);
  if (spec.surface != nullptr) {
    show_text(cr, x, y, spec.surface_label.empty() ? "Surface" : spec.surface_label, m.text_pt,
              true);
    y += m.text_pt * 0.6;
    if (!sc.any) {
      y += m.small_pt * 1.2;
      show_text(cr, x, y, fmt::format("no value above {}", value_label(sc.min)), m.small_pt, false);
    } else if (sc.categories != nullptr) {
      y += 6 * m.u;
      for (const MapCategory& c : *sc.categories) {
        const double top = std::round(y);
        set_rgba(cr, c.rgba);
        cairo_rectangle(cr, x, top, sw, sh);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        show_text(cr, x + sw + 10 * m.u, top + sh * 0.5 + m.small_pt * 0.35, c.label, m.small_pt,
                  false);
        y += sh + 3 * m.u;
      }
      for (const std::string& line :
           wrapped_lines(cr, spec.classes_note, m.small_pt, m.legend_w - 8 * m.u)) {
        y += m.small_pt * 1.25;
        show_text(cr, x, y, line, m.small_pt, false, {90, 90, 90, 255});
      }
    } else if (sc.linear) {
      const double bar_h = std::round(220 * m.u);
      const double top = std::round(y + 6 * m.u);
      // Top = high, as a thermometer.
      for (int i = 0; i < static_cast<int>(bar_h); ++i) {
        set_rgba(cr, heat_ramp(1.0 - (i + 0.5) / bar_h));
        cairo_rectangle(cr, x, top + i, sw, 1);
        cairo_fill(cr);
      }
      cairo_rectangle(cr, x + 0.5, top + 0.5, sw - 1, bar_h - 1);
      cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
      cairo_set_line_width(cr, 1);
      cairo_stroke(cr);
      for (int k = 0; k <= 4; ++k) {
        const double v = sc.max - (sc.max - sc.min) * k / 4.0;
        const double ty = top + bar_h * k / 4.0;
        cairo_move_to(cr, x + sw, std::round(ty) + 0.5);
        cairo_line_to(cr, x + sw + 6 * m.u, std::round(ty) + 0.5);
        cairo_stroke(cr);
        show_text(cr, x + sw + 10 * m.u, ty + m.small_pt * 0.35, value_label(v), m.small_pt, false);
      }
      y = top + bar_h + m.small_pt * 1.6;
      show_text(cr, x, y, "linear scale", m.small_pt, false, {90, 90, 90, 255});
    } else {
      y += 6 * m.u;
      for (int k = kQuantileClasses - 1; k >= 0; --k) {
        // Tied quantiles leave empty classes (see SurfaceColours::colour): not listed.
        const auto ku = static_cast<std::size_t>(k);
        if (k < kQuantileClasses - 1 && sc.bounds[ku] == sc.bounds[ku + 1]) continue;
        const double top = std::round(y);
        set_rgba(cr, SurfaceColours::class_colour(k));
        cairo_rectangle(cr, x, top, sw, sh);
        cairo_fill(cr);
        std::string text =
            k == 0 ? fmt::format("> {} – {}", value_label(sc.bounds[0]), value_label(sc.bounds[1]))
                   : fmt::format("{} – {}", value_label(sc.bounds[static_cast<std::size_t>(k)]),
                                 value_label(sc.bounds[static_cast<std::size_t>(k) + 1]));
        const bool top_class = k == kQuantileClasses - 1 && spec.classing == MapClassing::given;
        if (top_class && !spec.top_class_label.empty())
          text = fmt::format("≥ {}: {}", value_label(sc.bounds[ku]), spec.top_class_label);
        show_text(cr, x + sw + 10 * m.u, top + sh * 0.5 + m.small_pt * 0.35, text, m.small_pt,
                  top_class);
        y += sh + 3 * m.u;
      }
      const std::string note = spec.classing == MapClassing::given
                                   ? spec.classes_note
                                   : std::string("quantile classes (equal cell counts)");
      for (const std::string& line : wrapped_lines(cr, note, m.small_pt, m.legend_w - 8 * m.u)) {
        y += m.small_pt * 1.25;
        show_text(cr, x, y, line, m.small_pt, false, {90, 90, 90, 255});
      }
    }
    y += m.text_pt * 2;
  } else if (!spec.surface_label.empty()) {
    show_text(cr, x, y, spec.surface_label, m.text_pt, true);  // the heading of a layer legend
    y += m.text_pt * 0.9;
  }
  for (const MapLayerLines& layer : spec.layers) {
    if (layer.legend_label.empty()) continue;
    const double top = std::round(y);
    cairo_rectangle(cr, x + 2, top + 2, sw - 4, sh - 4);
    if (layer.fill[3] > 0) {
      set_rgba(cr, layer.fill);
      cairo_fill_preserve(cr);
    }
    set_rgba(cr, layer.rgba);
    cairo_set_line_width(cr, layer.width_px);
    cairo_stroke(cr);
    show_text(cr, x + sw + 10 * m.u, top + sh * 0.5 + m.small_pt * 0.35, layer.legend_label,
              m.small_pt, false);
    y += sh + 10 * m.u;
  }
  for (const MapPoints& layer : spec.points) {
    if (layer.legend_label.empty()) continue;
    const double top = std::round(y);
    cairo_new_path(cr);
    cairo_arc(cr, x + sw / 2, top + sh / 2, std::min(layer.radius_px * 1.5, sh / 2), 0,
              2 * std::numbers::pi);
    set_rgba(cr, layer.rgba);
    cairo_fill(cr);
    const auto lines =
        wrapped_lines(cr, layer.legend_label, m.small_pt, m.legend_w - sw - 14 * m.u);
    for (std::size_t k = 0; k < lines.size(); ++k)
      show_text(cr, x + sw + 10 * m.u,
                top + sh * 0.5 + m.small_pt * 0.35 + static_cast<double>(k) * m.small_pt * 1.25,
                lines[k], m.small_pt, false);
    y += sh + static_cast<double>(lines.size() - 1) * m.small_pt * 1.25 + 10 * m.u;
  }
}

}  // namespace

Rgba heat_ramp(double t) {
  if (!(t > 0)) t = 0;  // NaN too
  if (t > 1) t = 1;
  const double pos = t * (kYlOrRd.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(pos), kYlOrRd.size() - 2);
  const double f = pos - static_cast<double>(i);
  Rgba out{0, 0, 0, 255};
  for (std::size_t c = 0; c < 3; ++c)
    out[c] =
        static_cast<std::uint8_t>(std::lround((1 - f) * kYlOrRd[i][c] + f * kYlOrRd[i + 1][c]));
  return out;
}

std::vector<double> quantile_breaks(const Raster& surface, double min, int classes) {
  if (classes < 2)
    throw InvalidArgument(fmt::format("quantile classes must be at least 2, got {}", classes));
  std::vector<double> shown;
  for (double v : surface.values)
    if (!Raster::is_nodata(v) && v > min) shown.push_back(v);
  if (shown.empty()) return {};
  std::sort(shown.begin(), shown.end());
  std::vector<double> bounds{min};
  for (int k = 1; k < classes; ++k) {
    // Nearest rank: a value that exists in the data, so the legend shows real values.
    const auto idx = static_cast<std::size_t>(
        std::ceil(static_cast<double>(k) * static_cast<double>(shown.size()) / classes));
    bounds.push_back(shown[std::min(shown.size() - 1, idx == 0 ? 0 : idx - 1)]);
  }
  bounds.push_back(shown.back());
  return bounds;
}

std::vector<double> hotspot_class_breaks(const Raster& surface, double min, double threshold,
                                         int classes) {
  if (classes < 3)
    throw InvalidArgument(fmt::format("hotspot classes must be at least 3, got {}", classes));
  if (std::isnan(threshold)) return quantile_breaks(surface, min, classes);
  std::vector<double> below;
  double top = threshold;
  bool any = false;
  for (double v : surface.values) {
    if (Raster::is_nodata(v) || !(v > min)) continue;
    any = true;
    if (v < threshold)
      below.push_back(v);
    else
      top = std::max(top, v);
  }
  if (!any) return {};
  std::sort(below.begin(), below.end());
  std::vector<double> bounds{min};
  const int lower = classes - 1;  // classes below the hotspot class
  for (int k = 1; k < lower; ++k) {
    if (below.empty()) {
      bounds.push_back(threshold);
      continue;
    }
    const auto idx = static_cast<std::size_t>(
        std::ceil(static_cast<double>(k) * static_cast<double>(below.size()) / lower));
    bounds.push_back(below[std::min(below.size() - 1, idx == 0 ? 0 : idx - 1)]);
  }
  bounds.push_back(threshold);
  bounds.push_back(top);
  return bounds;
}

// The raster basemap over the whole pixels the frame touches (the caller clips to the frame).
static void draw_basemap_image(cairo_t* cr, const MapLayout& lay, const MapSpec& spec) {
  const int x0 = static_cast<int>(std::floor(lay.frame_x));
  const int y0 = static_cast<int>(std::floor(lay.frame_y));
  const int w = static_cast<int>(std::ceil(lay.frame_x + lay.frame_w)) - x0;
  const int h = static_cast<int>(std::ceil(lay.frame_y + lay.frame_h)) - y0;
  if (w <= 0 || h <= 0) return;
  const Extent frame{lay.world.xmin + (x0 - lay.frame_x) / lay.px_per_m,
                     lay.world.ymax - (y0 + h - lay.frame_y) / lay.px_per_m,
                     lay.world.xmin + (x0 + w - lay.frame_x) / lay.px_per_m,
                     lay.world.ymax - (y0 - lay.frame_y) / lay.px_per_m};
  const std::vector<std::uint8_t> rgba = spec.basemap_image(frame, w, h);
  if (rgba.size() != 4 * static_cast<std::size_t>(w) * static_cast<std::size_t>(h))
    throw InvalidArgument("map: the basemap image has the wrong size");
  CairoSurface image{cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)};
  const int stride = cairo_image_surface_get_stride(image.s);
  cairo_surface_flush(image.s);
  unsigned char* data = cairo_image_surface_get_data(image.s);
  for (int j = 0; j < h; ++j)
    for (int i = 0; i < w; ++i) {
      const std::size_t k = 4 * (static_cast<std::size_t>(j) * static_cast<std::size_t>(w) +
                                 static_cast<std::size_t>(i));
      const std::uint32_t a = rgba[k + 3];
      const auto pre = [&](std::uint8_t c) { return (c * a + 127) / 255; };
      const std::uint32_t pixel =
          (a << 24) | (pre(rgba[k]) << 16) | (pre(rgba[k + 1]) << 8) | pre(rgba[k + 2]);
      std::memcpy(data + static_cast<std::ptrdiff_t>(j) * stride + 4 * i, &pixel, 4);
    }
  cairo_surface_mark_dirty(image.s);
  cairo_set_source_surface(cr, image.s, x0, y0);
  cairo_paint(cr);
}

MapLayout layout_map(const MapSpec& spec) {
  if (spec.width_px < 400 || spec.width_px > 20000)
    throw InvalidArgument(
        fmt::format("map: width_px must be between 400 and 20000, got {}", spec.width_px));
  const Extent content = content_extent(spec);
  if (content.empty() || !std::isfinite(content.width()) || !std::isfinite(content.height()))
    throw InvalidArgument("map: nothing to draw (empty extent)");
  const Metrics m(spec.width_px);
  MapLayout lay;
  lay.width_px = spec.width_px;
  lay.frame_x = m.margin;
  lay.frame_y = m.header_h;
  lay.frame_w = spec.width_px - 2 * m.margin - m.legend_w - m.gap;
  const double side = std::max(content.width(), content.height());
  if (!(side > 0)) throw InvalidArgument("map: the extent has no area");
  Extent world = content.grown(0.04 * side);
  // Keep the frame between 0.6 and 1.5 times as tall as wide (room for the legend, no needle
  // maps) by widening the shown area, never by distorting it.
  double aspect = world.height() / world.width();
  if (aspect < 0.6) {
    const double grow = (0.6 * world.width() - world.height()) / 2;
    world = {world.xmin, world.ymin - grow, world.xmax, world.ymax + grow};
  } else if (aspect > 1.5) {
    const double grow = (world.height() / 1.5 - world.width()) / 2;
    world = {world.xmin - grow, world.ymin, world.xmax + grow, world.ymax};
  }
  lay.world = world;
  lay.px_per_m = lay.frame_w / world.width();
  lay.frame_h = std::round(world.height() * lay.px_per_m);
  lay.height_px = static_cast<int>(lay.frame_y + lay.frame_h + m.footer_h +
                                   static_cast<double>(attribution_lines(spec).size() - 1) *
                                       m.small_pt * kAttributionLineSpacing);
  lay.scale_bar_m = round_length(world.width() / 5);
  lay.scale_bar_px = lay.scale_bar_m * lay.px_per_m;
  lay.scale_bar_label = length_label(lay.scale_bar_m);
  lay.scale_bar_x = std::round(lay.frame_x + 24 * m.u);
  lay.scale_bar_y = std::round(lay.frame_y + lay.frame_h - 20 * m.u);
  return lay;
}

std::vector<Point> place_labels(const std::vector<LabelBox>& boxes, const Extent& frame,
                                int max_rings, const std::vector<Extent>& obstacles) {
  std::vector<Point> at;
  at.reserve(boxes.size());
  const auto feature_of = [](const LabelBox& b) {
    return b.feature.empty() ? Extent{b.anchor.x, b.anchor.y, b.anchor.x, b.anchor.y} : b.feature;
  };
  // A box centred on c overlaps extent e (touching edges do not count).
  const auto hits = [](Point c, const LabelBox& b, const Extent& e) {
    return c.x - b.width / 2 < e.xmax && c.x + b.width / 2 > e.xmin &&
           c.y - b.height / 2 < e.ymax && c.y + b.height / 2 > e.ymin;
  };
  const auto box_extent = [](Point c, const LabelBox& b) {
    return Extent{c.x - b.width / 2, c.y - b.height / 2, c.x + b.width / 2, c.y + b.height / 2};
  };
  const auto over_labels = [&](Point c, const LabelBox& b) {
    for (std::size_t j = 0; j < at.size(); ++j)
      if (hits(c, b, box_extent(at[j], boxes[j]))) return true;
    return false;
  };
  const auto over_features = [&](Point c, const LabelBox& b) {
    for (const LabelBox& o : boxes)
      if (hits(c, b, feature_of(o))) return true;
    for (const Extent& e : obstacles)
      if (!e.empty() && hits(c, b, e)) return true;
    return false;
  };
  const auto inside = [&](Point c, const LabelBox& b) {
    return frame.empty() || (c.x - b.width / 2 >= frame.xmin && c.x + b.width / 2 <= frame.xmax &&
                             c.y - b.height / 2 >= frame.ymin && c.y + b.height / 2 <= frame.ymax);
  };
  // N, NE, E, SE, S, SW, W, NW (pixel y grows downwards).
  constexpr double kDx[8] = {0, 1, 1, 1, 0, -1, -1, -1};
  constexpr double kDy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
  for (const LabelBox& b : boxes) {
    const Extent f = feature_of(b);
    const double gap = std::max(2.0, b.height * 0.3);
    const auto spot = [&](int r, int d) {
      const double out = gap + (r - 1) * b.height;
      // Clear the feature's box by `out`, measured from the anchor in each direction.
      const double x = kDx[d] > 0   ? f.xmax + out + b.width / 2
                       : kDx[d] < 0 ? f.xmin - out - b.width / 2
                                    : b.anchor.x;
      const double y = kDy[d] > 0   ? f.ymax + out + b.height / 2
                       : kDy[d] < 0 ? f.ymin - out - b.height / 2
                                    : b.anchor.y;
      return Point{x, y};
    };
    std::optional<Point> best, fallback;
    for (int r = 1; r <= max_rings && !best; ++r)
      for (int d = 0; d < 8 && !best; ++d) {
        const Point c = spot(r, d);
        if (!inside(c, b) || over_labels(c, b)) continue;
        if (!over_features(c, b))
          best = c;
        else if (!fallback)
          fallback = c;
      }
    at.push_back(best ? *best : fallback ? *fallback : spot(1, 0));
  }
  return at;
}

void write_map_png(const std::string& path, const MapSpec& spec, bool overwrite) {
  detail::use_cairo_text();
  const MapLayout lay = layout_map(spec);
  const Metrics m(spec.width_px);
  CairoSurface surface{
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, lay.width_px, lay.height_px)};
  if (cairo_surface_status(surface.s) != CAIRO_STATUS_SUCCESS)
    throw IoError(
        fmt::format("{}: cannot create a {} x {} image", path, lay.width_px, lay.height_px));
  CairoContext ctx{cairo_create(surface.s)};
  cairo_t* cr = ctx.c;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);

  // Header.
  // Long titles (an area of several districts) shrink to fit the page, then their area is cut
  // with "…" (fitted_title).
  const double text_w = spec.width_px - 2 * m.margin;
  const double title_pt = fitting_size(cr, spec.title, m.title_pt, true, text_w);
  show_text(cr, m.margin, m.margin + m.title_pt * 0.8,
            fitted_title(cr, spec.title, title_pt, text_w), title_pt, true);
  const double subtitle_pt = fitting_size(cr, spec.subtitle, m.subtitle_pt, false, text_w);
  show_text(cr, m.margin, m.margin + m.title_pt * 1.25 + m.subtitle_pt * 0.9,
            fitted_text(cr, spec.subtitle, subtitle_pt, false, text_w), subtitle_pt, false,
            {80, 80, 80, 255});

  // Map frame, clipped.
  SurfaceColours sc;
  if (spec.surface != nullptr) sc = surface_colours(spec);
  cairo_save(cr);
  cairo_rectangle(cr, lay.frame_x, lay.frame_y, lay.frame_w, lay.frame_h);
  cairo_clip(cr);
  if (spec.basemap_image) draw_basemap_image(cr, lay, spec);
  const bool basemap_lines = spec.basemap_lines != nullptr && !spec.basemap_lines->empty();
  const bool basemap = basemap_lines || static_cast<bool>(spec.basemap_image);
  if (basemap_lines) {
    for (const auto& line : *spec.basemap_lines) {
      cairo_new_path(cr);
      for (std::size_t i = 0; i < line.size(); ++i) {
        const Point p = lay.to_pixel(line[i]);
        if (i == 0)
          cairo_move_to(cr, p.x, p.y);
        else
          cairo_line_to(cr, p.x, p.y);
      }
      cairo_set_source_rgb(cr, 0.62, 0.62, 0.62);
      cairo_set_line_width(cr, 1.2 * m.u);
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke(cr);
    }
  }
  if (spec.surface != nullptr && sc.any)
    draw_surface(cr, lay, *spec.surface, sc, spec.surface_min, basemap ? 0.8 : 1.0);
  for (const MapLayerLines& layer : spec.layers) draw_layer(cr, lay, layer);
  for (const MapPoints& layer : spec.points) draw_points(cr, lay, layer);
  draw_labels(cr, lay, spec.layers, m);
  draw_scale_bar(cr, lay, m);
  draw_north_arrow(cr, lay, m);
  cairo_restore(cr);
  cairo_rectangle(cr, lay.frame_x - 0.5, lay.frame_y - 0.5, lay.frame_w + 1, lay.frame_h + 1);
  cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);

  draw_legend(cr, spec, lay, sc, m);
  double attribution_y = lay.frame_y + lay.frame_h + m.small_pt * 1.5;
  for (const std::string& line : attribution_lines(spec)) {
    show_text(cr, m.margin, attribution_y, line, m.small_pt, false, {90, 90, 90, 255});
    attribution_y += m.small_pt * kAttributionLineSpacing;
  }

  cairo_surface_flush(surface.s);
  AtomicFile file(path, overwrite);
  detail::write_png(surface.s, file.temp_path());
  file.commit();
}

}  // namespace hotspots
