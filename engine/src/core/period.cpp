// SPDX-License-Identifier: MIT
#include "hotspots/core/period.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {

std::string Period::label() const {
  if (!valid()) return "undated incidents";
  return first == last ? month_to_string(first)
                       : fmt::format("{} to {}", month_to_string(first), month_to_string(last));
}

std::vector<std::int32_t> Period::month_indexes() const {
  std::vector<std::int32_t> out;
  for (std::int32_t m = first; valid() && m <= last; ++m) out.push_back(m);
  return out;
}

std::vector<Period> time_slices(const Period& span, std::int32_t months_per_step) {
  if (months_per_step < 1)
    throw InvalidArgument(
        fmt::format("months_per_step must be at least 1, got {}", months_per_step));
  std::vector<Period> out;
  for (std::int32_t m = span.first; span.valid() && m <= span.last; m += months_per_step)
    out.push_back({m, std::min(span.last, m + months_per_step - 1)});
  return out;
}

std::string month_list(const std::vector<std::int32_t>& months) {
  std::vector<std::string> text;
  for (std::int32_t m : months) text.push_back(month_to_string(m));
  if (text.size() > 6) {
    text.resize(6);
    text.push_back(fmt::format("and {} more", months.size() - 6));
  }
  return fmt::format("{}", fmt::join(text, ", "));
}

}  // namespace hotspots
