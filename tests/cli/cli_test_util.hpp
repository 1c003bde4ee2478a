// SPDX-License-Identifier: MIT
#pragma once

// Helpers for golden CLI tests: run the app in-process (scratch folders: support/scratch_dir.hpp).

#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots::testing {

struct CliResult {
  int code = 0;
  std::string out;
  std::string err;
};

inline CliResult run_cli(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = hotspots::cli::run(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace hotspots::testing
