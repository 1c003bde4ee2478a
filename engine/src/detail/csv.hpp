// SPDX-License-Identifier: MIT
#pragma once

// A fast RFC 4180 record splitter over an in-memory buffer: comma (or another) delimiter,
// double-quoted fields with "" escapes and embedded delimiters or newlines, LF, CRLF or CR-only
// (classic Mac OS, some Excel exports) line endings.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace hotspots::detail {

class CsvReader {
 public:
  CsvReader(std::string_view buffer, char delimiter = ',') : buf_(buffer), delim_(delimiter) {
    // A UTF-8 byte order mark is not part of the first column's name.
    if (buf_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  /// A reader that starts at byte `start` of `buffer` (which must be the start of a record)
  /// whose line number is `line`: for reading one piece of a file while others read the rest.
  CsvReader(std::string_view buffer, char delimiter, std::size_t start, std::int64_t line)
      : buf_(buffer), delim_(delimiter), pos_(start), next_line_(line) {}

  /// Reads the next record into fields(); returns false at the end of the buffer. Blank lines
  /// and lines of nothing but blanks and tabs are skipped alike (they are no rows).
  bool next() { return next_before(buf_.size()); }

  /// As next(), but reads only a record that starts before byte `end` (it may end after it).
  bool next_before(std::size_t end) {
    while (pos_ < end && pos_ < buf_.size()) {
      line_ = next_line_;
      const std::size_t start = pos_;
      fields_.clear();
      split_record();
      record_ = buf_.substr(start, record_end_ - start);
      if (!(fields_.size() == 1 && blank(fields_[0]))) return true;
    }
    return false;
  }

  const std::vector<std::string_view>& fields() const { return fields_; }
  /// The record's text as it stands in the file, without its line ending.
  std::string_view record() const { return record_; }
  /// 1-based line number where the current record starts.
  std::int64_t line() const { return line_; }
  /// Byte where the next record starts (after the current record's line ending).
  std::size_t position() const { return pos_; }
  /// 1-based line number of position().
  std::int64_t next_line() const { return next_line_; }
  /// True when a quoted field was not closed before the end of the buffer.
  bool unterminated_quote() const { return unterminated_; }

 private:
  static bool blank(std::string_view s) {
    for (char c : s)
      if (c != ' ' && c != '\t') return false;
    return true;
  }

  /// The first delimiter, LF or CR at or after `p` (n when none): 16 bytes a step (SSE2, which
  /// every x86-64 has) while 16 remain, then byte by byte; the same byte a byte-by-byte scan
  /// finds (a field of coordinates is found in one step instead of ~10).
  std::size_t field_end(const char* data, std::size_t p, std::size_t n) const {
#ifdef __SSE2__
    const __m128i delim = _mm_set1_epi8(delim_);
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    while (n - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + p));
      const int hits = _mm_movemask_epi8(_mm_or_si128(
          _mm_cmpeq_epi8(v, delim), _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))));
      if (hits != 0)
        return p + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(hits)));
      p += 16;
    }
#endif
    while (p < n && data[p] != delim_ && data[p] != '\n' && data[p] != '\r') ++p;
    return p;
  }

  void split_record() {
    const char* const data = buf_.data();
    const std::size_t n = buf_.size();
    std::size_t p = pos_;
    std::size_t field_start = p;
    scratch_.resize(0);
    for (;;) {
      if (p < n && data[p] == '"' && p == field_start) {
        // Quoted field: unescape "" into scratch only when needed.
        std::size_t q = p + 1;
        const std::size_t content = q;
        bool escaped = false;
        for (;;) {
          if (q >= n) {
            unterminated_ = true;
            break;
          }
          if (data[q] == '"') {
            if (q + 1 < n && data[q + 1] == '"') {
              escaped = true;
              q += 2;
              continue;
            }
            break;
          }
          if (data[q] == '\n' || (data[q] == '\r' && (q + 1 >= n || data[q + 1] != '\n')))
            ++next_line_;
          ++q;
        }
        std::string_view value(data + content, (q < n ? q : n) - content);
        if (escaped) {
          const std::size_t offset = scratch_.size();
          for (std::size_t i = 0; i < value.size(); ++i) {
            scratch_.push_back(value[i]);
            if (value[i] == '"') ++i;
          }
          pending_.push_back({fields_.size(), offset, scratch_.size() - offset});
          value = {};
        }
        fields_.push_back(value);
        p = q < n ? q + 1 : n;
        // Anything between the closing quote and the delimiter is kept out (lenient).
        while (p < n && data[p] != delim_ && data[p] != '\n' && data[p] != '\r') ++p;
      } else {
        const std::size_t q = field_end(data, p, n);
        fields_.emplace_back(data + p, q - p);
        p = q;
      }
      if (p >= n) {
        record_end_ = n;
        pos_ = n;
        break;
      }
      if (data[p] == '\n' || data[p] == '\r') {
        // LF, CRLF or a lone CR ends the record.
        record_end_ = p;
        pos_ = p + 1;
        if (data[p] == '\r' && pos_ < n && data[pos_] == '\n') ++pos_;
        ++next_line_;
        break;
      }
      ++p;  // delimiter
      field_start = p;
    }
    // Point unescaped fields at scratch now that it no longer grows.
    for (const auto& f : pending_)
      fields_[f.index] = std::string_view(scratch_).substr(f.offset, f.size);
    pending_.clear();
  }

  struct Pending {
    std::size_t index, offset, size;
  };
  std::string_view buf_;
  char delim_;
  std::size_t pos_ = 0;
  std::size_t record_end_ = 0;
  std::int64_t line_ = 0;
  std::int64_t next_line_ = 1;
  bool unterminated_ = false;
  std::vector<std::string_view> fields_;
  std::vector<Pending> pending_;
  std::string scratch_;
  std::string_view record_;
};

}  // namespace hotspots::detail
