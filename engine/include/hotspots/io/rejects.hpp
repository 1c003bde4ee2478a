// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "hotspots/io/incidents.hpp"

namespace hotspots {

/// Writes a rejects CSV (--rejects, a pack's rejects.csv): one row per rejected input row with its
/// source, line, reason and the row itself verbatim. Rows rejected after reading (outside the study
/// area) are fetched from their file by line number. Without `include_filtered`, rows rejected by
/// the crime-type and date filters are left out (they are counted, but nothing is wrong with them).
void write_rejects(const std::string& path, const ReadResult& data, bool overwrite,
                   bool include_filtered = true);

}  // namespace hotspots
