// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace hotspots::cli {

/// What every command may use while it runs.
struct Context {
  std::ostream& out;         ///< data and reports asked for
  std::ostream& err;         ///< diagnostics
  std::string command_line;  ///< as typed, recorded in output metadata
};

/// One subcommand: setup() declares its options (no I/O), run() does the work.
class Command {
 public:
  virtual ~Command() = default;
  virtual CLI::App* setup(CLI::App& parent) = 0;
  /// Returns the exit code; throws hotspots::Error for failures (the app maps them).
  virtual int run(Context& context) = 0;
};

std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_kde_command();
std::unique_ptr<Command> make_gistar_command();
std::unique_ptr<Command> make_analyse_command();
std::unique_ptr<Command> make_evaluate_command();
std::unique_ptr<Command> make_batch_command();
std::unique_ptr<Command> make_emerging_command();
std::unique_ptr<Command> make_patrol_command();
std::unique_ptr<Command> make_change_command();

}  // namespace hotspots::cli
