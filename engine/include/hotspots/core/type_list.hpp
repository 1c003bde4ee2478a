// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <variant>

namespace hotspots {

/// A compile-time list of types: the members of a family (KDE kernels, backtest methods), each a
/// trait type. Parsing, dispatch, help text and typed tests iterate the list, so adding a member
/// is one trait and one list entry. A type list rather than a macro list (PROJ's pj_list.h) or
/// static registration: it is ordinary C++, visible to the compiler and to the reader.
template <class... Ts>
struct TypeList {
  static constexpr std::size_t size = sizeof...(Ts);
};

/// Calls `f.template operator()<T>()` for every T of the list, in list order.
/// Use with a template lambda: `for_each_type(List{}, [&]<class T>() { ... });`.
template <class... Ts, class F>
constexpr void for_each_type(TypeList<Ts...> /*list*/, F&& f) {
  (f.template operator()<Ts>(), ...);
}

namespace detail {
template <class List>
struct VariantOf;
template <class... Ts>
struct VariantOf<TypeList<Ts...>> {
  using type = std::variant<Ts...>;
};
}  // namespace detail

/// std::variant over the types of a list: a value that is one member of the family. Dispatch
/// with std::visit stays compile-time inside each alternative.
template <class List>
using VariantOf = typename detail::VariantOf<List>::type;

}  // namespace hotspots
