// SPDX-License-Identifier: MIT
#pragma once

#include <concepts>
#include <string>
#include <string_view>

#include "hotspots/pack/pack_contents.hpp"

namespace hotspots {

/// Where a product's files go: one set in each mapped group's folder, or one set for the pack.
enum class ProductScope { group, pack };

/// An image a product writes for people to look at (a PNG), with the caption the report gives it.
struct ProductFigure {
  std::string_view file;     ///< relative to the product's folder, one of its `files`
  std::string_view caption;  ///< one sentence: what the picture shows
};

/// A pack-scope product that reads other products' files (see PackProduct).
template <class P>
concept GatheringProduct = P::gathers;

/// A product that declares figures (see PackProduct).
template <class P>
concept ProductWithFigures = requires {
  P::figures.size();
};

/// What every member of PackProductList provides (one header/source pair each, beside this):
///   name   the product's name in messages and tests ("density", "summary");
///   scope  ProductScope::group or ProductScope::pack;
///   files  every file it may write, relative to its folder (a group's folder or the pack's);
///          "{place}" in a name stands for each patrol place id of the group (P1, P2...);
///   write  group scope: write(const PackContents&, const GroupResult&, const std::string& folder)
///          for each mapped group, while the group's surfaces are still held;
///          pack scope: write(const PackContents&, const std::string& dir), after every group.
///   enabled (optional) static bool enabled(const PackContents&): false leaves the product out
///          (e.g. emerging, off unless the spec asks for it); absent: always written.
///   gathers (optional, pack scope) static constexpr bool gathers = true: the product reads the
///          files other products wrote (tables.xlsx the CSVs, the report the maps); it is written
///          after every other product, side by side with the other gathering ones, and must not
///          read their files.
/// write() writes each file atomically and throws IoError naming the file on failure.
/// A product whose files include images for people may also declare
///   figures  std::array<ProductFigure, N>: each image file (one of `files`) and its caption;
/// the report (report.pdf, report.html) shows them, in list order, in the group's section (group
/// scope) or after the key figures (pack scope). A new picture is one entry there.
template <class P>
concept PackProduct = requires {
  { P::name } -> std::convertible_to<std::string_view>;
  { P::scope } -> std::convertible_to<ProductScope>;
  P::files.size();
};

}  // namespace hotspots
