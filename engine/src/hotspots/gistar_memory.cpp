// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/gistar_memory.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include "hotspots/units/units.hpp"

namespace hotspots {
namespace {

// One std::vector<int32_t> of k entries in a Neighbours list: its header, its capacity (the next
// power of two when grown by push_back, k when reserved) and malloc's bookkeeping.
double list_bytes(double k, bool reserved = false) {
  const double capacity = reserved || k < 1 ? k : std::exp2(std::ceil(std::log2(k)));
  return 24 + 4 * capacity + 16;
}

// Mean number of Gi* neighbours (self excluded) of a unit with a band, or k.
double mean_gi_neighbours(const GiStarMemoryInput& in) {
  if (in.knn > 0) return in.knn;
  const double b = in.distance_band_m;
  switch (in.shape) {
    case UnitShape::square:
      return std::numbers::pi * b * b / (in.cell_size_m * in.cell_size_m);
    case UnitShape::hexagon:
      return std::numbers::pi * b * b / (std::sqrt(3.0) / 2 * in.cell_size_m * in.cell_size_m);
    case UnitShape::zone:
      break;
  }
  return in.zones_area_m2 > 0 ? std::numbers::pi * b * b * in.units / in.zones_area_m2 : 6;
}

double contiguity_k(const GiStarMemoryInput& in) {
  if (in.shape == UnitShape::square) return in.contiguity == Contiguity::queen ? 8 : 4;
  return 6;
}

// Largest contiguity count whose shared draws local Moran's I keeps (zones vary more).
double max_contiguity_k(const GiStarMemoryInput& in) {
  return in.shape == UnitShape::zone ? 16 : contiguity_k(in);
}

}  // namespace

MemoryEstimate estimate_gistar_memory(const GiStarMemoryInput& in) {
  const double w = static_cast<double>(in.window_cells);
  const double u = in.units;
  const double n = static_cast<double>(in.incidents);
  const bool square = in.shape == UnitShape::square;
  const bool lisa = in.permutations > 0;
  const bool lists = !square || in.knn > 0;  // squares with a band use the lattice stencil
  const bool gi_lists = lists && (in.distance_band_m > 0 || in.knn > 0);

  MemoryEstimate e;
  e.add("program and libraries", kProgramBytes);
  e.add("incidents", n * (kBytesPerIncidentRead + 4));
  if (in.masked || !square) e.add("units", 8 * u);
  e.add("Gi* results", 40 * u);
  if (lisa || !square) e.add("contiguity", u * list_bytes(contiguity_k(in)));
  if (lisa) e.add("local Moran's I results", 20 * u);

  // The largest temporary of one step.
  struct Step {
    const char* name;
    double bytes;
  };
  const double kmax = max_contiguity_k(in);
  const double draws = 40.0 * in.permutations * kmax * (kmax + 1) / 2;
  const double lisa_temp = lisa ? 64 * u + draws : 0;
  // k nearest lists are reserved; band lists grow (hexagons: the lattice stencil, else an R-tree
  // of 48 B a unit while they are built).
  const double gi_list_bytes =
      !gi_lists ? 0
      : in.knn > 0
          ? u * (list_bytes(in.knn, true) + 48)
          : u * (list_bytes(mean_gi_neighbours(in)) + (in.shape == UnitShape::hexagon ? 0 : 48));
  const Step steps[] = {
      {"building the units",
       square ? (in.masked ? 1 * w : 0)
              : (in.shape == UnitShape::hexagon ? kHexBuildBytesPerCell * w : 0)},
      {"Gi* on the grid", square && !gi_lists ? 32 * w : 0},
      {"Gi* neighbour lists", gi_list_bytes},
      {"local Moran's I", lisa_temp + gi_list_bytes},
      {"clusters", in.clusters ? (square ? 20 * w : 308 * u) : 0},
      {"z-score raster", in.zscores ? 8 * w : 0},
  };
  const Step* peak =
      std::max_element(std::begin(steps), std::end(steps),
                       [](const Step& a, const Step& b) { return a.bytes < b.bytes; });
  e.peak_phase = peak->name;
  if (peak == &steps[3] && gi_list_bytes > 0) {
    e.add("Gi* neighbour lists", gi_list_bytes);
    e.add("local Moran's I (working arrays and permutation draws)", lisa_temp);
  } else {
    e.add(peak->name, peak->bytes);
  }
  return larger_of(std::move(e), reading_memory(in.rows_read));
}

GiStarMemoryFit gistar_memory_fit(const GiStarMemoryInput& in, double budget_bytes) {
  GiStarMemoryFit fit;
  const auto fits = [&](const GiStarMemoryInput& t) {
    return estimate_gistar_memory(t).bytes <= budget_bytes;
  };
  if (in.shape != UnitShape::zone && in.cell_size_m > 0) {
    const double c0 = in.cell_size_m;
    const auto at = [&](double cell) {
      GiStarMemoryInput t = in;
      const double shrink = (c0 / cell) * (c0 / cell);
      t.cell_size_m = cell;
      if (in.band_follows_cell) t.distance_band_m = in.distance_band_m * cell / c0;
      t.window_cells =
          static_cast<std::int64_t>(std::ceil(static_cast<double>(in.window_cells) * shrink));
      t.units = in.units * shrink;
      return t;
    };
    if (fits(in)) {
      fit.cell_size_m = c0;
    } else {
      double lo = c0;
      double hi = c0 * std::sqrt(std::max(static_cast<double>(in.window_cells), 1.0));
      if (!fits(at(hi))) {
        fit.cell_size_m = std::numeric_limits<double>::infinity();
      } else {
        for (int i = 0; i < 80 && hi - lo > 0.5; ++i) {
          const double mid = 0.5 * (lo + hi);
          (fits(at(mid)) ? hi : lo) = mid;
        }
        fit.cell_size_m = std::ceil(hi);
      }
    }
  }
  if (in.permutations > 0) {
    GiStarMemoryInput t = in;
    t.permutations = 0;
    fit.without_local_moran = fits(t);
  }
  const bool lists = in.shape != UnitShape::square;
  if (lists && in.distance_band_m > 0) {
    GiStarMemoryInput t = in;
    double lo = 0;
    double hi = in.distance_band_m;  // fits(lo) is assumed, !fits(hi) or hi fits
    t.distance_band_m = hi;
    if (fits(t)) {
      fit.distance_band_m = hi;
    } else {
      for (int i = 0; i < 60 && hi - lo > 0.5; ++i) {
        t.distance_band_m = 0.5 * (lo + hi);
        (fits(t) ? lo : hi) = t.distance_band_m;
      }
      t.distance_band_m = std::floor(lo);
      fit.distance_band_m = t.distance_band_m > 0 && fits(t) ? t.distance_band_m : 0;
    }
  }
  if (in.knn > 0) {
    GiStarMemoryInput t = in;
    int lo = 0;
    int hi = in.knn;
    while (lo < hi) {
      const int mid = lo + (hi - lo + 1) / 2;
      t.knn = mid;
      if (fits(t))
        lo = mid;
      else
        hi = mid - 1;
    }
    fit.knn = lo;
  }
  return fit;
}

}  // namespace hotspots
