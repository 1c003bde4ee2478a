// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "hotspots/io/incidents.hpp"

namespace hotspots {

/// Which rejected rows a rejects CSV lists (every rejected row is counted either way).
struct RejectsListing {
  /// Rows left out by the crime-type and date filters (nothing is wrong with them).
  bool filtered = true;
  /// Rows whose point lies outside the study area (usable rows of a wider area).
  bool outside_study_area = true;
};

/// Writes a rejects CSV (--rejects, a pack's rejects.csv): one row per rejected input row that
/// `listing` asks for, with its source, line, reason and the row itself verbatim. Rows rejected
/// after reading (outside the study area) are fetched from their file by line number.
void write_rejects(const std::string& path, const ReadResult& data, bool overwrite,
                   RejectsListing listing = {});

}  // namespace hotspots
