// SPDX-License-Identifier: MIT
#pragma once

#include "hotspots/core/type_list.hpp"
#include "hotspots/stats/kernels/epanechnikov.hpp"
#include "hotspots/stats/kernels/gaussian.hpp"
#include "hotspots/stats/kernels/kernel_trait.hpp"
#include "hotspots/stats/kernels/quartic.hpp"
#include "hotspots/stats/kernels/triangular.hpp"
#include "hotspots/stats/kernels/triweight.hpp"
#include "hotspots/stats/kernels/uniform.hpp"

namespace hotspots {

/// Every KDE kernel, in the order the CLI lists them; the first is the default. A new kernel is
/// a trait header beside these (see kernel_trait.hpp) and one entry here: parsing, CLI choices
/// and help, the KDE's compile-time dispatch, manifest names and the typed tests
/// (tests/unit/stats/kernels_test.cpp) follow from this list.
using KernelList = TypeList<kernels::Quartic, kernels::Epanechnikov, kernels::Triweight,
                            kernels::Triangular, kernels::Uniform, kernels::Gaussian>;

/// A kernel: one of KernelList (a std::variant of the traits, default the first).
using Kernel = VariantOf<KernelList>;

namespace detail {
template <class... Ks>
constexpr bool all_kernel_traits(TypeList<Ks...> /*list*/) {
  return (kernels::KernelTrait<Ks> && ...);
}
}  // namespace detail
static_assert(detail::all_kernel_traits(KernelList{}),
              "every member of KernelList provides what kernel_trait.hpp lists");

}  // namespace hotspots
