// SPDX-License-Identifier: MIT
// libFuzzer target: the CSV incident reader (read_incidents on one .csv file), under the options
// the commands use. A crash, a sanitizer report, an exception that is not a hotspots::Error, or
// a row accounting that does not balance (read != used + rejected) is a finding.
// Build and run: tests/fuzz/run.sh SECONDS (README "Development").

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/incidents.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hotspots;
  static const std::string path = fuzz::scratch_path("input.csv");
  fuzz::write_input(path, data, size);
  // The input's length picks one of four option sets, so each input always reads the same way.
  ReadOptions options;
  options.max_line_bytes = 4096;  // the cap's own path, reached by small inputs
  // Every other input is read in pieces of 1..64 bytes (chosen by its length, so one input
  // always reads the same way): the pieces' slab, its ranges and the re-read after a piece that
  // ends inside a quoted field, which small inputs never reach at the default 4 MiB.
  if ((size / 4) % 2 == 1) options.piece_bytes = 1 + (size / 8) % 64;
  switch (size % 4) {
    case 0:
      options.skip_bad_rows = true;
      options.keep_rejected_rows = true;
      break;
    case 1:
      options.time_field = "date";
      options.weight_field = "weight";
      options.category_field = "type";
      options.skip_bad_rows = true;
      break;
    case 2:
      options.crime_types = {"asb", "violence"};
      options.from = parse_date("2024-01");
      options.to = parse_date("2024-06-15");
      break;
    default:
      options.encoding = TextEncoding::windows1252;
      options.skip_bad_rows = true;
      options.keep_rejected_rows = true;
      break;
  }
  try {
    const ReadResult result = read_incidents({path}, options);
    if (!result.accounting.balanced()) std::abort();
    if (result.incidents.size() != static_cast<std::size_t>(result.accounting.used)) std::abort();
  } catch (const Error&) {
    // A refusal with a message is the expected answer to bad input.
  }
  return 0;
}
