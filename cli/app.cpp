// SPDX-License-Identifier: MIT
#include "app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "hotspots/error.hpp"

namespace hotspots::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"hotspots: crime hotspot analysis", "hotspots"};
  app.set_version_flag("--version", std::string(HOTSPOTS_VERSION));
  app.require_subcommand(1);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << HOTSPOTS_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "hotspots: " << e.what() << "\nRun 'hotspots --help' for usage.\n";
    return 2;
  }
  return 0;
}

}  // namespace hotspots::cli
