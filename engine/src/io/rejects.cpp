// SPDX-License-Identifier: MIT
#include "hotspots/io/rejects.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <string_view>
#include <tuple>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/csv_text.hpp"

namespace hotspots {
namespace {

std::string csv_quote(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Line number -> text for the rows of one CSV file that need fetching.
std::map<std::int64_t, std::string> fetch_lines(const std::string& path,
                                                const std::vector<std::int64_t>& wanted) {
  std::map<std::int64_t, std::string> out;
  VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
  if (!f) return out;
  std::int64_t line = 0;
  std::size_t next = 0;
  while (const char* text = CPLReadLine2L(f, -1, nullptr)) {
    ++line;
    while (next < wanted.size() && wanted[next] < line) ++next;
    if (next == wanted.size()) break;
    if (wanted[next] == line) {
      std::string s = text;
      if (line == 1 && s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
      out[line] = s;
    }
  }
  VSIFCloseL(f);
  return out;
}

}  // namespace

void write_rejects(const std::string& path, const ReadResult& data, bool overwrite,
                   RejectsListing listing) {
  const auto wanted = [&](const RejectedRow& row) {
    switch (row.reason) {
      case RejectReason::filtered_crime_type:
      case RejectReason::filtered_date:
        return listing.filtered;
      case RejectReason::outside_study_area:
        return listing.outside_study_area;
      default:
        return true;
    }
  };
  // Fetch the text of rows rejected after reading, one pass per source file.
  std::map<std::uint32_t, std::vector<std::int64_t>> missing;
  for (const auto& row : data.accounting.rows)
    if (row.text.empty() && wanted(row)) missing[row.source].push_back(row.line);
  std::map<std::uint32_t, std::map<std::int64_t, std::string>> fetched;
  for (auto& [source, lines] : missing) {
    if (data.sources[source].format == "CSV" || data.sources[source].format == kPoliceUkFormat) {
      std::sort(lines.begin(), lines.end());
      fetched[source] = fetch_lines(data.sources[source].path, lines);
    }
  }
  std::vector<const RejectedRow*> rows;
  for (const auto& row : data.accounting.rows)
    if (wanted(row)) rows.push_back(&row);
  std::stable_sort(rows.begin(), rows.end(), [](const RejectedRow* a, const RejectedRow* b) {
    return std::tie(a->source, a->line) < std::tie(b->source, b->line);
  });
  AtomicFile file(path, overwrite);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    if (!out) throw IoError(write_error_text(path, "cannot write"));
    out << kCsvBom << "source_file,line,reason,detail,row\n";
    for (const RejectedRow* row : rows) {
      std::string text = row->text;
      if (text.empty()) {
        auto s = fetched.find(row->source);
        if (s != fetched.end()) {
          auto l = s->second.find(row->line);
          if (l != s->second.end()) text = l->second;
        }
      }
      out << csv_quote(data.sources[row->source].path) << ',' << row->line << ','
          << to_string(row->reason) << ',' << csv_quote(row->detail) << ',' << csv_quote(text)
          << '\n';
    }
    if (!out.flush()) throw IoError(write_error_text(path, "write failed"));
  }
  file.commit();
}

}  // namespace hotspots
