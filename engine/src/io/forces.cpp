// SPDX-License-Identifier: MIT
#include "hotspots/io/forces.hpp"

#include <cctype>
#include <filesystem>

namespace hotspots {
namespace {

std::string slugify(std::string_view text) {
  std::string out;
  bool gap = false;
  auto put = [&](char c) {
    if (gap && !out.empty()) out.push_back('-');
    gap = false;
    out.push_back(c);
  };
  for (char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c)) {
      put(static_cast<char>(std::tolower(c)));
    } else if (raw == '&') {
      gap = true;
      for (char a : std::string_view("and")) put(a);
      gap = true;
    } else {
      gap = true;
    }
  }
  return out;
}

// The name less a trailing "police", "constabulary" or "police service", as a slug.
std::string short_slug(std::string_view name) {
  std::string s = slugify(name);
  for (std::string_view tail : {"-police-service", "-police", "-constabulary"})
    if (s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0)
      return s.substr(0, s.size() - tail.size());
  return s;
}

}  // namespace

const std::vector<PoliceForce>& police_forces() {
  using K = ForceKind;
  static const std::vector<PoliceForce> forces = {
      {"avon-and-somerset", "Avon and Somerset Constabulary", K::territorial},
      {"bedfordshire", "Bedfordshire Police", K::territorial},
      {"btp", "British Transport Police", K::transport},
      {"cambridgeshire", "Cambridgeshire Constabulary", K::territorial},
      {"cheshire", "Cheshire Constabulary", K::territorial},
      {"city-of-london", "City of London Police", K::territorial},
      {"cleveland", "Cleveland Police", K::territorial},
      {"cumbria", "Cumbria Constabulary", K::territorial},
      {"derbyshire", "Derbyshire Constabulary", K::territorial},
      {"devon-and-cornwall", "Devon & Cornwall Police", K::territorial},
      {"dorset", "Dorset Police", K::territorial},
      {"durham", "Durham Constabulary", K::territorial},
      {"dyfed-powys", "Dyfed-Powys Police", K::territorial},
      {"essex", "Essex Police", K::territorial},
      {"gloucestershire", "Gloucestershire Constabulary", K::territorial},
      {"greater-manchester", "Greater Manchester Police", K::territorial},
      {"gwent", "Gwent Police", K::territorial},
      {"hampshire", "Hampshire Constabulary", K::territorial},
      {"hertfordshire", "Hertfordshire Constabulary", K::territorial},
      {"humberside", "Humberside Police", K::territorial},
      {"kent", "Kent Police", K::territorial},
      {"lancashire", "Lancashire Constabulary", K::territorial},
      {"leicestershire", "Leicestershire Police", K::territorial},
      {"lincolnshire", "Lincolnshire Police", K::territorial},
      {"merseyside", "Merseyside Police", K::territorial},
      {"metropolitan", "Metropolitan Police Service", K::territorial},
      {"norfolk", "Norfolk Constabulary", K::territorial},
      {"north-wales", "North Wales Police", K::territorial},
      {"north-yorkshire", "North Yorkshire Police", K::territorial},
      {"northamptonshire", "Northamptonshire Police", K::territorial},
      {"northern-ireland", "Police Service of Northern Ireland", K::northern_ireland},
      {"northumbria", "Northumbria Police", K::territorial},
      {"nottinghamshire", "Nottinghamshire Police", K::territorial},
      {"south-wales", "South Wales Police", K::territorial},
      {"south-yorkshire", "South Yorkshire Police", K::territorial},
      {"staffordshire", "Staffordshire Police", K::territorial},
      {"suffolk", "Suffolk Constabulary", K::territorial},
      {"surrey", "Surrey Police", K::territorial},
      {"sussex", "Sussex Police", K::territorial},
      {"thames-valley", "Thames Valley Police", K::territorial},
      {"warwickshire", "Warwickshire Police", K::territorial},
      {"west-mercia", "West Mercia Police", K::territorial},
      {"west-midlands", "West Midlands Police", K::territorial},
      {"west-yorkshire", "West Yorkshire Police", K::territorial},
      {"wiltshire", "Wiltshire Police", K::territorial},
  };
  return forces;
}

const PoliceForce* find_police_force(std::string_view text) {
  const std::string s = slugify(text);
  if (s.empty()) return nullptr;
  for (const auto& f : police_forces())
    if (s == f.slug || s == slugify(f.name) || s == short_slug(f.name)) return &f;
  // Common spellings that are neither slug nor name.
  if (s == "british-transport" || s == "transport-police") return find_police_force("btp");
  if (s == "psni" || s == "police-service-of-northern-ireland")
    return find_police_force("northern-ireland");
  if (s == "met" || s == "metropolitan-police") return find_police_force("metropolitan");
  return nullptr;
}

std::string force_key(std::string_view text) {
  if (const PoliceForce* f = find_police_force(text)) return std::string(f->slug);
  // "Sampleshire Police" in the column and 2024-01-sampleshire-street.csv are one force.
  return short_slug(text);
}

std::string force_from_file_name(std::string_view path) {
  std::string name = std::filesystem::path(std::string(path)).filename().string();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::string_view suffix = "-street.csv";
  // YYYY-MM- + at least one character + -street.csv
  if (name.size() < 8 + 1 + suffix.size()) return "";
  if (name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return "";
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return "";
  if (name[4] != '-' || name[7] != '-') return "";
  return force_key(std::string_view(name).substr(8, name.size() - 8 - suffix.size()));
}

std::string force_display_name(std::string_view key) {
  for (const auto& f : police_forces())
    if (f.slug == key) return std::string(f.name);
  return std::string(key);
}

ForceKind force_kind(std::string_view key) {
  for (const auto& f : police_forces())
    if (f.slug == key) return f.kind;
  return ForceKind::territorial;
}

}  // namespace hotspots
