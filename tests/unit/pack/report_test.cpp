// SPDX-License-Identifier: MIT
// The pack's report.pdf, report.html and tables.xlsx read back as a person's tools read them:
// pdfinfo/pdftotext/pdftoppm (poppler) for the PDF, the HTML's own bytes (no external reference;
// every image a data: URI decoding to the pack's PNG), openpyxl for the workbook (cells equal the
// CSVs: tests/unit/pack/check_xlsx.py). The pack is the sample's, built with run_pack.
#include <cairo.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/core/phase_timer.hpp"
#include "hotspots/pack/products/product_list.hpp"
#include "hotspots/pack/run_pack.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/render/report_html.hpp"
#include "hotspots/render/report_pdf.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct Shell {
  int status = -1;
  std::string out;
};

/// Runs a shell command, its stdout captured.
Shell run(const std::string& command) {
  Shell r;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  r.status = pclose(pipe);
  return r;
}

struct ReportPack {
  testing::ScratchDir dir{"report"};
  std::string path = dir.file("pack");
  nlohmann::json manifest;

  ReportPack() {
    const std::string sample = HOTSPOTS_SAMPLE_DIR;
    PackSpec spec;
    spec.inputs = {sample + "/police_uk"};
    spec.study.boundary_paths = {sample + "/districts.geojson"};
    spec.study.read.from = Date{2024 * 12 + 6, 0, -1};
    spec.study.read.to = Date{2024 * 12 + 11, 0, -1};
    spec.study.read.skip_bad_rows = true;
    spec.zones_path = sample + "/small_areas.geojson";
    spec.population_field = "population";
    spec.groups = {"asb", "violence", "burglary"};
    spec.cell_size_m = 100;
    spec.analysis.kde.radius_m = 250;
    spec.analysis.gistar.permutations = 19;
    PackRunOptions options;
    options.output_dir = path;
    options.command_line = "report_test";
    options.version = "test";
    std::ignore = run_pack(spec, options);
    manifest = nlohmann::json::parse(testing::read_file(path + "/manifest.json"));
  }

  std::vector<nlohmann::json> mapped() const {
    std::vector<nlohmann::json> out;
    for (const auto& g : manifest.at("groups"))
      if (g.at("mapped").get<bool>()) out.push_back(g);
    return out;
  }
};

const ReportPack& pack() {
  static const auto p = std::make_unique<ReportPack>();
  return *p;
}

int pdf_pages(const std::string& pdf) {
  const Shell info = run("pdfinfo '" + pdf + "'");
  std::smatch m;
  if (info.status != 0 || !std::regex_search(info.out, m, std::regex("Pages:\\s+(\\d+)")))
    return -1;
  return std::stoi(m[1]);
}

std::string pdf_page_text(const std::string& pdf, int page) {
  return run(fmt::format("pdftotext -layout -f {0} -l {0} '{1}' -", page, pdf)).out;
}

TEST(ReportPdf, EveryPageCarriesTheLicenceLineAndItsNumberAndRendersAsAnImage) {
  const std::string pdf = pack().path + "/report.pdf";
  const int pages = pdf_pages(pdf);
  // Title page, a page or more per mapped group, methods and caveats.
  ASSERT_GE(pages, 2 + static_cast<int>(pack().mapped().size()));
  testing::ScratchDir png("report_png");
  for (int p = 1; p <= pages; ++p) {
    const std::string text = pdf_page_text(pdf, p);
    EXPECT_THAT(text, HasSubstr("Crown copyright and database right")) << "page " << p;
    EXPECT_THAT(text, HasSubstr(fmt::format("Page {} of {}", p, pages))) << "page " << p;
    const std::string prefix = png.file(fmt::format("page{}", p));
    EXPECT_EQ(run(fmt::format("pdftoppm -r 30 -png -singlefile -f {0} -l {0} '{1}' '{2}'", p, pdf,
                              prefix))
                  .status,
              0)
        << "page " << p;
    EXPECT_GT(fs::file_size(prefix + ".png"), 1000u) << "page " << p;
  }
}

TEST(ReportPdf, TextHoldsTheTitleKeyFiguresEachGroupItsPatrolIdsAndTheCaveats) {
  const std::string pdf = pack().path + "/report.pdf";
  const std::string first = pdf_page_text(pdf, 1);
  EXPECT_THAT(first, HasSubstr("Crime hotspots in"));
  EXPECT_THAT(first, HasSubstr("2024-07 to 2024-12"));
  EXPECT_THAT(first, HasSubstr("Key figures"));
  const std::string all = run("pdftotext '" + pdf + "' -").out;
  for (const auto& g : pack().manifest.at("groups")) {
    // Each group's count of incidents as the manifest records it, in the key figures.
    const auto n = g.at("incidents").get<std::int64_t>();
    EXPECT_THAT(first, HasSubstr(grouped(n))) << g.dump();
  }
  int ids = 0;
  for (const auto& g : pack().mapped()) {
    const std::string csv =
        testing::read_file(pack().path + "/" + g.at("folder").get<std::string>() + "/patrol.csv");
    // The first column of each row of patrol.csv is a place id; each is in the report.
    std::size_t pos = csv.find('\n');
    while (pos != std::string::npos && pos + 1 < csv.size()) {
      const std::string id = csv.substr(pos + 1, csv.find(',', pos + 1) - pos - 1);
      EXPECT_THAT(all, HasSubstr(id));
      ++ids;
      pos = csv.find('\n', pos + 1);
    }
  }
  EXPECT_GT(ids, 0);
  for (const char* words : {"Methods", "Caveats", "snap", "month only", "recording location",
                            "rejects.csv", "Getis-Ord Gi*", "False Discovery Rate"})
    EXPECT_THAT(all, HasSubstr(words));
}

/// The first `n` place ids of a patrol.csv (its first column, after the header).
std::vector<std::string> first_patrol_ids(const std::string& csv_path, std::size_t n) {
  const std::string csv = testing::read_file(csv_path);
  std::vector<std::string> ids;
  for (std::size_t pos = csv.find('\n'); pos != std::string::npos && pos + 1 < csv.size();
       pos = csv.find('\n', pos + 1)) {
    if (ids.size() == n) break;
    ids.push_back(csv.substr(pos + 1, csv.find(',', pos + 1) - pos - 1));
  }
  return ids;
}

TEST(ReportHtml, RefersToNothingOutsideItselfAndEmbedsEveryMapAsItsBytes) {
  const std::string html = testing::read_file(pack().path + "/report.html");
  EXPECT_THAT(html, Not(HasSubstr("http:")));
  EXPECT_THAT(html, Not(HasSubstr("https:")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  // Every src= and href= (std::regex would recurse through megabytes of base64: plain find).
  std::vector<std::string> images;
  for (const std::string attr : {"src=\"", "href=\""})
    for (std::size_t at = html.find(attr); at != std::string::npos; at = html.find(attr, at + 1)) {
      const std::size_t from = at + attr.size();
      const std::string target = html.substr(from, html.find('"', from) - from);
      ASSERT_EQ(target.rfind("data:image/png;base64,", 0), 0u) << target.substr(0, 60);
      images.push_back(target.substr(22));
    }
  // One figure per declared group-scope figure and mapped group, in that order, then the
  // pictures of the group's first kReportPlaces patrol places (patrol.csv's first ids) that
  // exist: "{place}" in a declared file stands for the place's id.
  std::vector<std::string> expected;
  for (const auto& g : pack().mapped()) {
    const std::string folder = pack().path + "/" + g.at("folder").get<std::string>() + "/";
    for (const PackFile& f : pack_figures())
      if (f.scope == ProductScope::group && f.file.find("{place}") == std::string_view::npos)
        expected.push_back(folder + std::string(f.file));
    for (const std::string& id : first_patrol_ids(folder + "patrol.csv", kReportPlaces))
      for (const PackFile& f : pack_figures()) {
        std::string file(f.file);
        const std::size_t at = file.find("{place}");
        if (f.scope != ProductScope::group || at == std::string::npos) continue;
        file.replace(at, 7, id);
        if (fs::exists(folder + file)) expected.push_back(folder + file);
      }
  }
  EXPECT_GT(expected.size(), pack().mapped().size() * 5);
  ASSERT_EQ(images.size(), expected.size());
  for (std::size_t i = 0; i < images.size(); ++i)
    EXPECT_TRUE(images[i] == base64(testing::read_file(expected[i]))) << expected[i];
  EXPECT_THAT(html, HasSubstr(kPoliceUkAttribution));
  EXPECT_THAT(html, HasSubstr("Key figures"));
}

// Issue #12: the first patrol places of each group close up, with the close-up map beside the
// month chart; police.uk data (months only) have no day x hour chart, and the report says so.
TEST(ReportHtml, ThePatrolPlacesCloseUpSitBesideTheirMonthChartAndSayTimesAreNotAvailable) {
  const std::string html = testing::read_file(pack().path + "/report.html");
  EXPECT_THAT(html, HasSubstr("Times of day are not available"));
  EXPECT_THAT(html, Not(HasSubstr("_times.png")));
  for (const auto& g : pack().mapped()) {
    const std::string folder = g.at("folder").get<std::string>();
    const auto ids = first_patrol_ids(pack().path + "/" + folder + "/patrol.csv", kReportPlaces);
    for (const std::string& id : ids) {
      // One row: the close-up, then the month chart, and nothing else in between.
      const std::string map = "alt=\"" + folder + "/places/" + id + ".png\"";
      const std::string months = "alt=\"" + folder + "/places/" + id + "_months.png\"";
      const std::size_t at = html.find(map);
      ASSERT_NE(at, std::string::npos) << map;
      const std::size_t row = html.rfind("<div class=\"figure-row\">", at);
      ASSERT_NE(row, std::string::npos) << map;
      const std::size_t row_end = html.find("</div>", at);
      const std::size_t m = html.find(months, at);
      EXPECT_LT(m, row_end) << months << " is not beside " << map;
      // Adjacent: no other image between the two.
      EXPECT_EQ(html.find("alt=", at + 1), m) << map;
    }
    // Only the first kReportPlaces places are shown close up.
    const auto all = first_patrol_ids(pack().path + "/" + folder + "/patrol.csv", 1000);
    for (std::size_t k = kReportPlaces; k < all.size(); ++k)
      EXPECT_THAT(html, Not(HasSubstr("alt=\"" + folder + "/places/" + all[k] + ".png\"")));
  }
}

TEST(ReportHtml, HeadlessChromiumPrintsItWithTheTitleAndTheLicenceOnEveryPage) {
  // .ci/setup.sh test installs chromium; a machine without it cannot run this check.
  if (!fs::exists("/usr/bin/chromium")) GTEST_SKIP() << "chromium is not installed";
  testing::ScratchDir dir("report_chromium");
  const std::string pdf = dir.file("printed.pdf");
  const std::string png = dir.file("screen.png");
  const std::string common = fmt::format(
      "timeout 120 /usr/bin/chromium --headless=new --no-sandbox --disable-gpu --no-first-run "
      "--disable-extensions --user-data-dir='{}' ",
      dir.file("profile"));
  const std::string url = "file://" + fs::absolute(pack().path + "/report.html").string();
  ASSERT_EQ(
      run(common + fmt::format("--no-pdf-header-footer --print-to-pdf='{}' '{}'", pdf, url)).status,
      0);
  const int pages = pdf_pages(pdf);
  ASSERT_GE(pages, 2 + static_cast<int>(pack().mapped().size()));
  EXPECT_THAT(pdf_page_text(pdf, 1), HasSubstr("Crime hotspots in"));
  for (int p = 1; p <= pages; ++p)
    EXPECT_THAT(pdf_page_text(pdf, p), HasSubstr("Crown copyright")) << "page " << p;
  // The printed pages hold the maps: far more bytes than text alone.
  EXPECT_GT(fs::file_size(pdf), 200000u);
  ASSERT_EQ(
      run(common + fmt::format("--window-size=1280,1600 --screenshot='{}' '{}'", png, url)).status,
      0);
  EXPECT_GT(fs::file_size(png), 50000u);
}

// The pixels of a PNG as cairo decodes it, one 0xRRGGBB per pixel (alpha dropped).
std::vector<std::uint32_t> rgb_pixels(const std::string& path, int* width = nullptr) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
  EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS) << path;
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  std::vector<std::uint32_t> out;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint32_t p = 0;
      std::memcpy(&p, cairo_image_surface_get_data(s) + y * stride + x * 4, 4);
      out.push_back(p & 0xffffffu);
    }
  if (width) *width = w;
  cairo_surface_destroy(s);
  return out;
}

// How many entries of the PDF's cross-reference table point where they should: at "N 0 obj"
// (the table read as ISO 32000-1 7.5.4 lays it out; -1 when there is no table to read).
int xref_entries_pointing_at_their_object(const std::string& pdf, int* entries) {
  const std::size_t startxref = pdf.rfind("startxref\n");
  if (startxref == std::string::npos) return -1;
  const std::size_t xref = std::stoul(pdf.substr(startxref + 10));
  if (pdf.compare(xref, 7, "xref\n0 ") != 0) return -1;
  const std::size_t count = std::stoul(pdf.substr(xref + 7));
  const std::size_t first = pdf.find('\n', xref + 7) + 1;
  int good = 0;
  *entries = static_cast<int>(count) - 1;
  for (std::size_t i = 1; i < count; ++i) {
    const std::size_t offset = std::stoul(pdf.substr(first + 20 * i, 10));
    const std::string head = std::to_string(i) + " 0 obj";
    if (offset < pdf.size() && pdf.compare(offset, head.size(), head) == 0) ++good;
  }
  return good;
}

TEST(ReportPdf, AnRgbMapGoesInAsItsOwnPixelsAndATranslucentImageIsDecodedBesideIt) {
  // An RGB PNG is passed through (its zlib stream becomes the image object, the cross-reference
  // table rewritten); one with alpha is decoded and painted. poppler must read the file without
  // a complaint and extract each image with the PNG's own pixels.
  testing::ScratchDir dir("report_pass_through");
  const auto make = [&](const std::string& name, bool translucent) {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 301, 207);
    cairo_t* cr = cairo_create(s);
    cairo_pattern_t* g = cairo_pattern_create_linear(0, 0, 301, 207);
    cairo_pattern_add_color_stop_rgb(g, 0, 0.9, 0.2, 0.1);
    cairo_pattern_add_color_stop_rgb(g, 1, 0.1, 0.4, 0.9);
    cairo_set_source(cr, g);
    cairo_paint(cr);
    cairo_pattern_destroy(g);
    cairo_set_source_rgba(cr, 0.1, 0.6, 0.2, translucent ? 0.0 : 1.0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_arc(cr, 120, 90, 50, 0, 6.3);
    cairo_fill(cr);
    cairo_destroy(cr);
    const std::string path = dir.file(name);
    EXPECT_EQ(cairo_surface_write_to_png(s, path.c_str()), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return path;
  };
  const std::string rgb = make("rgb.png", false);
  const std::string rgba = make("rgba.png", true);
  ReportDocument doc;
  doc.title = "Pass-through";
  doc.date_iso = "2025-01-01T00:00:00Z";
  for (const std::string& path : {rgb, rgba, rgb}) {  // the same map twice: one image object
    ReportBlock fig;
    fig.kind = ReportBlockKind::figure;
    fig.image_path = path;
    fig.text = path;
    doc.blocks.push_back(fig);
  }
  const std::string pdf = dir.file("report.pdf");
  write_report_pdf(pdf, doc, false);
  const Shell list = run(fmt::format("(pdfimages -list '{}' 2>&1)", pdf));
  EXPECT_THAT(list.out, Not(HasSubstr("rror"))) << list.out;
  // The RGB map (shown twice, one object), and the translucent one with its soft mask.
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 2 + 4) << list.out;
  int entries = 0;
  EXPECT_EQ(xref_entries_pointing_at_their_object(testing::read_file(pdf), &entries), entries);
  EXPECT_GT(entries, 10);
  EXPECT_EQ(run(fmt::format("(pdftoppm -r 40 -png '{}' '{}' 2>&1)", pdf, dir.file("page"))).out,
            "");
  ASSERT_EQ(run(fmt::format("pdfimages -png '{}' '{}'", pdf, dir.file("img"))).status, 0);
  int width = 0;
  EXPECT_TRUE(rgb_pixels(dir.file("img-000.png"), &width) == rgb_pixels(rgb));
  EXPECT_EQ(width, 301);
  EXPECT_TRUE(rgb_pixels(dir.file("img-003.png")) == rgb_pixels(rgb));  // 002: the soft mask
  // The translucent image: cairo's un-premultiplied colours where it is opaque.
  const std::vector<std::uint32_t> decoded = rgb_pixels(dir.file("img-001.png"), &width);
  EXPECT_EQ(width, 301);
  EXPECT_EQ(decoded.size(), rgb_pixels(rgba).size());
  EXPECT_EQ(decoded.at(5), rgb_pixels(rgba).at(5));
}

TEST(Report, AFigureThatCannotBeReadIsAnIoErrorNamingItAndNoPdfIsLeft) {
  testing::ScratchDir dir("report_missing_figure");
  ReportDocument doc;
  doc.title = "t";
  doc.date_iso = "2025-01-01T00:00:00Z";
  ReportBlock fig;
  fig.kind = ReportBlockKind::figure;
  fig.image_path = dir.file("nowhere.png");
  doc.blocks.push_back(fig);
  const std::string pdf = dir.file("report.pdf");
  try {
    write_report_pdf(pdf, doc, false);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr(dir.file("nowhere.png")));
  }
  EXPECT_FALSE(fs::exists(pdf));
  try {
    std::ignore = report_html(doc);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr("nowhere.png: cannot read the image"));
  }
}

TEST(ReportHtml, Base64MatchesRfc4648) {
  // RFC 4648 section 10 test vectors.
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\x00\xfe", 3)), "/wD+");
}

/// The cells of the HTML table row whose first cell is `first`.
std::vector<std::string> html_row(const std::string& html, const std::string& first) {
  std::vector<std::string> cells;
  const std::size_t at = html.find("<tr><td>" + first + "</td>");
  if (at == std::string::npos) return cells;
  const std::size_t end = html.find("</tr>", at);
  for (std::size_t p = html.find("<td", at); p != std::string::npos && p < end;
       p = html.find("<td", p + 1)) {
    const std::size_t open = html.find('>', p) + 1;
    cells.push_back(html.substr(open, html.find("</td>", open) - open));
  }
  return cells;
}

/// Two-sided exact conditional test of equal Poisson rates by brute force: the sum of the
/// Binomial(n, 1/2) probabilities no larger than that of the smaller count (R's binom.test rule),
/// in long double, term by term from lgamma. Independent of change_test_p's algorithm.
double brute_force_change_p(std::int64_t a, std::int64_t b) {
  const std::int64_t n = a + b;
  if (n == 0) return 1.0;
  auto log_pmf = [n](std::int64_t k) {
    return std::lgamma(static_cast<long double>(n) + 1) -
           std::lgamma(static_cast<long double>(k) + 1) -
           std::lgamma(static_cast<long double>(n - k) + 1) -
           static_cast<long double>(n) * std::log(2.0L);
  };
  const long double observed = log_pmf(std::min(a, b));
  long double p = 0;
  for (std::int64_t k = 0; k <= n; ++k)
    if (log_pmf(k) <= observed + 1e-7L) p += std::exp(log_pmf(k));
  return static_cast<double>(std::min(1.0L, p));
}

TEST(ReportHtml, KeyFiguresEqualTheManifestAndAnIndependentChangeTest) {
  const std::string html = testing::read_file(pack().path + "/report.html");
  for (const auto& g : pack().manifest.at("groups")) {
    const auto current = g.at("incidents").get<std::int64_t>();
    const auto previous = g.at("previous_incidents").get<std::int64_t>();
    const std::string title = group_title(g.at("name").get<std::string>());
    const auto cells = html_row(html, title);
    ASSERT_GE(cells.size(), 5u) << title;
    EXPECT_EQ(cells[1], grouped(current));
    EXPECT_EQ(cells[2], grouped(previous));
    EXPECT_EQ(cells[3], fmt::format("{:+.1f}%", 100.0 * static_cast<double>(current - previous) /
                                                    static_cast<double>(previous)));
    const double p = brute_force_change_p(previous, current);
    if (p < 0.001)
      EXPECT_EQ(cells[4], "&lt; 0.001") << title;
    else
      EXPECT_NEAR(std::stod(cells[4]), p, 0.0005 + 1e-9) << title;
  }
}

TEST(Report, WithoutAPreviousPeriodSaysWhyAndShowsNoChange) {
  // The sample starts in 2024-01: a pack of 2024-01..2024-03 has no previous period.
  testing::ScratchDir dir("report_no_previous");
  const std::string sample = HOTSPOTS_SAMPLE_DIR;
  PackSpec spec;
  spec.inputs = {sample + "/police_uk"};
  spec.study.boundary_paths = {sample + "/districts.geojson"};
  spec.study.read.from = Date{2024 * 12 + 0, 0, -1};
  spec.study.read.to = Date{2024 * 12 + 2, 0, -1};
  spec.study.read.skip_bad_rows = true;
  spec.groups = {"asb"};
  spec.cell_size_m = 200;
  spec.analysis.kde.radius_m = 300;
  spec.analysis.gistar.permutations = 9;
  PackRunOptions options;
  options.output_dir = dir.file("pack");
  options.version = "test";
  std::ignore = run_pack(spec, options);
  const std::string html = testing::read_file(dir.file("pack/report.html"));
  EXPECT_THAT(html, HasSubstr("no comparison, because"));
  const auto cells = html_row(html, "Anti-social behaviour");
  ASSERT_GE(cells.size(), 5u);
  EXPECT_EQ(cells[2], "-");
  EXPECT_EQ(cells[3], "-");
  EXPECT_EQ(cells[4], "-");
  // No zones given: the boundary features are the zones; the PDF is still whole.
  EXPECT_GE(pdf_pages(dir.file("pack/report.pdf")), 3);
}

TEST(TablesXlsx, EverySheetEqualsItsCsvCellForCellReadBackByOpenpyxl) {
  const Shell check = run(fmt::format("/usr/bin/python3 '{}/tests/unit/pack/check_xlsx.py' '{}'",
                                      HOTSPOTS_SOURCE_DIR, pack().path));
  EXPECT_EQ(check.status, 0) << check.out;
  // One sheet per CSV table the pack holds (zones, concentration, rejects, each mapped group's
  // patrol places and its change cells and places), counted on disk.
  std::size_t csv_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(pack().path))
    if (entry.is_regular_file() && entry.path().extension() == ".csv") ++csv_files;
  EXPECT_GE(csv_files, 3 + pack().mapped().size());
  EXPECT_THAT(check.out, HasSubstr(fmt::format("checked {} sheets", csv_files)));
}

}  // namespace
}  // namespace hotspots
