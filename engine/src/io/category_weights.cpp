// SPDX-License-Identifier: MIT
#include "hotspots/io/category_weights.hpp"

#include <cpl_vsi.h>
#include <fast_float/fast_float.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>

#include "detail/csv.hpp"
#include "detail/gdal_util.hpp"
#include "detail/text.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using detail::lower;

}  // namespace

CategoryWeights read_category_weights(const std::string& path) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  GByte* raw = nullptr;
  vsi_l_offset size = 0;
  if (!VSIIngestFile(nullptr, path.c_str(), &raw, &size, 16 << 20))
    throw IoError(fmt::format("{}: cannot read: {}", path, errors.message("no such file")));
  std::unique_ptr<GByte, decltype(&VSIFree)> holder(raw, &VSIFree);
  detail::CsvReader csv(
      std::string_view(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(size)));
  CategoryWeights table;
  while (csv.next()) {
    const auto& f = csv.fields();
    if (f.size() < 2)
      throw InputError(path, csv.line(), "", "expected two columns: category,weight");
    std::string_view text = f[1];
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    double w = 0;
    const auto r = fast_float::from_chars(text.data(), text.data() + text.size(), w);
    const bool number = r.ec == std::errc() && r.ptr == text.data() + text.size();
    if (!number && csv.line() == 1) continue;  // header
    if (!number || !std::isfinite(w) || w < 0)
      throw InputError(path, csv.line(), "weight",
                       fmt::format("'{}' is not a non-negative number", text));
    const std::string name(f[0]);
    if (std::any_of(table.weights.begin(), table.weights.end(),
                    [&](const auto& e) { return lower(e.first) == lower(name); }))
      throw InputError(path, csv.line(), "category", fmt::format("'{}' is listed twice", name));
    table.weights.emplace_back(name, w);
  }
  if (table.weights.empty()) throw InputError(path, 0, "", "the weight table is empty");
  return table;
}

void apply_category_weights(Incidents& incidents, const CategoryWeights& table,
                            const std::string& table_path) {
  std::vector<double> factor(incidents.category_names.size(), -1.0);
  std::vector<std::string> missing;
  for (std::size_t c = 0; c < factor.size(); ++c) {
    for (const auto& [name, w] : table.weights)
      if (lower(name) == lower(incidents.category_names[c])) factor[c] = w;
  }
  std::vector<bool> used(factor.size(), false);
  bool uncategorised = false;
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    if (incidents.category[i] < 0)
      uncategorised = true;
    else
      used[static_cast<std::size_t>(incidents.category[i])] = true;
  }
  for (std::size_t c = 0; c < factor.size(); ++c)
    if (used[c] && factor[c] < 0) missing.push_back(incidents.category_names[c]);
  if (uncategorised)
    throw Error(
        fmt::format("{}: a weight table needs a crime type for every incident; some have "
                    "none (give --category-field)",
                    table_path));
  if (!missing.empty())
    throw Error(fmt::format("{}: no weight for crime type{} {}", table_path,
                            missing.size() == 1 ? "" : "s", fmt::join(missing, ", ")));
  for (std::size_t i = 0; i < incidents.size(); ++i)
    incidents.weight[i] *= factor[static_cast<std::size_t>(incidents.category[i])];
}

}  // namespace hotspots
