// SPDX-License-Identifier: MIT
#pragma once

// A programme of packs as data: `hotspots batch PLAN.json`. A plan names a base spec, the areas
// (listed, or every feature of a boundary layer) and the periods (explicit, or rolling windows);
// it expands to tasks, each one PackSpec with a stable id, in plan order.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hotspots/pack/pack_spec.hpp"

namespace hotspots {

/// One pack of a plan.
struct PlanTask {
  std::string id;      ///< stable: "<area>_<period>", e.g. "e06000016_2022-01_2022-12"
  std::string area;    ///< area id ("" when the plan has one unnamed area)
  std::string period;  ///< "2022-01 to 2022-12", "" when the base spec's period is used
  PackSpec spec;       ///< defaults resolved (resolve_pack_defaults)
};

/// The plan's format version, written as "plan_version"; newer ones are refused.
inline constexpr int kPlanVersion = 1;

/// Reads a plan (JSON text) and expands it to its tasks. `source` names the text in errors,
/// which name the key ("plan.json: periods[1].rolling.months: expected an integer"). Keys:
///   plan_version   1
///   base           a spec object as manifest.json's "spec" (parse_pack_spec; missing keys keep
///                  their defaults; spec_version may be left out)
///   areas          [{"id", "boundary": {...}, "zones": {...}, "inputs": [...]}]: each object is
///                  merged into the base spec (its "boundary"/"zones" into the spec's
///                  "boundaries"/"zones" objects, key by key); ids must be distinct
///   areas_from     {"boundary": PATH, "id_field": F, "layer": L}: one area per feature of the
///                  layer, selected by `F = 'value'` (read_zones gives the ids, in layer order)
///   forces         ["leicestershire", {"force": "btp", "boundary": {...}, "zones": {...},
///                  "inputs": [...]}]: one area per police force (a slug or `Falls within` name,
///                  see forces.hpp), its id the force's key; each task reads with
///                  read.forces = [that name], plus the object's boundary/zones/inputs merged as
///                  for areas. One of areas, areas_from and forces.
///   periods        [{"from": "YYYY-MM", "to": "YYYY-MM"} | {"rolling": {"from", "to",
///                  "months", "step"}} | {"last": {"months", "refreshes", "step"}}]: rolling
///                  windows of `months` months starting at from, from + step, ... while they end
///                  by `to`; `last`: the `months` months ending with the data's latest month
///                  (`latest_month`), and with refreshes = R > 1 also the R − 1 windows ending
///                  step, 2·step, ... months earlier (oldest first) — a monthly refresh
/// Without areas/areas_from there is one area (the base spec's boundary); without periods one
/// period (the base spec's from/to). Tasks are areas × periods, area-major. Throws
/// InvalidArgument naming the key; what read_zones throws for areas_from. O(tasks).
/// `latest_month` gives the month index (dates.hpp) that `last` periods end at, from the base
/// spec (its inputs and read options); it is called at most once, only when the plan has a `last`
/// period, and a plan with one but no `latest_month` is refused naming the key.
using LatestMonth = std::function<std::int32_t(const PackSpec& base)>;

[[nodiscard]] std::vector<PlanTask> expand_plan(std::string_view json_text,
                                                const std::string& source,
                                                const LatestMonth& latest_month = {});

/// The SHA-256 of pack_spec_json(spec): equal for equal specs, so a finished pack whose
/// manifest holds the same spec need not be built again.
[[nodiscard]] std::string spec_digest(const PackSpec& spec);

}  // namespace hotspots
