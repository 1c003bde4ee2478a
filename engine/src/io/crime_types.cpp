// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include "detail/text.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/incidents.hpp"

namespace hotspots {
namespace {

using detail::lower;

// police.uk street-level categories since 2013 (plus the pre-2013 "Violent crime").
const std::vector<std::string_view>& police_uk_categories() {
  static const std::vector<std::string_view> names = {"Anti-social behaviour",
                                                      "Bicycle theft",
                                                      "Burglary",
                                                      "Criminal damage and arson",
                                                      "Drugs",
                                                      "Other crime",
                                                      "Other theft",
                                                      "Possession of weapons",
                                                      "Public order",
                                                      "Robbery",
                                                      "Shoplifting",
                                                      "Theft from the person",
                                                      "Vehicle crime",
                                                      "Violence and sexual offences",
                                                      "Violent crime"};
  return names;
}

}  // namespace

const std::vector<CrimeTypeGroup>& crime_type_groups() {
  static const std::vector<CrimeTypeGroup> groups = {
      {"asb", "anti-social behaviour", {"Anti-social behaviour"}},
      {"violence",
       "violence and sexual offences",
       {"Violence and sexual offences", "Violent crime"}},
      {"burglary", "burglary", {"Burglary"}},
      {"robbery", "robbery", {"Robbery"}},
      {"vehicle", "vehicle crime", {"Vehicle crime"}},
      {"theft",
       "acquisitive theft",
       {"Bicycle theft", "Other theft", "Shoplifting", "Theft from the person"}},
      {"damage", "criminal damage and arson", {"Criminal damage and arson"}},
      {"drugs", "drugs", {"Drugs"}},
      {"weapons", "possession of weapons", {"Possession of weapons"}},
      {"public-order", "public order", {"Public order"}},
      {"crime",
       "every recorded crime (all categories except anti-social behaviour)",
       {"Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
        "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
        "Theft from the person", "Vehicle crime", "Violence and sexual offences", "Violent crime"}},
      {"all", "every incident, crime and anti-social behaviour", {}},
  };
  return groups;
}

std::vector<std::string> expand_crime_types(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    const std::string key = lower(name);
    if (key.empty()) throw InvalidArgument("--crime-type: empty crime type");
    const auto group = std::find_if(crime_type_groups().begin(), crime_type_groups().end(),
                                    [&](const CrimeTypeGroup& g) { return g.name == key; });
    if (group != crime_type_groups().end()) {
      if (group->members.empty()) return {};  // "all" means no filter
      for (auto member : group->members) out.push_back(lower(member));
      // A force export may use the group's own word as its category ("ASB", "Violence").
      out.push_back(key);
    } else {
      out.push_back(key);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool is_police_uk_category(std::string_view name) {
  const std::string key = lower(name);
  return std::any_of(police_uk_categories().begin(), police_uk_categories().end(),
                     [&](std::string_view c) { return lower(c) == key; });
}

}  // namespace hotspots
