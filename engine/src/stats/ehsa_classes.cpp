// SPDX-License-Identifier: MIT
#include "hotspots/stats/ehsa_classes.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <array>
#include <cmath>
#include <cstddef>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

// "At least 90 % of the n steps", in exact integers: 10·k >= 9·n.
bool at_least_90(std::size_t k, std::size_t n) {
  return 10 * k >= 9 * n;
}

EhsaClass classify_arcgis(std::span<const int> bin, const MannKendallResult& trend,
                          const EhsaClassOptions& o) {
  const std::size_t n = bin.size();
  const int level = o.min_bin_level;
  std::size_t hot = 0;
  std::size_t cold = 0;
  for (const int b : bin) {
    hot += b >= level;
    cold += b <= -level;
  }
  const bool sig_trend = trend.p <= o.trend_alpha;  // NaN: false
  const bool up = sig_trend && trend.z > 0;
  const bool down = sig_trend && trend.z < 0;
  const int last = bin[n - 1];

  // One side at a time: `same` counts the final step's side, `other` the opposite side.
  const auto final_side = [&](bool is_hot) {
    const std::size_t same = is_hot ? hot : cold;
    const std::size_t other = is_hot ? cold : hot;
    std::size_t run = 0;  // final uninterrupted run of the final step's side
    for (std::size_t t = n; t-- > 0;) {
      const bool on = is_hot ? bin[t] >= level : bin[t] <= -level;
      if (!on) break;
      ++run;
    }
    const bool growing = is_hot ? up : down;  // clustering intensifying
    const bool fading = is_hot ? down : up;   // clustering diminishing
    using C = EhsaClass;
    if (same == 1) return is_hot ? C::new_hot_spot : C::new_cold_spot;
    if (at_least_90(same, n)) {
      if (growing) return is_hot ? C::intensifying_hot_spot : C::intensifying_cold_spot;
      if (fading) return is_hot ? C::diminishing_hot_spot : C::diminishing_cold_spot;
      return is_hot ? C::persistent_hot_spot : C::persistent_cold_spot;
    }
    if (run == same && run >= 2) return is_hot ? C::consecutive_hot_spot : C::consecutive_cold_spot;
    if (other > 0) return is_hot ? C::oscillating_hot_spot : C::oscillating_cold_spot;
    return is_hot ? C::sporadic_hot_spot : C::sporadic_cold_spot;
  };
  if (last >= level) return final_side(true);
  if (last <= -level) return final_side(false);
  if (at_least_90(hot, n)) return EhsaClass::historical_hot_spot;
  if (at_least_90(cold, n)) return EhsaClass::historical_cold_spot;
  return EhsaClass::no_pattern;
}

// sfdep classify_hotspot(): gs = z, sigs = p <= threshold, tau = Kendall's tau of gs (its sign
// is sign(S)), tau_p = its two-sided p. The 16 tests in sfdep's list order; first match wins.
EhsaClass classify_sfdep(std::span<const double> z, std::span<const double> p,
                         const MannKendallResult& trend, double thr) {
  const std::size_t n = z.size();
  std::size_t sig = 0;
  std::size_t hot = 0;   // sigs & gs > 0
  std::size_t cold = 0;  // sigs & gs < 0
  for (std::size_t t = 0; t < n; ++t) {
    const bool s = p[t] <= thr;
    sig += s;
    hot += s && z[t] > 0;
    cold += s && z[t] < 0;
  }
  const bool sig_n = p[n - 1] <= thr;
  const bool pos_n = z[n - 1] > 0;
  const bool neg_n = z[n - 1] < 0;
  const double tau = trend.s;  // same sign as tau
  const double tau_p = trend.p;
  // Final run of significant bins (either sign) and whether any significant bin precedes it.
  std::size_t run = 0;
  for (std::size_t t = n; t-- > 0 && p[t] <= thr;) ++run;
  const bool quiet_before = sig == run;  // all(!sigs[-run_index])
  using C = EhsaClass;

  if (sig == 1 && sig_n && pos_n) return C::new_hot_spot;
  if (sig == 1 && sig_n && neg_n) return C::new_cold_spot;
  if (sig_n && pos_n && quiet_before && !at_least_90(hot, n)) return C::consecutive_hot_spot;
  if (sig_n && neg_n && quiet_before && !at_least_90(cold, n)) return C::consecutive_cold_spot;
  if (at_least_90(sig, n) && sig_n && tau > 0 && tau_p < thr) return C::intensifying_hot_spot;
  if (at_least_90(cold, n) && sig_n && tau < 0 && tau_p <= thr) return C::intensifying_cold_spot;
  if (at_least_90(hot, n) && tau_p > thr) return C::persistent_hot_spot;
  if (at_least_90(cold, n) && tau_p > thr) return C::persistent_cold_spot;
  if (at_least_90(hot, n) && sig_n && tau < 0 && tau_p <= thr) return C::diminishing_hot_spot;
  if (at_least_90(cold, n) && sig_n && tau > 0 && tau_p <= thr) return C::diminishing_cold_spot;
  // sum(hot)/n <= 0.9 is 10·hot <= 9·n.
  if (10 * hot <= 9 * n && sig_n && pos_n && cold > 0) return C::oscillating_hot_spot;
  if (!at_least_90(cold, n) && sig_n && neg_n && hot > 0) return C::oscillating_cold_spot;
  if (at_least_90(hot, n) && neg_n) return C::historical_hot_spot;
  if (pos_n && at_least_90(cold, n)) return C::historical_cold_spot;
  if (!at_least_90(hot, n) && cold == 0 && hot > 0) return C::sporadic_hot_spot;
  if (!at_least_90(cold, n) && hot == 0 && cold > 0) return C::sporadic_cold_spot;
  return C::no_pattern;
}

struct Names {
  std::string_view label;
  std::string_view key;
  std::string_view sfdep;
};

constexpr std::array<Names, 17> kNames{{
    {"No Pattern Detected", "no_pattern", "no pattern detected"},
    {"New Hot Spot", "new_hot_spot", "new hotspot"},
    {"Consecutive Hot Spot", "consecutive_hot_spot", "consecutive hotspot"},
    {"Intensifying Hot Spot", "intensifying_hot_spot", "intensifying hotspot"},
    {"Persistent Hot Spot", "persistent_hot_spot", "persistent hotspot"},
    {"Diminishing Hot Spot", "diminishing_hot_spot", "diminishing hotspot"},
    {"Sporadic Hot Spot", "sporadic_hot_spot", "sporadic hotspot"},
    {"Oscillating Hot Spot", "oscillating_hot_spot", "oscilating hotspot"},
    {"Historical Hot Spot", "historical_hot_spot", "historical hotspot"},
    {"New Cold Spot", "new_cold_spot", "new coldspot"},
    {"Consecutive Cold Spot", "consecutive_cold_spot", "consecutive coldspot"},
    {"Intensifying Cold Spot", "intensifying_cold_spot", "intensifying coldspot"},
    {"Persistent Cold Spot", "persistent_cold_spot", "persistent coldspot"},
    {"Diminishing Cold Spot", "diminishing_cold_spot", "diminishing coldspot"},
    {"Sporadic Cold Spot", "sporadic_cold_spot", "sporadic coldspot"},
    {"Oscillating Cold Spot", "oscillating_cold_spot", "oscilating coldspot"},
    {"Historical Cold Spot", "historical_cold_spot", "historical coldspot"},
}};

const Names& names(EhsaClass c) {
  return kNames[static_cast<std::size_t>(c)];
}

}  // namespace

void EhsaClassOptions::validate() const {
  if (min_bin_level < 1 || min_bin_level > 3)
    throw InvalidArgument(fmt::format(
        "emerging classes: min_bin_level must be 1, 2 or 3 (90/95/99 %), got {}", min_bin_level));
  if (!(trend_alpha > 0 && trend_alpha < 1))
    throw InvalidArgument(fmt::format(
        "emerging classes: trend_alpha must be a probability in (0, 1), got {}", trend_alpha));
  if (!(sfdep_threshold > 0 && sfdep_threshold < 1))
    throw InvalidArgument(
        fmt::format("emerging classes: sfdep_threshold must be a probability in (0, 1), got {}",
                    sfdep_threshold));
}

EhsaClass classify_emerging(std::span<const double> z, std::span<const double> p,
                            std::span<const int> bin, const MannKendallResult& trend,
                            const EhsaClassOptions& options) {
  options.validate();
  if (z.empty() || z.size() != p.size() || z.size() != bin.size())
    throw InvalidArgument(fmt::format(
        "emerging classes: z, p and bin must have the same length >= 1, got {}, {} and {}",
        z.size(), p.size(), bin.size()));
  return options.compat == Compat::arcgis ? classify_arcgis(bin, trend, options)
                                          : classify_sfdep(z, p, trend, options.sfdep_threshold);
}

EhsaResult classify_emerging_cube(const SpaceTimeGiStarResult& gi,
                                  const EhsaClassOptions& options) {
  options.validate();
  const std::size_t units = gi.unit_count;
  const std::size_t steps = gi.step_count;
  const std::size_t bins = units * steps;
  if (steps == 0 || gi.z.size() != bins || gi.p.size() != bins || gi.bin.size() != bins)
    throw InvalidArgument(fmt::format(
        "emerging classes: Gi* result of {} units x {} steps holds {} z, {} p and {} bins", units,
        steps, gi.z.size(), gi.p.size(), gi.bin.size()));
  EhsaResult r;
  r.classes.assign(units, EhsaClass::no_pattern);
  r.z_trends.assign(units, MannKendallResult{});
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, units), [&](const auto& range) {
    std::vector<double> z(steps);
    std::vector<double> p(steps);
    std::vector<int> b(steps);
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      for (std::size_t t = 0; t < steps; ++t) {
        z[t] = gi.z[t * units + i];
        p[t] = gi.p[t * units + i];
        b[t] = gi.bin[t * units + i];
      }
      r.z_trends[i] = mann_kendall(z);
      r.classes[i] = options.compat == Compat::arcgis
                         ? classify_arcgis(b, r.z_trends[i], options)
                         : classify_sfdep(z, p, r.z_trends[i], options.sfdep_threshold);
    }
  });
  return r;
}

std::string_view ehsa_class_label(EhsaClass c) {
  return names(c).label;
}
std::string_view ehsa_class_key(EhsaClass c) {
  return names(c).key;
}
std::string_view ehsa_class_sfdep_label(EhsaClass c) {
  return names(c).sfdep;
}

}  // namespace hotspots
