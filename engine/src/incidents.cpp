// SPDX-License-Identifier: MIT
#include "hotspots/incidents.hpp"

#include <cpl_vsi.h>
#include <fast_float/fast_float.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "detail/csv.hpp"
#include "detail/gdal_util.hpp"
#include "detail/text.hpp"
#include "hotspots/error.hpp"

namespace hotspots {
namespace {

using detail::lower;
using detail::trim;

constexpr std::size_t kExamplesPerReason = 5;

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == suffix;
}

bool parse_number(std::string_view text, double& out) {
  text = trim(text);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  const auto r = fast_float::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() && std::isfinite(out);
}

void record_reject(RowAccounting& acc, RejectReason reason, bool keep_all, RejectedRow&& row) {
  const auto i = static_cast<std::size_t>(reason);
  ++acc.rejected[i];
  if (keep_all || acc.rejected[i] <= static_cast<std::int64_t>(kExamplesPerReason))
    acc.rows.push_back(std::move(row));
}

double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// ---------------------------------------------------------------------------------------------
// Input expansion

struct FileJob {
  std::string path;
  bool csv = false;
};

std::vector<std::string> list_street_csvs_vsi(const std::string& dir) {
  std::vector<std::string> out;
  char** names = VSIReadDirRecursive(dir.c_str());
  for (char** p = names; p && *p; ++p) {
    const std::string name = *p;
    if (ends_with_ci(name, "-street.csv")) out.push_back(dir + "/" + name);
  }
  CSLDestroy(names);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<FileJob> expand_inputs(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<FileJob> jobs;
  for (const auto& input : inputs) {
    const bool vsi = input.rfind("/vsi", 0) == 0;
    if (ends_with_ci(input, ".zip") && !vsi) {
      if (!fs::exists(input)) throw IoError(fmt::format("{}: no such file", input));
      const std::string root = "/vsizip/" + fs::absolute(input).string();
      const auto members = list_street_csvs_vsi(root);
      if (members.empty())
        throw IoError(fmt::format("{}: the zip holds no police.uk *-street.csv file", input));
      for (const auto& m : members) jobs.push_back({m, true});
      continue;
    }
    if (vsi) {
      VSIStatBufL st;
      if (VSIStatL(input.c_str(), &st) != 0) throw IoError(fmt::format("{}: no such file", input));
      if (VSI_ISDIR(st.st_mode)) {
        const auto members = list_street_csvs_vsi(input);
        if (members.empty())
          throw IoError(fmt::format("{}: no police.uk *-street.csv file found", input));
        for (const auto& m : members) jobs.push_back({m, true});
      } else {
        jobs.push_back({input, ends_with_ci(input, ".csv") || ends_with_ci(input, ".txt")});
      }
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(input, ec);
    if (ec || !fs::exists(status))
      throw IoError(fmt::format("{}: no such file or directory", input));
    if (fs::is_directory(status)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && ends_with_ci(it->path().filename().string(), "-street.csv"))
          found.push_back(it->path().string());
      }
      if (ec) throw IoError(fmt::format("{}: cannot list the folder: {}", input, ec.message()));
      if (found.empty())
        throw IoError(fmt::format(
            "{}: no police.uk *-street.csv file found in the folder or its subfolders", input));
      std::sort(found.begin(), found.end());
      for (auto& f : found) jobs.push_back({std::move(f), true});
      continue;
    }
    jobs.push_back({input, ends_with_ci(input, ".csv") || ends_with_ci(input, ".txt") ||
                               ends_with_ci(input, ".tsv")});
  }
  return jobs;
}

// ---------------------------------------------------------------------------------------------
// Shared state while reading

class Reader {
 public:
  explicit Reader(const ReadOptions& options)
      : options_(options), wanted_(expand_crime_types(options.crime_types)) {
    filter_types_ = !wanted_.empty();
    for (const auto& name : options.crime_types) {
      const std::string key = lower(name);
      const bool group = std::any_of(crime_type_groups().begin(), crime_type_groups().end(),
                                     [&](const CrimeTypeGroup& g) { return g.name == key; });
      if (!group) explicit_types_.insert(key);
    }
  }

  void read(const FileJob& job) {
    if (job.csv)
      read_csv(job.path);
    else
      read_ogr(job.path);
  }

  ReadResult finish();

 private:
  struct FileCrs {
    Crs crs;
    Extent valid;  // valid range of coordinates in that CRS
  };

  std::uint32_t add_source(InputSource src) {
    result_.sources.push_back(std::move(src));
    return static_cast<std::uint32_t>(result_.sources.size() - 1);
  }

  FileCrs file_crs(const Crs& crs) {
    FileCrs f{crs, {}};
    if (crs.geographic) {
      f.valid = {-180.0, -90.0, 180.0, 90.0};
    } else {
      f.valid = area_of_use_native(crs);
      // Generous margin: a stray point just beyond the area of use still projects well.
      if (!f.valid.empty())
        f.valid = f.valid.grown(0.25 * std::max(f.valid.width(), f.valid.height()));
    }
    return f;
  }

  std::int32_t category_index(std::string_view name) {
    if (last_category_ >= 0 && result_.incidents.category_names[last_category_] == name)
      return last_category_;
    auto& names = result_.incidents.category_names;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return last_category_ = static_cast<std::int32_t>(i);
    names.emplace_back(name);
    type_counts_.push_back(0);
    type_wanted_.push_back(!filter_types_ ||
                           std::binary_search(wanted_.begin(), wanted_.end(), lower(name)));
    return last_category_ = static_cast<std::int32_t>(names.size() - 1);
  }

  [[noreturn]] void bad_value(const std::string& path, std::int64_t line, const std::string& column,
                              const std::string& message) const {
    throw InputError(path, line, column,
                     message + " (use --skip-bad-rows to reject such rows and go on)");
  }

  void reject(RejectReason reason, std::uint32_t source, std::int64_t line, std::string detail,
              std::string_view text) {
    record_reject(result_.accounting, reason, options_.keep_rejected_rows,
                  RejectedRow{source, line, reason, std::move(detail), std::string(text)});
  }

  // `fixed_crs`: the file's CRS is not --src-crs's to change (police.uk layout).
  void check_plausible(const std::string& path, const FileCrs& fc, bool fixed_crs,
                       std::size_t first, std::int64_t out_of_range, std::int64_t located,
                       const std::vector<double>& bad_x, const std::vector<double>& bad_y);

  void adopt_crs(const FileCrs& fc, std::size_t first, std::uint32_t source);

  void read_csv(const std::string& path);
  void read_ogr(const std::string& path);

  const ReadOptions& options_;
  std::vector<std::string> wanted_;
  std::set<std::string> explicit_types_;
  bool filter_types_ = false;
  ReadResult result_;
  std::vector<std::int64_t> type_counts_;
  std::vector<bool> type_wanted_;
  std::int32_t last_category_ = -1;
  bool have_crs_ = false;
  bool any_time_column_ = false;
  bool any_category_column_ = false;
};

void Reader::adopt_crs(const FileCrs& fc, std::size_t first, std::uint32_t source) {
  Incidents& inc = result_.incidents;
  if (!have_crs_) {
    inc.crs = fc.crs;
    have_crs_ = true;
    return;
  }
  if (inc.crs.wkt == fc.crs.wkt) return;
  // Later inputs in another CRS are brought into the first input's CRS.
  CoordinateTransform ct(fc.crs, inc.crs);
  std::span<double> xs(inc.x.data() + first, inc.x.size() - first);
  std::span<double> ys(inc.y.data() + first, inc.y.size() - first);
  if (ct.transform(xs, ys) == xs.size()) return;
  std::vector<std::uint8_t> keep(inc.size(), 1);
  for (std::size_t i = first; i < inc.size(); ++i) {
    if (std::isnan(inc.x[i])) {
      keep[i] = 0;
      --result_.accounting.used;
      reject(RejectReason::outside_crs_range, source, inc.line[i],
             fmt::format("cannot be transformed from {} to {}", fc.crs.label(), inc.crs.label()),
             "");
    }
  }
  inc.keep_only(keep);
}

void Reader::check_plausible(const std::string& path, const FileCrs& fc, bool fixed_crs,
                             std::size_t first, std::int64_t out_of_range, std::int64_t located,
                             const std::vector<double>& bad_x, const std::vector<double>& bad_y) {
  const Incidents& inc = result_.incidents;
  const std::string crs = fc.crs.label();
  if (located > 0 && out_of_range * 2 > located) {
    const double x = bad_x.empty() ? 0.0 : bad_x.front();
    const double y = bad_y.empty() ? 0.0 : bad_y.front();
    std::string hint;
    if (fc.crs.geographic && std::abs(x) > 1000 && std::abs(y) > 1000 && fixed_crs)
      hint =
          "they look like projected eastings/northings in metres, but a file in police.uk's "
          "layout is always read as longitude/latitude: name its coordinate columns with "
          "--x-field/--y-field and give their CRS with --src-crs (EPSG:27700 for British "
          "National Grid)";
    else if (fc.crs.geographic && std::abs(x) > 1000 && std::abs(y) > 1000)
      hint =
          "they look like projected eastings/northings in metres: give the file's CRS with "
          "--src-crs (EPSG:27700 for British National Grid)";
    else if (fc.crs.geographic && std::abs(x) <= 90 && std::abs(y) <= 180)
      hint =
          "latitude and longitude look swapped: check --x-field (longitude) and --y-field "
          "(latitude)";
    else if (!fc.crs.geographic && std::abs(x) <= 180 && std::abs(y) <= 90)
      hint = fmt::format(
          "they look like longitude/latitude in degrees, not {} metres: use "
          "--src-crs EPSG:4326",
          crs);
    else
      hint = "check --src-crs and the coordinate columns";
    throw CrsError(fmt::format(
        "{}: {} of {} located rows have coordinates outside the valid range of {} (e.g. x = {}, "
        "y = {}); {}",
        path, out_of_range, located, crs, x, y, hint));
  }
  const std::size_t n = inc.size() - first;
  if (n == 0) return;
  std::vector<double> xs(inc.x.begin() + static_cast<std::ptrdiff_t>(first), inc.x.end());
  std::vector<double> ys(inc.y.begin() + static_cast<std::ptrdiff_t>(first), inc.y.end());
  const double mx = median(xs);
  const double my = median(ys);
  if (fc.crs.geographic) {
    if (!in_great_britain(mx, my) && in_great_britain(my, mx))
      throw CrsError(fmt::format(
          "{}: latitude and longitude look swapped: the median point ({:.6f}, {:.6f}) lies "
          "outside Great Britain but ({:.6f}, {:.6f}) lies inside it; check --x-field "
          "(longitude) and --y-field (latitude)",
          path, mx, my, my, mx));
  } else if (std::abs(mx) <= 180 && std::abs(my) <= 90) {
    throw CrsError(fmt::format(
        "{}: coordinates declared as {} look like degrees (median point x = {}, y = {}); use "
        "--src-crs EPSG:4326 if they are longitude/latitude",
        path, crs, mx, my));
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

struct CsvColumns {
  int x = -1, y = -1, time = -1, category = -1, weight = -1;
  bool police_uk = false;
  bool month_only = false;  // police.uk's Month column
};

void Reader::read_csv(const std::string& path) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  GByte* raw = nullptr;
  vsi_l_offset size = 0;
  if (!VSIIngestFile(nullptr, path.c_str(), &raw, &size, -1))
    throw IoError(fmt::format("{}: cannot read: {}", path, errors.message("open failed")));
  std::unique_ptr<GByte, decltype(&VSIFree)> holder(raw, &VSIFree);
  const std::string_view buffer(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(size));
  if (buffer.substr(0, 4096).find('\0') != std::string_view::npos)
    throw InputError(path, 0, "", "not a text CSV file (it holds binary data)");

  // Delimiter: the most frequent of , ; tab on the header line.
  const std::string_view first_line = buffer.substr(0, buffer.find('\n'));
  char delimiter = ',';
  std::size_t best =
      static_cast<std::size_t>(std::count(first_line.begin(), first_line.end(), ','));
  for (char d : {';', '\t'}) {
    const auto c = static_cast<std::size_t>(std::count(first_line.begin(), first_line.end(), d));
    if (c > best) best = c, delimiter = d;
  }
  detail::CsvReader csv(buffer, delimiter);
  if (!csv.next()) throw InputError(path, 1, "", "the file is empty (no header row)");
  std::vector<std::string> header;
  for (auto f : csv.fields()) header.emplace_back(trim(f));
  const std::string columns_found = fmt::format("{}", fmt::join(header, ", "));
  auto find = [&](std::string_view name) -> int {
    const std::string key = lower(trim(name));
    for (std::size_t i = 0; i < header.size(); ++i)
      if (lower(header[i]) == key) return static_cast<int>(i);
    return -1;
  };
  auto require = [&](const std::string& name, const char* option) -> int {
    const int i = find(name);
    if (i < 0)
      throw InputError(
          path, 1, name,
          fmt::format("no such column (named by {}); columns found: {}", option, columns_found));
    return i;
  };

  CsvColumns col;
  InputSource src;
  src.path = path;
  col.police_uk = find("Crime ID") >= 0 && find("Month") >= 0 && find("Longitude") >= 0 &&
                  find("Latitude") >= 0 && find("Crime type") >= 0;
  std::string default_crs = "EPSG:4326";
  if (col.police_uk && options_.x_field.empty() && options_.y_field.empty()) {
    src.format = "police.uk street CSV";
    col.x = find("Longitude");
    col.y = find("Latitude");
    src.x_field = "Longitude";
    src.y_field = "Latitude";
  } else {
    src.format = "CSV";
    if (!options_.x_field.empty() || !options_.y_field.empty()) {
      if (options_.x_field.empty() || options_.y_field.empty())
        throw InvalidArgument("--x-field and --y-field go together: give both");
      col.x = require(options_.x_field, "--x-field");
      col.y = require(options_.y_field, "--y-field");
      src.x_field = header[col.x];
      src.y_field = header[col.y];
      if (lower(src.x_field).find("east") != std::string::npos) default_crs = "EPSG:27700";
    } else {
      static const std::pair<const char*, const char*> kPairs[] = {{"Longitude", "Latitude"},
                                                                   {"lon", "lat"},
                                                                   {"long", "lat"},
                                                                   {"lng", "lat"},
                                                                   {"Easting", "Northing"},
                                                                   {"Eastings", "Northings"},
                                                                   {"x", "y"},
                                                                   {"x_coord", "y_coord"},
                                                                   {"point_x", "point_y"}};
      for (const auto& [xn, yn] : kPairs) {
        if (find(xn) >= 0 && find(yn) >= 0) {
          col.x = find(xn);
          col.y = find(yn);
          src.fields_auto_detected = true;
          if (lower(xn).find("east") != std::string::npos) default_crs = "EPSG:27700";
          break;
        }
      }
      if (col.x < 0)
        throw InputError(path, 1, "",
                         fmt::format("no coordinate columns found (looked for Longitude/Latitude, "
                                     "lon/lat, Easting/Northing, X/Y); name them with --x-field "
                                     "and --y-field; columns found: {}",
                                     columns_found));
      src.x_field = header[col.x];
      src.y_field = header[col.y];
    }
  }
  if (col.police_uk) {
    col.time =
        options_.time_field.empty() ? find("Month") : require(options_.time_field, "--time-field");
    col.month_only = options_.time_field.empty();
    col.category = options_.category_field.empty()
                       ? find("Crime type")
                       : require(options_.category_field, "--category-field");
  } else {
    if (!options_.time_field.empty()) col.time = require(options_.time_field, "--time-field");
    if (!options_.category_field.empty())
      col.category = require(options_.category_field, "--category-field");
  }
  if (!options_.weight_field.empty()) col.weight = require(options_.weight_field, "--weight-field");
  if (filter_types_ && col.category < 0)
    throw InvalidArgument(fmt::format(
        "--crime-type needs a category column in {}: name it with --category-field (columns "
        "found: {})",
        path, columns_found));
  if ((options_.from || options_.to) && col.time < 0)
    throw InvalidArgument(fmt::format(
        "--from/--to need a date column in {}: name it with --time-field (columns found: {})", path,
        columns_found));
  any_time_column_ |= col.time >= 0;
  any_category_column_ |= col.category >= 0;

  // police.uk publishes WGS84 only, so --src-crs (meant for the user's own exports) never
  // applies to its files, even when both kinds are read in one run.
  const bool police_layout = src.format == "police.uk street CSV";
  const Crs crs = crs_from_user_text(police_layout || options_.src_crs.empty() ? default_crs
                                                                               : options_.src_crs);
  const FileCrs fc = file_crs(crs);
  src.crs = crs.label();
  const std::uint32_t source = add_source(src);

  Incidents& inc = result_.incidents;
  RowAccounting& acc = result_.accounting;
  const std::size_t first = inc.size();
  const int needed = std::max({col.x, col.y, col.time, col.category, col.weight}) + 1;
  std::int64_t located = 0;
  std::int64_t out_of_range = 0;
  std::vector<double> bad_x;
  std::vector<double> bad_y;
  std::int64_t rows = 0;

  {
    // Reserve from the line count of the first megabyte: growing seven columns by doubling
    // costs more in page faults than the parsing itself.
    const std::string_view head = buffer.substr(0, 1 << 20);
    const auto lines = static_cast<double>(std::count(head.begin(), head.end(), '\n'));
    const double estimate = lines * static_cast<double>(buffer.size()) /
                            static_cast<double>(std::max<std::size_t>(head.size(), 1));
    const std::size_t want = inc.size() + static_cast<std::size_t>(estimate * 1.02) + 16;
    inc.x.reserve(want);
    inc.y.reserve(want);
    inc.weight.reserve(want);
    inc.date.reserve(want);
    inc.category.reserve(want);
    inc.source.reserve(want);
    inc.line.reserve(want);
  }
  while (csv.next()) {
    ++rows;
    ++acc.read;
    const auto& f = csv.fields();
    const std::int64_t line = csv.line();
    if (static_cast<int>(f.size()) < needed) {
      const std::string msg =
          fmt::format("the row has {} fields, the header {}", f.size(), header.size());
      if (!options_.skip_bad_rows) bad_value(path, line, "", msg);
      reject(RejectReason::unparsable_value, source, line, msg, csv.record());
      continue;
    }
    std::int32_t category = -1;
    if (col.category >= 0) {
      category = category_index(trim(f[col.category]));
      ++type_counts_[category];
      if (!type_wanted_[category]) {
        reject(RejectReason::filtered_crime_type, source, line,
               fmt::format("crime type '{}'", inc.category_names[category]), csv.record());
        continue;
      }
    }
    Date date;
    if (col.time >= 0) {
      const std::string_view text = trim(f[col.time]);
      if (!text.empty()) {
        bool ok = false;
        if (col.month_only) {
          date.month_index = parse_year_month(text);
          ok = date.month_index >= 0;
        } else if (auto d = parse_date(text)) {
          date = *d;
          ok = true;
        }
        if (!ok) {
          const std::string msg = fmt::format(
              "'{}' is not a date (expected YYYY-MM, YYYY-MM-DD, "
              "YYYY-MM-DDTHH:MM or DD/MM/YYYY [HH:MM])",
              text);
          if (!options_.skip_bad_rows) bad_value(path, line, header[col.time], msg);
          reject(RejectReason::unparsable_value, source, line,
                 fmt::format("column '{}': {}", header[col.time], msg), csv.record());
          continue;
        }
      }
      if (!date_within(date, options_.from, options_.to)) {
        reject(RejectReason::filtered_date, source, line,
               date.has_month() ? fmt::format("date {}", date.to_string()) : "no date",
               csv.record());
        continue;
      }
    }
    const std::string_view xt = trim(f[col.x]);
    const std::string_view yt = trim(f[col.y]);
    if (xt.empty() || yt.empty()) {
      reject(RejectReason::no_coordinates, source, line, "no coordinates", csv.record());
      continue;
    }
    double x = 0;
    double y = 0;
    for (auto [text, value, name] :
         {std::tuple{xt, &x, &header[col.x]}, std::tuple{yt, &y, &header[col.y]}}) {
      if (!parse_number(text, *value)) {
        const std::string msg = fmt::format("'{}' is not a number", text);
        if (!options_.skip_bad_rows) bad_value(path, line, *name, msg);
        reject(RejectReason::unparsable_value, source, line,
               fmt::format("column '{}': {}", *name, msg), csv.record());
        x = std::numeric_limits<double>::quiet_NaN();
        break;
      }
    }
    if (std::isnan(x)) continue;
    double w = 1.0;
    if (col.weight >= 0) {
      const std::string_view wt = trim(f[col.weight]);
      if (!parse_number(wt, w) || w < 0) {
        const std::string msg = fmt::format("'{}' is not a non-negative number", wt);
        if (!options_.skip_bad_rows) bad_value(path, line, header[col.weight], msg);
        reject(RejectReason::unparsable_value, source, line,
               fmt::format("column '{}': {}", header[col.weight], msg), csv.record());
        continue;
      }
    }
    ++located;
    if (!fc.valid.empty() && !fc.valid.contains(x, y)) {
      ++out_of_range;
      if (bad_x.size() < 3) bad_x.push_back(x), bad_y.push_back(y);
      reject(RejectReason::outside_crs_range, source, line,
             fmt::format("({}, {}) is outside the valid range of {}", xt, yt, crs.label()),
             csv.record());
      continue;
    }
    inc.append(x, y, w, date, category, source, line);
    ++acc.used;
  }
  if (csv.unterminated_quote())
    throw InputError(path, csv.line(), "",
                     "a quoted field is not closed before the end of the file");
  result_.sources[source].rows = rows;
  check_plausible(path, fc, police_layout, first, out_of_range, located, bad_x, bad_y);
  adopt_crs(fc, first, source);
}

// ---------------------------------------------------------------------------------------------
// OGR point layers

void Reader::read_ogr(const std::string& path) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  GDALDatasetH ds =
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) {
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) == 0)
      throw InputError(path, 0, "",
                       "unknown format: not a CSV (.csv) and not a vector format GDAL can read");
    throw IoError(fmt::format("{}: cannot open: {}", path, errors.message("no such file")));
  }
  std::unique_ptr<void, decltype(&GDALClose)> ds_holder(ds, &GDALClose);
  OGRLayerH layer = nullptr;
  if (!options_.layer.empty()) {
    layer = GDALDatasetGetLayerByName(ds, options_.layer.c_str());
    if (!layer) {
      std::vector<std::string> names;
      for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i)
        names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
      throw InputError(
          path, 0, "",
          fmt::format("no layer '{}'; layers: {}", options_.layer, fmt::join(names, ", ")));
    }
  } else if (GDALDatasetGetLayerCount(ds) > 0) {
    layer = GDALDatasetGetLayer(ds, 0);
  }
  if (!layer) throw InputError(path, 0, "", "the file holds no vector layer");

  InputSource src;
  src.path = path;
  src.format = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
  Crs crs;
  if (!options_.src_crs.empty()) {
    crs = crs_from_user_text(options_.src_crs);
  } else {
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    if (!srs)
      throw CrsError(fmt::format("{}: the layer '{}' has no CRS; set it with --src-crs", path,
                                 OGR_L_GetName(layer)));
    char* wkt = nullptr;
    OSRExportToWkt(srs, &wkt);
    crs = crs_from_user_text(wkt ? wkt : "");
    CPLFree(wkt);
  }
  const FileCrs fc = file_crs(crs);
  src.crs = crs.label();

  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  std::vector<std::string> names;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    names.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
  auto require = [&](const std::string& name, const char* option) -> int {
    const int i = OGR_FD_GetFieldIndex(defn, name.c_str());
    if (i < 0)
      throw InputError(path, 0, name,
                       fmt::format("no such field (named by {}); fields found: {}", option,
                                   fmt::join(names, ", ")));
    return i;
  };
  const int time_i =
      options_.time_field.empty() ? -1 : require(options_.time_field, "--time-field");
  const int cat_i =
      options_.category_field.empty() ? -1 : require(options_.category_field, "--category-field");
  const int weight_i =
      options_.weight_field.empty() ? -1 : require(options_.weight_field, "--weight-field");
  if (filter_types_ && cat_i < 0)
    throw InvalidArgument(
        fmt::format("--crime-type needs a category field in {}: name it with "
                    "--category-field (fields found: {})",
                    path, fmt::join(names, ", ")));
  if ((options_.from || options_.to) && time_i < 0)
    throw InvalidArgument(
        fmt::format("--from/--to need a date field in {}: name it with "
                    "--time-field (fields found: {})",
                    path, fmt::join(names, ", ")));
  any_time_column_ |= time_i >= 0;
  any_category_column_ |= cat_i >= 0;
  const std::uint32_t source = add_source(src);

  Incidents& inc = result_.incidents;
  RowAccounting& acc = result_.accounting;
  const std::size_t first = inc.size();
  std::int64_t located = 0;
  std::int64_t out_of_range = 0;
  std::vector<double> bad_x;
  std::vector<double> bad_y;
  std::int64_t rows = 0;
  OGR_L_ResetReading(layer);
  auto feature_text = [&](OGRFeatureH f) {
    std::string text = fmt::format("fid={}", OGR_F_GetFID(f));
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
      text += fmt::format(";{}={}", names[i], OGR_F_GetFieldAsString(f, i));
    return text;
  };
  while (OGRFeatureH raw_feature = OGR_L_GetNextFeature(layer)) {
    std::unique_ptr<void, decltype(&OGR_F_Destroy)> feature(raw_feature, &OGR_F_Destroy);
    ++rows;
    ++acc.read;
    const std::int64_t fid = OGR_F_GetFID(raw_feature);
    std::int32_t category = -1;
    if (cat_i >= 0) {
      category = category_index(trim(OGR_F_GetFieldAsString(raw_feature, cat_i)));
      ++type_counts_[category];
      if (!type_wanted_[category]) {
        reject(RejectReason::filtered_crime_type, source, fid,
               fmt::format("crime type '{}'", inc.category_names[category]),
               feature_text(raw_feature));
        continue;
      }
    }
    Date date;
    if (time_i >= 0 && OGR_F_IsFieldSetAndNotNull(raw_feature, time_i)) {
      const auto d = parse_date(OGR_F_GetFieldAsString(raw_feature, time_i));
      if (!d) {
        const std::string msg =
            fmt::format("'{}' is not a date", OGR_F_GetFieldAsString(raw_feature, time_i));
        if (!options_.skip_bad_rows)
          bad_value(path, fid, options_.time_field, msg + " (feature id)");
        reject(RejectReason::unparsable_value, source, fid, msg, feature_text(raw_feature));
        continue;
      }
      date = *d;
    }
    if (time_i >= 0 && !date_within(date, options_.from, options_.to)) {
      reject(RejectReason::filtered_date, source, fid, fmt::format("date {}", date.to_string()),
             feature_text(raw_feature));
      continue;
    }
    OGRGeometryH geom = OGR_F_GetGeometryRef(raw_feature);
    if (!geom || OGR_G_IsEmpty(geom)) {
      reject(RejectReason::no_coordinates, source, fid, "no geometry", feature_text(raw_feature));
      continue;
    }
    if (wkbFlatten(OGR_G_GetGeometryType(geom)) != wkbPoint) {
      const std::string msg =
          fmt::format("geometry is a {}, not a point", OGR_G_GetGeometryName(geom));
      if (!options_.skip_bad_rows) bad_value(path, fid, "geometry", msg + " (feature id)");
      reject(RejectReason::unparsable_value, source, fid, msg, feature_text(raw_feature));
      continue;
    }
    const double x = OGR_G_GetX(geom, 0);
    const double y = OGR_G_GetY(geom, 0);
    double w = 1.0;
    if (weight_i >= 0) {
      w = OGR_F_GetFieldAsDouble(raw_feature, weight_i);
      if (!OGR_F_IsFieldSetAndNotNull(raw_feature, weight_i) || !(w >= 0) || !std::isfinite(w)) {
        const std::string msg = fmt::format("weight '{}' is not a non-negative number",
                                            OGR_F_GetFieldAsString(raw_feature, weight_i));
        if (!options_.skip_bad_rows)
          bad_value(path, fid, options_.weight_field, msg + " (feature id)");
        reject(RejectReason::unparsable_value, source, fid, msg, feature_text(raw_feature));
        continue;
      }
    }
    ++located;
    if (!std::isfinite(x) || !std::isfinite(y) || (!fc.valid.empty() && !fc.valid.contains(x, y))) {
      ++out_of_range;
      if (bad_x.size() < 3) bad_x.push_back(x), bad_y.push_back(y);
      reject(RejectReason::outside_crs_range, source, fid,
             fmt::format("({}, {}) is outside the valid range of {}", x, y, crs.label()),
             feature_text(raw_feature));
      continue;
    }
    inc.append(x, y, w, date, category, source, fid);
    ++acc.used;
  }
  result_.sources[source].rows = rows;
  check_plausible(path, fc, false, first, out_of_range, located, bad_x, bad_y);
  adopt_crs(fc, first, source);
}

ReadResult Reader::finish() {
  ReadResult& r = result_;
  const auto& names = r.incidents.category_names;
  std::vector<std::pair<std::string, std::int64_t>> present;
  for (std::size_t i = 0; i < names.size(); ++i) present.emplace_back(names[i], type_counts_[i]);
  std::sort(present.begin(), present.end());
  r.types_present = present;
  auto present_list = [&] {
    std::vector<std::string> s;
    for (const auto& [name, count] : present) s.push_back(fmt::format("{} ({})", name, count));
    return fmt::format("{}", fmt::join(s, ", "));
  };
  for (const auto& wanted : explicit_types_) {
    const bool found = std::any_of(names.begin(), names.end(),
                                   [&](const std::string& n) { return lower(n) == wanted; });
    if (!found)
      throw Error(fmt::format("--crime-type '{}' matches no incident; crime types present: {}",
                              wanted, present_list()));
  }
  const RowAccounting& acc = r.accounting;
  const std::int64_t by_type = acc.rejected_for(RejectReason::filtered_crime_type);
  const std::int64_t by_date = acc.rejected_for(RejectReason::filtered_date);
  if (acc.used == 0 && acc.read > 0 && by_type + by_date > 0) {
    // The filters emptied the selection, alone or together with rows that cannot be placed
    // (which would otherwise surface later as a puzzling "no located incidents").
    const std::int64_t kept = acc.read - by_type - by_date;
    const std::string what =
        kept > 0 ? fmt::format("no incident with coordinates ({} row{} kept, none usable)", kept,
                               kept == 1 ? "" : "s")
                 : "no incident";
    const std::string range =
        fmt::format("--from/--to ({} to {})", options_.from ? options_.from->to_string() : "start",
                    options_.to ? options_.to->to_string() : "end");
    const std::string types = fmt::format("--crime-type {}", fmt::join(options_.crime_types, ","));
    if (by_date == 0)
      throw Error(
          fmt::format("{} leaves {}; crime types present: {}", types, what, present_list()));
    if (by_type == 0) throw Error(fmt::format("{} leave {}", range, what));
    throw Error(fmt::format("{} with {} leave {}; crime types present: {}", types, range, what,
                            present_list()));
  }
  return std::move(result_);
}

}  // namespace

std::string_view to_string(RejectReason reason) {
  switch (reason) {
    case RejectReason::filtered_crime_type:
      return "filtered_crime_type";
    case RejectReason::filtered_date:
      return "filtered_date";
    case RejectReason::no_coordinates:
      return "no_coordinates";
    case RejectReason::unparsable_value:
      return "unparsable_value";
    case RejectReason::outside_crs_range:
      return "outside_crs_range";
    case RejectReason::outside_study_area:
      return "outside_study_area";
  }
  return "unknown";
}

std::int64_t RowAccounting::rejected_total() const {
  std::int64_t t = 0;
  for (auto v : rejected) t += v;
  return t;
}

void Incidents::keep_only(const std::vector<std::uint8_t>& keep) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    if (!keep[i]) continue;
    x[out] = x[i];
    y[out] = y[i];
    weight[out] = weight[i];
    date[out] = date[i];
    category[out] = category[i];
    source[out] = source[i];
    line[out] = line[i];
    ++out;
  }
  x.resize(out);
  y.resize(out);
  weight.resize(out);
  date.resize(out);
  category.resize(out);
  source.resize(out);
  line.resize(out);
}

std::size_t Incidents::distinct_locations() const {
  std::vector<std::pair<double, double>> xy(size());
  for (std::size_t i = 0; i < size(); ++i) xy[i] = {x[i], y[i]};
  std::sort(xy.begin(), xy.end());
  return static_cast<std::size_t>(std::unique(xy.begin(), xy.end()) - xy.begin());
}

ReadResult read_incidents(const std::vector<std::string>& inputs, const ReadOptions& options) {
  if (inputs.empty()) throw InvalidArgument("no input given");
  if (options.from && options.to && !date_within(*options.from, std::nullopt, options.to))
    throw InvalidArgument("--to is before --from");
  Reader reader(options);
  for (const auto& job : expand_inputs(inputs)) reader.read(job);
  return reader.finish();
}

Point median_lonlat(const Incidents& incidents) {
  // The coordinate-wise median in the source CRS, then that one point to lon/lat: transforming
  // every incident would cost more than reading them.
  double x = median(incidents.x);
  double y = median(incidents.y);
  if (!incidents.crs.geographic && !incidents.crs.empty() && !std::isnan(x)) {
    CoordinateTransform to_lonlat(incidents.crs, crs_from_epsg(4326));
    to_lonlat.transform(std::span<double>(&x, 1), std::span<double>(&y, 1));
  }
  return {x, y};
}

void project_incidents(Incidents& incidents, const Crs& to, RowAccounting& accounting,
                       bool keep_rejected_rows) {
  CoordinateTransform ct(incidents.crs, to);
  const Crs from = incidents.crs;
  incidents.crs = to;
  if (ct.is_identity()) return;
  if (ct.transform(incidents.x, incidents.y) == incidents.size()) return;
  std::vector<std::uint8_t> keep(incidents.size(), 1);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    if (!std::isnan(incidents.x[i])) continue;
    keep[i] = 0;
    --accounting.used;
    record_reject(
        accounting, RejectReason::outside_crs_range, keep_rejected_rows,
        RejectedRow{incidents.source[i], incidents.line[i], RejectReason::outside_crs_range,
                    fmt::format("cannot be transformed from {} to {}", from.label(), to.label()),
                    ""});
  }
  incidents.keep_only(keep);
}

void reject_outside(Incidents& incidents, const std::vector<std::uint8_t>& inside,
                    RowAccounting& accounting, bool keep_rejected_rows) {
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    if (inside[i]) continue;
    --accounting.used;
    record_reject(
        accounting, RejectReason::outside_study_area, keep_rejected_rows,
        RejectedRow{incidents.source[i], incidents.line[i], RejectReason::outside_study_area,
                    fmt::format("({:.1f}, {:.1f}) {} is outside the study area", incidents.x[i],
                                incidents.y[i], incidents.crs.label()),
                    ""});
  }
  incidents.keep_only(inside);
}

void reject_incidents(Incidents& incidents, const std::vector<std::uint8_t>& keep,
                      RejectReason reason, std::string_view detail, RowAccounting& accounting,
                      bool keep_rejected_rows) {
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    if (keep[i]) continue;
    --accounting.used;
    record_reject(
        accounting, reason, keep_rejected_rows,
        RejectedRow{incidents.source[i], incidents.line[i], reason, std::string(detail), ""});
  }
  incidents.keep_only(keep);
}

}  // namespace hotspots
