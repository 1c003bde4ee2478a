// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotspots {

/// A run of whole months [first, last], as month indexes (Date::month_index: year·12 + month − 1).
/// The one month arithmetic of the engine: the analysis period of a pack and its previous period,
/// the training and test windows of a backtest, the time steps of a space-time cube.
struct Period {
  std::int32_t first = -1;  ///< −1: no period (undated incidents)
  std::int32_t last = -1;

  [[nodiscard]] bool valid() const { return first >= 0 && last >= first; }
  [[nodiscard]] std::int32_t months() const { return valid() ? last - first + 1 : 0; }
  [[nodiscard]] bool contains(std::int32_t month) const {
    return valid() && month >= first && month <= last;
  }
  /// The period of equal length that ends the month before `first`.
  [[nodiscard]] Period previous() const { return ending_before(first, months()); }
  /// The `months` months that end the month before `month`: [month − months, month − 1]
  /// (a backtest's training window before its origin, a pack's previous period).
  [[nodiscard]] static Period ending_before(std::int32_t month, std::int32_t months) {
    return {month - months, month - 1};
  }
  /// "2024-07 to 2024-12", "2024-07" for one month, "undated incidents" when not valid.
  [[nodiscard]] std::string label() const;
  /// Every month of the period, in order.
  [[nodiscard]] std::vector<std::int32_t> month_indexes() const;
  friend bool operator==(const Period&, const Period&) = default;
};

/// Consecutive steps of `months_per_step` months covering `span` from its first month (the last
/// step may be shorter when the span is not a multiple of the step).
[[nodiscard]] std::vector<Period> time_slices(const Period& span, std::int32_t months_per_step);

/// "2024-01, 2024-03, ..." for at most six months, then "and N more".
[[nodiscard]] std::string month_list(const std::vector<std::int32_t>& months);

}  // namespace hotspots
