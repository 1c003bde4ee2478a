// SPDX-License-Identifier: MIT
#include "hotspots/render/report_html.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "detail/text.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

std::string escape(const std::string& s) {
  return detail::markup_escape(s);
}

std::string read_png(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot read the image for the report", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1a1a1a;
  max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; line-height: 1.45;
  font-size: 15px; }
h1.title { font-size: 1.7rem; margin: 0.2rem 0 0.3rem; }
p.subtitle { color: #555; margin: 0 0 0.8rem; font-size: 1.05rem; }
hr.rule { border: 0; border-top: 2px solid #29609e; margin: 0 0 1rem; }
h2 { color: #1f4573; font-size: 1.35rem; margin: 1.6rem 0 0.5rem; }
h3 { color: #1f4573; font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.85rem; width: 100%; }
th { background: #d9e3ef; text-align: left; padding: 0.3rem 0.45rem; vertical-align: bottom; }
td { padding: 0.25rem 0.45rem; vertical-align: top; border-bottom: 1px solid #e3e3e3; }
tr:nth-child(even) td { background: #f4f4f4; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 0.8rem 0 1.2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #bbb; display: block;
  margin: 0 auto; }
.figure-row { display: flex; gap: 1rem; align-items: flex-start; break-inside: avoid; }
.figure-row figure { flex: 1 1 0; min-width: 0; }
figcaption { color: #444; font-style: italic; font-size: 0.85rem; margin-top: 0.3rem; }
footer { margin-top: 2rem; border-top: 1px solid #bbb; padding-top: 0.4rem; color: #444;
  font-size: 0.8rem; }
.page-break { break-after: page; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  @page { size: A4; margin: 15mm 15mm 18mm; }
  h2, h3 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  footer { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; }
}
)";

}  // namespace

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]) << 16 |
                                              static_cast<unsigned char>(bytes[i + 1]) << 8 |
                                              static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const auto v =
        static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]) << 16 |
                                   (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0));
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += two ? kAlphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::string report_html(const ReportDocument& doc) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += fmt::format("<meta name=\"generator\" content=\"{}\">\n", escape(doc.creator));
  h += fmt::format("<meta name=\"date\" content=\"{}\">\n", escape(doc.date_iso));
  h += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", escape(doc.title),
                   kStyle);
  h += fmt::format(
      "<h1 class=\"title\">{}</h1>\n<p class=\"subtitle\">{}</p>\n<hr class=\"rule\">\n",
      escape(doc.title), escape(doc.subtitle));
  for (const ReportBlock& b : doc.blocks) {
    switch (b.kind) {
      case ReportBlockKind::heading:
        h += fmt::format("<h{0}>{1}</h{0}>\n", b.level <= 1 ? 2 : 3, escape(b.text));
        break;
      case ReportBlockKind::paragraph:
        h += fmt::format("<p>{}</p>\n", escape(b.text));
        break;
      case ReportBlockKind::bullets:
        h += "<ul>\n";
        for (const std::string& item : b.items) h += fmt::format("<li>{}</li>\n", escape(item));
        h += "</ul>\n";
        break;
      case ReportBlockKind::table: {
        const ReportTable& t = b.table;
        h += "<table>\n<thead><tr>";
        for (std::size_t c = 0; c < t.header.size(); ++c)
          h +=
              fmt::format("<th{}>{}</th>", t.numeric[c] ? " class=\"n\"" : "", escape(t.header[c]));
        h += "</tr></thead>\n<tbody>\n";
        for (const auto& row : t.rows) {
          h += "<tr>";
          for (std::size_t c = 0; c < row.size(); ++c)
            h += fmt::format("<td{}>{}</td>",
                             c < t.numeric.size() && t.numeric[c] ? " class=\"n\"" : "",
                             escape(row[c]));
          h += "</tr>\n";
        }
        h += "</tbody>\n</table>\n";
        break;
      }
      case ReportBlockKind::figure:
        h += fmt::format(
            "<figure{}><img src=\"data:image/png;base64,{}\" alt=\"{}\">"
            "<figcaption>{} ({})</figcaption></figure>\n",
            b.width_fraction < 1.0
                ? fmt::format(
                      " style=\"max-width: {:.0f}%; margin-left: auto; margin-right: auto\"",
                      100.0 * b.width_fraction)
                : std::string(),
            base64(read_png(b.image_path)), escape(b.image_name), escape(b.text),
            escape(b.image_name));
        break;
      case ReportBlockKind::figure_row:
        h += "<div class=\"figure-row\">\n";
        for (const ReportImage& image : b.images)
          h += fmt::format(
              "<figure><img src=\"data:image/png;base64,{}\" alt=\"{}\">"
              "<figcaption>{} ({})</figcaption></figure>\n",
              base64(read_png(image.path)), escape(image.name), escape(image.caption),
              escape(image.name));
        h += "</div>\n";
        break;
      case ReportBlockKind::page_break:
        h += "<div class=\"page-break\"></div>\n";
        break;
    }
  }
  h += fmt::format("<footer>{} &middot; {}</footer>\n</body>\n</html>\n", escape(doc.attribution),
                   escape(doc.creator));
  return h;
}

}  // namespace hotspots
