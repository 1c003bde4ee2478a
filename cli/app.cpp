// SPDX-License-Identifier: MIT
#include "app.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>

#include "command.hpp"
#include "hotspots/core/error.hpp"
#include "options.hpp"

namespace hotspots::cli {
namespace {

// POSIX shell quoting, so that the command line recorded in manifests and GeoTIFF metadata
// reruns when pasted into bash: a word with anything but safe characters is put in single
// quotes, and a single quote inside it becomes '\'' (close, escaped quote, reopen).
std::string shell_quote(const std::string& word) {
  const bool safe = !word.empty() && word.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789@%+=:,./_-") == std::string::npos;
  if (safe) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The command line recorded in outputs. --progress changes only what stderr shows, so it is left
// out: a run with and without it writes byte-identical files.
std::string join_args(const std::vector<std::string>& args) {
  std::string s = "hotspots";
  for (const auto& a : args)
    if (a != "--progress") s += ' ' + shell_quote(a);
  return s;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"hotspots: find crime hotspots in police.uk and force data", "hotspots"};
  app.set_version_flag("--version", std::string(HOTSPOTS_VERSION));
  app.require_subcommand(1);
  app.footer("Run 'hotspots COMMAND --help' for a command's options and examples.");

  // The command list: one line per subcommand.
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_info_command());
  commands.push_back(make_kde_command());
  commands.push_back(make_gistar_command());
  commands.push_back(make_analyse_command());
  commands.push_back(make_patrol_command());
  commands.push_back(make_evaluate_command());
  commands.push_back(make_batch_command());
  commands.push_back(make_emerging_command());
  commands.push_back(make_change_command());

  std::vector<std::pair<CLI::App*, Command*>> registered;
  for (auto& c : commands) registered.emplace_back(c->setup(app), c.get());

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << HOTSPOTS_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    // A subcommand's --help arrives here too, as a success code.
    if (e.get_exit_code() == 0) {
      for (auto& [sub, cmd] : registered)
        if (sub->parsed()) {
          out << sub->help();
          return 0;
        }
      out << app.help();
      return 0;
    }
    err << "hotspots: " << e.what() << "\nRun 'hotspots --help' for usage.\n";
    return 2;
  }

  for (auto& [sub, cmd] : registered) {
    if (!sub->parsed()) continue;
    const std::string name = sub->get_name();
    Context ctx{out, err, join_args(args)};
    try {
      const int code = cmd->run(ctx);
      // A report cut short (a full disk, a closed pipe) must not look like a success.
      // errno is left as the failed write set it (a stream that failed earlier stays failed).
      out.flush();
      if (!out) {
        const int reason = errno;
        err << "hotspots " << name << ": cannot write to standard output"
            << (reason != 0 ? std::string(": ") + std::strerror(reason) : std::string()) << "\n";
        return 1;
      }
      return code;
    } catch (const InvalidArgument& e) {
      // Engine messages name option fields (radius_m, methods[2]); say the flags typed instead.
      err << "hotspots " << name << ": " << with_flags(e.what()) << "\n";
      return 2;
    } catch (const InputError& e) {
      err << "hotspots " << name << ": " << e.what() << "\n";  // names a file: left as it is
      return 1;
    } catch (const IoError& e) {
      err << "hotspots " << name << ": " << e.what() << "\n";
      return 1;
    } catch (const Error& e) {
      err << "hotspots " << name << ": " << with_flags(e.what()) << "\n";
      return 1;
    } catch (const std::bad_alloc&) {
      err << "hotspots " << name << ": out of memory\n";
      return 1;
    }
  }
  return 2;
}

}  // namespace hotspots::cli
