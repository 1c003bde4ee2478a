// SPDX-License-Identifier: MIT
#include "options.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <fmt/format.h>

#include <cstdlib>

#include "hotspots/core/grid.hpp"
#include "hotspots/stats/kde.hpp"

namespace hotspots::cli {
namespace {

/// Engine field -> the flag that sets it, for every command (a field means the same option
/// wherever it appears). Fields only: a plain word such as "kernel" would also match prose.
constexpr std::array<std::pair<std::string_view, std::string_view>, 28> kFieldFlags{{
    {"radius_m", "--radius"},
    {"cell_size_m", "--cell-size"},
    {"methods", "--methods"},
    {"train_months", "--train"},
    {"test_months", "--test"},
    {"step_months", "--step"},
    {"area_percents", "--area-percent"},
    {"area_percent", "--area-percent"},
    {"distance_band_m", "--distance-band"},
    {"knn", "--knn"},
    {"contiguity_snap_m", "--contiguity-snap"},
    {"time_step_months", "--time-step-months"},
    {"time_lags", "--time-lags"},
    {"allow_gaps", "--allow-gaps"},
    {"output_dir", "-o"},
    {"min_spacing_m", "--min-spacing"},
    {"min_incidents", "--min-incidents"},
    {"min_incidents_per_month", "--min-per-month"},
    {"min_cell_incidents_per_month", "--min-cell-per-month"},
    {"max_count", "--patrol-count"},
    {"max_area_km2", "--patrol-max-area"},
    {"recording_share", "--recording-share"},
    {"top_locations", "--top-locations"},
    {"recording_names", "--recording-names"},
    {"data_study_area", "--data-study-area"},
    {"max_memory_mb", "--max-memory"},
    {"basemap_attribution", "--basemap-attribution"},
    {"basemap_path", "--basemap"},
}};

/// List fields whose plain name is also an everyday word ("groups"): replaced only when an
/// index follows ("groups[1] 'x': ..." -> "--groups 'x': ...").
constexpr std::array<std::pair<std::string_view, std::string_view>, 1> kIndexedFieldFlags{{
    {"groups", "--groups"},
}};

/// The option fields of the local statistics (LocalStatisticList), each shown as its flag.
const std::vector<std::string>& local_statistic_fields_list() {
  static const std::vector<std::string> fields = [] {
    std::vector<std::string> out;
    LocalStatisticOptions options;
    visit_local_statistic_options(
        options, [&](const char* name, auto&, const char*) { out.emplace_back(name); });
    return out;
  }();
  return fields;
}

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

std::string with_flags(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  std::size_t i = 0;
  while (i < message.size()) {
    // A whole word, not part of a flag ("--radius"), a path or a file name ("a/methods.csv").
    const char before = i == 0 ? ' ' : message[i - 1];
    std::size_t end = i;
    while (end < message.size() && word_char(message[end])) ++end;
    const char after = end < message.size() ? message[end] : ' ';
    const bool field_like =
        end > i && before != '-' && before != '/' && before != '.' && after != '/' &&
        !(after == '.' && end + 1 < message.size() && word_char(message[end + 1]));
    const std::string_view word = message.substr(i, end - i);
    const std::string_view* flag = nullptr;
    const bool indexed = end < message.size() && message[end] == '[';
    if (field_like) {
      for (const auto& [field, f] : kFieldFlags)
        if (word == field) flag = &f;
      if (indexed)
        for (const auto& [field, f] : kIndexedFieldFlags)
          if (word == field) flag = &f;
    }
    std::string statistic_flag;
    if (field_like && flag == nullptr)
      for (const std::string& field : local_statistic_fields_list())
        if (word == field) statistic_flag = flag_of_field(field);
    if (flag == nullptr && !statistic_flag.empty()) {
      out += statistic_flag;
      i = end;
      continue;
    }
    if (flag == nullptr) {
      out.append(message.substr(i, std::max<std::size_t>(end - i, 1)));
      i = std::max(end, i + 1);
      continue;
    }
    out += *flag;
    i = end;
    // "[2]": which entry of a list field; the flag takes the whole list.
    if (i < message.size() && message[i] == '[') {
      std::size_t close = i + 1;
      while (close < message.size() && std::isdigit(static_cast<unsigned char>(message[close])))
        ++close;
      if (close < message.size() && message[close] == ']' && close > i + 1) i = close + 1;
    }
  }
  return out;
}

std::string flag_of_field(std::string_view field) {
  std::string flag = "--";
  for (char c : field) flag += c == '_' ? '-' : c;
  return flag;
}

void add_local_statistic_flags(CLI::App& app, LocalStatisticOptions& options,
                               const std::string& group) {
  visit_local_statistic_options(options, [&](const char* name, auto& value, const char* help) {
    app.add_option(flag_of_field(name), value, fmt::format("{} (default {})", help, value))
        ->group(group);
  });
}

std::string kernel_help() {
  const auto names = kernel_names();
  const std::string_view default_name = to_string(KdeOptions{}.kernel);
  std::string help;
  for (const auto& name : names) {
    if (!help.empty()) help += ", ";
    help += name;
    if (name == default_name) help += " (default)";
  }
  return help;
}

CLI::Validator number_in(double above, double at_most, std::string_view unit, double at_least) {
  // Whole bounds in full ("1000000", not "1e+06"), so the limit reads as typed.
  const auto bound = [](double b) {
    return b == std::floor(b) && std::abs(b) < 1e15 ? fmt::format("{:.0f}", b)
                                                    : fmt::format("{:g}", b);
  };
  std::string rule;
  if (!std::isnan(above)) rule = "> " + bound(above);
  if (!std::isnan(at_least)) rule = ">= " + bound(at_least);
  if (!std::isnan(at_most)) rule += (rule.empty() ? "<= " : " and <= ") + bound(at_most);
  if (!rule.empty() && !unit.empty()) rule += " " + std::string(unit);
  const std::string description = rule.empty() ? "NUMBER" : "NUMBER " + rule;
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const char* begin = text.c_str();
        char* end = nullptr;
        const double v = std::strtod(begin, &end);
        if (end == begin || *end != '\0' || std::isnan(v))
          return fmt::format("'{}' is not a number", text);
        if (std::isinf(v) || (!std::isnan(above) && !(v > above)) ||
            (!std::isnan(at_least) && !(v >= at_least)) || (!std::isnan(at_most) && v > at_most))
          return fmt::format("must be {} (got {})", rule.empty() ? "finite" : rule, text);
        return "";
      },
      description);
}

CLI::Validator positive_distance() {
  return number_in(0, kMaxDistanceM, "m");
}

CLI::Validator kernel_choices() {
  return CLI::IsMember(kernel_names());
}

}  // namespace hotspots::cli
