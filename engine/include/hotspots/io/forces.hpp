// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotspots {

/// What kind of area a police force covers, for the warnings a study that mixes forces needs.
enum class ForceKind : std::uint8_t {
  territorial,       ///< a territorial force of England and Wales (or an unknown force)
  transport,         ///< British Transport Police: railway stations and lines across Great Britain
  northern_ireland,  ///< Police Service of Northern Ireland: its own island, its own grid
};

/// One force as police.uk publishes it: the slug of its archive files
/// (`2019-02/2019-02-<slug>-street.csv`) and the name in its `Falls within` column.
struct PoliceForce {
  std::string_view slug;  ///< "leicestershire", "btp", "northern-ireland"
  std::string_view name;  ///< "Leicestershire Police", "British Transport Police"
  ForceKind kind = ForceKind::territorial;
};

/// The 45 forces of police.uk's street-level archive (43 territorial forces of England and
/// Wales, British Transport Police and the Police Service of Northern Ireland), sorted by slug.
const std::vector<PoliceForce>& police_forces();

/// The force `text` names: a slug or `Falls within` name, case-insensitive, or the name without
/// its "Police"/"Constabulary" ("Devon & Cornwall", "city of london"); nullptr when none. O(45).
[[nodiscard]] const PoliceForce* find_police_force(std::string_view text);

/// The key a force is known by: the slug of the police.uk force `text` names, else `text`
/// made a slug (lower case, "&" as "and", every run of other characters one "-"), so that a
/// force police.uk does not list (a synthetic or renamed one) is still one key whether it came
/// from a file name or a column; a trailing "Police", "Constabulary" or "Police Service" is
/// dropped, as police.uk's slugs drop it ("Sampleshire Police" → "sampleshire"). "" for blank
/// text. O(length).
[[nodiscard]] std::string force_key(std::string_view text);

/// The force slug of a police.uk archive file name, `YYYY-MM-<slug>-street.csv` (any folder,
/// any case): "" when the name is not one. O(length).
[[nodiscard]] std::string force_from_file_name(std::string_view path);

/// The name shown for a force key: police.uk's `Falls within` name, else the key itself.
[[nodiscard]] std::string force_display_name(std::string_view key);

/// The kind of force a key names (territorial for keys police.uk does not list).
[[nodiscard]] ForceKind force_kind(std::string_view key);

}  // namespace hotspots
