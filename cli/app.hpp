// SPDX-License-Identifier: MIT
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hotspots::cli {

/// Runs the hotspots command line on `args` (without the program name), writing reports to `out`
/// and diagnostics to `err`. Returns the process exit code: 0 success, 1 data or I/O failure,
/// 2 usage error. Never calls exit(); the tests call it directly.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hotspots::cli
