// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/tables_product.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "detail/csv.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/pack/products/product_list.hpp"
#include "hotspots/pack/report_document.hpp"
#include "hotspots/render/map_png.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;

/// Excel's limits: 1,048,576 rows a sheet (one is the header), 31 characters a sheet name.
constexpr std::size_t kMaxDataRows = 1048575;
constexpr std::size_t kMaxSheetName = 31;

/// A CSV cell that is a number as Excel would take it: the whole text parses, it is finite, and
/// it is no code with a leading zero ("0123" stays text).
bool as_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  const std::size_t digits = text[0] == '-' ? 1 : 0;
  if (text.size() > digits + 1 && text[digits] == '0' && text[digits + 1] != '.') return false;
  if (text.find_first_not_of("0123456789.-+eE") != std::string::npos) return false;
  errno = 0;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno == 0 && std::isfinite(value);
}

/// Text Excel's XML takes: valid UTF-8 without control characters (others become '?').
std::string sheet_text(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      out += '?';
      ++i;
      continue;
    }
    if (n == 1 && c < 0x20 && c != '\t')
      out += ' ';
    else
      out.append(s, i, n);
    i += n;
  }
  return out;
}

struct Sheet {
  std::string name;
  std::vector<std::vector<std::string>> rows;  // rows[0] is the header
};

Sheet read_csv_sheet(const std::string& path, std::string name) {
  Sheet sheet{std::move(name), {}};
  const std::string text = pack_io::read_text(path);
  detail::CsvReader reader(text);
  while (reader.next() && sheet.rows.size() <= kMaxDataRows) {
    std::vector<std::string> row;
    for (std::string_view f : reader.fields()) row.push_back(sheet_text(std::string(f)));
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

/// A sheet name Excel accepts, distinct from those taken.
std::string sheet_name(std::string name, std::set<std::string>& taken) {
  for (char& c : name)
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
  if (name.size() > kMaxSheetName) name.resize(kMaxSheetName);
  std::string unique = name;
  for (int k = 2; taken.count(unique) != 0; ++k) {
    const std::string suffix = fmt::format(" {}", k);
    unique = name.substr(0, kMaxSheetName - suffix.size()) + suffix;
  }
  taken.insert(unique);
  return unique;
}

/// Characters Excel shows for a cell, roughly (UTF-8 continuation bytes not counted).
double display_width(const std::string& s) {
  double n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

void check(lxw_error error, const std::string& path, const char* what) {
  if (error != LXW_NO_ERROR) throw IoError(write_error_text(path, what, lxw_strerror(error)));
}

/// Seconds since 1970 of an ISO date "YYYY-MM-DDT..." (UTC), by the civil-from-days algorithm.
time_t epoch_seconds(const std::string& iso) {
  const int y0 = std::atoi(iso.substr(0, 4).c_str());
  const int m = std::atoi(iso.substr(5, 2).c_str());
  const int d = std::atoi(iso.substr(8, 2).c_str());
  const int y = m <= 2 ? y0 - 1 : y0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<time_t>(era * 146097 + doe - 719468) * 86400;
}

/// The workbook's number formats, one per pattern: libxlsxwriter gives a format object its style
/// index only when it is the first with its properties, and looks an equal later one up by
/// hashing all its properties for every cell written with it.
using NumberFormats = std::map<std::string, lxw_format*>;

void write_sheet(lxw_workbook* wb, const Sheet& sheet, lxw_format* header_format,
                 NumberFormats& number_formats, const std::string& path) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  if (ws == nullptr) throw IoError(write_error_text(path, "cannot add sheet " + sheet.name));
  if (sheet.rows.empty()) return;
  const std::size_t ncols = sheet.rows.front().size();
  // Per column: numeric when every non-empty cell is a number; its format shows the CSV's
  // decimals (at most 6), thousands grouped; exponents keep Excel's General format.
  std::vector<bool> numeric(ncols, true);
  std::vector<int> decimals(ncols, 0);
  std::vector<bool> general(ncols, false);
  std::vector<double> widths(ncols, 0);
  for (std::size_t c = 0; c < ncols; ++c) widths[c] = display_width(sheet.rows.front()[c]) + 2;
  for (std::size_t r = 1; r < sheet.rows.size(); ++r)
    for (std::size_t c = 0; c < ncols && c < sheet.rows[r].size(); ++c) {
      const std::string& t = sheet.rows[r][c];
      widths[c] = std::max(widths[c], display_width(t) + 1);
      if (t.empty() || !numeric[c]) continue;
      double v = 0;
      if (!as_number(t, v)) {
        numeric[c] = false;
        continue;
      }
      if (t.find_first_of("eE") != std::string::npos) general[c] = true;
      const auto dot = t.find('.');
      if (dot != std::string::npos)
        decimals[c] = std::max(decimals[c], static_cast<int>(t.size() - dot - 1));
    }
  std::vector<lxw_format*> formats(ncols, nullptr);
  for (std::size_t c = 0; c < ncols; ++c) {
    const std::string& head = sheet.rows.front()[c];
    // Ids, ranks, line numbers and coordinates are not quantities: no thousands separator.
    const bool code = head == "id" || head.ends_with("_id") || head == "rank" ||
                      head.ends_with("_rank") || head == "line" || head.ends_with("_x") ||
                      head.ends_with("_y") || head == "lon" || head == "lat";
    if (!numeric[c] || general[c]) {
      formats[c] = nullptr;
    } else {
      const int d = std::min(decimals[c], 6);
      const std::string pattern =
          fmt::format("{}{}{:0<{}}", code ? "0" : "#,##0", d > 0 ? "." : "", "", d);
      lxw_format*& format = number_formats[pattern];
      if (format == nullptr) {
        format = workbook_add_format(wb);
        format_set_num_format(format, pattern.c_str());
      }
      formats[c] = format;
    }
    const double w = std::clamp(widths[c], 6.0, 60.0);
    check(static_cast<lxw_error>(worksheet_set_column(ws, static_cast<lxw_col_t>(c),
                                                      static_cast<lxw_col_t>(c), w, nullptr)),
          path, "cannot size a column");
  }
  for (std::size_t c = 0; c < ncols; ++c)
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.rows.front()[c].c_str(),
                           header_format);
  for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
    const auto& row = sheet.rows[r];
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string& t = row[c];
      if (t.empty()) continue;
      const auto rr = static_cast<lxw_row_t>(r);
      const auto cc = static_cast<lxw_col_t>(c);
      double v = 0;
      if (c < ncols && numeric[c] && as_number(t, v))
        worksheet_write_number(ws, rr, cc, v, formats[c]);
      else
        worksheet_write_string(ws, rr, cc, t.c_str(), nullptr);
    }
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (ncols > 0)
    worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size() - 1),
                         static_cast<lxw_col_t>(ncols - 1));
}

}  // namespace

void TablesProduct::write(const PackContents& pack, const std::string& dir) {
  const std::string path = pack_io::join(dir, "tables.xlsx");
  std::set<std::string> taken{"About"};
  std::vector<Sheet> sheets;
  std::vector<std::string> about_rows;
  // The pack's tables first (zones, concentration, rejects), then each group's, in list order.
  std::vector<PackFile> tables = pack_tables();
  std::stable_partition(tables.begin(), tables.end(),
                        [](const PackFile& f) { return f.scope == ProductScope::pack; });
  for (const PackFile& f : tables) {
    const std::string stem = fs::path(std::string(f.file)).stem().string();
    if (f.scope == ProductScope::pack) {
      const std::string csv = pack_io::join(dir, std::string(f.file));
      if (!fs::exists(csv)) continue;
      sheets.push_back(read_csv_sheet(csv, sheet_name(stem, taken)));
      about_rows.push_back(std::string(f.file));
    } else {
      for (const GroupResult& r : pack.request.results) {
        if (!r.mapped) continue;
        const std::string csv = pack_io::join(pack_io::join(dir, r.folder), std::string(f.file));
        if (!fs::exists(csv)) continue;
        sheets.push_back(read_csv_sheet(csv, sheet_name(r.folder + " " + stem, taken)));
        about_rows.push_back(r.folder + "/" + std::string(f.file));
      }
    }
  }

  AtomicFile file(path, false);
  lxw_workbook_options options{};
  // Rows go to a temporary file as they are written (each sheet is written row by row), so a
  // large rejects.csv does not hold every cell in memory twice.
  options.constant_memory = LXW_TRUE;
  options.use_zip64 = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(file.temp_path().c_str(), &options);
  if (wb == nullptr) throw IoError(write_error_text(path, "cannot start the workbook"));
  // Frees the workbook if a sheet throws (AtomicFile then removes what it wrote).
  struct Closer {
    lxw_workbook* wb;
    ~Closer() {
      if (wb != nullptr) workbook_close(wb);
    }
  } closer{wb};
  std::string title = fmt::format("Crime hotspots in {}, {}", report_area_name(pack.request),
                                  pack.request.period.label());
  std::string creator = fmt::format("hotspots {}", pack.request.version);
  std::string licence = kPoliceUkAttribution;
  lxw_doc_properties props{};
  // libxlsxwriter's properties are char* it does not modify.
  props.title = title.data();
  props.author = creator.data();
  props.comments = licence.data();
  // A date from the data, not the clock, so a rerun writes the same bytes.
  const PackPeriod& period = pack.request.period;
  const std::int32_t next = period.current.valid() ? period.current.last + 1 : 1970 * 12;
  props.created =
      epoch_seconds(fmt::format("{:04d}-{:02d}-01T00:00:00Z", next / 12, next % 12 + 1));
  workbook_set_properties(wb, &props);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xD9E3EF);
  format_set_bottom(header, LXW_BORDER_THIN);

  lxw_worksheet* about = workbook_add_worksheet(wb, "About");
  worksheet_set_column(about, 0, 0, 24, nullptr);
  worksheet_set_column(about, 1, 1, 90, nullptr);
  worksheet_write_string(about, 0, 0, title.c_str(), bold);
  worksheet_write_string(about, 1, 0, kPoliceUkAttribution, nullptr);
  worksheet_write_string(about, 2, 0,
                         fmt::format("Made by {}; every sheet is a CSV file of the pack, "
                                     "cell for cell.",
                                     creator)
                             .c_str(),
                         nullptr);
  worksheet_write_string(about, 4, 0, "Sheet", header);
  worksheet_write_string(about, 4, 1, "CSV file of the pack", header);
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    worksheet_write_string(about, static_cast<lxw_row_t>(5 + i), 0, sheets[i].name.c_str(),
                           nullptr);
    worksheet_write_string(about, static_cast<lxw_row_t>(5 + i), 1, about_rows[i].c_str(), nullptr);
  }
  NumberFormats number_formats;
  for (const Sheet& s : sheets) write_sheet(wb, s, header, number_formats, path);
  closer.wb = nullptr;
  check(workbook_close(wb), path, "cannot write the workbook");
  file.commit();
}

}  // namespace hotspots
