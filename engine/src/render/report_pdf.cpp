// SPDX-License-Identifier: MIT
#include "hotspots/render/report_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "detail/cairo_text.hpp"
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
  Layout(cairo_surface_t* surface, const ReportDocument& doc, int total_pages,
         std::map<std::string, SurfacePtr>& images)
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
  cairo_surface_t* image(const std::string& path) {
    auto it = images_.find(path);
    if (it == images_.end()) {
      SurfacePtr img(cairo_image_surface_create_from_png(path.c_str()));
      if (cairo_surface_status(img.get()) != CAIRO_STATUS_SUCCESS)
        throw IoError(fmt::format("{}: cannot read the image for the report: {}", path,
                                  cairo_status_to_string(cairo_surface_status(img.get()))));
      it = images_.emplace(path, std::move(img)).first;
    }
    return it->second.get();
  }

  /// `img` scaled by `scale` with its top-left corner at (x, y), framed in light grey.
  void draw_image(cairo_surface_t* img, double x, double y, double scale) {
    cairo_t* cr = cr_.get();
    const double iw = cairo_image_surface_get_width(img);
    const double ih = cairo_image_surface_get_height(img);
    // The counting pass (no page total yet) only measures: its PDF is discarded, and an image
    // painted there would be compressed into it for nothing.
    if (total_ > 0) {
      cairo_save(cr);
      cairo_translate(cr, x, y);
      cairo_scale(cr, scale, scale);
      cairo_set_source_surface(cr, img, 0, 0);
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
      cairo_surface_t* img = image(b.images[i].path);
      l.scale[i] = l.slot / cairo_image_surface_get_width(img);
      l.images_h = std::max(l.images_h, cairo_image_surface_get_height(img) * l.scale[i]);
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
      cairo_surface_t* img = image(b.images[i].path);
      draw_image(img, x, y_, scale[i]);
      font(cr, 8.5, false, true);
      grey(cr, 0.3);
      double cy = y_ + cairo_image_surface_get_height(img) * scale[i] + 2;
      for (const std::string& line : captions[i]) {
        cy += 11;
        text_at(x, cy, line);
      }
    }
    y_ += images_h + 2 + captions_h + 8;
  }

  void figure(const ReportBlock& b) {
    cairo_t* cr = cr_.get();
    cairo_surface_t* img = image(b.image_path);
    const double iw = cairo_image_surface_get_width(img);
    const double ih = cairo_image_surface_get_height(img);
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
  std::map<std::string, SurfacePtr>& images_;
  int page_ = 1;
  double y_ = kTop;
};

cairo_status_t discard(void* /*closure*/, const unsigned char* /*data*/, unsigned int /*length*/) {
  return CAIRO_STATUS_SUCCESS;
}

void set_metadata(cairo_surface_t* surface, const ReportDocument& doc) {
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, doc.creator.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, doc.date_iso.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, doc.date_iso.c_str());
}

}  // namespace

void write_report_pdf(const std::string& path, const ReportDocument& doc, bool overwrite) {
  detail::use_cairo_text();
  std::map<std::string, SurfacePtr> images;
  int pages = 0;
  {
    SurfacePtr counting(cairo_pdf_surface_create_for_stream(discard, nullptr, kPageW, kPageH));
    set_metadata(counting.get(), doc);
    pages = Layout(counting.get(), doc, 0, images).run();
    cairo_surface_finish(counting.get());
  }
  AtomicFile file(path, overwrite);
  {
    SurfacePtr surface(cairo_pdf_surface_create(file.temp_path().c_str(), kPageW, kPageH));
    set_metadata(surface.get(), doc);
    Layout(surface.get(), doc, pages, images).run();
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      throw IoError(write_error_text(path, "cannot write the PDF",
                                     cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  file.commit();
}

}  // namespace hotspots
