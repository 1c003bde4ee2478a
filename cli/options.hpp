// SPDX-License-Identifier: MIT
#pragma once
// What the CLI says about engine fields: the flag that sets each field (engine messages name
// fields such as `radius_m` or `methods[2]`; users typed flags) and the choices and help of
// options whose values are an engine family (kernels).

#include <CLI/CLI.hpp>

#include <cmath>
#include <string>
#include <string_view>

#include "hotspots/hotspots/local_statistics/local_statistic_list.hpp"

namespace hotspots::cli {

/// `message` with every engine field it names written as the flag that sets it, an index after
/// the field dropped: "methods[2] 'kde:radius=0': ..." -> "--methods 'kde:radius=0': ...",
/// "radius_m must be ..." -> "--radius must be ...". Fields are matched as whole words; text
/// without a known field comes back unchanged. O(length · fields).
[[nodiscard]] std::string with_flags(std::string_view message);

/// "--lisa-alpha" for an engine field "lisa_alpha".
[[nodiscard]] std::string flag_of_field(std::string_view field);

/// Declares one flag per option of every local statistic of LocalStatisticList (--permutations,
/// --seed, --lisa-alpha), bound to `options` (whose values are shown as the defaults), in
/// `group`. A new statistic's options become flags here with no other change.
void add_local_statistic_flags(CLI::App& app, LocalStatisticOptions& options,
                               const std::string& group);

/// A check of a number option whose message says the bound and whether it is included, and
/// says when the value is no number at all: "must be > 0", "must be > 0 and <= 100 (got 150)",
/// "'nan' is not a number". `unit` follows the bounds ("m"). Unset bounds are not checked
/// (NaN as a bound: none), so `number_in()` accepts any finite number.
[[nodiscard]] CLI::Validator number_in(double above = std::nan(""), double at_most = std::nan(""),
                                       std::string_view unit = "", double at_least = std::nan(""));

/// A positive distance in metres up to kMaxDistanceM (1,000 km): radii, cell sizes, bands.
[[nodiscard]] CLI::Validator positive_distance();

/// --kernel's help: the kernels of KernelList, the default marked ("quartic (default), ...").
[[nodiscard]] std::string kernel_help();

/// --kernel's check: one of KernelList's names.
[[nodiscard]] CLI::Validator kernel_choices();

}  // namespace hotspots::cli
