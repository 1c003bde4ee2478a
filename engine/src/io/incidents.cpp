// SPDX-License-Identifier: MIT
#include "hotspots/io/incidents.hpp"

#include <cpl_vsi.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "detail/csv.hpp"
#include "detail/decimal.hpp"
#include "detail/gdal_util.hpp"
#include "detail/huge_pages.hpp"
#include "detail/mapped_file.hpp"
#include "detail/text.hpp"
#include "detail/text_decode.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/forces.hpp"
#include "hotspots/io/path_guard.hpp"

namespace hotspots {
namespace {

using detail::lower;
using detail::trim;

constexpr std::size_t kExamplesPerReason = 5;
// Bytes of user text (a header, a value) quoted in a message.
constexpr std::size_t kMessageExcerpt = 200;
// What parse_date accepts, for the message when it does not (Excel's "1/3/2022 9:05" is none).
constexpr const char* kDateFormats =
    "expected YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], YYYY-MM-DD HH:MM[:SS] or "
    "DD/MM/YYYY [HH:MM[:SS]] with two-digit day and month; a spreadsheet's dates can be saved "
    "in one of these with the cell format yyyy-mm-dd hh:mm";

using detail::excerpt;

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == suffix;
}

bool parse_number(std::string_view text, double& out) {
  return detail::parse_finite_double(trim(text), out);
}

void record_reject(RowAccounting& acc, RejectReason reason, bool keep_all, RejectedRow&& row) {
  const auto i = static_cast<std::size_t>(reason);
  ++acc.rejected[i];
  if (keep_all || acc.rejected[i] <= static_cast<std::int64_t>(kExamplesPerReason))
    acc.rows.push_back(std::move(row));
}

/// A hash of a location's coordinate bits (a splitmix-style finaliser), for the open-addressing
/// tables that find distinct locations.
std::uint64_t location_hash(std::uint64_t x_bits, std::uint64_t y_bits) {
  std::uint64_t h = x_bits * 0x9E3779B97F4A7C15ULL ^ (y_bits + 0x632BE59BD9B4E019ULL);
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 32;
  return h;
}

/// Transforms points in place as CoordinateTransform::transform does, but each distinct (x, y)
/// once: police.uk snaps incidents to map points (21,203 distinct points for 294,375
/// Leicestershire incidents), and the datum shift to British National Grid cost more than
/// parsing. Each point's result is the one transforming it alone gives (bit for bit).
std::size_t transform_distinct(const CoordinateTransform& ct, std::span<double> x,
                               std::span<double> y) {
  const std::size_t n = x.size();
  if (ct.is_identity() || n < 1024 || n >= std::numeric_limits<std::uint32_t>::max())
    return ct.transform(x, y);
  const auto bits = [](double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    return u;
  };
  std::size_t capacity = 1024;
  while (capacity < 2 * n) capacity *= 2;
  constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> table(capacity, kEmpty);  // index into ux/uy
  std::vector<std::uint32_t> which(n);
  std::vector<double> ux;
  std::vector<double> uy;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t a = bits(x[i]);
    const std::uint64_t b = bits(y[i]);
    const std::uint64_t h = location_hash(a, b);
    for (std::size_t slot = h & (capacity - 1);; slot = (slot + 1) & (capacity - 1)) {
      const std::uint32_t u = table[slot];
      if (u == kEmpty) {
        table[slot] = which[i] = static_cast<std::uint32_t>(ux.size());
        ux.push_back(x[i]);
        uy.push_back(y[i]);
        break;
      }
      if (bits(ux[u]) == a && bits(uy[u]) == b) {
        which[i] = u;
        break;
      }
    }
  }
  table = {};
  // Most inputs are distinct (generic CSVs of unsnapped points): transform them directly.
  if (ux.size() * 4 > n * 3) return ct.transform(x, y);
  ct.transform(ux, uy);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = ux[which[i]];
    y[i] = uy[which[i]];
    if (!std::isnan(x[i])) ++ok;
  }
  return ok;
}

/// The value std::nth_element puts at index size/2 of a copy of `v` (NaN when empty), found
/// without copying and reordering all of `v`: one pass for the range, one counting the values of
/// each of 4096 equal buckets of it (a bucket's values are all smaller than the next bucket's:
/// v ↦ ⌊(v − min)·scale⌋ never decreases), and nth_element over the one bucket that holds the
/// median. Values that are not all finite take the copy, as before. The bucket pass is ~4x
/// faster than copying 1M coordinates and selecting among them, and the result is the same.
double median(std::span<const double> v) {
  const std::size_t n = v.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t k = n / 2;
  // The range in four lanes that the compiler keeps in vector registers (one min and one max
  // chain per lane instead of one over all values: ~3x faster); d < lo ? d : lo is
  // std::min(lo, d). Zeros of either sign give the same buckets, and NaN values the copy.
  double lo = v[0];
  double hi = v[0];
  bool finite = true;
  {
    double los[4] = {lo, lo, lo, lo};
    double his[4] = {hi, hi, hi, hi};
    std::uint64_t nans[4] = {0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      for (std::size_t j = 0; j < 4; ++j) {
        const double d = v[i + j];
        los[j] = d < los[j] ? d : los[j];
        his[j] = his[j] < d ? d : his[j];
        nans[j] += d != d;
      }
    }
    for (; i < n; ++i) {
      const double d = v[i];
      los[0] = d < los[0] ? d : los[0];
      his[0] = his[0] < d ? d : his[0];
      nans[0] += d != d;
    }
    for (std::size_t j = 0; j < 4; ++j) lo = std::min(lo, los[j]), hi = std::max(hi, his[j]);
    finite = nans[0] + nans[1] + nans[2] + nans[3] == 0 && std::isfinite(lo) && std::isfinite(hi);
  }
  if (!finite) {
    std::vector<double> copy(v.begin(), v.end());
    const auto mid = copy.begin() + static_cast<std::ptrdiff_t>(k);
    std::nth_element(copy.begin(), mid, copy.end());
    return *mid;
  }
  if (lo == hi) return lo;
  constexpr std::size_t kBuckets = 4096;
  const double scale = static_cast<double>(kBuckets) / (hi - lo);
  if (!std::isfinite(hi - lo) || !std::isfinite(scale) || !(scale > 0)) {
    // A range too wide or too narrow to divide: select in a copy.
    std::vector<double> copy(v.begin(), v.end());
    const auto mid = copy.begin() + static_cast<std::ptrdiff_t>(k);
    std::nth_element(copy.begin(), mid, copy.end());
    return *mid;
  }
  const auto bucket = [&](double d) {
    return std::min(kBuckets - 1, static_cast<std::size_t>((d - lo) * scale));
  };
  std::vector<std::size_t> counts(kBuckets, 0);
  for (const double d : v) ++counts[bucket(d)];
  std::size_t below = 0;  // values in the buckets before `b`
  std::size_t b = 0;
  while (below + counts[b] <= k) below += counts[b++];
  std::vector<double> in;
  in.reserve(counts[b]);
  for (const double d : v)
    if (bucket(d) == b) in.push_back(d);
  const auto mid = in.begin() + static_cast<std::ptrdiff_t>(k - below);
  std::nth_element(in.begin(), mid, in.end());
  return *mid;
}

/// Whether the value median(v) returns (the k-th smallest, k = size/2) lies outside [lo, hi],
/// found by counting instead of selecting: it is below lo when more than k values are, and
/// above hi when at most k values are not. False (unknown: take the median) for an empty `v` or
/// values that are not all finite. One pass of comparisons instead of median's two or three.
/// Degrees end here: a projected file whose median x lies beyond ±180 cannot be in degrees.
constexpr double kDegreesLimit = 180.0;

bool median_outside(std::span<const double> v, double lo, double hi) {
  const std::size_t n = v.size();
  if (n == 0) return false;
  std::size_t below = 0;
  std::size_t up_to_hi = 0;
  std::size_t finite = 0;
  constexpr double kMax = std::numeric_limits<double>::max();
  for (const double d : v) {
    below += d < lo;
    up_to_hi += d <= hi;
    finite += std::abs(d) <= kMax;  // std::isfinite(d), in a form the compiler vectorises
  }
  const std::size_t k = n / 2;
  return finite == n && (below > k || up_to_hi <= k);
}

// ---------------------------------------------------------------------------------------------
// Input expansion

struct FileJob {
  std::string path;
  bool csv = false;
  std::string key;  // canonical identity, to read a file reached twice only once
};

std::string display(std::string_view path) {
  return detail::utf8_or_replacement(path);
}

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

std::string canonical_key(const std::filesystem::path& p) {
  std::error_code ec;
  auto c = std::filesystem::canonical(p, ec);
  if (ec) c = std::filesystem::absolute(p, ec);
  return c.string();
}

// Every *-street.csv under `root`, following links to folders but entering each folder once
// (which also breaks link loops); folders and links that cannot be read become warnings.
std::vector<std::string> walk_street_csvs(const std::filesystem::path& root,
                                          std::vector<std::string>& warnings) {
  namespace fs = std::filesystem;
  std::vector<std::string> found;
  std::set<std::string> visited{canonical_key(root)};
  std::vector<fs::path> pending{root};
  std::int64_t unreadable = 0;
  auto warn = [&](std::string text) {
    // A walk over a whole disk can meet thousands; name the first few and count the rest.
    if (++unreadable <= 5) warnings.push_back(std::move(text));
  };
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      warn(fmt::format("{}: cannot read the folder ({}); skipped", display(dir.string()),
                       ec.message()));
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      const fs::path path = it->path();
      std::error_code sec;
      const bool link = it->is_symlink(sec);
      const fs::file_status st = fs::status(path, sec);  // follows links
      if (sec) {
        // A dangling link is no input unless it is named like one.
        if (sec != std::errc::no_such_file_or_directory ||
            ends_with_ci(path.filename().string(), "-street.csv"))
          warn(fmt::format("{}: cannot follow ({}); skipped", display(path.string()),
                           sec.message()));
        continue;
      }
      if (fs::is_directory(st)) {
        if (visited.insert(canonical_key(path)).second)
          pending.push_back(path);
        else if (link)
          warn(fmt::format("{}: a link to a folder already searched (a link loop?); skipped",
                           display(path.string())));
      } else if (fs::is_regular_file(st) && ends_with_ci(path.filename().string(), "-street.csv")) {
        found.push_back(path.string());
      }
    }
    if (ec)
      warn(fmt::format("{}: cannot list the whole folder ({}); the rest skipped",
                       display(dir.string()), ec.message()));
  }
  if (unreadable > 5)
    warnings.push_back(fmt::format("{}: {} more folder entries could not be read (skipped)",
                                   display(root.string()), unreadable - 5));
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<FileJob> expand_inputs(const std::vector<std::string>& inputs,
                                   std::vector<std::string>& warnings) {
  namespace fs = std::filesystem;
  std::vector<FileJob> jobs;
  auto refuse_special = [](const std::string& input) {
    std::error_code ec;
    const auto status = fs::status(input, ec);
    if (ec || !fs::exists(status))
      throw IoError(fmt::format("{}: no such file or directory", input));
    if (!fs::is_regular_file(status) && !fs::is_directory(status))
      throw IoError(fmt::format("{}: {}, not a regular file: give a file or a folder", input,
                                special_file_kind(status)));
    return status;
  };
  for (const auto& input : inputs) {
    const bool vsi = input.rfind("/vsi", 0) == 0;
    if (ends_with_ci(input, ".zip") && !vsi) {
      refuse_special(input);
      const std::string canon = canonical_key(input);
      const std::string root = "/vsizip/" + canon;
      detail::GdalErrorScope errors;
      char** top = VSIReadDir(root.c_str());
      const bool opened = top != nullptr;
      CSLDestroy(top);
      if (!opened) {
        VSIStatBufL st;
        if (VSIStatL(root.c_str(), &st) != 0)
          throw IoError(
              fmt::format("{}: cannot be opened as a zip file (corrupt or truncated?): {}", input,
                          errors.message("not a zip archive")));
      }
      const auto members = list_street_csvs_vsi(root);
      if (members.empty())
        throw IoError(fmt::format("{}: the zip holds no police.uk *-street.csv file", input));
      for (const auto& m : members) jobs.push_back({m, true, m});
      continue;
    }
    if (vsi) {
      VSIStatBufL st;
      if (VSIStatL(input.c_str(), &st) != 0) throw IoError(fmt::format("{}: no such file", input));
      if (VSI_ISDIR(st.st_mode)) {
        const auto members = list_street_csvs_vsi(input);
        if (members.empty())
          throw IoError(fmt::format("{}: no police.uk *-street.csv file found", input));
        for (const auto& m : members) jobs.push_back({m, true, m});
      } else {
        jobs.push_back({input, ends_with_ci(input, ".csv") || ends_with_ci(input, ".txt"), input});
      }
      continue;
    }
    const auto status = refuse_special(input);
    if (fs::is_directory(status)) {
      auto found = walk_street_csvs(input, warnings);
      if (found.empty())
        throw IoError(fmt::format(
            "{}: no police.uk *-street.csv file found in the folder or its subfolders", input));
      for (auto& f : found) {
        std::string key = canonical_key(f);
        jobs.push_back({std::move(f), true, std::move(key)});
      }
      continue;
    }
    jobs.push_back(
        {input,
         ends_with_ci(input, ".csv") || ends_with_ci(input, ".txt") || ends_with_ci(input, ".tsv"),
         canonical_key(input)});
  }
  // The same file reached twice (given twice, or a folder and a file inside it) is read once.
  std::map<std::string, std::string> first_path;
  std::vector<FileJob> unique;
  for (auto& job : jobs) {
    auto [it, inserted] = first_path.emplace(job.key, job.path);
    if (inserted) {
      unique.push_back(std::move(job));
    } else {
      warnings.push_back(job.path == it->second
                             ? fmt::format("{}: given more than once; read once", display(job.path))
                             : fmt::format("{}: the same file as {}; read once", display(job.path),
                                           display(it->second)));
    }
  }
  return unique;
}

// Files are read (or checked, when mapped) in blocks of this many bytes.
constexpr std::size_t kReadBlock = std::size_t{4} << 20;

/// Checks the bytes [begin, end) of `text` for a line longer than `max_line` (not counting its
/// line break; a CR ends a line only where a line this long is looked at closely), `run` carrying
/// the bytes since the last line feed from the block before: throws InputError naming the line.
/// Line feeds are found from the end of windows of max_line + 1 bytes (memrchr), so that a block
/// of short lines costs a few calls rather than one per line; a window without one is looked at
/// line by line, as the check always did.
void check_line_lengths(const std::string& path, std::string_view text, std::size_t begin,
                        std::size_t end, std::size_t max_line, std::size_t& run) {
  const char* const data = text.data();
  std::size_t i = begin;
  while (i < end) {
    if (run == 0) {
      // Every line ending within the next max_line + 1 bytes is at most max_line long.
      const std::size_t window = std::min(end - i, max_line + 1);
      if (const void* last = memrchr(data + i, '\n', window)) {
        i = static_cast<std::size_t>(static_cast<const char*>(last) - data) + 1;
        continue;
      }
    }
    const void* hit = std::memchr(data + i, '\n', end - i);
    const std::size_t stop =
        hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - data) : end;
    if (run + (stop - i) > max_line) {
      // Perhaps CR-only line endings: look closer.
      for (std::size_t k = i; k < stop; ++k) {
        if (data[k] == '\r') {
          run = 0;
        } else if (++run > max_line) {
          throw InputError(
              path, detail::line_at(text, k), "",
              fmt::format("the line is longer than {} bytes: not a CSV file, or a damaged one "
                          "(raise the limit with --max-line-bytes)",
                          max_line));
        }
      }
    } else {
      run += stop - i;
    }
    if (hit) run = 0;
    i = hit ? stop + 1 : stop;
  }
}

// The whole file, read in blocks so that a line longer than `max_line` (a file without line
// breaks: damaged, hostile, a zip bomb) stops the read once that much has been read rather than
// after the whole file is in memory.
std::string read_text_file(const std::string& path, std::size_t max_line) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  VSILFILE* file = VSIFOpenL(path.c_str(), "rb");
  if (!file) throw IoError(fmt::format("{}: cannot read: {}", path, errors.message("open failed")));
  std::unique_ptr<VSILFILE, decltype(&VSIFCloseL)> closer(file, &VSIFCloseL);
  std::string text;
  VSIStatBufL st;
  // The file's size + 1 (to see its end in one read): blocks then stay within the capacity
  // (a 4 MiB block past a 2 MiB reserve moved every monthly file once more).
  std::size_t expected = 0;
  if (VSIStatL(path.c_str(), &st) == 0 && st.st_size > 0 && st.st_size < (std::int64_t{1} << 31))
    expected = static_cast<std::size_t>(st.st_size) + 1;
  text.reserve(expected);
  detail::hint_huge_pages(text.data(), expected);
  std::size_t run = 0;  // bytes since the last line break
  for (;;) {
    const std::size_t old = text.size();
    const std::size_t block = old < expected ? std::min(kReadBlock, expected - old) : kReadBlock;
    text.resize(old + block);
    const std::size_t got = VSIFReadL(text.data() + old, 1, block, file);
    text.resize(old + got);
    check_line_lengths(path, text, old, text.size(), max_line, run);
    if (got < block) break;
  }
  return text;
}

/// detail::is_valid_utf8(text), checked in parallel in blocks of ~1 MiB that start after a line
/// feed: a byte that is a whole sequence of its own, so that each block starts a sequence as a
/// scan of the whole text does there (before its first invalid byte) and the blocks are all valid
/// exactly when the text is.
bool valid_utf8_in_parallel(std::string_view text) {
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  if (text.size() <= 2 * kBlock) return detail::is_valid_utf8(text);
  std::vector<std::size_t> starts{0};
  while (text.size() - starts.back() > kBlock) {
    const std::size_t lf = text.find('\n', starts.back() + kBlock);
    if (lf == std::string_view::npos) break;
    starts.push_back(lf + 1);
  }
  std::atomic<bool> valid{true};
  tbb::parallel_for(std::size_t{0}, starts.size(), [&](std::size_t k) {
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : text.size();
    if (!detail::is_valid_utf8(text.substr(starts[k], end - starts[k]))) valid = false;
  });
  return valid;
}

/// The text of a CSV file: mapped (a plain local file) or read into memory.
struct CsvText {
  detail::MappedFile mapped;
  std::string owned;
  std::string_view view() const {
    return mapped.mapped() ? mapped.text() : std::string_view(owned);
  }
};

/// Maps a plain local file, checking its lines as read_text_file does (the same blocks, the same
/// error), or reads it (GDAL's /vsi paths, files that cannot be mapped).
CsvText open_text_file(const std::string& path, std::size_t max_line) {
  CsvText text;
  // Up to 2 GiB, as read_text_file reserves for: a larger file is read in blocks.
  text.mapped = detail::MappedFile::open(path, std::size_t{1} << 31);
  if (!text.mapped.mapped()) {
    text.owned = read_text_file(path, max_line);
    return text;
  }
  const std::string_view view = text.mapped.text();
  std::size_t run = 0;
  for (std::size_t at = 0; at < view.size(); at += kReadBlock)
    check_line_lengths(path, view, at, std::min(view.size(), at + kReadBlock), max_line, run);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Reading in parallel
//
// Files (and pieces of large CSV files) are parsed by workers into Parts that share nothing:
// each has its own crime type, location and force names, its own counts and its own first
// rejected rows. One serial stage then merges the parts in file and piece order, mapping their
// names onto the result's, so that the result is the one a single sequential read gives whatever
// the number of threads: the same incidents in the same order, the same names in the same order
// (order of first appearance), the same rejected rows and the same first error.

struct FileCrs {
  Crs crs;
  Extent valid;  // valid range of coordinates in that CRS
};

/// What every worker reads from the options; immutable while files are read.
struct Filters {
  explicit Filters(const ReadOptions& read_options)
      : options(read_options), wanted(expand_crime_types(read_options.crime_types)) {
    filter_types = !wanted.empty();
    for (const auto& name : options.crime_types) {
      const std::string key = lower(name);
      const bool group = std::any_of(crime_type_groups().begin(), crime_type_groups().end(),
                                     [&](const CrimeTypeGroup& g) { return g.name == key; });
      if (!group) explicit_types.insert(key);
    }
    for (const auto& name : options.forces) {
      const std::string key = force_key(name);
      if (key.empty()) throw InvalidArgument("--force: empty force name");
      wanted_forces.insert(key);
    }
    filter_forces = !wanted_forces.empty();
  }

  bool type_wanted(std::string_view name) const {
    return !filter_types || std::binary_search(wanted.begin(), wanted.end(), lower(name));
  }
  bool force_wanted(const std::string& key) const {
    return !filter_forces || wanted_forces.count(key) > 0;
  }

  /// Why a date is no plausible incident date ("" when it is one): before first_year or after
  /// last_year.
  std::string implausible(const Date& date, std::string_view text) const {
    if (!date.has_month()) return "";
    if (date.year() >= options.first_year && date.year() <= options.last_year) return "";
    return fmt::format("'{}' is outside the plausible dates {}-01 .. {}-12 (a typing error?)",
                       excerpt(text, kMessageExcerpt), options.first_year, options.last_year);
  }

  /// Rows dated within ReadOptions::history_from .. from − 1: read, but never an error.
  bool in_history(const Date& date) const {
    return options.history_from && options.from && date.has_month() &&
           date.month_index >= options.history_from->month_index &&
           date.month_index < options.from->month_index;
  }

  /// crs_from_user_text, looked up once per text (a PROJ database query each time otherwise:
  /// 744 files, 744 queries).
  Crs crs(const std::string& text) const {
    const std::lock_guard lock(crs_mutex);
    auto it = crs_cache.find(text);
    if (it == crs_cache.end()) it = crs_cache.emplace(text, crs_from_user_text(text)).first;
    return it->second;
  }

  /// The CRS and the valid range of its coordinates (cached as crs() is).
  FileCrs file_crs(const Crs& crs) const {
    const std::lock_guard lock(crs_mutex);
    if (auto it = valid_cache.find(crs.wkt); it != valid_cache.end()) return {crs, it->second};
    Extent valid;
    if (crs.geographic) {
      valid = {-180.0, -90.0, 180.0, 90.0};
    } else {
      valid = area_of_use_native(crs);
      // Generous margin: a stray point just beyond the area of use still projects well.
      if (!valid.empty()) valid = valid.grown(0.25 * std::max(valid.width(), valid.height()));
    }
    valid_cache.emplace(crs.wkt, valid);
    return {crs, valid};
  }

  const ReadOptions& options;
  std::vector<std::string> wanted;
  std::set<std::string> explicit_types;
  bool filter_types = false;
  std::set<std::string> wanted_forces;
  bool filter_forces = false;
  mutable std::mutex crs_mutex;
  mutable std::map<std::string, Crs> crs_cache;
  mutable std::map<std::string, Extent> valid_cache;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
};
template <class V>
using NameMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

/// What one piece of input gives: a whole file, or a run of rows of one CSV file.
struct Part {
  /// category, location and force hold indices into this part's own category_names,
  /// location_names and force_keys.
  Incidents incidents;
  std::vector<std::int64_t> type_counts;  ///< rows per category_names entry
  std::vector<std::int64_t> force_rows;   ///< rows per force_keys entry
  /// rows: every rejected row with keep_rejected_rows, else the first kExamplesPerReason of
  /// each reason in this part (enough: the merge keeps the first few of the whole read).
  RowAccounting accounting;
  std::int64_t rows = 0;
  std::int64_t located = 0;       ///< rows with coordinates (for check_plausible)
  std::int64_t out_of_range = 0;  ///< of those, outside the valid range of the file's CRS
  std::vector<double> bad_x;      ///< the first few of those
  std::vector<double> bad_y;
  /// CSV: the box of the rows kept, and how many of their x lie below −180 and up to 180 (the
  /// counts median_outside makes for the degrees check), gathered as they are parsed so that
  /// neither the check of the CRS's valid range nor the degrees check passes over them again.
  bool kept_counted = false;
  Extent kept_box;
  std::int64_t kept_x_below = 0;
  std::int64_t kept_x_up_to = 0;
  /// file:line of the first row dated to the month only while --from/--to names a day.
  std::string month_only_at;
  std::size_t end = 0;              ///< CSV: where the next record starts
  std::int64_t end_line = 0;        ///< CSV: its line
  std::int64_t last_line = 0;       ///< CSV: line of the last record read
  bool unterminated_quote = false;  ///< CSV: a quoted field runs to the end of the file
  std::exception_ptr error;         ///< the first error; nothing after it was read
  /// A piece of a large CSV file writes its rows into the file's slab (FileWork::slab) at
  /// [slab_begin, slab_begin + slab_capacity) instead of into incidents' columns (which then
  /// hold only the names): the merge then moves the slab into the result or copies from it.
  Incidents* slab = nullptr;  ///< while reading only (FileWork moves; the merge uses its slab)
  bool in_slab = false;
  std::size_t slab_begin = 0;
  std::size_t slab_capacity = 0;
  std::size_t slab_rows = 0;   ///< rows written there
  bool slab_location = false;  ///< some row has a location (Incidents::append's rule)
  bool slab_force = false;     ///< some row has a force
  /// Incidents in this part (its columns, or its rows in the slab).
  std::size_t size() const { return in_slab ? slab_rows : incidents.size(); }
};

/// The row-level book-keeping of one part: names, counts, rejects.
class PartBuilder {
 public:
  PartBuilder(const Filters& filters, Part& part, std::uint32_t source, const std::string& path,
              const std::string& file_force, bool file_force_wanted)
      : filters_(filters),
        part_(part),
        source_(source),
        path_(path),
        file_force_(file_force),
        file_force_wanted_(file_force_wanted) {}

  Date row_date;  ///< date of the row being read, once known

  std::int32_t category_index(std::string_view name) {
    auto& names = part_.incidents.category_names;
    if (last_category_ >= 0 && names[static_cast<std::size_t>(last_category_)] == name)
      return last_category_;
    // Hashing keeps this O(1) per row however many distinct types there are (a column of
    // unique ids as --category-field).
    if (auto it = category_lookup_.find(name); it != category_lookup_.end())
      return last_category_ = it->second;
    const auto index = static_cast<std::int32_t>(names.size());
    names.emplace_back(name);
    category_lookup_.emplace(names.back(), index);
    part_.type_counts.push_back(0);
    type_wanted_.push_back(filters_.type_wanted(name));
    return last_category_ = index;
  }
  bool type_wanted(std::int32_t category) const {
    return type_wanted_[static_cast<std::size_t>(category)];
  }

  /// The force of a row: its `Falls within` text when it has one, else the file name's force
  /// (looked up on first use, so that a file whose rows all name their force adds none).
  std::int16_t row_force(std::string_view falls_within) {
    if (!falls_within.empty()) return force_of_text(falls_within);
    if (file_force_index_ == -2) file_force_index_ = force_index(file_force_);
    return file_force_index_;
  }

  /// Counts the row under its force and says whether --force keeps it (rejecting it if not).
  bool keep_force(std::int16_t force, std::int64_t line, std::string_view text) {
    if (force >= 0) ++part_.force_rows[static_cast<std::size_t>(force)];
    if (!filters_.filter_forces || file_force_wanted_ ||
        (force >= 0 && force_wanted_[static_cast<std::size_t>(force)]))
      return true;
    reject(RejectReason::filtered_force, line,
           force >= 0 ? fmt::format("force '{}'",
                                    part_.incidents.force_keys[static_cast<std::size_t>(force)])
                      : std::string("no force"),
           text);
    return false;
  }

  std::int32_t location_index(std::string_view name) {
    if (name.empty()) return -1;
    if (auto it = location_lookup_.find(name); it != location_lookup_.end()) return it->second;
    auto& names = part_.incidents.location_names;
    const auto index = static_cast<std::int32_t>(names.size());
    names.emplace_back(name);
    location_lookup_.emplace(names.back(), index);
    return index;
  }

  void reject(RejectReason reason, std::int64_t line, std::string detail, std::string_view text) {
    record_reject(
        part_.accounting, reason, filters_.options.keep_rejected_rows,
        RejectedRow{source_, line, reason, row_date, std::move(detail), std::string(text)});
  }

  [[noreturn]] void bad_value(std::int64_t line, const std::string& column,
                              const std::string& message) const {
    throw InputError(path_, line, column,
                     message + " (use --skip-bad-rows to reject such rows and go on)");
  }

  /// Notes a kept row dated to the month only while --from or --to names a day.
  void note_month_only(const Date& date, std::int64_t line) {
    if (!part_.month_only_at.empty() || !date.has_month() || date.has_day()) return;
    const ReadOptions& o = filters_.options;
    if ((o.from && o.from->has_day()) || (o.to && o.to->has_day()))
      part_.month_only_at = fmt::format("{}:{}", path_, line);
  }

  /// Counts a located row outside the valid range of the file's CRS.
  void note_out_of_range(double x, double y) {
    ++part_.out_of_range;
    if (part_.bad_x.size() < 3) part_.bad_x.push_back(x), part_.bad_y.push_back(y);
  }

 private:
  /// The index of force `key` in this part's force_keys, added when new.
  std::int16_t force_index(const std::string& key) {
    if (key.empty()) return -1;
    if (auto it = force_lookup_.find(key); it != force_lookup_.end()) return it->second;
    auto& keys = part_.incidents.force_keys;
    if (keys.size() >= static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max()))
      throw InputError(path_, 0, "Falls within",
                       fmt::format("more than {} distinct forces: not a force column",
                                   std::numeric_limits<std::int16_t>::max()));
    const auto index = static_cast<std::int16_t>(keys.size());
    keys.push_back(key);
    force_lookup_.emplace(key, index);
    part_.force_rows.push_back(0);
    force_wanted_.push_back(filters_.force_wanted(key));
    return index;
  }

  /// The force index of a `Falls within` value (cached by its text: force_key is not free).
  std::int16_t force_of_text(std::string_view text) {
    if (last_force_ >= 0 && last_force_text_ == text) return last_force_;
    if (auto it = force_text_lookup_.find(text); it != force_text_lookup_.end()) {
      last_force_text_.assign(text);
      return last_force_ = it->second;
    }
    const std::int16_t index = force_index(force_key(text));
    force_text_lookup_.emplace(std::string(text), index);
    last_force_text_.assign(text);
    return last_force_ = index;
  }

  const Filters& filters_;
  Part& part_;
  std::uint32_t source_;
  const std::string& path_;
  const std::string& file_force_;
  bool file_force_wanted_;
  NameMap<std::int32_t> category_lookup_;
  std::vector<bool> type_wanted_;
  std::int32_t last_category_ = -1;
  NameMap<std::int32_t> location_lookup_;
  NameMap<std::int16_t> force_lookup_;
  std::vector<bool> force_wanted_;
  NameMap<std::int16_t> force_text_lookup_;
  std::string last_force_text_;
  std::int16_t last_force_ = -1;
  std::int16_t file_force_index_ = -2;
};

/// Reserves room for about `rows` more incidents in every column.
void reserve_rows(Incidents& inc, std::size_t rows) {
  // Across files the capacity grows by at least half each time: reserving exactly the next
  // file's rows moved every column at every file, O(files × rows) copying (744 monthly files
  // of the national year: 45 s of page faults and memmove in 70 s of reading).
  const std::size_t want = inc.size() + rows + 16;
  const auto grow = [want](auto& column) {
    if (want <= column.capacity()) return;
    column.reserve(std::max(want, column.capacity() * 3 / 2));
    // The pages not yet touched (beyond the rows moved in) fault in as 2 MiB pages.
    detail::hint_huge_pages(column.data(), column.capacity() * sizeof(column[0]));
  };
  grow(inc.x);
  grow(inc.y);
  grow(inc.weight);
  grow(inc.date);
  grow(inc.category);
  grow(inc.source);
  grow(inc.line);
}

// ---------------------------------------------------------------------------------------------
// CSV

struct CsvColumns {
  int x = -1, y = -1, time = -1, category = -1, weight = -1, location = -1, force = -1;
  bool police_uk = false;
  bool month_only = false;  // police.uk's Month column
};

/// One CSV file, its header read: what every piece of it needs.
struct CsvFile {
  std::string path;
  CsvText text;  ///< the file as read; content() is its decoded text
  char delimiter = ',';
  std::vector<std::string> header;
  CsvColumns col;
  /// The CRS its coordinates are declared in, as the user or the layout gives it: looked up
  /// (crs_text → fc) once its rows are parsed, so that the PROJ database search for it (~25 ms
  /// for EPSG:27700's valid range) overlaps the parse instead of preceding it.
  std::string crs_text;
  FileCrs fc;
  bool police_layout = false;  ///< police.uk's layout: its CRS is not --src-crs's to change
  std::string file_force;      ///< the force its name names, "" if none
  bool file_force_wanted = false;
  std::size_t body = 0;        ///< where the first row after the header starts
  std::int64_t body_line = 0;  ///< its line
  std::string_view content() const { return text.view(); }
};

/// Reads a CSV file and its header: columns, CRS, force of its name. Throws for what makes the
/// whole file unreadable (missing columns, filters on columns it lacks, binary data).
CsvFile open_csv(const Filters& filters, const std::string& path, InputSource& src,
                 std::vector<std::string>& warnings) {
  const ReadOptions& options = filters.options;
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  CsvFile file;
  file.path = path;
  file.text = open_text_file(path, options.max_line_bytes);
  src.bytes = static_cast<std::int64_t>(file.content().size());
  if (file.content().substr(0, 4096).find('\0') != std::string_view::npos)
    throw InputError(path, 0, "", "not a text CSV file (it holds binary data)");
  if (file.text.mapped.mapped() && !valid_utf8_in_parallel(file.text.mapped.text())) {
    // Text to decode: a copy to decode in place (most files are valid UTF-8 and stay mapped).
    file.text.owned = std::string(file.text.mapped.text());
    file.text.mapped = {};
  }
  if (!file.text.mapped.mapped())
    detail::decode_csv_text(file.text.owned, path, options.encoding, warnings);
  const std::string_view buffer = file.content();

  // Delimiter: the most frequent of , ; tab on the header line.
  const std::string_view first_line = buffer.substr(0, buffer.find_first_of("\r\n"));
  char delimiter = ',';
  std::size_t best =
      static_cast<std::size_t>(std::count(first_line.begin(), first_line.end(), ','));
  for (char d : {';', '\t'}) {
    const auto c = static_cast<std::size_t>(std::count(first_line.begin(), first_line.end(), d));
    if (c > best) best = c, delimiter = d;
  }
  file.delimiter = delimiter;
  detail::CsvReader csv(buffer, delimiter);
  if (!csv.next()) throw InputError(path, 1, "", "the file is empty (no header row)");
  file.body = csv.position();
  file.body_line = csv.next_line();
  std::vector<std::string>& header = file.header;
  for (auto f : csv.fields()) header.emplace_back(trim(f));
  // Quoted in messages: cut short, so that a 10 MB header is not echoed whole.
  const std::string columns_found =
      detail::excerpt(fmt::format("{}", fmt::join(header, ", ")), kMessageExcerpt);
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

  CsvColumns& col = file.col;
  src.path = path;
  src.columns = header;
  col.police_uk = find("Crime ID") >= 0 && find("Month") >= 0 && find("Longitude") >= 0 &&
                  find("Latitude") >= 0 && find("Crime type") >= 0;
  std::string default_crs = "EPSG:4326";
  if (col.police_uk && options.x_field.empty() && options.y_field.empty()) {
    src.format = std::string(kPoliceUkFormat);
    col.x = find("Longitude");
    col.y = find("Latitude");
    src.x_field = "Longitude";
    src.y_field = "Latitude";
  } else {
    src.format = "CSV";
    if (!options.x_field.empty() || !options.y_field.empty()) {
      if (options.x_field.empty() || options.y_field.empty())
        throw InvalidArgument("--x-field and --y-field go together: give both");
      col.x = require(options.x_field, "--x-field");
      col.y = require(options.y_field, "--y-field");
      src.x_field = header[static_cast<std::size_t>(col.x)];
      src.y_field = header[static_cast<std::size_t>(col.y)];
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
      src.x_field = header[static_cast<std::size_t>(col.x)];
      src.y_field = header[static_cast<std::size_t>(col.y)];
    }
  }
  if (col.police_uk) {
    col.time =
        options.time_field.empty() ? find("Month") : require(options.time_field, "--time-field");
    col.month_only = options.time_field.empty();
    col.category = options.category_field.empty()
                       ? find("Crime type")
                       : require(options.category_field, "--category-field");
  } else {
    if (!options.time_field.empty()) col.time = require(options.time_field, "--time-field");
    if (!options.category_field.empty())
      col.category = require(options.category_field, "--category-field");
  }
  if (!options.weight_field.empty()) col.weight = require(options.weight_field, "--weight-field");
  col.location = !options.location_field.empty()
                     ? require(options.location_field, "--location-field")
                     : (col.police_uk ? find("Location") : -1);
  if (filters.filter_types && col.category < 0)
    throw InvalidArgument(fmt::format(
        "--crime-type needs a category column in {}: name it with --category-field (columns "
        "found: {})",
        path, columns_found));
  if ((options.from || options.to) && col.time < 0)
    throw InvalidArgument(fmt::format(
        "--from/--to need a date column in {}: name it with --time-field (columns found: {})", path,
        columns_found));
  if (col.police_uk) col.force = find("Falls within");
  file.file_force = force_from_file_name(path);
  // --force may name the file's force as its name spells it ("synthetic-01") while its rows'
  // `Falls within` reads otherwise ("Synthetic Force 01"): the file's rows are kept.
  file.file_force_wanted = filters.filter_forces && !file.file_force.empty() &&
                           filters.wanted_forces.count(file.file_force) > 0;
  if (filters.filter_forces && col.force < 0 && file.file_force.empty())
    throw InvalidArgument(fmt::format(
        "--force needs the force of every row, but {} has no 'Falls within' column and its "
        "name is not police.uk's YYYY-MM-<force>-street.csv",
        path));

  // police.uk publishes WGS84 only, so --src-crs (meant for the user's own exports) never
  // applies to its files, even when both kinds are read in one run.
  file.police_layout = src.format == kPoliceUkFormat;
  file.crs_text = file.police_layout || options.src_crs.empty() ? default_crs : options.src_crs;
  if (col.time >= 0) src.time_field = header[static_cast<std::size_t>(col.time)];
  if (col.category >= 0) src.category_field = header[static_cast<std::size_t>(col.category)];
  src.force = file.file_force;
  if (col.force >= 0) src.force_field = header[static_cast<std::size_t>(col.force)];
  return file;
}

/// Reads the rows of `file` that start in [begin, end) (begin is the start of a record on line
/// `line`) into `part`. Errors are kept in part.error, not thrown. Without `fc` (the file's CRS
/// not known yet) rows outside the valid range of the CRS are kept: the caller checks the rows
/// read once it is known, and reads the part again with it when one is (see read_csv_parts).
void read_csv_rows(const Filters& filters, const CsvFile& file, const FileCrs* fc,
                   std::uint32_t source, std::size_t begin, std::size_t end,
                   std::int64_t line_at_begin, Part& part) {
  const ReadOptions& options = filters.options;
  const std::string& path = file.path;
  const std::vector<std::string>& header = file.header;
  const CsvColumns& col = file.col;
  const auto column = [&](int i) -> const std::string& {
    return header[static_cast<std::size_t>(i)];
  };
  detail::CsvReader csv(file.content(), file.delimiter, begin, line_at_begin);
  PartBuilder b(filters, part, source, path, file.file_force, file.file_force_wanted);
  Incidents& inc = part.incidents;
  RowAccounting& acc = part.accounting;
  part.kept_counted = true;
  if (!part.slab) {
    // Reserve from the line count of the first megabyte: growing seven columns by doubling
    // costs more in page faults than the parsing itself.
    const std::string_view piece = file.content().substr(begin, end - begin);
    const std::string_view head = piece.substr(0, 1 << 20);
    const auto lines = static_cast<double>(std::count(head.begin(), head.end(), '\n'));
    const double estimate = lines * static_cast<double>(piece.size()) /
                            static_cast<double>(std::max<std::size_t>(head.size(), 1));
    reserve_rows(inc, static_cast<std::size_t>(estimate * 1.02));
  }
  try {
    while (csv.next_before(end)) {
      ++part.rows;
      ++acc.read;
      b.row_date = Date{};
      bool lenient = options.skip_bad_rows;
      const auto& f = csv.fields();
      const std::int64_t line = csv.line();
      if (f.size() != header.size()) {
        // More fields than the header is as broken as fewer (a stray delimiter shifts columns).
        const std::string msg =
            fmt::format("the row has {} fields, the header {}", f.size(), header.size());
        if (!options.skip_bad_rows) b.bad_value(line, "", msg);
        b.reject(RejectReason::unparsable_value, line, msg, csv.record());
        continue;
      }
      const auto field = [&](int i) { return trim(f[static_cast<std::size_t>(i)]); };
      const std::int16_t force =
          b.row_force(col.force >= 0 ? field(col.force) : std::string_view());
      if (!b.keep_force(force, line, csv.record())) continue;
      std::int32_t category = -1;
      if (col.category >= 0) {
        category = b.category_index(field(col.category));
        ++part.type_counts[static_cast<std::size_t>(category)];
        if (!b.type_wanted(category)) {
          b.reject(RejectReason::filtered_crime_type, line,
                   fmt::format("crime type '{}'",
                               inc.category_names[static_cast<std::size_t>(category)]),
                   csv.record());
          continue;
        }
      }
      Date date;
      if (col.time >= 0) {
        const std::string_view text = field(col.time);
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
            const std::string msg = fmt::format("'{}' is not a date ({})",
                                                excerpt(text, kMessageExcerpt), kDateFormats);
            if (!options.skip_bad_rows) b.bad_value(line, column(col.time), msg);
            b.reject(RejectReason::unparsable_value, line,
                     fmt::format("column '{}': {}", column(col.time), msg), csv.record());
            continue;
          }
        }
        b.row_date = date;
        if (!date_within(date, options.from, options.to)) {
          if (filters.in_history(date)) {
            lenient = true;
          } else {
            b.reject(RejectReason::filtered_date, line,
                     date.has_month() ? fmt::format("date {}", date.to_string()) : "no date",
                     csv.record());
            continue;
          }
        }
        if (const std::string why = filters.implausible(date, text); !why.empty()) {
          if (!lenient) b.bad_value(line, column(col.time), why);
          b.reject(RejectReason::unparsable_value, line,
                   fmt::format("column '{}': {}", column(col.time), why), csv.record());
          continue;
        }
        b.note_month_only(date, line);
      }
      const std::string_view xt = field(col.x);
      const std::string_view yt = field(col.y);
      if (xt.empty() || yt.empty()) {
        b.reject(RejectReason::no_coordinates, line, "no coordinates", csv.record());
        continue;
      }
      double x = 0;
      double y = 0;
      for (auto [text, value, name] :
           {std::tuple{xt, &x, &column(col.x)}, std::tuple{yt, &y, &column(col.y)}}) {
        if (!parse_number(text, *value)) {
          const std::string msg =
              fmt::format("'{}' is not a number", excerpt(text, kMessageExcerpt));
          if (!lenient) b.bad_value(line, *name, msg);
          b.reject(RejectReason::unparsable_value, line, fmt::format("column '{}': {}", *name, msg),
                   csv.record());
          x = std::numeric_limits<double>::quiet_NaN();
          break;
        }
      }
      if (std::isnan(x)) continue;
      double w = 1.0;
      if (col.weight >= 0) {
        const std::string_view wt = field(col.weight);
        if (!parse_number(wt, w) || w < 0 || w > kMaxWeight) {
          const std::string msg =
              w > kMaxWeight
                  ? fmt::format("'{}' is larger than the largest weight accepted ({:.0f})",
                                excerpt(wt, kMessageExcerpt), kMaxWeight)
                  : fmt::format("'{}' is not a non-negative number", excerpt(wt, kMessageExcerpt));
          if (!lenient) b.bad_value(line, column(col.weight), msg);
          b.reject(RejectReason::unparsable_value, line,
                   fmt::format("column '{}': {}", column(col.weight), msg), csv.record());
          continue;
        }
      }
      ++part.located;
      if (fc && !fc->valid.empty() && !fc->valid.contains(x, y)) {
        b.note_out_of_range(x, y);
        b.reject(RejectReason::outside_crs_range, line,
                 fmt::format("({}, {}) is outside the valid range of {}", xt, yt, fc->crs.label()),
                 csv.record());
        continue;
      }
      const std::int32_t location = col.location >= 0 ? b.location_index(field(col.location)) : -1;
      part.kept_box.include(x, y);
      part.kept_x_below += x < -kDegreesLimit;
      part.kept_x_up_to += x <= kDegreesLimit;
      if (part.slab) {
        if (part.slab_rows == part.slab_capacity)  // cannot be: rows <= line breaks (+1 at the end)
          throw std::logic_error(fmt::format("{}:{}: more rows than line breaks", path, line));
        Incidents& slab = *part.slab;
        const std::size_t i = part.slab_begin + part.slab_rows++;
        slab.x[i] = x;
        slab.y[i] = y;
        slab.weight[i] = w;
        slab.date[i] = date;
        slab.category[i] = category;
        slab.source[i] = source;
        slab.line[i] = line;
        if (!slab.location.empty()) slab.location[i] = location;
        if (!slab.force.empty()) slab.force[i] = force;
        part.slab_location |= location >= 0;
        part.slab_force |= force >= 0;
      } else {
        inc.append(x, y, w, date, category, source, line, location, force);
      }
      ++acc.used;
    }
  } catch (...) {
    part.error = std::current_exception();
  }
  part.end = csv.position();
  part.end_line = csv.next_line();
  part.last_line = csv.line();
  part.unterminated_quote = csv.unterminated_quote();
}

/// How many bytes of [t, t + n) equal `c`: 16 bytes a step (SSE2, which every x86-64 has),
/// each byte's match subtracted from one of 16 byte counters that are summed (psadbw) every 255
/// steps before they can wrap. ~8x faster than the loop a compiler makes of `n += t[i] == c`.
std::int64_t count_byte(const char* t, std::size_t n, char c) {
  std::int64_t total = 0;
  std::size_t i = 0;
#ifdef __SSE2__
  const __m128i needle = _mm_set1_epi8(c);
  const __m128i zero = _mm_setzero_si128();
  while (n - i >= 16) {
    const std::size_t steps = std::min<std::size_t>((n - i) / 16, 255);
    __m128i counts = zero;
    for (std::size_t k = 0; k < steps; ++k, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + i));
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(v, needle));
    }
    const __m128i sums = _mm_sad_epu8(counts, zero);
    total += _mm_cvtsi128_si64(sums) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
  }
#endif
  for (; i < n; ++i) total += t[i] == c;
  return total;
}

/// Line breaks in `text` as CsvReader counts them: LF, and CR not followed by LF.
std::int64_t count_line_breaks(std::string_view text, bool lf_follows) {
  // LFs, plus CRs not followed by LF: counted as LFs + CRs − CRLF pairs.
  const std::size_t size = text.size();
  if (size == 0) return 0;
  const char* t = text.data();
  const std::int64_t lf = count_byte(t, size, '\n');
  const std::int64_t cr = count_byte(t, size, '\r');
  if (cr == 0) return lf;
  std::int64_t pairs = 0;
  for (std::size_t i = 0; i + 1 < size; ++i) pairs += (t[i] == '\r') & (t[i + 1] == '\n');
  if (t[size - 1] == '\r' && lf_follows) ++pairs;
  return lf + cr - pairs;
}

/// Whether a row `part` read lies outside `valid` (the valid range of the file's CRS).
bool any_out_of_range(const Part& part, const Incidents* slab, const Extent& valid) {
  if (valid.empty()) return false;
  // The rows kept lie within their box, so all are inside the valid range (a box) when its
  // corners are.
  if (part.kept_counted)
    return !part.kept_box.empty() && !(valid.contains(part.kept_box.xmin, part.kept_box.ymin) &&
                                       valid.contains(part.kept_box.xmax, part.kept_box.ymax));
  const Incidents& in = part.in_slab ? *slab : part.incidents;
  const std::size_t first = part.in_slab ? part.slab_begin : 0;
  const std::size_t n = part.size();
  bool outside = false;
  for (std::size_t i = first; i < first + n; ++i) outside |= !valid.contains(in.x[i], in.y[i]);
  return outside;
}

/// Reads every row of `file` into parts: one, or for a file larger than `piece_bytes` pieces
/// split after line feeds and read in parallel. A split that falls inside a quoted field (a
/// field holding a line break) is found when the piece before it does not end there; the rest
/// of the file is then read again from where that piece did end, as one part.
/// The file's CRS (file.crs_text) is looked up while the rows are parsed (on another core, by
/// read_incidents, when --src-crs names it): the rows are read without the check of its valid
/// range, which is then made on the rows read, and a part holding a row outside it (rare: a
/// file with a stray point or in another CRS) is read again with the check. The parts are then
/// those a read with the check gives. Throws what looking the CRS up throws (CrsError).
std::vector<Part> read_csv_parts(const Filters& filters, CsvFile& file, std::uint32_t source,
                                 Incidents& slab) {
  const std::string_view text = file.content();
  const auto resolve_crs = [&] { file.fc = filters.file_crs(filters.crs(file.crs_text)); };
  const std::size_t piece_bytes = std::max<std::size_t>(filters.options.piece_bytes, 1);
  std::vector<std::size_t> starts{file.body};
  while (text.size() - starts.back() > piece_bytes) {
    const std::size_t lf = text.find('\n', starts.back() + piece_bytes);
    if (lf == std::string_view::npos || lf + 1 >= text.size()) break;
    starts.push_back(lf + 1);
  }
  std::vector<Part> parts(starts.size());
  if (starts.size() == 1) {
    read_csv_rows(filters, file, nullptr, source, file.body, text.size(), file.body_line, parts[0]);
    resolve_crs();
    if (any_out_of_range(parts[0], nullptr, file.fc.valid)) {
      parts[0] = Part{};
      read_csv_rows(filters, file, &file.fc, source, file.body, text.size(), file.body_line,
                    parts[0]);
    }
    return parts;
  }
  std::vector<std::int64_t> lines(starts.size());
  tbb::parallel_for(std::size_t{0}, starts.size(), [&](std::size_t k) {
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : text.size();
    // Breaks within the piece, to number the next one's lines.
    lines[k] = count_line_breaks(text.substr(starts[k], end - starts[k]),
                                 end < text.size() && text[end] == '\n');
  });
  std::vector<std::int64_t> first_line(starts.size());
  first_line[0] = file.body_line;
  for (std::size_t k = 1; k < starts.size(); ++k) first_line[k] = first_line[k - 1] + lines[k - 1];
  // One slab of columns for the whole file, each piece writing its rows into its own range: a
  // record ends at a line break (the last one of the file may end at its end), so a piece holds
  // at most its line breaks' worth of rows (+1 for the last). The merge moves the slab into the
  // result instead of copying every piece's columns (1M rows: 48 MB less to copy and fault in).
  std::size_t capacity = 0;
  const auto in_slab = [&](std::size_t k) {
    Part part;
    part.slab = &slab;
    part.in_slab = true;
    part.slab_begin = capacity;
    part.slab_capacity = static_cast<std::size_t>(lines[k]) + (k + 1 == starts.size() ? 1 : 0);
    return part;
  };
  std::vector<Part> fresh;  // each part as it is before its rows are read
  for (std::size_t k = 0; k < starts.size(); ++k) {
    fresh.push_back(in_slab(k));
    capacity += fresh.back().slab_capacity;
  }
  for (std::size_t k = 0; k < starts.size(); ++k) parts[k] = fresh[k];
  // Each column's pages hinted to 2 MiB pages before their first touch (the zero fill).
  const auto make = [capacity](auto& column, auto value) {
    column.reserve(capacity);
    detail::hint_huge_pages(column.data(), capacity * sizeof(column[0]));
    column.resize(capacity, value);
  };
  tbb::parallel_invoke(
      [&] { make(slab.x, 0.0); }, [&] { make(slab.y, 0.0); }, [&] { make(slab.weight, 0.0); },
      [&] { make(slab.date, Date{}); }, [&] { make(slab.category, std::int32_t{0}); },
      [&] { make(slab.source, std::uint32_t{0}); }, [&] { make(slab.line, std::int64_t{0}); },
      [&] {
        if (file.col.location >= 0) make(slab.location, std::int32_t{-1});
      },
      [&] {
        // A force comes from the `Falls within` column or the file's name, else there is none.
        if (file.col.force >= 0 || !file.file_force.empty()) make(slab.force, std::int16_t{-1});
      });
  const auto read_piece = [&](std::size_t k, const FileCrs* fc) {
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : text.size();
    read_csv_rows(filters, file, fc, source, starts[k], end, first_line[k], parts[k]);
    parts[k].slab = nullptr;
  };
  tbb::parallel_for(std::size_t{0}, starts.size(), [&](std::size_t k) { read_piece(k, nullptr); });
  resolve_crs();
  tbb::parallel_for(std::size_t{0}, starts.size(), [&](std::size_t k) {
    if (!any_out_of_range(parts[k], &slab, file.fc.valid)) return;
    parts[k] = fresh[k];
    read_piece(k, &file.fc);
  });
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    if (parts[k].error) {
      parts.resize(k + 1);
      break;
    }
    if (parts[k].end >= text.size()) {  // e.g. a quoted field left open to the end
      parts.resize(k + 1);
      break;
    }
    if (parts[k].end != starts[k + 1]) {
      Part rest;
      read_csv_rows(filters, file, &file.fc, source, parts[k].end, text.size(), parts[k].end_line,
                    rest);
      parts.resize(k + 1);
      parts.push_back(std::move(rest));
      break;
    }
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// OGR point layers

/// Reads a whole OGR point layer into one part. Throws for what makes the file unreadable;
/// errors in rows are kept in part.error.
Part read_ogr(const Filters& filters, const std::string& path, std::uint32_t source,
              InputSource& src, std::vector<std::string>& warnings, FileCrs& fc,
              std::string& file_force, bool& file_force_wanted) {
  const ReadOptions& options = filters.options;
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
  if (!options.layer.empty()) {
    layer = GDALDatasetGetLayerByName(ds, options.layer.c_str());
    if (!layer) {
      std::vector<std::string> names;
      for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i)
        names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
      throw InputError(
          path, 0, "",
          fmt::format("no layer '{}'; layers: {}", options.layer, fmt::join(names, ", ")));
    }
  } else if (GDALDatasetGetLayerCount(ds) > 0) {
    layer = GDALDatasetGetLayer(ds, 0);
  }
  if (!layer) throw InputError(path, 0, "", "the file holds no vector layer");

  src.path = path;
  src.format = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
  if (VSIStatBufL st; VSIStatL(path.c_str(), &st) == 0) src.bytes = st.st_size;
  Crs crs;
  if (!options.src_crs.empty()) {
    crs = filters.crs(options.src_crs);
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
  fc = filters.file_crs(crs);
  src.crs = crs.label();

  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  detail::FieldDecoder decode(path, options.encoding);
  std::vector<std::string> names;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    names.push_back(decode(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), 0));
  src.columns = names;
  auto require = [&](const std::string& name, const char* option) -> int {
    const int i = OGR_FD_GetFieldIndex(defn, name.c_str());
    if (i < 0)
      throw InputError(path, 0, name,
                       fmt::format("no such field (named by {}); fields found: {}", option,
                                   fmt::join(names, ", ")));
    return i;
  };
  const int time_i = options.time_field.empty() ? -1 : require(options.time_field, "--time-field");
  const int cat_i =
      options.category_field.empty() ? -1 : require(options.category_field, "--category-field");
  const int weight_i =
      options.weight_field.empty() ? -1 : require(options.weight_field, "--weight-field");
  const int location_i =
      options.location_field.empty() ? -1 : require(options.location_field, "--location-field");
  if (filters.filter_types && cat_i < 0)
    throw InvalidArgument(
        fmt::format("--crime-type needs a category field in {}: name it with "
                    "--category-field (fields found: {})",
                    path, fmt::join(names, ", ")));
  if ((options.from || options.to) && time_i < 0)
    throw InvalidArgument(
        fmt::format("--from/--to need a date field in {}: name it with "
                    "--time-field (fields found: {})",
                    path, fmt::join(names, ", ")));
  src.time_field = options.time_field;
  src.category_field = options.category_field;
  file_force = force_from_file_name(path);
  file_force_wanted =
      filters.filter_forces && !file_force.empty() && filters.wanted_forces.count(file_force) > 0;
  if (filters.filter_forces && file_force.empty())
    throw InvalidArgument(fmt::format(
        "--force needs the force of every row, but {} has no 'Falls within' column and its "
        "name is not police.uk's YYYY-MM-<force>-street.csv",
        path));
  src.force = file_force;

  Part part;
  PartBuilder b(filters, part, source, path, file_force, file_force_wanted);
  Incidents& inc = part.incidents;
  RowAccounting& acc = part.accounting;
  OGR_L_ResetReading(layer);
  auto feature_text = [&](OGRFeatureH f) {
    std::string text = fmt::format("fid={}", OGR_F_GetFID(f));
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
      text += fmt::format(";{}={}", names[static_cast<std::size_t>(i)],
                          decode(OGR_F_GetFieldAsString(f, i), OGR_F_GetFID(f)));
    return text;
  };
  try {
    while (OGRFeatureH raw_feature = OGR_L_GetNextFeature(layer)) {
      std::unique_ptr<void, decltype(&OGR_F_Destroy)> feature(raw_feature, &OGR_F_Destroy);
      ++part.rows;
      ++acc.read;
      b.row_date = Date{};
      bool lenient = options.skip_bad_rows;
      const std::int64_t fid = OGR_F_GetFID(raw_feature);
      const std::int16_t force = b.row_force({});
      if (!b.keep_force(force, fid, filters.filter_forces ? feature_text(raw_feature) : ""))
        continue;
      std::int32_t category = -1;
      if (cat_i >= 0) {
        category = b.category_index(trim(decode(OGR_F_GetFieldAsString(raw_feature, cat_i), fid)));
        ++part.type_counts[static_cast<std::size_t>(category)];
        if (!b.type_wanted(category)) {
          b.reject(RejectReason::filtered_crime_type, fid,
                   fmt::format("crime type '{}'",
                               inc.category_names[static_cast<std::size_t>(category)]),
                   feature_text(raw_feature));
          continue;
        }
      }
      Date date;
      if (time_i >= 0 && OGR_F_IsFieldSetAndNotNull(raw_feature, time_i)) {
        const auto d = parse_date(OGR_F_GetFieldAsString(raw_feature, time_i));
        if (!d) {
          const std::string msg = fmt::format(
              "'{}' is not a date ({})",
              excerpt(decode(OGR_F_GetFieldAsString(raw_feature, time_i), fid), kMessageExcerpt),
              kDateFormats);
          if (!options.skip_bad_rows) b.bad_value(fid, options.time_field, msg + " (feature id)");
          b.reject(RejectReason::unparsable_value, fid, msg, feature_text(raw_feature));
          continue;
        }
        date = *d;
        b.row_date = date;
      }
      if (time_i >= 0 && !date_within(date, options.from, options.to)) {
        if (filters.in_history(date)) {
          lenient = true;
        } else {
          b.reject(RejectReason::filtered_date, fid, fmt::format("date {}", date.to_string()),
                   feature_text(raw_feature));
          continue;
        }
      }
      if (const std::string why = filters.implausible(date, date.to_string()); !why.empty()) {
        if (!lenient) b.bad_value(fid, options.time_field, why + " (feature id)");
        b.reject(RejectReason::unparsable_value, fid, why, feature_text(raw_feature));
        continue;
      }
      if (time_i >= 0) b.note_month_only(date, fid);
      OGRGeometryH geom = OGR_F_GetGeometryRef(raw_feature);
      if (!geom || OGR_G_IsEmpty(geom)) {
        b.reject(RejectReason::no_coordinates, fid, "no geometry", feature_text(raw_feature));
        continue;
      }
      if (wkbFlatten(OGR_G_GetGeometryType(geom)) != wkbPoint) {
        const std::string msg =
            fmt::format("geometry is a {}, not a point", OGR_G_GetGeometryName(geom));
        if (!lenient) b.bad_value(fid, "geometry", msg + " (feature id)");
        b.reject(RejectReason::unparsable_value, fid, msg, feature_text(raw_feature));
        continue;
      }
      const double x = OGR_G_GetX(geom, 0);
      const double y = OGR_G_GetY(geom, 0);
      double w = 1.0;
      if (weight_i >= 0) {
        w = OGR_F_GetFieldAsDouble(raw_feature, weight_i);
        if (!OGR_F_IsFieldSetAndNotNull(raw_feature, weight_i) || !(w >= 0) || !std::isfinite(w) ||
            w > kMaxWeight) {
          const std::string msg = fmt::format(
              "weight '{}' is {}",
              excerpt(decode(OGR_F_GetFieldAsString(raw_feature, weight_i), fid), kMessageExcerpt),
              std::isfinite(w) && w > kMaxWeight
                  ? fmt::format("larger than the largest weight accepted ({:.0f})", kMaxWeight)
                  : std::string("not a non-negative number"));
          if (!lenient) b.bad_value(fid, options.weight_field, msg + " (feature id)");
          b.reject(RejectReason::unparsable_value, fid, msg, feature_text(raw_feature));
          continue;
        }
      }
      ++part.located;
      if (!std::isfinite(x) || !std::isfinite(y) ||
          (!fc.valid.empty() && !fc.valid.contains(x, y))) {
        b.note_out_of_range(x, y);
        b.reject(RejectReason::outside_crs_range, fid,
                 fmt::format("({}, {}) is outside the valid range of {}", x, y, crs.label()),
                 feature_text(raw_feature));
        continue;
      }
      inc.append(
          x, y, w, date, category, source, fid,
          location_i >= 0
              ? b.location_index(trim(decode(OGR_F_GetFieldAsString(raw_feature, location_i), fid)))
              : -1,
          force);
      ++acc.used;
    }
  } catch (...) {
    part.error = std::current_exception();
  }
  decode.report(warnings);
  return part;
}

// ---------------------------------------------------------------------------------------------
// One input file, read by a worker

struct FileWork {
  InputSource source;
  std::vector<std::string> warnings;  ///< decoding notes, in the order a sequential read gives
  FileCrs fc;
  bool police_layout = false;
  std::string file_force;
  bool file_force_wanted = false;
  std::vector<Part> parts;
  Incidents slab;            ///< the rows of a CSV file read in pieces (Part::slab)
  std::exception_ptr error;  ///< the file could not be read at all
};

FileWork read_file(const Filters& filters, const FileJob& job, std::uint32_t source) {
  FileWork w;
  try {
    if (job.csv) {
      CsvFile file = open_csv(filters, job.path, w.source, w.warnings);
      w.parts = read_csv_parts(filters, file, source, w.slab);
      w.fc = file.fc;
      w.source.crs = file.fc.crs.label();
      w.police_layout = file.police_layout;
      w.file_force = file.file_force;
      w.file_force_wanted = file.file_force_wanted;
    } else {
      w.parts.push_back(read_ogr(filters, job.path, source, w.source, w.warnings, w.fc,
                                 w.file_force, w.file_force_wanted));
    }
  } catch (...) {
    w.error = std::current_exception();
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// The merge: parts in file and piece order into one result

class Merger {
 public:
  Merger(const Filters& filters, std::vector<std::string> warnings) : filters_(filters) {
    result_.warnings = std::move(warnings);
  }

  /// Adds one file's parts; throws its first error (a sequential read stops there too).
  void add(FileWork& w, std::uint32_t source);

  ReadResult finish();

 private:
  /// The indices of one part's names in the result's (category, force, location).
  struct NameMaps {
    std::vector<std::int32_t> category;
    std::vector<std::int16_t> force;
    std::vector<std::int32_t> location;
  };
  /// A part's names, counts and rejected rows into the result, in part order.
  NameMaps merge_names(Part& part);
  /// The parts' columns appended to the result's, names mapped (one task per column).
  /// Rows of parts in the slab come from `slab`; with `move_slab` (the result is empty and every
  /// part is in the slab) the slab's columns are closed up and moved into the result.
  void append_columns(std::vector<Part>& parts, const std::vector<NameMaps>& maps, Incidents& slab,
                      bool move_slab);
  /// `x_counts`: how many of the file's x lie below −180 and up to 180, when the parts counted
  /// them (else they are counted here).
  void check_plausible(const std::string& path, const FileCrs& fc, bool fixed_crs,
                       std::size_t first, std::int64_t out_of_range, std::int64_t located,
                       const std::vector<double>& bad_x, const std::vector<double>& bad_y,
                       const std::optional<std::pair<std::int64_t, std::int64_t>>& x_counts) const;
  void adopt_crs(const FileCrs& fc, std::size_t first, std::uint32_t source);

  std::int16_t force_index(const std::string& key, const std::string& path) {
    if (auto it = force_lookup_.find(key); it != force_lookup_.end()) return it->second;
    auto& keys = result_.incidents.force_keys;
    if (keys.size() >= static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max()))
      throw InputError(path, 0, "Falls within",
                       fmt::format("more than {} distinct forces: not a force column",
                                   std::numeric_limits<std::int16_t>::max()));
    const auto index = static_cast<std::int16_t>(keys.size());
    keys.push_back(key);
    force_lookup_.emplace(key, index);
    result_.force_rows.push_back(0);
    return index;
  }

  const Filters& filters_;
  ReadResult result_;
  std::vector<std::int64_t> type_counts_;
  NameMap<std::int32_t> category_lookup_;
  NameMap<std::int32_t> location_lookup_;
  NameMap<std::int16_t> force_lookup_;
  std::set<std::string> matched_file_forces_;
  std::string month_kept_by_day_filter_;
  std::string current_path_;
  bool have_crs_ = false;
};

void Merger::add(FileWork& w, std::uint32_t source) {
  if (w.error) std::rethrow_exception(w.error);
  for (const Part& part : w.parts)
    if (part.error) std::rethrow_exception(part.error);
  current_path_ = w.source.path;
  result_.warnings.insert(result_.warnings.end(), w.warnings.begin(), w.warnings.end());
  if (w.file_force_wanted) matched_file_forces_.insert(w.file_force);
  result_.sources.push_back(std::move(w.source));
  assert(result_.sources.size() == source + 1);
  Incidents& inc = result_.incidents;
  const std::size_t first = inc.size();
  std::size_t rows = 0;
  for (const Part& part : w.parts) rows += part.size();
  const bool move_slab =
      inc.size() == 0 && !w.parts.empty() &&
      std::all_of(w.parts.begin(), w.parts.end(), [](const Part& p) { return p.in_slab; });
  if (!move_slab) reserve_rows(inc, rows);
  std::int64_t located = 0;
  std::int64_t out_of_range = 0;
  std::vector<double> bad_x;
  std::vector<double> bad_y;
  std::int64_t read = 0;
  const bool unterminated_quote = !w.parts.empty() && w.parts.back().unterminated_quote;
  const std::int64_t last_line = w.parts.empty() ? 0 : w.parts.back().last_line;
  std::vector<NameMaps> maps;
  // The degrees check's counts of the rows kept, when every part gathered them (CSV).
  std::optional<std::pair<std::int64_t, std::int64_t>> x_counts =
      std::pair<std::int64_t, std::int64_t>{};
  for (Part& part : w.parts) {
    if (part.kept_counted && x_counts)
      x_counts->first += part.kept_x_below, x_counts->second += part.kept_x_up_to;
    else
      x_counts.reset();
    read += part.rows;
    located += part.located;
    out_of_range += part.out_of_range;
    for (std::size_t i = 0; i < part.bad_x.size() && bad_x.size() < 3; ++i)
      bad_x.push_back(part.bad_x[i]), bad_y.push_back(part.bad_y[i]);
    maps.push_back(merge_names(part));
  }
  append_columns(w.parts, maps, w.slab, move_slab);
  w.slab = Incidents{};
  const std::string& path = result_.sources[source].path;
  if (unterminated_quote)
    throw InputError(path, last_line, "",
                     "a quoted field is not closed before the end of the file");
  result_.sources[source].rows = read;
  check_plausible(path, w.fc, w.police_layout, first, out_of_range, located, bad_x, bad_y,
                  x_counts);
  adopt_crs(w.fc, first, source);
  w.parts.clear();
}

Merger::NameMaps Merger::merge_names(Part& part) {
  Incidents& inc = result_.incidents;
  Incidents& p = part.incidents;
  NameMaps maps;
  // This part's names onto the result's, added in the order of first appearance.
  maps.category.resize(p.category_names.size());
  for (std::size_t i = 0; i < p.category_names.size(); ++i) {
    const std::string& name = p.category_names[i];
    auto it = category_lookup_.find(name);
    if (it == category_lookup_.end()) {
      it = category_lookup_.emplace(name, static_cast<std::int32_t>(inc.category_names.size()))
               .first;
      inc.category_names.push_back(name);
      type_counts_.push_back(0);
    }
    maps.category[i] = it->second;
    type_counts_[static_cast<std::size_t>(it->second)] += part.type_counts[i];
  }
  maps.force.resize(p.force_keys.size());
  for (std::size_t i = 0; i < p.force_keys.size(); ++i) {
    maps.force[i] = force_index(p.force_keys[i], current_path_);
    result_.force_rows[static_cast<std::size_t>(maps.force[i])] += part.force_rows[i];
  }
  maps.location.resize(p.location_names.size());
  for (std::size_t i = 0; i < p.location_names.size(); ++i) {
    auto it = location_lookup_.find(p.location_names[i]);
    if (it == location_lookup_.end()) {
      it = location_lookup_
               .emplace(p.location_names[i], static_cast<std::int32_t>(inc.location_names.size()))
               .first;
      inc.location_names.push_back(std::move(p.location_names[i]));
    }
    maps.location[i] = it->second;
  }

  // Counts, and the rejected rows a sequential read would have kept: all of them, or the
  // first kExamplesPerReason of each reason over the whole read.
  RowAccounting& acc = result_.accounting;
  const RowAccounting& pa = part.accounting;
  acc.read += pa.read;
  acc.used += pa.used;
  std::array<std::int64_t, kRejectReasonCount> seen{};
  for (auto& row : part.accounting.rows) {
    const auto r = static_cast<std::size_t>(row.reason);
    if (filters_.options.keep_rejected_rows ||
        acc.rejected[r] + ++seen[r] <= static_cast<std::int64_t>(kExamplesPerReason))
      acc.rows.push_back(std::move(row));
  }
  for (std::size_t r = 0; r < kRejectReasonCount; ++r) acc.rejected[r] += pa.rejected[r];
  if (month_kept_by_day_filter_.empty()) month_kept_by_day_filter_ = part.month_only_at;
  return maps;
}

void Merger::append_columns(std::vector<Part>& parts, const std::vector<NameMaps>& maps,
                            Incidents& slab, bool move_slab) {
  Incidents& inc = result_.incidents;
  std::vector<std::size_t> at{inc.size()};  // where each part's rows go
  bool location = !inc.location.empty();
  bool force = !inc.force.empty();
  for (const Part& part : parts) {
    at.push_back(at.back() + part.size());
    location |= part.in_slab ? part.slab_location : !part.incidents.location.empty();
    force |= part.in_slab ? part.slab_force : !part.incidents.force.empty();
  }
  const std::size_t before = at.front();
  const std::size_t total = at.back();
  // A part's rows of one column: in the slab, or in its own columns (empty for a name column
  // the part never filled).
  const auto rows_of = [&](std::size_t k, auto column) {
    const Part& part = parts[k];
    const auto& in = part.in_slab ? slab.*column : part.incidents.*column;
    using T = typename std::decay_t<decltype(in)>::value_type;
    if (!part.in_slab) return std::span<const T>(in);
    if (in.empty()) return std::span<const T>();
    return std::span<const T>(in).subspan(part.slab_begin, part.slab_rows);
  };
  if (move_slab) {
    // The first rows of the result: the slab's ranges closed up in place (each moves down or
    // stays) and its columns moved in; name indices mapped in place.
    const auto close_up = [&](auto column) {
      auto& v = slab.*column;
      for (std::size_t k = 0; k < parts.size(); ++k) {
        const auto from = v.begin() + static_cast<std::ptrdiff_t>(parts[k].slab_begin);
        if (parts[k].slab_begin != at[k])
          std::copy(from, from + static_cast<std::ptrdiff_t>(parts[k].slab_rows),
                    v.begin() + static_cast<std::ptrdiff_t>(at[k]));
      }
      v.resize(total);
      inc.*column = std::move(v);
    };
    const auto close_up_mapped = [&](auto column, auto map_of, bool present) {
      auto& v = slab.*column;
      if (!present || v.empty()) return;  // the result keeps no such column (as append's rule)
      for (std::size_t k = 0; k < parts.size(); ++k) {
        const auto& map = maps[k].*map_of;
        for (std::size_t i = 0; i < parts[k].slab_rows; ++i) {
          const auto c = v[parts[k].slab_begin + i];
          v[at[k] + i] = c < 0 ? c : map[static_cast<std::size_t>(c)];
        }
      }
      v.resize(total);
      inc.*column = std::move(v);
    };
    tbb::parallel_invoke(
        [&] { close_up(&Incidents::x); }, [&] { close_up(&Incidents::y); },
        [&] { close_up(&Incidents::weight); }, [&] { close_up(&Incidents::date); },
        [&] { close_up(&Incidents::source); }, [&] { close_up(&Incidents::line); },
        [&] { close_up_mapped(&Incidents::category, &NameMaps::category, true); },
        [&] { close_up_mapped(&Incidents::location, &NameMaps::location, location); },
        [&] { close_up_mapped(&Incidents::force, &NameMaps::force, force); });
    for (Part& part : parts) part = Part{};
    return;
  }
  // Each column is one task: the copies (and the page faults of the result's new pages) run
  // in parallel, a large file's pieces no longer one after another on the merging thread.
  const auto copy = [&](auto column) {
    auto& out = inc.*column;
    out.resize(total);
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const auto in = rows_of(k, column);
      std::copy(in.begin(), in.end(), out.begin() + static_cast<std::ptrdiff_t>(at[k]));
    }
  };
  // A name column: indices mapped, −1 kept; location and force are either empty or one per
  // incident (Incidents::append), −1 where a part has none.
  const auto mapped = [&](auto column, auto map_of, bool present) {
    auto& out = inc.*column;
    if (!present) return;
    out.resize(before, -1);
    out.resize(total, -1);
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const auto in = rows_of(k, column);
      const auto& map = maps[k].*map_of;
      auto o = out.begin() + static_cast<std::ptrdiff_t>(at[k]);
      for (const auto c : in) *o++ = c < 0 ? c : map[static_cast<std::size_t>(c)];
    }
  };
  tbb::parallel_invoke([&] { copy(&Incidents::x); }, [&] { copy(&Incidents::y); },
                       [&] { copy(&Incidents::weight); }, [&] { copy(&Incidents::date); },
                       [&] { copy(&Incidents::source); }, [&] { copy(&Incidents::line); },
                       [&] { mapped(&Incidents::category, &NameMaps::category, true); },
                       [&] { mapped(&Incidents::location, &NameMaps::location, location); },
                       [&] { mapped(&Incidents::force, &NameMaps::force, force); });
  for (Part& part : parts) part = Part{};
}

void Merger::adopt_crs(const FileCrs& fc, std::size_t first, std::uint32_t source) {
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
  if (transform_distinct(ct, xs, ys) == xs.size()) return;
  std::vector<std::uint8_t> keep(inc.size(), 1);
  for (std::size_t i = first; i < inc.size(); ++i) {
    if (std::isnan(inc.x[i])) {
      keep[i] = 0;
      --result_.accounting.used;
      record_reject(
          result_.accounting, RejectReason::outside_crs_range, filters_.options.keep_rejected_rows,
          RejectedRow{
              source, inc.line[i], RejectReason::outside_crs_range, inc.date[i],
              fmt::format("cannot be transformed from {} to {}", fc.crs.label(), inc.crs.label()),
              ""});
    }
  }
  inc.keep_only(keep);
}

void Merger::check_plausible(
    const std::string& path, const FileCrs& fc, bool fixed_crs, std::size_t first,
    std::int64_t out_of_range, std::int64_t located, const std::vector<double>& bad_x,
    const std::vector<double>& bad_y,
    const std::optional<std::pair<std::int64_t, std::int64_t>>& x_counts) const {
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
  // Projected coordinates whose median x is outside ±180 cannot look like degrees: the usual
  // case (eastings in metres) is settled by one counting pass, no median.
  // (Parsed x are finite: median_outside's counts, without its pass when the parts made them.)
  const auto k = static_cast<std::int64_t>(n / 2);
  if (!fc.crs.geographic &&
      (x_counts ? x_counts->first > k || x_counts->second <= k
                : median_outside(std::span<const double>(inc.x).subspan(first), -kDegreesLimit,
                                 kDegreesLimit)))
    return;
  double mx = 0;
  double my = 0;
  tbb::parallel_invoke([&] { mx = median(std::span<const double>(inc.x).subspan(first)); },
                       [&] { my = median(std::span<const double>(inc.y).subspan(first)); });
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

ReadResult Merger::finish() {
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
  for (const auto& wanted : filters_.explicit_types) {
    const bool found = std::any_of(names.begin(), names.end(),
                                   [&](const std::string& n) { return lower(n) == wanted; });
    if (!found)
      throw Error(fmt::format("--crime-type '{}' matches no incident; crime types present: {}",
                              wanted, present_list()));
  }
  for (const auto& wanted : filters_.wanted_forces) {
    const auto& keys = r.incidents.force_keys;
    if (std::find(keys.begin(), keys.end(), wanted) != keys.end() ||
        matched_file_forces_.count(wanted))
      continue;
    std::vector<std::string> present_forces;
    for (std::size_t i = 0; i < keys.size(); ++i)
      present_forces.push_back(fmt::format("{} ({} rows)", keys[i], r.force_rows[i]));
    throw Error(fmt::format("--force '{}' matches no row; forces present: {}", wanted,
                            present_forces.empty()
                                ? std::string("none")
                                : fmt::format("{}", fmt::join(present_forces, ", "))));
  }
  const RowAccounting& acc = r.accounting;
  const std::int64_t by_type = acc.rejected_for(RejectReason::filtered_crime_type);
  const std::int64_t by_date = acc.rejected_for(RejectReason::filtered_date);
  if (acc.used == 0 && acc.read > 0 && by_type + by_date == 0 &&
      acc.rejected_for(RejectReason::filtered_force) > 0)
    throw Error(fmt::format("--force {} leaves no incident with coordinates",
                            fmt::join(filters_.options.forces, ",")));
  if (acc.used == 0 && acc.read > 0 && by_type + by_date > 0) {
    // The filters emptied the selection, alone or together with rows that cannot be placed
    // (which would otherwise surface later as a puzzling "no located incidents").
    const std::int64_t kept = acc.read - by_type - by_date;
    const std::string what =
        kept > 0 ? fmt::format("no incident with coordinates ({} row{} kept, none usable)", kept,
                               kept == 1 ? "" : "s")
                 : "no incident";
    const std::string range =
        fmt::format("--from/--to ({} to {})",
                    filters_.options.from ? filters_.options.from->to_string() : "start",
                    filters_.options.to ? filters_.options.to->to_string() : "end");
    const std::string types =
        fmt::format("--crime-type {}", fmt::join(filters_.options.crime_types, ","));
    if (by_date == 0)
      throw Error(
          fmt::format("{} leaves {}; crime types present: {}", types, what, present_list()));
    if (by_type == 0) throw Error(fmt::format("{} leave {}", range, what));
    throw Error(fmt::format("{} with {} leave {}; crime types present: {}", types, range, what,
                            present_list()));
  }
  if (!month_kept_by_day_filter_.empty())
    r.warnings.push_back(fmt::format(
        "--from/--to {} .. {} name days, but some rows are dated to the month only (police.uk "
        "gives months; first: {}): whole months {} .. {} are kept for them",
        filters_.options.from ? filters_.options.from->to_string() : "start",
        filters_.options.to ? filters_.options.to->to_string() : "end", month_kept_by_day_filter_,
        filters_.options.from ? month_to_string(filters_.options.from->month_index) : "start",
        filters_.options.to ? month_to_string(filters_.options.to->month_index) : "end"));
  return std::move(result_);
}

ReadResult read_all(const std::vector<FileJob>& jobs, const Filters& filters,
                    std::vector<std::string> warnings) {
  Merger merger(filters, std::move(warnings));
  // Workers read files while one serial stage merges them in order; at most a few files are
  // held at once, so memory stays that of the result plus a few files.
  std::size_t next = 0;
  std::exception_ptr failed;      // written by the merge stage only, read after the pipeline
  std::atomic<bool> stop{false};  // read by the first stage, on another thread
  const std::size_t tokens =
      2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) + 1;
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& fc) -> std::size_t {
                                            if (next >= jobs.size() || stop.load()) {
                                              fc.stop();
                                              return 0;
                                            }
                                            return next++;
                                          }) &
          tbb::make_filter<std::size_t, std::pair<std::size_t, FileWork>>(
              tbb::filter_mode::parallel,
              [&](std::size_t i) {
                return std::pair{i, read_file(filters, jobs[i], static_cast<std::uint32_t>(i))};
              }) &
          tbb::make_filter<std::pair<std::size_t, FileWork>, void>(
              tbb::filter_mode::serial_in_order, [&](std::pair<std::size_t, FileWork> item) {
                if (failed) return;
                try {
                  merger.add(item.second, static_cast<std::uint32_t>(item.first));
                } catch (...) {
                  failed = std::current_exception();
                  stop = true;
                }
              }));
  if (failed) std::rethrow_exception(failed);
  return merger.finish();
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
    case RejectReason::filtered_force:
      return "filtered_force";
  }
  return "unknown";
}

std::int64_t RowAccounting::rejected_total() const {
  std::int64_t t = 0;
  for (auto v : rejected) t += v;
  return t;
}

void Incidents::keep_only(const std::vector<std::uint8_t>& keep) {
  const bool with_location = location.size() == size();
  const bool with_force = force.size() == size();
  std::size_t out = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    if (!keep[i]) continue;
    if (with_location) location[out] = location[i];
    if (with_force) force[out] = force[i];
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
  location.resize(with_location ? out : 0);
  force.resize(with_force ? out : 0);
}

std::size_t Incidents::distinct_locations() const {
  // Open addressing on the coordinates' bits (+0.0 for −0.0, which == treats alike): a sort of
  // a million pairs cost more than reading them. The table holds the index of each location's
  // first incident (4 bytes a slot, not the 16 of the pair: 8 MB instead of 34 MB of fresh pages
  // for a million incidents, which cost more than the hashing).
  const auto bits = [](double v) {
    if (v == 0.0) v = 0.0;
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    return u;
  };
  // Filled by both cores at once: a slot is claimed by compare-and-swap, so each location is
  // counted once whichever thread meets it first; the count does not depend on the order.
  const auto count = [&](auto none) {
    using Index = decltype(none);
    std::size_t capacity = 16;
    while (capacity < 2 * size()) capacity *= 2;
    // Left uninitialised (std::atomic<Index>[] would zero it first), hinted to 2 MiB pages, then
    // filled once with `none`; the slots are then used through std::atomic_ref.
    const auto storage = std::make_unique_for_overwrite<Index[]>(capacity);
    detail::hint_huge_pages(storage.get(), capacity * sizeof(Index));
    constexpr std::size_t kBlock = std::size_t{1} << 16;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, capacity, kBlock), [&](const auto& r) {
      std::fill(storage.get() + r.begin(), storage.get() + r.end(), none);
    });
    const auto slot_at = [&](std::size_t slot) { return std::atomic_ref<Index>(storage[slot]); };
    return tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, size(), kBlock), std::size_t{0},
        [&](const tbb::blocked_range<std::size_t>& r, std::size_t distinct) {
          // The slot of the location kAhead rows on is fetched into the cache while this one is
          // looked up: the misses overlap instead of coming one after another (~15% faster).
          constexpr std::size_t kAhead = 16;
          for (std::size_t i = r.begin(); i != r.end(); ++i) {
            if (i + kAhead < r.end())
              __builtin_prefetch(&storage[location_hash(bits(x[i + kAhead]), bits(y[i + kAhead])) &
                                          (capacity - 1)],
                                 1);
            const std::uint64_t a = bits(x[i]);
            const std::uint64_t b = bits(y[i]);
            const std::uint64_t h = location_hash(a, b);
            for (std::size_t slot = h & (capacity - 1);; slot = (slot + 1) & (capacity - 1)) {
              const std::atomic_ref<Index> cell = slot_at(slot);
              Index u = cell.load(std::memory_order_acquire);
              if (u == none) {
                if (cell.compare_exchange_strong(u, static_cast<Index>(i),
                                                 std::memory_order_acq_rel)) {
                  ++distinct;
                  break;
                }
                // Another thread took the slot first: u now holds its index.
              }
              if (bits(x[u]) == a && bits(y[u]) == b) break;
            }
          }
          return distinct;
        },
        std::plus<>());
  };
  if (size() < std::numeric_limits<std::uint32_t>::max())
    return count(std::numeric_limits<std::uint32_t>::max());
  return count(std::numeric_limits<std::uint64_t>::max());
}

namespace {

// The month of a police.uk street file's name (`2021-11-leicestershire-street.csv`), −1 for any
// other name.
std::int32_t month_from_file_name(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  constexpr std::string_view kSuffix = "-street.csv";
  if (name.size() < 8 + kSuffix.size() ||
      name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return -1;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return -1;
  if (name[4] != '-' || name[7] != '-') return -1;
  return parse_year_month(std::string_view(name).substr(0, 7));
}

/// Waits for a task group's tasks when it goes out of scope (also when an exception leaves it).
struct WaitFor {
  tbb::task_group& group;
  ~WaitFor() { group.wait(); }
};

}  // namespace

ReadResult read_incidents(const std::vector<std::string>& inputs, const ReadOptions& options) {
  if (inputs.empty()) throw InvalidArgument("no input given");
  if (options.from && options.to && !date_within(*options.from, std::nullopt, options.to))
    throw InvalidArgument("--to is before --from");
  std::vector<std::string> warnings;
  auto jobs = expand_inputs(inputs, warnings);
  const Filters filters(options);
  // --force: a file whose police.uk name names another force is not opened (a batch over N
  // forces read every file N times). Only when every force asked for is named by some file's
  // name: a force named only by its `Falls within` text ("Synthetic Force 01" for synthetic-01
  // files) needs its rows read, and a force without a file keeps the message listing the
  // forces present.
  std::vector<std::string> skipped;
  if (filters.filter_forces && !options.read_files_of_other_forces) {
    std::set<std::string> named;
    for (const auto& job : jobs)
      if (std::string f = force_from_file_name(job.path); !f.empty()) named.insert(std::move(f));
    const bool matchable =
        std::all_of(filters.wanted_forces.begin(), filters.wanted_forces.end(),
                    [&](const std::string& key) { return named.count(key) > 0; });
    if (matchable) {
      std::vector<FileJob> kept;
      for (auto& job : jobs) {
        const std::string f = force_from_file_name(job.path);
        if (!f.empty() && !filters.wanted_forces.count(f))
          skipped.push_back(job.path);
        else
          kept.push_back(std::move(job));
      }
      jobs = std::move(kept);
    }
  }
  // --from/--to: a police.uk month file (`YYYY-MM-<force>-street.csv`) of a month outside the
  // months read (history included) is not opened either: police.uk's archive holds one month per
  // file, so a plan of rolling windows over years reads each task's months, not every month.
  if ((options.from || options.to) && !options.read_files_of_other_months) {
    const std::int32_t first =
        options.history_from && options.from
            ? std::min(options.history_from->month_index, options.from->month_index)
        : options.from ? options.from->month_index
                       : -1;
    const std::int32_t last = options.to ? options.to->month_index : -1;
    std::vector<FileJob> kept;
    for (auto& job : jobs) {
      const std::int32_t month = month_from_file_name(job.path);
      if (month >= 0 && ((first >= 0 && month < first) || (last >= 0 && month > last)))
        skipped.push_back(job.path);
      else
        kept.push_back(std::move(job));
    }
    jobs = std::move(kept);
  }
  // The CRS --src-crs names and its valid range (a PROJ operation search from lon/lat, ~25 ms)
  // are worked out on another core while the first file is read, rather than after it: the
  // files that need them wait on Filters' lock and find them done.
  tbb::task_group ahead;
  const WaitFor wait_ahead{ahead};
  if (!options.src_crs.empty() && !jobs.empty())
    ahead.run([&filters, &options] {
      try {
        std::ignore = filters.file_crs(filters.crs(options.src_crs));
      } catch (...) {  // an unknown CRS: the file that needs it says so
      }
    });
  ReadResult result = read_all(jobs, filters, std::move(warnings));
  result.skipped_by_name = std::move(skipped);
  return result;
}

Point median_lonlat(const Incidents& incidents, const CoordinateTransform* to_lonlat) {
  // The coordinate-wise median in the source CRS, then that one point to lon/lat: transforming
  // every incident would cost more than reading them.
  double x = 0;
  double y = 0;
  tbb::parallel_invoke([&] { x = median(incidents.x); }, [&] { y = median(incidents.y); });
  if (!incidents.crs.geographic && !incidents.crs.empty() && !std::isnan(x)) {
    const auto one = [&](const CoordinateTransform& ct) {
      ct.transform(std::span<double>(&x, 1), std::span<double>(&y, 1));
    };
    if (to_lonlat)
      one(*to_lonlat);
    else
      one(CoordinateTransform(incidents.crs, datum_lonlat(incidents.crs)));
  }
  return {x, y};
}

void project_incidents(Incidents& incidents, const Crs& to, RowAccounting& accounting,
                       bool keep_rejected_rows) {
  CoordinateTransform ct(incidents.crs, to);
  const Crs from = incidents.crs;
  incidents.crs = to;
  if (ct.is_identity()) return;
  if (transform_distinct(ct, incidents.x, incidents.y) == incidents.size()) return;
  std::vector<std::uint8_t> keep(incidents.size(), 1);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    if (!std::isnan(incidents.x[i])) continue;
    keep[i] = 0;
    --accounting.used;
    record_reject(
        accounting, RejectReason::outside_crs_range, keep_rejected_rows,
        RejectedRow{incidents.source[i], incidents.line[i], RejectReason::outside_crs_range,
                    incidents.date[i],
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
    record_reject(accounting, RejectReason::outside_study_area, keep_rejected_rows,
                  RejectedRow{incidents.source[i], incidents.line[i],
                              RejectReason::outside_study_area, incidents.date[i],
                              fmt::format("({:.1f}, {:.1f}) {} is outside the study area",
                                          incidents.x[i], incidents.y[i], incidents.crs.label()),
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
    record_reject(accounting, reason, keep_rejected_rows,
                  RejectedRow{incidents.source[i], incidents.line[i], reason, incidents.date[i],
                              std::string(detail), ""});
  }
  incidents.keep_only(keep);
}

}  // namespace hotspots
