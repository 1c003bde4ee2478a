// SPDX-License-Identifier: MIT
#include "hotspots/render/report_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "detail/cairo_text.hpp"
#include "detail/png_file.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {
namespace {

constexpr const char* kFont = "DejaVu Sans";
constexpr double kPageW = 595.276;  // A4, points
constexpr double kPageH = 841.89;
constexpr double kMarginX = 50;
constexpr double kTop = 56;
constexpr double kBottom = kPageH - 58;  // body ends here; the footer sits below
constexpr double kTextW = kPageW - 2 * kMarginX;
constexpr double kBody = 9.5;
constexpr double kTableFont = 7.8;
/// A table up to this tall (about 45 % of a page's body) is kept whole, moving to a new page
/// with its heading when it does not fit below; a taller one starts where it is and goes on over
/// the page with its header repeated.
constexpr double kKeepWhole = 0.45 * (kBottom - kTop);
/// Widths compared with a little slack: a column sized to its text, less its padding, is the
/// text's width give or take rounding.
constexpr double kSlack = 0.01;

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

/// A figure's image as the layout sees it: its size in pixels and the surface painted for it.
/// An 8-bit RGB PNG goes into the PDF as its own compressed pixels (passed through): the
/// surface painted is then a 1 x (stream + 1) placeholder, scaled to the image's size, whose
/// image object write_report_pdf replaces with the PNG's stream (`streams[stream]`). Other
/// images are decoded and painted (cairo compresses them again).
struct FigureImage {
  int width = 0;
  int height = 0;
  SurfacePtr surface;
  int stream = -1;
};

/// The images of one document, read once for both passes.
struct FigureImages {
  bool pass_through = true;
  std::map<std::string, FigureImage> by_path;
  std::vector<detail::PngRgbStream> streams;
};

void font(cairo_t* cr, double size, bool bold, bool italic = false) {
  cairo_select_font_face(cr, kFont, italic ? CAIRO_FONT_SLANT_OBLIQUE : CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double width(cairo_t* cr, const std::string& s) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, s.c_str(), &te);
  return te.x_advance;
}

void grey(cairo_t* cr, double level) {
  cairo_set_source_rgb(cr, level, level, level);
}

/// Splits a UTF-8 word into pieces no wider than `max_w` (at character boundaries).
std::vector<std::string> break_word(cairo_t* cr, const std::string& word, double max_w) {
  std::vector<std::string> out;
  std::string piece;
  for (std::size_t i = 0; i < word.size();) {
    std::size_t n = 1;
    const auto c = static_cast<unsigned char>(word[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    const std::string ch = word.substr(i, n);
    if (!piece.empty() && width(cr, piece + ch) > max_w)
      out.push_back(std::move(piece)), piece = {};
    piece += ch;
    i += n;
  }
  if (!piece.empty()) out.push_back(std::move(piece));
  return out;
}

/// `text` in lines no wider than `max_w` in the current font, broken at spaces.
std::vector<std::string> wrap(cairo_t* cr, const std::string& text, double max_w) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string word = text.substr(i, j - i);
    i = j + 1;
    if (word.empty()) continue;
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (width(cr, candidate) <= max_w + kSlack) {
      line = candidate;
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line)), line = {};
    if (width(cr, word) <= max_w + kSlack) {
      line = word;
    } else {
      auto pieces = break_word(cr, word, max_w);
      for (std::size_t k = 0; k + 1 < pieces.size(); ++k) lines.push_back(pieces[k]);
      line = pieces.back();
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

/// One pass over the document: draws every page and returns how many there were.
class Layout {
 public:
  Layout(cairo_surface_t* surface, const ReportDocument& doc, int total_pages, FigureImages& images)
      : surface_(surface),
        cr_(cairo_create(surface)),
        doc_(doc),
        total_(total_pages),
        images_(images) {}

  int run() {
    cairo_t* cr = cr_.get();
    y_ = kTop;
    // Title block.
    font(cr, 19, true);
    grey(cr, 0.1);
    for (const std::string& line : wrap(cr, doc_.title, kTextW)) {
      y_ += 23;
      text_at(kMarginX, y_, line);
    }
    font(cr, 11, false);
    grey(cr, 0.35);
    for (const std::string& line : wrap(cr, doc_.subtitle, kTextW)) {
      y_ += 15;
      text_at(kMarginX, y_, line);
    }
    y_ += 10;
    cairo_set_source_rgb(cr, 0.16, 0.38, 0.62);
    cairo_rectangle(cr, kMarginX, y_, kTextW, 1.5);
    cairo_fill(cr);
    y_ += 12;
    for (const ReportBlock& b : doc_.blocks) {
      switch (b.kind) {
        case ReportBlockKind::heading: {
          // A heading goes to a new page with the short table it introduces (after at most a
          // paragraph) when heading, paragraph and table do not fit below here. A long table
          // starts here and goes on over the page (table()), so no half page is left empty.
          const auto i = static_cast<std::size_t>(&b - doc_.blocks.data());
          double with = 0;
          for (std::size_t k = i + 1; k < doc_.blocks.size() && k <= i + 2; ++k) {
            const ReportBlock& next = doc_.blocks[k];
            if (next.kind == ReportBlockKind::paragraph) {
              with += paragraph_height(next.text, kTextW);
            } else if (next.kind == ReportBlockKind::table) {
              const double t = table_height(next.table);
              // A long table: room for its header and first rows under the heading.
              with += heading_height(b) + (t <= kKeepWhole ? t : 100.0);
              break;
            } else if (next.kind == ReportBlockKind::figure_row) {
              with += heading_height(b) + figure_row_height(next);
              break;
            } else {
              with = 0;
              break;
            }
          }
          if (with > 0) need(with);
          heading(b);
          break;
        }
        case ReportBlockKind::paragraph:
          paragraph(b.text, kMarginX, kTextW);
          break;
        case ReportBlockKind::bullets:
          for (const std::string& item : b.items) bullet(item);
          y_ += 4;
          break;
        case ReportBlockKind::table:
          table(b.table);
          break;
        case ReportBlockKind::figure:
          figure(b);
          break;
        case ReportBlockKind::figure_row:
          figure_row(b);
          break;
        case ReportBlockKind::page_break:
          if (y_ > kTop + 1) new_page();
          break;
      }
    }
    footer();
    cairo_show_page(cr);
    return page_;
  }

 private:
  void text_at(double x, double y, const std::string& s) {
    cairo_move_to(cr_.get(), x, y);
    cairo_show_text(cr_.get(), s.c_str());
  }

  void footer() {
    cairo_t* cr = cr_.get();
    cairo_save(cr);
    grey(cr, 0.75);
    cairo_rectangle(cr, kMarginX, kPageH - 44, kTextW, 0.6);
    cairo_fill(cr);
    font(cr, 7, false);
    grey(cr, 0.3);
    const std::string page = fmt::format("Page {} of {}", page_, std::max(total_, page_));
    const double pw = width(cr, page);
    std::vector<std::string> lines = wrap(cr, doc_.attribution, kTextW - pw - 16);
    double y = kPageH - 34;
    for (const std::string& line : lines) {
      text_at(kMarginX, y, line);
      y += 9;
    }
    text_at(kMarginX + kTextW - pw, kPageH - 34, page);
    if (page_ > 1) {
      // A running head: what this page belongs to.
      font(cr, 7, false);
      grey(cr, 0.45);
      const auto head = wrap(cr, doc_.title, kTextW);
      text_at(kMarginX, 34, head.front());
    }
    cairo_restore(cr);
  }

  void new_page() {
    footer();
    cairo_show_page(cr_.get());
    ++page_;
    y_ = kTop;
  }

  /// Starts a new page unless `h` points fit below y_.
  void need(double h) {
    if (y_ + h > kBottom && y_ > kTop + 1) new_page();
  }

  /// The height heading(b) takes, its spacing included.
  double heading_height(const ReportBlock& b) {
    cairo_t* cr = cr_.get();
    const double size = b.level <= 1 ? 14.5 : 11.5;
    font(cr, size, true);
    return (b.level <= 1 ? 17 : 11) +
           static_cast<double>(wrap(cr, b.text, kTextW).size()) * size * 1.25;
  }

  /// The height paragraph(text, x, w) takes, its spacing included.
  double paragraph_height(const std::string& text, double w) {
    cairo_t* cr = cr_.get();
    font(cr, kBody, false);
    return static_cast<double>(wrap(cr, text, w).size()) * kBody * 1.35 + 6;
  }

  void heading(const ReportBlock& b) {
    cairo_t* cr = cr_.get();
    const double size = b.level <= 1 ? 14.5 : 11.5;
    // Keep a heading with at least a few lines of what follows.
    need(size * 1.6 + 60);
    y_ += b.level <= 1 ? 10 : 6;
    font(cr, size, true);
    cairo_set_source_rgb(cr, 0.12, 0.27, 0.45);
    for (const std::string& line : wrap(cr, b.text, kTextW)) {
      y_ += size * 1.25;
      text_at(kMarginX, y_, line);
    }
    if (b.level <= 1 && total_ > 0) {
      const std::string link = fmt::format("page={} pos=[{} {}]", page_, kMarginX, y_ - size);
      cairo_pdf_surface_add_outline(surface_, CAIRO_PDF_OUTLINE_ROOT, b.text.c_str(), link.c_str(),
                                    CAIRO_PDF_OUTLINE_FLAG_OPEN);
    }
    y_ += b.level <= 1 ? 7 : 5;
  }

  void paragraph(const std::string& text, double x, double w) {
    cairo_t* cr = cr_.get();
    font(cr, kBody, false);
    const double lh = kBody * 1.35;
    for (const std::string& line : wrap(cr, text, w)) {
      need(lh);
      y_ += lh;
      grey(cr, 0.1);
      text_at(x, y_, line);
    }
    y_ += 6;
  }

  void bullet(const std::string& text) {
    cairo_t* cr = cr_.get();
    font(cr, kBody, false);
    const double lh = kBody * 1.35;
    const auto lines = wrap(cr, text, kTextW - 14);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      need(lh);
      y_ += lh;
      grey(cr, 0.1);
      if (i == 0) text_at(kMarginX + 2, y_, "\u2022");
      text_at(kMarginX + 14, y_, lines[i]);
    }
    y_ += 3;
  }

  static constexpr double kPad = 3;
  static constexpr double kLine = kTableFont * 1.3;

  /// Column widths: each column's longest cell (and header word); the header on one line where
  /// room allows; text columns wider than an even share shrunk, in proportion, to fit.
  std::vector<double> column_widths(const ReportTable& t) {
    cairo_t* cr = cr_.get();
    const std::size_t n = t.header.size();
    const double pad = kPad;
    // Natural widths: the longest cell, and the header's longest word (headers may wrap).
    std::vector<double> natural(n, 0), header_full(n, 0);
    for (std::size_t c = 0; c < n; ++c) {
      font(cr, kTableFont, true);
      header_full[c] = width(cr, t.header[c]);
      for (std::size_t i = 0; i <= t.header[c].size();) {
        std::size_t j = t.header[c].find(' ', i);
        if (j == std::string::npos) j = t.header[c].size();
        natural[c] = std::max(natural[c], width(cr, t.header[c].substr(i, j - i)));
        i = j + 1;
      }
      font(cr, kTableFont, false);
      for (const auto& row : t.rows)
        if (c < row.size()) natural[c] = std::max(natural[c], width(cr, row[c]));
    }
    std::vector<double> w(n);
    double sum = 0;
    for (std::size_t c = 0; c < n; ++c) sum += (w[c] = natural[c] + 2 * pad);
    // Headers on one line where the room allows.
    for (std::size_t c = 0; c < n; ++c) {
      const double want = header_full[c] + 2 * pad;
      if (want > w[c] && sum + (want - w[c]) <= kTextW) sum += want - w[c], w[c] = want;
    }
    if (sum > kTextW) {
      // Text columns wider than an even share give up room, in proportion to their width.
      // Columns up to an even share of the width, or 90 points, keep their width.
      const double share = std::max(kTextW / static_cast<double>(n), 90.0);
      double fixed = 0, flexible = 0;
      for (std::size_t c = 0; c < n; ++c)
        (w[c] > share && !t.numeric[c] ? flexible : fixed) += w[c];
      const double room = std::max(kTextW - fixed, 0.0);
      for (std::size_t c = 0; c < n; ++c)
        if (w[c] > share && !t.numeric[c]) w[c] = std::max(room * w[c] / flexible, 40.0);
    }
    return w;
  }

  double row_height(const ReportTable& t, const std::vector<double>& w,
                    const std::vector<std::string>& cells, bool header) {
    cairo_t* cr = cr_.get();
    font(cr, kTableFont, header);
    std::size_t most = 1;
    for (std::size_t c = 0; c < t.header.size() && c < cells.size(); ++c)
      most = std::max(most, wrap(cr, cells[c], w[c] - 2 * kPad).size());
    return static_cast<double>(most) * kLine + 2 * kPad;
  }

  /// Height of the whole table on one page, its spacing included.
  double table_height(const ReportTable& t) {
    if (t.header.empty()) return 0;
    const std::vector<double> w = column_widths(t);
    double h = 12 + row_height(t, w, t.header, true);
    for (const auto& row : t.rows) h += row_height(t, w, row, false);
    return h;
  }

  void table(const ReportTable& t) {
    cairo_t* cr = cr_.get();
    const std::size_t n = t.header.size();
    if (n == 0) return;
    const double pad = kPad;
    const double lh = kLine;
    const std::vector<double> w = column_widths(t);
    auto draw_row = [&](const std::vector<std::string>& cells, bool header, bool shaded) {
      font(cr, kTableFont, header);
      std::vector<std::vector<std::string>> lines(n);
      std::size_t most = 1;
      for (std::size_t c = 0; c < n; ++c) {
        lines[c] = wrap(cr, c < cells.size() ? cells[c] : std::string(), w[c] - 2 * pad);
        most = std::max(most, lines[c].size());
      }
      const double h = static_cast<double>(most) * lh + 2 * pad;
      if (shaded || header) {
        if (header)
          cairo_set_source_rgb(cr, 0.85, 0.89, 0.94);
        else
          cairo_set_source_rgb(cr, 0.955, 0.955, 0.955);
        double total_w = 0;
        for (double x : w) total_w += x;
        cairo_rectangle(cr, kMarginX, y_, total_w, h);
        cairo_fill(cr);
      }
      grey(cr, 0.08);
      double x = kMarginX;
      for (std::size_t c = 0; c < n; ++c) {
        double ly = y_ + pad + kTableFont;
        for (const std::string& line : lines[c]) {
          const double lx = t.numeric[c] && !header ? x + w[c] - pad - width(cr, line) : x + pad;
          text_at(lx, ly, line);
          ly += lh;
        }
        x += w[c];
      }
      y_ += h;
      return h;
    };
    const double header_h = row_height(t, w, t.header, true);
    const double all_h = table_height(t);
    if (all_h <= kKeepWhole) need(all_h);  // a short table whole on one page
    // A long one starts here with its header and a few rows, and goes on over the page.
    double first_rows = 0;
    for (std::size_t r = 0; r < t.rows.size() && r < 4; ++r)
      first_rows += row_height(t, w, t.rows[r], false);
    need(header_h + first_rows + 4);
    y_ += 4;
    draw_row(t.header, true, false);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const double h = row_height(t, w, t.rows[r], false);
      if (y_ + h > kBottom) {
        new_page();
        draw_row(t.header, true, false);
      }
      draw_row(t.rows[r], false, r % 2 == 1);
    }
    y_ += 8;
  }

  /// The PNG at `path`, read once per document.
  const FigureImage& image(const std::string& path) {
    auto it = images_.by_path.find(path);
    if (it != images_.by_path.end()) return it->second;
    FigureImage fig;
    std::optional<detail::PngRgbStream> stream;
    if (images_.pass_through) stream = detail::read_png_rgb_stream(path);
    if (stream) {
      fig.width = stream->width;
      fig.height = stream->height;
      fig.stream = static_cast<int>(images_.streams.size());
      // A colour, not a grey: cairo writes grey images with one component.
      fig.surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, fig.stream + 1));
      ContextPtr pc(cairo_create(fig.surface.get()));
      cairo_set_source_rgb(pc.get(), 0.2, 0.4, 0.6);
      cairo_paint(pc.get());
      images_.streams.push_back(std::move(*stream));
    } else {
      fig.surface.reset(cairo_image_surface_create_from_png(path.c_str()));
      if (cairo_surface_status(fig.surface.get()) != CAIRO_STATUS_SUCCESS)
        throw IoError(fmt::format("{}: cannot read the image for the report: {}", path,
                                  cairo_status_to_string(cairo_surface_status(fig.surface.get()))));
      fig.width = cairo_image_surface_get_width(fig.surface.get());
      fig.height = cairo_image_surface_get_height(fig.surface.get());
    }
    return images_.by_path.emplace(path, std::move(fig)).first->second;
  }

  /// `img` scaled by `scale` with its top-left corner at (x, y), framed in light grey.
  void draw_image(const FigureImage& img, double x, double y, double scale) {
    cairo_t* cr = cr_.get();
    const double iw = img.width;
    const double ih = img.height;
    // The counting pass (no page total yet) only measures: its PDF is discarded, and an image
    // painted there would be compressed into it for nothing.
    if (total_ > 0) {
      cairo_surface_t* painted = img.surface.get();
      cairo_save(cr);
      cairo_translate(cr, x, y);
      // A placeholder stands for the whole image: stretched over the image's printed size.
      cairo_scale(cr, scale * iw / cairo_image_surface_get_width(painted),
                  scale * ih / cairo_image_surface_get_height(painted));
      cairo_set_source_surface(cr, painted, 0, 0);
      cairo_paint(cr);
      cairo_restore(cr);
    }
    grey(cr, 0.7);
    cairo_set_line_width(cr, 0.5);
    cairo_rectangle(cr, x, y, iw * scale, ih * scale);
    cairo_stroke(cr);
  }

  /// A figure row's layout: the slot width, each image's scale and caption lines, the tallest
  /// image and caption.
  struct RowLayout {
    double slot = 0;
    std::vector<double> scale;
    std::vector<std::vector<std::string>> captions;
    double images_h = 0;
    double captions_h = 0;
    double height() const { return 4 + images_h + 2 + captions_h + 8; }
  };
  static constexpr double kRowGap = 12;

  RowLayout row_layout(const ReportBlock& b) {
    cairo_t* cr = cr_.get();
    const std::size_t n = b.images.size();
    RowLayout l;
    if (n == 0) return l;
    l.slot = (kTextW - kRowGap * static_cast<double>(n - 1)) / static_cast<double>(n);
    l.scale.resize(n);
    l.captions.resize(n);
    font(cr, 8.5, false, true);
    for (std::size_t i = 0; i < n; ++i) {
      const FigureImage& img = image(b.images[i].path);
      l.scale[i] = l.slot / img.width;
      l.images_h = std::max(l.images_h, img.height * l.scale[i]);
      l.captions[i] = wrap(cr, b.images[i].caption, l.slot);
      l.captions_h = std::max(l.captions_h, static_cast<double>(l.captions[i].size()) * 11);
    }
    return l;
  }

  double figure_row_height(const ReportBlock& b) { return row_layout(b).height(); }

  /// Images side by side in equal slots, tops aligned, each caption under its image; the row
  /// moves whole to a new page when it does not fit below.
  void figure_row(const ReportBlock& b) {
    cairo_t* cr = cr_.get();
    const std::size_t n = b.images.size();
    if (n == 0) return;
    const RowLayout l = row_layout(b);
    const double slot = l.slot, images_h = l.images_h, captions_h = l.captions_h;
    const auto& scale = l.scale;
    const auto& captions = l.captions;
    need(l.height());
    y_ += 4;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = kMarginX + static_cast<double>(i) * (slot + kRowGap);
      const FigureImage& img = image(b.images[i].path);
      draw_image(img, x, y_, scale[i]);
      font(cr, 8.5, false, true);
      grey(cr, 0.3);
      double cy = y_ + img.height * scale[i] + 2;
      for (const std::string& line : captions[i]) {
        cy += 11;
        text_at(x, cy, line);
      }
    }
    y_ += images_h + 2 + captions_h + 8;
  }

  void figure(const ReportBlock& b) {
    cairo_t* cr = cr_.get();
    const FigureImage& img = image(b.image_path);
    const double iw = img.width;
    const double ih = img.height;
    const double max_w = kTextW * std::clamp(b.width_fraction, 0.1, 1.0);
    font(cr, 8.5, false, true);
    const auto caption = wrap(cr, b.text, kTextW);
    const double caption_h = static_cast<double>(caption.size()) * 11 + 6;
    const double max_h = kBottom - kTop - caption_h - 8;
    double scale = std::min(max_w / iw, max_h / ih);
    if (y_ + ih * scale + caption_h > kBottom) {
      // Shrink up to a third to stay on this page, else start a new one.
      const double room = kBottom - y_ - caption_h - 6;
      if (room >= ih * scale * 0.67)
        scale = room / ih;
      else
        new_page();
    }
    const double x = kMarginX + (kTextW - iw * scale) / 2;
    y_ += 4;
    draw_image(img, x, y_, scale);
    y_ += ih * scale + 2;
    font(cr, 8.5, false, true);
    grey(cr, 0.3);
    for (const std::string& line : caption) {
      y_ += 11;
      text_at(kMarginX, y_, line);
    }
    y_ += 8;
  }

  cairo_surface_t* surface_;
  ContextPtr cr_;
  const ReportDocument& doc_;
  int total_ = 0;
  FigureImages& images_;
  int page_ = 1;
  double y_ = kTop;
};

cairo_status_t discard(void* /*closure*/, const unsigned char* /*data*/, unsigned int /*length*/) {
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::optional<std::size_t> number_at(std::string_view text, std::size_t at) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data() + at, end, value);
  if (ec != std::errc() || ptr == text.data() + at) return std::nullopt;
  return value;
}

/// The number after `key ` in `dict`, or nullopt.
std::optional<std::size_t> dict_number(std::string_view dict, std::string_view key) {
  const std::size_t at = dict.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  return number_at(dict, at + key.size());
}

/// `pdf` (as cairo writes it: one classic cross-reference table) with the image object of each
/// placeholder (1 pixel wide, stream index + 1 high) replaced by that stream's PNG pixels, and
/// the cross-reference table rewritten for the new offsets; nullopt when the file is not laid
/// out as expected or a stream's placeholder is not found exactly once (the caller then paints
/// the decoded images instead).
constexpr std::size_t kImageDict = 600;

std::optional<std::string> with_streams(const std::string& pdf,
                                        const std::vector<detail::PngRgbStream>& streams) {
  const std::string_view text(pdf);
  const std::size_t startxref = text.rfind("startxref\n");
  if (startxref == std::string_view::npos) return std::nullopt;
  const auto xref = number_at(text, startxref + 10);
  if (!xref || *xref >= startxref || text.substr(*xref, 7) != "xref\n0 ") return std::nullopt;
  const auto count = number_at(text, *xref + 7);
  if (!count || *count < 1) return std::nullopt;
  const std::size_t entries = text.find('\n', *xref + 7) + 1;
  const std::size_t trailer = entries + 20 * *count;
  if (trailer > startxref || text.substr(trailer, 8) != "trailer\n") return std::nullopt;
  std::vector<std::size_t> offsets(*count, 0);
  for (std::size_t i = 1; i < *count; ++i) {
    const std::string_view entry = text.substr(entries + 20 * i, 20);
    const auto offset = number_at(entry, 0);
    if (!offset || entry.substr(10, 9) != " 00000 n ") return std::nullopt;
    offsets[i] = *offset;
  }
  // Each placeholder's object: where it starts and ends, and what replaces it.
  struct Replacement {
    std::size_t begin = 0, end = 0;
    std::string object;
  };
  std::vector<Replacement> replacements;
  std::vector<int> found(streams.size(), 0);
  for (std::size_t i = 1; i < *count; ++i) {
    const std::size_t begin = offsets[i];
    const std::string head = fmt::format("{} 0 obj\n", i);
    if (text.substr(begin, head.size()) != head) return std::nullopt;
    if (text.substr(begin + head.size(), 2) != "<<") continue;  // not a dictionary
    // cairo's image dictionaries are a few lines: look no further than kImageDict bytes.
    const std::string_view window = text.substr(begin, kImageDict);
    const std::size_t dict_end = window.find(">>\nstream\n");
    if (dict_end == std::string_view::npos) continue;  // no stream, or not an image's
    const std::string_view dict = window.substr(0, dict_end);
    if (dict.find(" obj\n", head.size()) != std::string_view::npos) continue;  // ran into the next
    const std::size_t dict_at = begin;
    if (dict.find("/Subtype /Image") == std::string_view::npos) continue;
    const auto w = dict_number(dict, "/Width ");
    const auto h = dict_number(dict, "/Height ");
    if (!w || !h || *w != 1 || *h < 1 || *h > streams.size()) continue;
    const std::size_t k = *h - 1;
    // The stream's length: direct, or an indirect object holding it.
    std::optional<std::size_t> length = dict_number(dict, "/Length ");
    if (!length) return std::nullopt;
    const std::size_t after = dict.find("/Length ") + 8;
    const std::size_t line_end = dict.find('\n', after);
    if (dict.substr(after, line_end - after).ends_with(" 0 R")) {
      if (*length >= *count) return std::nullopt;
      const std::size_t at = offsets[*length];
      const std::string lhead = fmt::format("{} 0 obj\n", *length);
      if (text.substr(at, lhead.size()) != lhead) return std::nullopt;
      std::size_t digits = at + lhead.size();
      while (digits < text.size() && text[digits] == ' ') ++digits;
      length = number_at(text, digits);
      if (!length) return std::nullopt;
    }
    const std::size_t data = dict_at + dict_end + 10;
    const std::string_view tail = "\nendstream\nendobj\n";
    if (data + *length + tail.size() > text.size() ||
        text.substr(data + *length, tail.size()) != tail)
      return std::nullopt;
    const detail::PngRgbStream& png = streams[k];
    Replacement r;
    r.begin = begin;
    r.end = data + *length + tail.size();
    r.object = fmt::format(
        "{} 0 obj\n<< /Length {}\n   /Filter /FlateDecode\n"
        "   /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns {} >>\n"
        "   /Type /XObject\n   /Subtype /Image\n   /Width {}\n   /Height {}\n"
        "   /ColorSpace /DeviceRGB\n{}   /BitsPerComponent 8\n>>\nstream\n",
        i, png.zlib.size(), png.width, png.width, png.height,
        dict.find("/Interpolate true") != std::string_view::npos ? "   /Interpolate true\n" : "");
    r.object += png.zlib;
    r.object += tail;
    replacements.push_back(std::move(r));
    ++found[k];
  }
  if (std::any_of(found.begin(), found.end(), [](int n) { return n != 1; })) return std::nullopt;
  std::sort(replacements.begin(), replacements.end(),
            [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
  for (std::size_t r = 1; r < replacements.size(); ++r)
    if (replacements[r].begin < replacements[r - 1].end) return std::nullopt;
  // The new offset of what was at `old`: moved by every replacement before it.
  const auto moved = [&replacements](std::size_t old) {
    long long shift = 0;
    for (const Replacement& r : replacements) {
      if (r.end > old) break;
      shift += static_cast<long long>(r.object.size()) - static_cast<long long>(r.end - r.begin);
    }
    return static_cast<std::size_t>(static_cast<long long>(old) + shift);
  };
  std::string out;
  out.reserve(pdf.size());
  std::size_t at = 0;
  for (const Replacement& r : replacements) {
    out.append(text.substr(at, r.begin - at));
    out += r.object;
    at = r.end;
  }
  out.append(text.substr(at, *xref - at));
  out += fmt::format("xref\n0 {}\n", *count);
  out.append(text.substr(entries, 20));  // object 0, free
  for (std::size_t i = 1; i < *count; ++i)
    out += fmt::format("{:010d} 00000 n \n", moved(offsets[i]));
  out.append(text.substr(trailer, startxref - trailer));
  out += fmt::format("startxref\n{}\n%%EOF\n", moved(*xref));
  return out;
}

void set_metadata(cairo_surface_t* surface, const ReportDocument& doc) {
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, doc.creator.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, doc.date_iso.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, doc.date_iso.c_str());
}

/// The whole PDF in memory: a counting pass for the page total, then the pages.
std::string render_pdf(const ReportDocument& doc, FigureImages& images) {
  int pages = 0;
  {
    SurfacePtr counting(cairo_pdf_surface_create_for_stream(discard, nullptr, kPageW, kPageH));
    set_metadata(counting.get(), doc);
    pages = Layout(counting.get(), doc, 0, images).run();
    cairo_surface_finish(counting.get());
  }
  std::string pdf;
  SurfacePtr surface(cairo_pdf_surface_create_for_stream(append, &pdf, kPageW, kPageH));
  set_metadata(surface.get(), doc);
  Layout(surface.get(), doc, pages, images).run();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw IoError(fmt::format("cannot make the PDF: {}",
                              cairo_status_to_string(cairo_surface_status(surface.get()))));
  return pdf;
}

}  // namespace

void write_report_pdf(const std::string& path, const ReportDocument& doc, bool overwrite) {
  detail::use_cairo_text();
  std::string pdf;
  {
    // The maps' own compressed pixels go into the PDF as they are: decoding them and having
    // cairo compress them again cost most of the report's time.
    FigureImages images;
    pdf = render_pdf(doc, images);
    std::optional<std::string> passed;
    if (!images.streams.empty()) passed = with_streams(pdf, images.streams);
    if (passed) {
      pdf = std::move(*passed);
    } else if (!images.streams.empty()) {
      FigureImages decoded;
      decoded.pass_through = false;
      pdf = render_pdf(doc, decoded);
    }
  }
  write_file_atomically(path, pdf, overwrite);
}

}  // namespace hotspots
