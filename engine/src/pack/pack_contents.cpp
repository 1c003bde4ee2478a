// SPDX-License-Identifier: MIT
#include "hotspots/pack/pack_contents.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "hotspots/io/incidents.hpp"

namespace hotspots {

std::string study_area_name(const Study& study, const std::string& title) {
  if (!title.empty()) return title;
  std::vector<std::string> names;
  for (const ZoneLayer& layer : study.boundaries)
    for (const Zone& z : layer.zones)
      if (std::find(names.begin(), names.end(), z.name) == names.end()) names.push_back(z.name);
  if (names.empty()) return {};
  if (names.size() == 1) return names.front();
  constexpr std::size_t kNamed = 3;
  if (names.size() <= kNamed)
    return fmt::format("{} and {}", fmt::join(names.begin(), names.end() - 1, ", "), names.back());
  return fmt::format("{} and {} more areas", fmt::join(names.begin(), names.begin() + kNamed, ", "),
                     names.size() - kNamed);
}

std::string pack_folder_name(const std::string& group) {
  std::string out;
  for (char c : group) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0)
      out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "group" : out;
}

std::string group_title(const std::string& group) {
  std::string key;
  for (char c : group) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (key == "asb") return "Anti-social behaviour";
  if (key == "violence") return "Violence and sexual offences";
  if (key == "all") return "All incidents (crime and ASB)";
  if (key == "crime") return "All crime (excluding ASB)";
  for (const auto& g : crime_type_groups())
    if (g.name == key) {
      std::string d(g.description);
      if (!d.empty()) d[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(d[0])));
      return d;
    }
  return group;
}

double finite_max(const Raster& raster) {
  double m = 0;
  for (double v : raster.values)
    if (std::isfinite(v)) m = std::max(m, v);
  return m;
}

}  // namespace hotspots
