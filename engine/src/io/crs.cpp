// SPDX-License-Identifier: MIT
#include "hotspots/io/crs.hpp"

#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <numbers>
#include <string>
#include <vector>

#include "detail/gdal_util.hpp"
#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

OGRSpatialReference to_ogr(const Crs& crs) {
  OGRSpatialReference srs;
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  if (srs.importFromWkt(crs.wkt.c_str()) != OGRERR_NONE)
    throw CrsError(fmt::format("invalid CRS definition: {}", crs.name));
  return srs;
}

Crs from_ogr(const OGRSpatialReference& srs) {
  Crs crs;
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  srs.exportToWkt(&wkt, options);
  crs.wkt = wkt ? wkt : "";
  CPLFree(wkt);
  crs.name = srs.GetName() ? srs.GetName() : "unnamed CRS";
  crs.geographic = srs.IsGeographic();
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority && code && std::string_view(authority) == "EPSG") crs.epsg = std::atoi(code);
  return crs;
}

}  // namespace

std::string Crs::label() const {
  return epsg ? fmt::format("EPSG:{}", epsg) : name;
}

Crs crs_from_user_text(std::string_view text) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  OGRSpatialReference srs;
  const std::string s(text);
  if (s.empty()) throw CrsError("empty CRS definition");
  // A bare number is an EPSG code, as in gdalwarp's -t_srs 27700.
  const bool digits = s.find_first_not_of("0123456789") == std::string::npos;
  const OGRErr err =
      digits ? srs.importFromEPSG(std::atoi(s.c_str())) : srs.SetFromUserInput(s.c_str());
  if (err != OGRERR_NONE)
    throw CrsError(fmt::format("unknown CRS '{}': {}", s, errors.message("PROJ does not know it")));
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  srs.AutoIdentifyEPSG();
  return from_ogr(srs);
}

Crs crs_from_epsg(int code) {
  return crs_from_user_text(std::to_string(code));
}

Extent area_of_use_lonlat(const Crs& crs) {
  const OGRSpatialReference srs = to_ogr(crs);
  double west = 0, south = 0, east = 0, north = 0;
  const char* area_name = nullptr;
  if (!srs.GetAreaOfUse(&west, &south, &east, &north, &area_name)) return {};
  if (west > east) east += 360.0;  // crosses the antimeridian
  return {west, south, east, north};
}

Extent area_of_use_native(const Crs& crs) {
  const Extent ll = area_of_use_lonlat(crs);
  if (ll.empty()) return {};
  if (crs.geographic) return ll;
  std::vector<double> xs;
  std::vector<double> ys;
  constexpr int kSteps = 64;
  for (int i = 0; i <= kSteps; ++i) {
    const double t = static_cast<double>(i) / kSteps;
    const double lon = ll.xmin + t * ll.width();
    const double lat = ll.ymin + t * ll.height();
    for (double edge_lat : {ll.ymin, ll.ymax}) xs.push_back(lon), ys.push_back(edge_lat);
    for (double edge_lon : {ll.xmin, ll.xmax}) xs.push_back(edge_lon), ys.push_back(lat);
  }
  CoordinateTransform to_native(datum_lonlat(crs), crs);
  to_native.transform(xs, ys);
  Extent e;
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (std::isfinite(xs[i]) && std::isfinite(ys[i])) e.include(xs[i], ys[i]);
  return e;
}

Crs datum_lonlat(const Crs& crs) {
  if (crs.geographic) return crs;
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  const OGRSpatialReference srs = to_ogr(crs);
  std::unique_ptr<OGRSpatialReference> geog(srs.CloneGeogCS());
  if (!geog || std::abs(geog->GetPrimeMeridian()) > 0 ||
      std::abs(geog->GetAngularUnits() - std::numbers::pi / 180.0) > 1e-12)
    return crs_from_epsg(4326);
  geog->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return from_ogr(*geog);
}

bool in_ireland(double lon, double lat) {
  // The island of Ireland: west of 5.35° W between 51.3° N and 55.45° N, less the Mull of
  // Kintyre and the Rhinns of Galloway (east of 5.75° W north of 54.9° N), and west of 10.7° W
  // only the sea.
  return lon >= -10.7 && lon < -5.35 && lat > 51.3 && lat < 55.45 && !(lon > -5.75 && lat > 54.9);
}

bool in_great_britain(double lon, double lat) {
  // EPSG:27700's area of use, less the island of Ireland (Northern Ireland uses the Irish Grid).
  if (!(lon >= -9.01 && lon <= 2.01 && lat >= 49.75 && lat <= 61.01)) return false;
  return !in_ireland(lon, lat);
}

Crs default_analysis_crs(double median_lon, double median_lat) {
  if (in_great_britain(median_lon, median_lat)) return crs_from_epsg(27700);
  if (in_ireland(median_lon, median_lat)) return crs_from_epsg(2157);
  if (!std::isfinite(median_lon) || !std::isfinite(median_lat))
    throw CrsError("cannot choose an analysis CRS without located incidents; give --t_srs");
  const int zone = std::clamp(static_cast<int>(std::floor((median_lon + 180.0) / 6.0)) + 1, 1, 60);
  return crs_from_epsg((median_lat >= 0 ? 32600 : 32700) + zone);
}

void require_projected(const Crs& crs, std::string_view option) {
  if (crs.geographic)
    throw CrsError(
        fmt::format("{} is geographic (degrees); distances need a projected CRS in metres: give {} "
                    "EPSG:27700 (Great Britain) or a UTM zone such as EPSG:32630",
                    crs.label(), option));
  // Radii, cell sizes, areas and densities are all taken as metres: a CRS in US survey feet
  // (EPSG:3435) would make every one of them 3.28x (areas 10.76x) off under a metre label.
  const OGRSpatialReference srs = to_ogr(crs);
  const char* unit = nullptr;
  const double to_metre = srs.GetLinearUnits(&unit);
  if (std::abs(to_metre - 1.0) > 1e-9)
    throw CrsError(fmt::format(
        "{} ({}) measures distances in {} ({} m), not metres; radii, cell sizes and densities are "
        "in metres: give {} a CRS in metres, e.g. EPSG:27700 (Great Britain) or the data's UTM "
        "zone (EPSG:326zz)",
        crs.label(), crs.name, unit ? unit : "unknown units", to_metre, option));
}

struct CoordinateTransform::Impl {
  OGRCoordinateTransformation* ct = nullptr;
  ~Impl() { OCTDestroyCoordinateTransformation(ct); }
};

namespace {

// The transformations made so far, by (from WKT, to WKT); null for an identity. Bounded: a
// process sees a handful of CRSs (a batch of forces, one analysis CRS each).
class TransformMemo {
 public:
  // A copy of the kept transformation for the pair, or a new one (kept); null for an identity.
  std::unique_ptr<OGRCoordinateTransformation> get(const Crs& from, const Crs& to) {
    {
      std::lock_guard lock(mutex_);
      for (const Entry& e : entries_)
        if (e.from == from.wkt && e.to == to.wkt)
          return std::unique_ptr<OGRCoordinateTransformation>(e.ct ? e.ct->Clone() : nullptr);
    }
    // Made outside the lock: two threads may both make the first one for a pair; one is kept.
    detail::GdalErrorScope errors;
    OGRSpatialReference a = to_ogr(from);
    OGRSpatialReference b = to_ogr(to);
    std::unique_ptr<OGRCoordinateTransformation> made;
    if (!a.IsSame(&b)) {
      made.reset(OGRCreateCoordinateTransformation(&a, &b));
      if (!made)
        throw CrsError(fmt::format("no transformation from {} to {}: {}", from.label(), to.label(),
                                   errors.message()));
    }
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.erase(entries_.begin());
    entries_.push_back(
        Entry{from.wkt, to.wkt,
              std::unique_ptr<OGRCoordinateTransformation>(made ? made->Clone() : nullptr)});
    return made;
  }

 private:
  static constexpr std::size_t kMaxEntries = 32;
  struct Entry {
    std::string from;
    std::string to;
    std::unique_ptr<OGRCoordinateTransformation> ct;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

TransformMemo& transform_memo() {
  // See CoordinateTransform: it changes no result. Never destroyed: its transformations hold
  // PROJ objects of thread contexts that may be gone by the time static destructors run.
  static TransformMemo* memo = new TransformMemo;
  return *memo;
}

}  // namespace

CoordinateTransform::CoordinateTransform(const Crs& from, const Crs& to) {
  if (from.wkt == to.wkt) return;
  detail::ensure_gdal();
  std::unique_ptr<OGRCoordinateTransformation> ct = transform_memo().get(from, to);
  if (!ct) return;
  impl_ = std::make_unique<Impl>();
  impl_->ct = ct.release();
}

CoordinateTransform::~CoordinateTransform() = default;
CoordinateTransform::CoordinateTransform(CoordinateTransform&&) noexcept = default;
CoordinateTransform& CoordinateTransform::operator=(CoordinateTransform&&) noexcept = default;

std::size_t CoordinateTransform::transform(std::span<double> x, std::span<double> y) const {
  if (!impl_) return x.size();
  // Blocks of points are transformed in parallel, each thread with its own copy of the
  // transformation (one OGRCoordinateTransformation must not be used by two threads at once).
  // Each point is transformed alone, so the result does not depend on the blocks or threads.
  constexpr std::size_t kBlock = std::size_t{1} << 15;
  using Owned = std::unique_ptr<OGRCoordinateTransformation>;
  tbb::enumerable_thread_specific<Owned> copies;
  std::atomic<std::size_t> ok{0};
  tbb::parallel_for(std::size_t{0}, (x.size() + kBlock - 1) / kBlock, [&](std::size_t block) {
    Owned& copy = copies.local();
    if (!copy) copy.reset(impl_->ct->Clone());
    OGRCoordinateTransformation* ct = copy ? copy.get() : nullptr;
    const std::size_t start = block * kBlock;
    const std::size_t n = std::min(kBlock, x.size() - start);
    std::vector<int> success(n, 0);
    {
      detail::GdalErrorScope quiet;
      if (ct)
        ct->Transform(static_cast<int>(n), x.data() + start, y.data() + start, nullptr,
                      success.data());
    }
    std::size_t done = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double& px = x[start + i];
      double& py = y[start + i];
      if (success[i] && std::isfinite(px) && std::isfinite(py)) {
        ++done;
      } else {
        px = py = std::numeric_limits<double>::quiet_NaN();
      }
    }
    ok += done;
  });
  return ok;
}

}  // namespace hotspots
