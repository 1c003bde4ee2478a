// SPDX-License-Identifier: MIT
//
// make_sample OUTDIR: writes the synthetic "Sampleshire" sample that data/README.md describes
// (boundaries as RFC 7946 GeoJSON, twelve police.uk street-level CSVs, a force export CSV and
// truth.json with everything that was planted). The same binary always writes the same bytes:
// std::mt19937_64 is fully specified by the standard, and every distribution below is written
// out from its raw bits (std::*_distribution algorithms are implementation-defined).

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// What is planted. Every number a test may check is written to truth.json.

constexpr std::uint64_t kSeed = 20240614;
constexpr int kYear = 2024;
constexpr int kMonths = 12;
constexpr std::string_view kForceName = "Sampleshire";
constexpr std::string_view kForce = "Sampleshire Police";

struct Point {
  double x = 0.0;
  double y = 0.0;
};

// The area is a kCols × kRows grid of 2 km tiles (the small areas) whose corners and edge
// midpoints are jittered, so no edge is axis-aligned and the outline is irregular.
constexpr int kCols = 8;
constexpr int kRows = 6;
constexpr double kTile_m = 2000.0;
constexpr Point kOrigin{452000.0, 296000.0};  // south-west corner before jitter (EPSG:27700)
constexpr double kCornerJitter_m = 250.0;
constexpr double kInnerMidOffset_m = 150.0;  // perpendicular offset of a shared edge's midpoint
constexpr double kOuterMidOffset_m = 420.0;  // ... of an edge on the outline
constexpr double kAlongMidOffset_m = 100.0;

struct DistrictDef {
  std::string_view id;
  std::string_view name;
  std::string_view town;  // locality used in "On or near X, <town>" locations
};
constexpr std::array<DistrictDef, 3> kDistricts{{
    {"D01", "Northbrook", "Northbrook"},
    {"D02", "Easton Vale", "Easton"},
    {"D03", "Southmere", "Southmere"},
}};
// Northbrook holds the tiles of column c with row >= kNorthFrom[c] (row 0 is the southern row);
// below it, Easton Vale holds row r's tiles with column >= kEastFrom[r], Southmere the rest.
constexpr std::array<int, kCols> kNorthFrom{3, 3, 3, 4, 4, 4, 4, 3};
constexpr std::array<int, 4> kEastFrom{4, 5, 5, 5};

constexpr Point kTownCentre{462400.0, 301600.0};  // Easton, the densest part of the area
constexpr double kTownSd_m = 2500.0;              // spread of the background's town component
constexpr double kUniformShare = 0.55;            // the rest of the background is uniform

// The small area made invalid: the north-east corner tile. Near its north-east corner (on the
// outline) its ring twists into a small bow-tie (see build_layout).
constexpr int kBowTieCol = kCols - 1;
constexpr int kBowTieRow = kRows - 1;
constexpr double kBowTieInset_m = 150.0;
constexpr double kBowTieReach_m = 300.0;
constexpr double kBowTieKeepOut_m = 350.0;  // no map point this close to the corner (> reach)

// Map points: police.uk's anonymised "on or near" locations every incident is snapped to.
constexpr int kMapPoints = 3000;
constexpr int kPointsPerHotspot = 8;  // extra map points within about one SD of each centre
constexpr double kMapPointSpacing_m = 25.0;
constexpr double kMapPointEdgeMargin_m = 6.0;  // so rounding never moves a point across an edge
constexpr double kGridCell_m = 250.0;

struct HotspotDef {
  std::string_view id;
  std::string_view crime_type;
  Point centre;  // EPSG:27700, a map point
  double sd_m;   // of the isotropic Gaussian in each axis
  double per_month;
  std::string_view place;  // the street name of the map point at the centre
};
constexpr std::array<HotspotDef, 5> kHotspots{{
    {"asb_1", "Anti-social behaviour", {462350.0, 301650.0}, 120.0, 45.0, "Market Place, Easton"},
    {"asb_2", "Anti-social behaviour", {455600.0, 305400.0}, 80.0, 25.0, "Park/Open Space"},
    {"asb_3", "Anti-social behaviour", {455200.0, 298300.0}, 150.0, 30.0, "Shopping Area"},
    {"violence_1", "Violence and sexual offences", {462650.0, 301350.0}, 70.0, 30.0, "Nightclub"},
    {"violence_2",
     "Violence and sexual offences",
     {457200.0, 306000.0},
     200.0,
     20.0,
     "Sports/Recreation Area"},
}};

// Hot spots that change over the year (issue #14), for `hotspots emerging` and `hotspots change`.
// Added after the hotspots above without moving anything: their rows come from their own random
// stream, are appended to each month's file after the shuffled rows (so every earlier row, its
// Crime ID and outcome are unchanged), and are snapped to the existing map points.
// `expected_class` is the ArcGIS Emerging Hot Spot Analysis class each should get on 250 m
// hexagons with an 800 m band, monthly, one time lag (the default 5-cell band dilutes such sparse
// counts below significance): a hot spot that starts mid-year and stays is "consecutive"
// (a run of final hot steps, never hot before, under 90 % of the steps); one hot in the final
// month only is "new"; one hot all year with a falling count is "diminishing"; a steady one is
// "persistent".
struct TemporalHotspotDef {
  std::string_view id;
  std::string_view crime_type;
  Point centre;  // EPSG:27700
  double sd_m;
  std::array<double, kMonths> per_month;  // Poisson mean of each month
  std::string_view kind;                  // what is planted, in words
  std::string_view expected_class;        // ArcGIS EHSA class (snake_case key)
};
constexpr std::array<TemporalHotspotDef, 4> kTemporalHotspots{{
    {"drugs_starts_mid_year",
     "Drugs",
     {465500.0, 298500.0},
     60.0,
     {0, 0, 0, 0, 0, 0, 20, 20, 20, 20, 20, 20},
     "none from January to June, 20 a month from July",
     "consecutive_hot_spot"},
    {"drugs_new_in_december",
     "Drugs",
     {453800.0, 301500.0},
     60.0,
     {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25},
     "none from January to November, 25 in December",
     "new_hot_spot"},
    {"drugs_fading",
     "Drugs",
     {459000.0, 297500.0},
     60.0,
     {60, 55, 50, 45, 40, 35, 30, 26, 22, 18, 15, 12},
     "60 a month in January falling to 12 in December",
     "diminishing_hot_spot"},
    {"drugs_persistent",
     "Drugs",
     {466000.0, 305500.0},
     60.0,
     {25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25},
     "25 a month all year",
     "persistent_hot_spot"},
}};

struct CrimeTypeDef {
  std::string_view name;
  double per_month;  // background mean
  bool seasonal;     // ×(1 + 0.15 cos(2π(m − 7)/12)): a July peak
};
// police.uk's categories since 2013, in police.uk's order.
constexpr std::array<CrimeTypeDef, 14> kCrimeTypes{{
    {"Anti-social behaviour", 260.0, true},
    {"Bicycle theft", 20.0, false},
    {"Burglary", 62.0, false},
    {"Criminal damage and arson", 118.0, false},
    {"Drugs", 40.0, false},
    {"Other crime", 32.0, false},
    {"Other theft", 104.0, false},
    {"Possession of weapons", 12.0, false},
    {"Public order", 90.0, false},
    {"Robbery", 13.0, false},
    {"Shoplifting", 104.0, false},
    {"Theft from the person", 13.0, false},
    {"Vehicle crime", 90.0, false},
    {"Violence and sexual offences", 405.0, true},
}};

struct Weighted {
  std::string_view value;
  double weight;
};
constexpr std::array<Weighted, 12> kOutcomes{{
    {"Investigation complete; no suspect identified", 0.36},
    {"Unable to prosecute suspect", 0.31},
    {"Court result unavailable", 0.05},
    {"Status update unavailable", 0.04},
    {"Action to be taken by another organisation", 0.03},
    {"Local resolution", 0.04},
    {"Offender given a caution", 0.02},
    {"Further investigation is not in the public interest", 0.02},
    {"Awaiting court outcome", 0.04},
    {"Formal action is not in the public interest", 0.02},
    {"Offender sent to prison", 0.01},
    {"Offender fined", 0.01},
}};
constexpr std::string_view kUnderInvestigation = "Under investigation";

// Bad rows.
constexpr std::array<int, 6> kFarOutsideMonths{2, 4, 5, 8, 10, 11};  // one row in each
constexpr double kFarMin_m = 30000.0;
constexpr double kFarMax_m = 80000.0;
constexpr Point kAreaCentre{460000.0, 302000.0};
constexpr int kUnparsableMonth = 6;
struct BadValue {
  std::string_view column;
  std::string_view value;
};
constexpr std::array<BadValue, 3> kUnparsable{{
    {"Longitude", "-1.2x3"},
    {"Latitude", "52.6l4"},
    {"Longitude", "-1.13.5"},
}};

// Force export: a night-time violence hotspot (Fri and Sat 21:00–03:00) over a background.
constexpr HotspotDef kNightHotspot{
    "violence_night", "Violence", {462600.0, 301400.0}, 90.0, 150.0, ""};
constexpr int kNightStartHour = 21;
constexpr int kNightLength_min = 6 * 60;
constexpr std::array<Weighted, 7> kExportGroups{{
    {"ASB", 220.0},
    {"Burglary", 70.0},
    {"Drugs", 30.0},
    {"Robbery", 20.0},
    {"Theft", 230.0},
    {"Vehicle", 70.0},
    {"Violence", 200.0},
}};  // background incidents per year
constexpr int kEmptyEastings = 2;
constexpr std::array<int, 12> kMonthDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr int kDaysInYear = 366;
// Relative frequency by hour of day (background only).
constexpr std::array<double, 24> kHourWeights{4, 3, 2, 2, 1,  1,  2,  3, 5, 6, 7, 7,
                                              8, 8, 8, 9, 10, 10, 10, 9, 8, 7, 6, 5};

constexpr std::array<std::string_view, 40> kStreetStems{
    "Church",  "Mill",     "Station", "Victoria", "Albert",  "Park",     "Queens", "Kings",
    "Manor",   "Green",    "Chapel",  "School",   "Orchard", "Meadow",   "Willow", "Oak",
    "Ash",     "Beech",    "Elm",     "Hawthorn", "Brook",   "Bridge",   "Castle", "Abbey",
    "Priory",  "Granby",   "Wharf",   "Canal",    "Forest",  "Windmill", "Cedar",  "Holly",
    "Rectory", "Vicarage", "Farm",    "Grange",   "Hill",    "Spring",   "Well",   "Sandy"};
constexpr std::array<std::string_view, 15> kStreetKinds{
    "Road",    "Street", "Lane",  "Close", "Avenue", "Drive", "Way",    "Crescent",
    "Gardens", "Walk",   "Court", "Place", "Rise",   "Grove", "Terrace"};
constexpr std::array<std::string_view, 12> kPlaces{"Parking Area",
                                                   "Supermarket",
                                                   "Park/Open Space",
                                                   "Petrol Station",
                                                   "Shopping Area",
                                                   "Sports/Recreation Area",
                                                   "Nightclub",
                                                   "Further/Higher Educational Building",
                                                   "Hospital",
                                                   "Bus/Coach Station",
                                                   "Theatre/Concert Hall",
                                                   "Police Station"};

// ---------------------------------------------------------------------------------------------
// Random numbers from raw bits.

/// A seeded stream: std::mt19937_64 (specified bit for bit by the standard) and hand-written
/// distributions, so the output is the same on every standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t bits() { return engine_(); }

  /// Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  /// Uniform on {0, …, n − 1}; rejection removes the modulo bias.
  std::size_t index(std::size_t n) {
    const std::uint64_t span = n;
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t r = engine_();
    while (r >= limit) r = engine_();
    return static_cast<std::size_t>(r % span);
  }

  /// Standard normal by Box–Muller (Box & Muller 1958); the sine partner is discarded so every
  /// call costs exactly two draws.
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  /// Poisson(λ) by Knuth's product of uniforms; λ > 30 is split into a sum of Poissons of at
  /// most 30 each (exact, and keeps e^−λ far from underflow).
  int poisson(double lambda) {
    const int parts = std::max(1, static_cast<int>(std::ceil(lambda / 30.0)));
    const double limit = std::exp(-lambda / parts);
    int total = 0;
    for (int i = 0; i < parts; ++i) {
      double product = uniform();
      while (product > limit) {
        ++total;
        product *= uniform();
      }
    }
    return total;
  }

  template <std::size_t N>
  std::string_view pick(const std::array<std::string_view, N>& values) {
    return values[index(N)];
  }

  /// A value drawn with probability proportional to its weight.
  std::string_view pick(std::span<const Weighted> table) {
    double total = 0.0;
    for (const auto& w : table) total += w.weight;
    double u = uniform() * total;
    for (const auto& w : table) {
      if (u < w.weight) return w.value;
      u -= w.weight;
    }
    return table.back().value;
  }

 private:
  std::mt19937_64 engine_;
};

/// An independent stream per part of the sample, so changing one part leaves the others alone.
Rng stream(std::string_view name) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return Rng(kSeed ^ h);
}

// ---------------------------------------------------------------------------------------------
// Plane geometry in EPSG:27700 metres.

double distance(Point a, Point b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

double segment_distance(Point p, Point a, Point b) {
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  const double t =
      len2 > 0.0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
  return distance(p, {a.x + t * dx, a.y + t * dy});
}

/// Crossing-number point-in-polygon test (a point exactly on an edge may go either way; map
/// points keep kMapPointEdgeMargin_m from every edge).
bool inside(Point p, const std::vector<Point>& ring) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const Point a = ring[i];
    const Point b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
      in = !in;
    }
  }
  return in;
}

double edge_distance(Point p, const std::vector<Point>& ring) {
  double best = INFINITY;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    best = std::min(best, segment_distance(p, ring[j], ring[i]));
  }
  return best;
}

double signed_area(const std::vector<Point>& ring) {
  double twice = 0.0;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    twice += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
  }
  return twice / 2.0;
}

/// Where the segments ab and cd cross, if they do.
std::optional<Point> crossing(Point a, Point b, Point c, Point d) {
  const double den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
  if (den == 0.0) return std::nullopt;
  const double t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
  const double u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
  if (t <= 0.0 || t >= 1.0 || u <= 0.0 || u >= 1.0) return std::nullopt;
  return Point{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
}

Point rounded(Point p) {
  return {std::round(p.x), std::round(p.y)};
}

// ---------------------------------------------------------------------------------------------
// The area: tiles (small areas), districts and the outline, all sharing one vertex list.

using Ring = std::vector<int>;  // vertex ids, counter-clockwise, not closed

struct Tile {
  int col = 0;
  int row = 0;
  int district = 0;
  Ring ring;          // the true tile
  Ring written_ring;  // what small_areas.geojson gets (differs only for the bow-tie)
  std::string area_id;
  std::string area_name;
  int population = 0;
};

struct BowTie {
  std::size_t tile = 0;
  int corner = 0;  // the vertex the written ring skips
  Point crossing;
};

struct Layout {
  std::vector<Point> vertices;
  std::vector<Tile> tiles;  // in area_id order
  std::array<Ring, kDistricts.size()> district_rings;
  Ring outline;
  std::vector<std::vector<Point>> tile_rings;  // the true tiles as coordinates
  std::vector<Point> outline_ring;
  BowTie bowtie;

  [[nodiscard]] std::vector<Point> points(const Ring& ring) const {
    std::vector<Point> out;
    out.reserve(ring.size());
    for (const int v : ring) out.push_back(vertices[static_cast<std::size_t>(v)]);
    return out;
  }

  /// The tile whose true ring contains p, if any.
  [[nodiscard]] std::optional<std::size_t> tile_of(Point p) const {
    for (std::size_t i = 0; i < tile_rings.size(); ++i) {
      if (inside(p, tile_rings[i])) return i;
    }
    return std::nullopt;
  }
};

int district_of(int col, int row) {
  if (row >= kNorthFrom[static_cast<std::size_t>(col)]) return 0;
  return col >= kEastFrom[static_cast<std::size_t>(row)] ? 1 : 2;
}

/// The outline of a union of tiles: edges used in both directions cancel, the rest are chained
/// into one ring. Throws if the union is not a single ring without pinches or holes.
Ring dissolve(const std::vector<Tile>& tiles, int district) {
  std::set<std::pair<int, int>> edges;
  for (const Tile& t : tiles) {
    if (district >= 0 && t.district != district) continue;
    for (std::size_t i = 0; i < t.ring.size(); ++i) {
      const int a = t.ring[i];
      const int b = t.ring[(i + 1) % t.ring.size()];
      if (!edges.erase({b, a})) edges.insert({a, b});
    }
  }
  std::map<int, int> next;
  for (const auto& [a, b] : edges) {
    if (!next.emplace(a, b).second) {
      throw std::logic_error(fmt::format("district {} pinches at vertex {}", district, a));
    }
  }
  Ring ring;
  const int start = next.begin()->first;
  int v = start;
  do {
    ring.push_back(v);
    v = next.at(v);
  } while (v != start && ring.size() <= next.size());
  if (ring.size() != next.size()) {
    throw std::logic_error(fmt::format("union of district {} is not one ring", district));
  }
  return ring;
}

Layout build_layout() {
  Rng rng = stream("layout");
  Layout layout;
  auto& vx = layout.vertices;
  constexpr int kCornerCols = kCols + 1;
  auto corner = [](int c, int r) { return r * kCornerCols + c; };
  for (int r = 0; r <= kRows; ++r) {
    for (int c = 0; c <= kCols; ++c) {
      const double jx = rng.uniform(-kCornerJitter_m, kCornerJitter_m);
      const double jy = rng.uniform(-kCornerJitter_m, kCornerJitter_m);
      vx.push_back(rounded({kOrigin.x + c * kTile_m + jx, kOrigin.y + r * kTile_m + jy}));
    }
  }
  auto midpoint = [&](int a, int b, bool horizontal, bool outer) {
    const Point pa = vx[static_cast<std::size_t>(a)];
    const Point pb = vx[static_cast<std::size_t>(b)];
    const double limit = outer ? kOuterMidOffset_m : kInnerMidOffset_m;
    const double along = rng.uniform(-kAlongMidOffset_m, kAlongMidOffset_m);
    const double across = rng.uniform(-limit, limit);
    const Point mid{(pa.x + pb.x) / 2.0, (pa.y + pb.y) / 2.0};
    vx.push_back(rounded(horizontal ? Point{mid.x + along, mid.y + across}
                                    : Point{mid.x + across, mid.y + along}));
  };
  const int hbase = static_cast<int>(vx.size());  // midpoints of west-east edges
  for (int r = 0; r <= kRows; ++r) {
    for (int c = 0; c < kCols; ++c) {
      midpoint(corner(c, r), corner(c + 1, r), true, r == 0 || r == kRows);
    }
  }
  const int vbase = static_cast<int>(vx.size());  // midpoints of south-north edges
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c <= kCols; ++c) {
      midpoint(corner(c, r), corner(c, r + 1), false, c == 0 || c == kCols);
    }
  }
  auto hmid = [&](int c, int r) { return hbase + r * kCols + c; };
  auto vmid = [&](int c, int r) { return vbase + r * kCornerCols + c; };

  // Tiles in area_id order: by district, then north to south, then west to east.
  std::vector<std::array<int, 3>> order;
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kCols; ++c) order.push_back({district_of(c, r), -r, c});
  }
  std::sort(order.begin(), order.end());
  std::array<int, kDistricts.size()> in_district{};
  for (const auto& [d, neg_row, c] : order) {
    const int r = -neg_row;
    Tile t;
    t.col = c;
    t.row = r;
    t.district = d;
    t.ring = {corner(c, r),         hmid(c, r),     corner(c + 1, r), vmid(c + 1, r),
              corner(c + 1, r + 1), hmid(c, r + 1), corner(c, r + 1), vmid(c, r)};
    t.written_ring = t.ring;
    const int i = in_district[static_cast<std::size_t>(d)]++;
    t.area_id = fmt::format("SA{:03d}", layout.tiles.size() + 1);
    t.area_name = fmt::format("{} {:03d}{}", kDistricts[static_cast<std::size_t>(d)].name,
                              i / 4 + 1, static_cast<char>('A' + i % 4));
    const Point centre{kOrigin.x + (c + 0.5) * kTile_m, kOrigin.y + (r + 0.5) * kTile_m};
    const double bonus = 600.0 * std::exp(-distance(centre, kTownCentre) / 3000.0);
    t.population =
        std::min(3000, static_cast<int>(std::lround(rng.uniform(1200.0, 2400.0) + bonus)));
    layout.tiles.push_back(std::move(t));
  }
  for (std::size_t d = 0; d < kDistricts.size(); ++d) {
    layout.district_rings[d] = dissolve(layout.tiles, static_cast<int>(d));
  }
  layout.outline = dissolve(layout.tiles, -1);
  for (const Tile& t : layout.tiles) layout.tile_rings.push_back(layout.points(t.ring));
  layout.outline_ring = layout.points(layout.outline);

  // The bow-tie: the written ring replaces Emid → NE → Nmid by Emid → E1 → C2 → C1 → N1 → Nmid,
  // where E1, C1 lie kBowTieReach_m and kBowTieInset_m from NE on the edge towards Emid and N1, C2
  // likewise towards Nmid: E1→C2 crosses C1→N1. Only outline edges change, so the tile keeps
  // every edge it shares, and it loses under 1 % of its area, all within kBowTieReach_m of NE.
  for (std::size_t i = 0; i < layout.tiles.size(); ++i) {
    Tile& t = layout.tiles[i];
    if (t.col != kBowTieCol || t.row != kBowTieRow) continue;
    const Point e = vx[static_cast<std::size_t>(t.ring[3])];
    const Point ne = vx[static_cast<std::size_t>(t.ring[4])];
    const Point n = vx[static_cast<std::size_t>(t.ring[5])];
    auto toward = [&](Point to, double by) {
      const double len = distance(ne, to);
      if (len <= 2.0 * by) throw std::logic_error("the bow-tie corner's edges are too short");
      return rounded({ne.x + by * (to.x - ne.x) / len, ne.y + by * (to.y - ne.y) / len});
    };
    const int first = static_cast<int>(vx.size());
    vx.push_back(toward(e, kBowTieReach_m));  // E1 = first
    vx.push_back(toward(e, kBowTieInset_m));  // C1
    vx.push_back(toward(n, kBowTieInset_m));  // C2
    vx.push_back(toward(n, kBowTieReach_m));  // N1
    auto at = [&](int id) { return vx[static_cast<std::size_t>(id)]; };
    const auto cross = crossing(at(first), at(first + 2), at(first + 1), at(first + 3));
    if (!cross) throw std::logic_error("the bow-tie ring does not cross itself");
    t.written_ring = {t.ring[0], t.ring[1], t.ring[2], t.ring[3], first,    first + 2,
                      first + 1, first + 3, t.ring[5], t.ring[6], t.ring[7]};
    layout.bowtie = {i, t.ring[4], *cross};
  }
  return layout;
}

// ---------------------------------------------------------------------------------------------
// GDAL: reprojection, validity checks and GeoJSON output.

struct OctDeleter {
  void operator()(OGRCoordinateTransformation* ct) const {
    OGRCoordinateTransformation::DestroyCT(ct);
  }
};

std::string gdal_message(std::string_view fallback) {
  const char* msg = CPLGetLastErrorMsg();
  return (msg != nullptr && *msg != '\0') ? std::string(msg) : std::string(fallback);
}

// EPSG:27700 → WGS 84 by EPSG:1314 "OSGB36 to WGS 84 (6)" (7-parameter Helmert, about 2 m),
// the operation PROJ itself picks when the OSTN15 grid is absent, as on Debian 12.
constexpr const char* kBngToWgs84 =
    "+proj=pipeline "
    "+step +inv +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 "
    "+ellps=airy "
    "+step +proj=push +v_3 "
    "+step +proj=cart +ellps=airy "
    "+step +proj=helmert +x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 "
    "+s=-20.489 +convention=position_vector "
    "+step +inv +proj=cart +ellps=WGS84 "
    "+step +proj=pop +v_3 "
    "+step +proj=unitconvert +xy_in=rad +xy_out=deg "
    "+step +proj=axisswap +order=2,1";  // EPSG:4326 axis order; GDAL maps it back to lon/lat

/// EPSG:27700 → WGS84 lon/lat (both in traditional GIS order, x = easting / longitude).
class ToLonLat {
 public:
  ToLonLat() {
    if (bng_.importFromEPSG(27700) != OGRERR_NONE || wgs84_.importFromEPSG(4326) != OGRERR_NONE) {
      throw std::runtime_error("cannot load EPSG:27700/EPSG:4326: " + gdal_message("PROJ error"));
    }
    bng_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    wgs84_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    // Pinned, so that an installed OSTN15 grid or PROJ_NETWORK=ON cannot change the output.
    OGRCoordinateTransformationOptions options;
    if (!options.SetCoordinateOperation(kBngToWgs84, false)) {
      throw std::runtime_error("PROJ rejects the EPSG:1314 pipeline: " + gdal_message("PROJ"));
    }
    ct_.reset(OGRCreateCoordinateTransformation(&bng_, &wgs84_, options));
    if (!ct_) throw std::runtime_error("no EPSG:27700 → EPSG:4326 transformation");
  }

  Point operator()(Point p) const {
    double x = p.x;
    double y = p.y;
    if (!ct_->Transform(1, &x, &y)) {
      throw std::runtime_error(fmt::format("cannot transform ({}, {})", p.x, p.y));
    }
    return {x, y};
  }

  [[nodiscard]] const OGRSpatialReference& bng() const { return bng_; }
  [[nodiscard]] const OGRSpatialReference& wgs84() const { return wgs84_; }

 private:
  OGRSpatialReference bng_;
  OGRSpatialReference wgs84_;
  std::unique_ptr<OGRCoordinateTransformation, OctDeleter> ct_;
};

std::unique_ptr<OGRPolygon> make_polygon(const std::vector<Point>& ring) {
  auto linear = std::make_unique<OGRLinearRing>();
  for (const Point& p : ring) linear->addPoint(p.x, p.y);
  linear->addPoint(ring.front().x, ring.front().y);
  auto polygon = std::make_unique<OGRPolygon>();
  polygon->addRingDirectly(linear.release());
  return polygon;
}

bool is_valid(const std::vector<Point>& ring) {
  CPLPushErrorHandler(CPLQuietErrorHandler);  // GEOS reports why as a warning; we only ask
  const bool valid = make_polygon(ring)->IsValid() != FALSE;
  CPLPopErrorHandler();
  return valid;
}

/// Area of GEOS MakeValid's repair of a ring (what a reader that repairs boundaries gets).
double make_valid_area(const std::vector<Point>& ring) {
  const std::unique_ptr<OGRGeometry> valid(make_polygon(ring)->MakeValid());
  if (!valid) throw std::runtime_error("MakeValid failed: " + gdal_message("GEOS error"));
  const auto type = wkbFlatten(valid->getGeometryType());
  if (type == wkbPolygon) return valid->toPolygon()->get_Area();
  if (type == wkbMultiPolygon) return valid->toMultiPolygon()->get_Area();
  throw std::runtime_error("MakeValid returned no polygon");
}

/// The layout's own invariants: every tile, district and the outline are valid except the one
/// bow-tie, and the tiles cover the outline exactly.
void check_layout(const Layout& layout) {
  double tiles_area = 0.0;
  for (std::size_t i = 0; i < layout.tiles.size(); ++i) {
    const Tile& t = layout.tiles[i];
    if (signed_area(layout.tile_rings[i]) <= 0.0 || !is_valid(layout.tile_rings[i])) {
      throw std::logic_error(t.area_id + " is not a valid counter-clockwise polygon");
    }
    if (is_valid(layout.points(t.written_ring)) == (i == layout.bowtie.tile)) {
      throw std::logic_error(t.area_id + ": written ring validity is not as planned");
    }
    tiles_area += signed_area(layout.tile_rings[i]);
  }
  for (const Ring& ring : layout.district_rings) {
    if (!is_valid(layout.points(ring))) throw std::logic_error("a district is invalid");
  }
  if (!is_valid(layout.outline_ring)) throw std::logic_error("the outline is invalid");
  if (std::abs(tiles_area - signed_area(layout.outline_ring)) > 1e-3) {
    throw std::logic_error("the tiles do not cover the outline exactly");
  }
}

using FieldValue = std::variant<std::string, int>;

struct FieldDef {
  std::string name;
  OGRFieldType type;
};

struct PolygonFeature {
  std::vector<Point> ring;  // lon/lat, not closed
  std::vector<FieldValue> values;
};

/// Writes one polygon layer as RFC 7946 GeoJSON under path + ".tmp", then renames it.
void write_geojson(const fs::path& path, const std::string& layer_name,
                   const std::vector<FieldDef>& fields, const std::vector<PolygonFeature>& features,
                   const OGRSpatialReference& wgs84) {
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GeoJSON");
  if (driver == nullptr) throw std::runtime_error("GDAL has no GeoJSON driver");
  const fs::path tmp = fs::path(path.string() + ".tmp");
  fs::remove(tmp);
  {
    GDALDatasetUniquePtr ds(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw std::runtime_error(tmp.string() + ": " + gdal_message("cannot create"));
    const char* options[] = {"RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=YES", nullptr};
    OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), const_cast<OGRSpatialReference*>(&wgs84),
                                      wkbPolygon, const_cast<char**>(options));
    if (layer == nullptr) throw std::runtime_error(tmp.string() + ": " + gdal_message("no layer"));
    for (const FieldDef& f : fields) {
      OGRFieldDefn defn(f.name.c_str(), f.type);
      if (layer->CreateField(&defn) != OGRERR_NONE) {
        throw std::runtime_error(tmp.string() + ": " + gdal_message("cannot create " + f.name));
      }
    }
    for (const PolygonFeature& pf : features) {
      OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
      for (std::size_t i = 0; i < pf.values.size(); ++i) {
        const int field = static_cast<int>(i);
        if (const auto* s = std::get_if<std::string>(&pf.values[i])) {
          feature->SetField(field, s->c_str());
        } else {
          feature->SetField(field, std::get<int>(pf.values[i]));
        }
      }
      feature->SetGeometryDirectly(make_polygon(pf.ring).release());
      if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
        throw std::runtime_error(tmp.string() + ": " + gdal_message("cannot write a feature"));
      }
    }
    CPLErrorReset();
    ds.reset();  // GDAL 3.6 has no GDALDataset::Close(): closing errors land in CPLGetLastError*
    if (CPLGetLastErrorType() >= CE_Failure) {
      throw std::runtime_error(tmp.string() + ": " + gdal_message("cannot close"));
    }
  }
  fs::rename(tmp, path);
}

void write_text(const fs::path& path, const std::string& text) {
  const fs::path tmp = fs::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw std::runtime_error(tmp.string() + ": cannot write");
  }
  fs::rename(tmp, path);
}

std::vector<Point> to_lonlat(const ToLonLat& project, const std::vector<Point>& ring) {
  std::vector<Point> out;
  out.reserve(ring.size());
  for (const Point& p : ring) out.push_back(project(p));
  return out;
}

void write_boundaries(const fs::path& outdir, const Layout& layout, const ToLonLat& project) {
  std::vector<PolygonFeature> areas;
  for (const Tile& t : layout.tiles) {
    const auto& d = kDistricts[static_cast<std::size_t>(t.district)];
    areas.push_back({to_lonlat(project, layout.points(t.written_ring)),
                     {t.area_id, t.area_name, std::string(d.id), t.population}});
  }
  write_geojson(outdir / "small_areas.geojson", "small_areas",
                {{"area_id", OFTString},
                 {"area_name", OFTString},
                 {"district_id", OFTString},
                 {"population", OFTInteger}},
                areas, project.wgs84());

  std::vector<PolygonFeature> districts;
  for (std::size_t d = 0; d < kDistricts.size(); ++d) {
    districts.push_back({to_lonlat(project, layout.points(layout.district_rings[d])),
                         {std::string(kDistricts[d].id), std::string(kDistricts[d].name)}});
  }
  write_geojson(outdir / "districts.geojson", "districts",
                {{"district_id", OFTString}, {"district_name", OFTString}}, districts,
                project.wgs84());

  write_geojson(outdir / "force_area.geojson", "force_area", {{"name", OFTString}},
                {{to_lonlat(project, layout.outline_ring), {std::string(kForceName)}}},
                project.wgs84());
}

// ---------------------------------------------------------------------------------------------
// Map points and snapping.

/// Bucket grid over the area's bounding box for nearest-point queries.
class PointGrid {
 public:
  PointGrid(Point lo, Point hi, double cell)
      : lo_(lo),
        cell_(cell),
        nx_(static_cast<int>(std::ceil((hi.x - lo.x) / cell))),
        ny_(static_cast<int>(std::ceil((hi.y - lo.y) / cell))),
        buckets_(static_cast<std::size_t>(nx_ * ny_)) {}

  void insert(int id, Point p) { buckets_[bucket(p)].push_back(id); }

  [[nodiscard]] bool any_within(Point p, double r, const std::vector<Point>& pts) const {
    const int reach = static_cast<int>(std::ceil(r / cell_));
    bool found = false;
    visit_ring_range(p, 0, reach, [&](int id) {
      if (distance(p, pts[static_cast<std::size_t>(id)]) < r) found = true;
    });
    return found;
  }

  /// The nearest point (ties to the lower id); searches rings of buckets outward until no
  /// unvisited bucket can hold anything nearer.
  [[nodiscard]] int nearest(Point p, const std::vector<Point>& pts) const {
    int best = -1;
    double best_d = INFINITY;
    for (int k = 0; k <= std::max(nx_, ny_); ++k) {
      visit_ring_range(p, k, k, [&](int id) {
        const double d = distance(p, pts[static_cast<std::size_t>(id)]);
        if (d < best_d || (d == best_d && id < best)) {
          best_d = d;
          best = id;
        }
      });
      if (best >= 0 && best_d <= k * cell_) break;
    }
    if (best < 0) throw std::logic_error("no map point to snap to");
    return best;
  }

 private:
  [[nodiscard]] std::pair<int, int> cell_of(Point p) const {
    const int cx = static_cast<int>(std::floor((p.x - lo_.x) / cell_));
    const int cy = static_cast<int>(std::floor((p.y - lo_.y) / cell_));
    if (cx < 0 || cy < 0 || cx >= nx_ || cy >= ny_) {
      throw std::logic_error(fmt::format("({}, {}) is outside the map point grid", p.x, p.y));
    }
    return {cx, cy};
  }
  [[nodiscard]] std::size_t bucket(Point p) const {
    const auto [cx, cy] = cell_of(p);
    return static_cast<std::size_t>(cy * nx_ + cx);
  }
  /// Calls f for every id in buckets whose Chebyshev distance from p's bucket is in [k0, k1].
  template <typename F>
  void visit_ring_range(Point p, int k0, int k1, F&& f) const {
    const auto [cx, cy] = cell_of(p);
    for (int y = std::max(0, cy - k1); y <= std::min(ny_ - 1, cy + k1); ++y) {
      for (int x = std::max(0, cx - k1); x <= std::min(nx_ - 1, cx + k1); ++x) {
        if (std::max(std::abs(x - cx), std::abs(y - cy)) < k0) continue;
        for (const int id : buckets_[static_cast<std::size_t>(y * nx_ + x)]) f(id);
      }
    }
  }

  Point lo_;
  double cell_;
  int nx_;
  int ny_;
  std::vector<std::vector<int>> buckets_;
};

struct MapPoints {
  std::vector<Point> xy;  // EPSG:27700, whole metres
  std::vector<std::string> street;
  std::vector<std::size_t> tile;
  std::vector<std::string> lon;  // as written, 6 decimals
  std::vector<std::string> lat;
  PointGrid grid;
};

std::pair<Point, Point> bounds(const std::vector<Point>& ring) {
  Point lo{INFINITY, INFINITY};
  Point hi{-INFINITY, -INFINITY};
  for (const Point& p : ring) {
    lo = {std::min(lo.x, p.x), std::min(lo.y, p.y)};
    hi = {std::max(hi.x, p.x), std::max(hi.y, p.y)};
  }
  return {lo, hi};
}

/// A point inside the outline: uniform with probability kUniformShare, otherwise from a wide
/// Gaussian around the town centre (a mild density gradient).
Point random_in_area(Rng& rng, const Layout& layout) {
  const auto [lo, hi] = bounds(layout.outline_ring);
  const bool uniform = rng.uniform() < kUniformShare;
  for (;;) {
    Point p = uniform ? Point{rng.uniform(lo.x, hi.x), rng.uniform(lo.y, hi.y)}
                      : Point{kTownCentre.x + kTownSd_m * rng.normal(),
                              kTownCentre.y + kTownSd_m * rng.normal()};
    if (inside(p, layout.outline_ring)) return p;
  }
}

std::string street_name(Rng& rng, std::string_view town) {
  const double u = rng.uniform();
  if (u < 0.08) return std::string(rng.pick(kPlaces));
  std::string name = fmt::format("{} {}", rng.pick(kStreetStems), rng.pick(kStreetKinds));
  if (u > 0.95) name += fmt::format(", {}", town);
  return name;
}

MapPoints build_map_points(const Layout& layout, const ToLonLat& project) {
  Rng rng = stream("map_points");
  auto [lo, hi] = bounds(layout.outline_ring);
  MapPoints mp{{}, {}, {},
               {}, {}, PointGrid({lo.x - 1.0, lo.y - 1.0}, {hi.x + 1.0, hi.y + 1.0}, kGridCell_m)};
  const Point skipped = layout.vertices[static_cast<std::size_t>(layout.bowtie.corner)];
  auto add = [&](Point p, const std::string* street) {
    p = rounded(p);
    if (!inside(p, layout.outline_ring)) return false;
    const auto tile = layout.tile_of(p);
    if (!tile || edge_distance(p, layout.tile_rings[*tile]) < kMapPointEdgeMargin_m) return false;
    if (distance(p, skipped) < kBowTieKeepOut_m) return false;
    if (mp.grid.any_within(p, kMapPointSpacing_m, mp.xy)) return false;
    const auto& town = kDistricts[static_cast<std::size_t>(layout.tiles[*tile].district)].town;
    mp.street.push_back(street != nullptr ? *street : street_name(rng, town));
    mp.grid.insert(static_cast<int>(mp.xy.size()), p);
    mp.xy.push_back(p);
    mp.tile.push_back(*tile);
    return true;
  };
  for (const HotspotDef& h : kHotspots) {
    const std::string place(h.place);
    if (!add(h.centre, &place)) {
      throw std::logic_error(fmt::format("hotspot {} cannot have a map point at its centre", h.id));
    }
  }
  for (const HotspotDef& h : kHotspots) {
    for (int added = 0, tries = 0; added < kPointsPerHotspot && tries < 1000; ++tries) {
      const Point p{h.centre.x + h.sd_m * rng.normal(), h.centre.y + h.sd_m * rng.normal()};
      if (add(p, nullptr)) ++added;
    }
  }
  while (mp.xy.size() < static_cast<std::size_t>(kMapPoints))
    add(random_in_area(rng, layout), nullptr);
  for (const Point& p : mp.xy) {
    const Point ll = project(p);
    mp.lon.push_back(fmt::format("{:.6f}", ll.x));
    mp.lat.push_back(fmt::format("{:.6f}", ll.y));
  }
  return mp;
}

// ---------------------------------------------------------------------------------------------
// police.uk street-level CSVs.

enum class RowKind { located, no_coordinates, far_outside, unparsable };

struct Row {
  std::string_view crime_type;
  RowKind kind = RowKind::located;
  int point = -1;    // map point (located, unparsable) or far point (far_outside)
  int hotspot = -1;  // planted by kHotspots[hotspot]
  const BadValue* bad = nullptr;
};

struct FarPoint {
  Point xy;
  std::string street;
  std::string lon;
  std::string lat;
};

std::vector<FarPoint> build_far_points(const ToLonLat& project) {
  Rng rng = stream("far_points");
  std::vector<FarPoint> far;
  for (std::size_t i = 0; i < kFarOutsideMonths.size(); ++i) {
    const double bearing = rng.uniform(0.0, 2.0 * std::numbers::pi);
    const double r = rng.uniform(kFarMin_m, kFarMax_m);
    const Point p =
        rounded({kAreaCentre.x + r * std::sin(bearing), kAreaCentre.y + r * std::cos(bearing)});
    const Point ll = project(p);
    far.push_back({p, fmt::format("{} {}", rng.pick(kStreetStems), rng.pick(kStreetKinds)),
                   fmt::format("{:.6f}", ll.x), fmt::format("{:.6f}", ll.y)});
  }
  return far;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string month_label(int month) {
  return fmt::format("{}-{:02d}", kYear, month);
}

fs::path police_uk_path(int month) {
  const std::string label = month_label(month);
  return fs::path("police_uk") / label / (label + "-sampleshire-street.csv");
}

struct HotspotTally {
  std::array<int, kMonths> planted{};
  Point raw_sum;
  Point snapped_sum;
};

struct FileTruth {
  std::string path;
  int rows = 0;
  int no_coordinates = 0;
  int far_outside = 0;
  int unparsable = 0;
  int located_in_area = 0;
  int distinct_locations = 0;
  int rows_sharing_location = 0;
};

struct UnparsableTruth {
  std::string file;
  int line = 0;
  std::string column;
  std::string value;
};

struct FarTruth {
  std::string file;
  int line = 0;
  Point xy;
  std::string lon;
  std::string lat;
  double distance_km = 0.0;
};

struct PoliceUkTruth {
  std::vector<FileTruth> files;
  std::array<HotspotTally, kHotspots.size()> hotspots{};
  std::array<std::array<int, kMonths>, kTemporalHotspots.size()> temporal{};
  std::array<std::map<int, int>, kTemporalHotspots.size()> temporal_points;  // map point → rows
  std::map<std::string, int> rows_per_type;                                  // all rows
  std::map<std::string, int> located_in_area_per_type;  // rows a boundary-clipped run keeps
  std::array<int, kDistricts.size()> located_per_district{};
  std::vector<UnparsableTruth> unparsable;
  std::vector<FarTruth> far_outside;
  int distinct_locations = 0;
  int distinct_locations_in_area = 0;
  int rows_sharing_location = 0;
  int located_rows = 0;
};

double season(int month) {
  return 1.0 + 0.15 * std::cos(2.0 * std::numbers::pi * (month - 7) / 12.0);
}

// The background's crime types weighted by their monthly means; ASB first, so subspan(1) drops it.
constexpr auto kBackgroundWeights = [] {
  std::array<Weighted, kCrimeTypes.size()> table{};
  for (std::size_t i = 0; i < kCrimeTypes.size(); ++i) {
    table[i] = {kCrimeTypes[i].name, kCrimeTypes[i].per_month};
  }
  return table;
}();

std::span<const Weighted> background_weights(bool with_asb) {
  const std::span<const Weighted> all(kBackgroundWeights);
  return with_asb ? all : all.subspan(1);
}

/// One month's rows, in file order.
std::vector<Row> generate_month(int month, const Layout& layout, const MapPoints& mp,
                                PoliceUkTruth& truth) {
  Rng rng = stream(fmt::format("police_uk/{}", month));
  std::vector<Row> rows;
  for (std::size_t h = 0; h < kHotspots.size(); ++h) {
    const HotspotDef& def = kHotspots[h];
    const int n = rng.poisson(def.per_month);
    auto& tally = truth.hotspots[h];
    tally.planted[static_cast<std::size_t>(month - 1)] = n;
    for (int i = 0; i < n; ++i) {
      Point p;
      do {
        p = {def.centre.x + def.sd_m * rng.normal(), def.centre.y + def.sd_m * rng.normal()};
      } while (!inside(p, layout.outline_ring));
      const int snapped = mp.grid.nearest(p, mp.xy);
      const Point s = mp.xy[static_cast<std::size_t>(snapped)];
      tally.raw_sum = {tally.raw_sum.x + p.x, tally.raw_sum.y + p.y};
      tally.snapped_sum = {tally.snapped_sum.x + s.x, tally.snapped_sum.y + s.y};
      rows.push_back({def.crime_type, RowKind::located, snapped, static_cast<int>(h), nullptr});
    }
  }
  for (const CrimeTypeDef& ct : kCrimeTypes) {
    const int n = rng.poisson(ct.per_month * (ct.seasonal ? season(month) : 1.0));
    for (int i = 0; i < n; ++i) {
      const int snapped = mp.grid.nearest(random_in_area(rng, layout), mp.xy);
      rows.push_back({ct.name, RowKind::located, snapped, -1, nullptr});
    }
  }
  const int no_coordinates = 2 + static_cast<int>(rng.index(5));
  for (int i = 0; i < no_coordinates; ++i) {
    rows.push_back({rng.pick(background_weights(false)), RowKind::no_coordinates, -1, -1, nullptr});
  }
  for (std::size_t i = 0; i < kFarOutsideMonths.size(); ++i) {
    if (kFarOutsideMonths[i] != month) continue;
    rows.push_back({rng.pick(background_weights(true)), RowKind::far_outside, static_cast<int>(i),
                    -1, nullptr});
  }
  if (month == kUnparsableMonth) {
    for (const BadValue& bad : kUnparsable) {
      const int snapped = mp.grid.nearest(random_in_area(rng, layout), mp.xy);
      rows.push_back({rng.pick(background_weights(false)), RowKind::unparsable, snapped, -1, &bad});
    }
  }
  for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.index(i)]);
  // The hot spots that change over the year: their own stream, appended (see kTemporalHotspots).
  Rng temporal = stream(fmt::format("police_uk/{}/temporal", month));
  for (std::size_t h = 0; h < kTemporalHotspots.size(); ++h) {
    const TemporalHotspotDef& def = kTemporalHotspots[h];
    const double mean = def.per_month[static_cast<std::size_t>(month - 1)];
    const int n = mean > 0 ? temporal.poisson(mean) : 0;
    truth.temporal[h][static_cast<std::size_t>(month - 1)] = n;
    for (int i = 0; i < n; ++i) {
      Point p;
      do {
        p = {def.centre.x + def.sd_m * temporal.normal(),
             def.centre.y + def.sd_m * temporal.normal()};
      } while (!inside(p, layout.outline_ring));
      const int snapped = mp.grid.nearest(p, mp.xy);
      ++truth.temporal_points[h][snapped];
      rows.push_back({def.crime_type, RowKind::located, snapped, -1, nullptr});
    }
  }
  return rows;
}

std::string crime_id(Rng& rng) {
  return fmt::format("{:016x}{:016x}{:016x}{:016x}", rng.bits(), rng.bits(), rng.bits(),
                     rng.bits());
}

std::string outcome(Rng& rng, int month) {
  // Recent months have more crimes still under investigation, as on police.uk.
  const double under = 0.03 + 0.025 * (month - 1);
  if (rng.uniform() < under / (1.0 + under)) return std::string(kUnderInvestigation);
  return std::string(rng.pick(kOutcomes));
}

/// Writes the twelve monthly files and fills the truth.
PoliceUkTruth write_police_uk(const fs::path& outdir, const Layout& layout, const MapPoints& mp,
                              const std::vector<FarPoint>& far) {
  PoliceUkTruth truth;
  std::map<std::string, int> year_locations;  // "lon,lat" → rows, over every file
  std::set<std::string> in_area_locations;
  for (int month = 1; month <= kMonths; ++month) {
    const std::vector<Row> rows = generate_month(month, layout, mp, truth);
    Rng rng = stream(fmt::format("police_uk/{}/fields", month));
    const fs::path rel = police_uk_path(month);
    FileTruth file;
    file.path = rel.generic_string();
    std::map<std::string, int> locations;
    std::string text =
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA "
        "name,Crime type,Last outcome category,Context\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      const bool asb = row.crime_type == "Anti-social behaviour";
      const std::string id = asb ? std::string() : crime_id(rng);
      const std::string result = asb ? std::string() : outcome(rng, month);
      std::string lon;
      std::string lat;
      std::string location = "No Location";
      std::string lsoa_code;
      std::string lsoa_name;
      const int line = static_cast<int>(i) + 2;
      ++truth.rows_per_type[std::string(row.crime_type)];
      switch (row.kind) {
        case RowKind::located:
        case RowKind::unparsable: {
          const auto p = static_cast<std::size_t>(row.point);
          const Tile& tile = layout.tiles[mp.tile[p]];
          lon = mp.lon[p];
          lat = mp.lat[p];
          location = "On or near " + mp.street[p];
          lsoa_code = tile.area_id;
          lsoa_name = tile.area_name;
          if (row.kind == RowKind::unparsable) {
            (row.bad->column == "Longitude" ? lon : lat) = std::string(row.bad->value);
            truth.unparsable.push_back(
                {file.path, line, std::string(row.bad->column), std::string(row.bad->value)});
            ++file.unparsable;
          } else {
            ++file.located_in_area;
            ++truth.located_in_area_per_type[std::string(row.crime_type)];
            ++truth.located_per_district[static_cast<std::size_t>(tile.district)];
            ++locations[lon + "," + lat];
            in_area_locations.insert(lon + "," + lat);
          }
          break;
        }
        case RowKind::far_outside: {
          const FarPoint& fp = far[static_cast<std::size_t>(row.point)];
          lon = fp.lon;
          lat = fp.lat;
          location = "On or near " + fp.street;
          ++locations[lon + "," + lat];
          ++file.far_outside;
          truth.far_outside.push_back(
              {file.path, line, fp.xy, fp.lon, fp.lat, distance(fp.xy, kAreaCentre) / 1000.0});
          break;
        }
        case RowKind::no_coordinates:
          ++file.no_coordinates;
          break;
      }
      text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},\n", id, month_label(month), kForce,
                          kForce, lon, lat, csv_field(location), lsoa_code, csv_field(lsoa_name),
                          row.crime_type, csv_field(result));
    }
    file.rows = static_cast<int>(rows.size());
    file.distinct_locations = static_cast<int>(locations.size());
    for (const auto& [key, n] : locations) {
      if (n > 1) file.rows_sharing_location += n;
      year_locations[key] += n;
    }
    fs::create_directories(outdir / rel.parent_path());
    write_text(outdir / rel, text);
    truth.files.push_back(file);
  }
  truth.distinct_locations = static_cast<int>(year_locations.size());
  truth.distinct_locations_in_area = static_cast<int>(in_area_locations.size());
  for (const auto& [key, n] : year_locations) {
    truth.located_rows += n;
    if (n > 1) truth.rows_sharing_location += n;
  }
  return truth;
}

// ---------------------------------------------------------------------------------------------
// The force's own export.

struct ExportIncident {
  int day = 0;     // 0 = 2024-01-01 (a Monday)
  int minute = 0;  // of the day
  std::string_view group;
  Point xy;
  int priority = 0;
  bool planted = false;
  bool empty_easting = false;
};

struct ExportTruth {
  int rows = 0;
  int planted = 0;
  Point planted_mean;
  std::vector<int> empty_easting_lines;
  std::map<std::string, int> rows_per_group;
  int rows_in_window = 0;
  int violence_in_window = 0;
};

bool in_night_window(int day, int minute) {
  const int how = (day % 7) * 24 * 60 + minute;  // minute of the week, Monday 00:00 = 0
  for (const int night_day : {4, 5}) {           // Friday, Saturday
    const int start = (night_day * 24 + kNightStartHour) * 60;
    if (how >= start && how < start + kNightLength_min) return true;
  }
  return false;
}

std::string iso_datetime(int day, int minute) {
  int month = 0;
  while (day >= kMonthDays[static_cast<std::size_t>(month)]) {
    day -= kMonthDays[static_cast<std::size_t>(month)];
    ++month;
  }
  return fmt::format("{}-{:02d}-{:02d}T{:02d}:{:02d}:00", kYear, month + 1, day + 1, minute / 60,
                     minute % 60);
}

ExportTruth write_force_export(const fs::path& outdir, const Layout& layout) {
  Rng rng = stream("force_export");
  std::vector<ExportIncident> incidents;
  const int planted = rng.poisson(kNightHotspot.per_month);
  ExportTruth truth;
  truth.planted = planted;
  for (int i = 0; i < planted; ++i) {
    // A Friday or Saturday night: 2024-01-05 (day 4) is the first Friday, 2024-12-28 the last
    // Saturday, so every night ends inside 2024.
    const int night = 4 + 7 * static_cast<int>(rng.index(52)) + static_cast<int>(rng.index(2));
    const int offset = static_cast<int>(rng.index(kNightLength_min));
    const int start = kNightStartHour * 60 + offset;
    Point p;
    do {
      p = {kNightHotspot.centre.x + kNightHotspot.sd_m * rng.normal(),
           kNightHotspot.centre.y + kNightHotspot.sd_m * rng.normal()};
    } while (!inside(p, layout.outline_ring));
    truth.planted_mean = {truth.planted_mean.x + p.x / planted,
                          truth.planted_mean.y + p.y / planted};
    const int priority = 1 + static_cast<int>(rng.index(2));
    incidents.push_back({night + start / 1440, start % 1440, "Violence", p, priority, true, false});
  }
  double hour_total = 0.0;
  for (const double w : kHourWeights) hour_total += w;
  for (const Weighted& g : kExportGroups) {
    const int n = rng.poisson(g.weight);
    for (int i = 0; i < n; ++i) {
      const int day = static_cast<int>(rng.index(kDaysInYear));
      double u = rng.uniform() * hour_total;
      int hour = 0;
      while (hour < 23 && u >= kHourWeights[static_cast<std::size_t>(hour)]) {
        u -= kHourWeights[static_cast<std::size_t>(hour)];
        ++hour;
      }
      const int minute = hour * 60 + static_cast<int>(rng.index(60));
      const bool urgent = g.value == "Violence" || g.value == "Robbery";
      const int priority = 1 + static_cast<int>(rng.index(urgent ? 3 : 4));
      incidents.push_back(
          {day, minute, g.value, random_in_area(rng, layout), priority, false, false});
    }
  }
  std::stable_sort(incidents.begin(), incidents.end(), [](const auto& a, const auto& b) {
    return std::pair(a.day, a.minute) < std::pair(b.day, b.minute);
  });
  for (int i = 0; i < kEmptyEastings;) {
    auto& inc = incidents[rng.index(incidents.size())];
    if (inc.planted || inc.empty_easting) continue;
    inc.empty_easting = true;
    ++i;
  }
  std::string text = "incident_ref,offence_group,committed_at,easting,northing,priority\n";
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const ExportIncident& inc = incidents[i];
    const std::string easting = inc.empty_easting ? "" : fmt::format("{:.1f}", inc.xy.x);
    text += fmt::format("SS24-{:06d},{},{},{},{:.1f},{}\n", i + 1, inc.group,
                        iso_datetime(inc.day, inc.minute), easting, inc.xy.y, inc.priority);
    if (inc.empty_easting) truth.empty_easting_lines.push_back(static_cast<int>(i) + 2);
    ++truth.rows_per_group[std::string(inc.group)];
    if (in_night_window(inc.day, inc.minute)) {
      ++truth.rows_in_window;
      if (inc.group == "Violence") ++truth.violence_in_window;
    }
  }
  truth.rows = static_cast<int>(incidents.size());
  write_text(outdir / "force_export.csv", text);
  return truth;
}

// ---------------------------------------------------------------------------------------------
// truth.json, written by hand with fixed formatting.

/// A minimal pretty-printer: two-space indent, one member per line, values pre-formatted.
class JsonWriter {
 public:
  void open(std::string_view key, char bracket) {
    member_prefix(key);
    out_ += bracket;
    first_.push_back(true);
  }
  void close(char bracket) {
    first_.pop_back();
    out_ += '\n';
    indent();
    out_ += bracket;
  }
  void raw(std::string_view key, std::string_view value) {
    member_prefix(key);
    out_ += value;
  }
  void str(std::string_view key, std::string_view value) { raw(key, quote(value)); }
  void num(std::string_view key, long long value) { raw(key, fmt::format("{}", value)); }
  void num(std::string_view key, double value, int decimals) {
    raw(key, fmt::format("{:.{}f}", value, decimals));
  }
  [[nodiscard]] std::string finish() const { return out_ + "\n"; }

  static std::string quote(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }

 private:
  void member_prefix(std::string_view key) {
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
      out_ += '\n';
      indent();
    }
    if (!key.empty()) out_ += quote(key) + ": ";
  }
  void indent() { out_.append(2 * first_.size(), ' '); }

  std::string out_;
  std::vector<bool> first_;
};

std::string xy_json(Point p, int decimals) {
  return fmt::format("[{:.{}f}, {:.{}f}]", p.x, decimals, p.y, decimals);
}

template <typename T>
std::string list_json(const T& values) {
  return fmt::format("[{}]", fmt::join(values, ", "));
}

void write_hotspot(JsonWriter& j, const HotspotDef& h, const ToLonLat& project) {
  j.str("id", h.id);
  j.str("crime_type", h.crime_type);
  j.raw("centre_27700", xy_json(h.centre, 1));
  j.raw("centre_lonlat", xy_json(project(h.centre), 7));
  j.num("sd_m", h.sd_m, 1);
}

std::string write_truth(const Layout& layout, const MapPoints& mp, const PoliceUkTruth& pu,
                        const ExportTruth& ex, const ToLonLat& project) {
  JsonWriter j;
  j.open("", '{');
  j.str("description",
        "Planted truth of the synthetic Sampleshire sample (data/README.md); written by "
        "data/make_sample.cpp");
  j.num("seed", static_cast<long long>(kSeed));
  j.str("rng",
        "std::mt19937_64 per named stream (seed XOR FNV-1a of the stream name); "
        "hand-written uniform, Box-Muller normal, Knuth Poisson");
  j.str("crs", "EPSG:27700");
  j.str("geojson_crs", "EPSG:4326 lon/lat (RFC 7946), 7 decimals");

  // Area.
  j.open("area", '{');
  j.str("name", kForceName);
  const auto [lo, hi] = bounds(layout.outline_ring);
  j.raw("extent_27700", fmt::format("[{:.0f}, {:.0f}, {:.0f}, {:.0f}]", lo.x, lo.y, hi.x, hi.y));
  j.num("area_km2", signed_area(layout.outline_ring) / 1e6, 4);
  j.num("outline_vertices", static_cast<long long>(layout.outline.size()));
  j.raw("town_centre_27700", xy_json(kTownCentre, 1));
  j.open("districts", '[');
  for (std::size_t d = 0; d < kDistricts.size(); ++d) {
    int areas = 0;
    long long population = 0;
    for (const Tile& t : layout.tiles) {
      if (t.district != static_cast<int>(d)) continue;
      ++areas;
      population += t.population;
    }
    j.raw("", fmt::format("{{\"district_id\": \"{}\", \"district_name\": \"{}\", \"small_areas\": "
                          "{}, \"population\": {}, \"area_km2\": {:.4f}}}",
                          kDistricts[d].id, kDistricts[d].name, areas, population,
                          signed_area(layout.points(layout.district_rings[d])) / 1e6));
  }
  j.close(']');
  j.num("small_areas", static_cast<long long>(layout.tiles.size()));
  long long population = 0;
  for (const Tile& t : layout.tiles) population += t.population;
  j.num("population", population);
  const Tile& bow = layout.tiles[layout.bowtie.tile];
  j.open("invalid_small_area", '{');
  j.str("area_id", bow.area_id);
  j.str("reason",
        "self-intersecting ring: a small bow-tie twist at the tile's north-east corner (on the "
        "outline), within 300 m of it; every edge shared with another small area is intact");
  j.raw("crossing_27700", xy_json(layout.bowtie.crossing, 1));
  j.raw("skipped_corner_27700",
        xy_json(layout.vertices[static_cast<std::size_t>(layout.bowtie.corner)], 1));
  j.num("tile_area_km2", signed_area(layout.tile_rings[layout.bowtie.tile]) / 1e6, 4);
  j.num("make_valid_area_km2", make_valid_area(layout.points(bow.written_ring)) / 1e6, 4);
  j.close('}');
  j.close('}');

  // police.uk.
  j.open("police_uk", '{');
  j.num("map_points", static_cast<long long>(mp.xy.size()));
  j.str("snapping", "every located row inside the area is at its nearest map point");
  std::vector<std::string> months;
  for (int m = 1; m <= kMonths; ++m) months.push_back(JsonWriter::quote(month_label(m)));
  j.raw("months", list_json(months));
  int rows = 0;
  int no_coordinates = 0;
  for (const FileTruth& f : pu.files) {
    rows += f.rows;
    no_coordinates += f.no_coordinates;
  }
  j.num("rows", rows);
  j.num("rows_no_coordinates", no_coordinates);
  j.num("rows_unparsable", static_cast<long long>(pu.unparsable.size()));
  j.num("rows_far_outside", static_cast<long long>(pu.far_outside.size()));
  j.num("rows_located", pu.located_rows);
  j.num("rows_located_in_area", pu.located_rows - static_cast<long long>(pu.far_outside.size()));
  j.num("distinct_locations", pu.distinct_locations);
  j.num("distinct_locations_in_area", pu.distinct_locations_in_area);
  j.num("rows_sharing_location", pu.rows_sharing_location);
  j.open("files", '[');
  for (const FileTruth& f : pu.files) {
    j.raw("", fmt::format("{{\"path\": \"{}\", \"rows\": {}, \"no_coordinates\": {}, "
                          "\"unparsable\": {}, \"far_outside\": {}, \"located_in_area\": {}, "
                          "\"distinct_locations\": {}, \"rows_sharing_location\": {}}}",
                          f.path, f.rows, f.no_coordinates, f.unparsable, f.far_outside,
                          f.located_in_area, f.distinct_locations, f.rows_sharing_location));
  }
  j.close(']');
  j.open("unparsable", '[');
  for (const UnparsableTruth& u : pu.unparsable) {
    j.raw("", fmt::format("{{\"file\": \"{}\", \"line\": {}, \"column\": \"{}\", \"value\": {}}}",
                          u.file, u.line, u.column, JsonWriter::quote(u.value)));
  }
  j.close(']');
  j.open("far_outside", '[');
  for (const FarTruth& f : pu.far_outside) {
    j.raw("", fmt::format("{{\"file\": \"{}\", \"line\": {}, \"xy_27700\": {}, \"lonlat\": [{}, "
                          "{}], \"distance_from_centre_km\": {:.1f}}}",
                          f.file, f.line, xy_json(f.xy, 1), f.lon, f.lat, f.distance_km));
  }
  j.close(']');
  j.open("rows_per_crime_type", '{');
  for (const auto& [type, n] : pu.rows_per_type) j.num(type, n);
  j.close('}');
  j.open("located_in_area_per_crime_type", '{');
  for (const auto& [type, n] : pu.located_in_area_per_type) j.num(type, n);
  j.close('}');
  j.open("located_in_area_per_district", '{');
  for (std::size_t d = 0; d < kDistricts.size(); ++d) {
    j.num(kDistricts[d].id, pu.located_per_district[d]);
  }
  j.close('}');
  j.open("hotspots", '[');
  for (std::size_t h = 0; h < kHotspots.size(); ++h) {
    const HotspotDef& def = kHotspots[h];
    const HotspotTally& t = pu.hotspots[h];
    int total = 0;
    for (const int n : t.planted) total += n;
    j.open("", '{');
    write_hotspot(j, def, project);
    const auto tile = layout.tile_of(def.centre);
    j.str("area_id", layout.tiles[*tile].area_id);
    j.str("district_id", kDistricts[static_cast<std::size_t>(layout.tiles[*tile].district)].id);
    j.str("centre_location", fmt::format("On or near {}", def.place));
    j.num("expected_per_month", def.per_month, 1);
    j.raw("planted_per_month", list_json(t.planted));
    j.num("planted_total", total);
    j.raw("planted_mean_27700", xy_json({t.raw_sum.x / total, t.raw_sum.y / total}, 1));
    j.raw("snapped_mean_27700", xy_json({t.snapped_sum.x / total, t.snapped_sum.y / total}, 1));
    j.close('}');
  }
  j.close(']');
  j.open("temporal_hotspots", '[');
  for (std::size_t h = 0; h < kTemporalHotspots.size(); ++h) {
    const TemporalHotspotDef& def = kTemporalHotspots[h];
    j.open("", '{');
    j.str("id", def.id);
    j.str("crime_type", def.crime_type);
    j.raw("centre_27700", xy_json(def.centre, 1));
    j.raw("centre_lonlat", xy_json(project(def.centre), 7));
    j.num("sd_m", def.sd_m, 1);
    j.str("planted", def.kind);
    j.str("expected_class", def.expected_class);
    j.str("expected_class_settings",
          "hotspots emerging --crime-type drugs --boundary force_area.geojson --grid hex "
          "--cell-size 250 --distance-band 800 (monthly, one time lag, FDR)");
    j.raw("planted_per_month", list_json(pu.temporal[h]));
    // The map point most of its rows were snapped to (the lowest index on ties): where a test
    // finds the hot spot's unit.
    int busiest = -1;
    int most = 0;
    for (const auto& [point, n] : pu.temporal_points[h])
      if (n > most) {
        busiest = point;
        most = n;
      }
    const Point b = mp.xy[static_cast<std::size_t>(busiest)];
    j.raw("busiest_map_point_27700", xy_json(b, 1));
    j.raw("busiest_map_point_lonlat",
          fmt::format("[{}, {}]", mp.lon[static_cast<std::size_t>(busiest)],
                      mp.lat[static_cast<std::size_t>(busiest)]));
    j.num("busiest_map_point_rows", most);
    j.close('}');
  }
  j.close(']');
  j.open("background", '{');
  j.str("spatial",
        fmt::format("{:.0f} % uniform over the area, the rest Gaussian (sd {:.0f} m) around the "
                    "town centre, clipped to the area",
                    100.0 * kUniformShare, kTownSd_m));
  for (const CrimeTypeDef& ct : kCrimeTypes) {
    j.num(fmt::format("{} per month", ct.name), ct.per_month, 1);
  }
  j.str("seasonal",
        "Anti-social behaviour and Violence and sexual offences x (1 + 0.15 "
        "cos(2 pi (month - 7) / 12))");
  j.close('}');
  j.close('}');

  // Force export.
  j.open("force_export", '{');
  j.str("path", "force_export.csv");
  j.str("crs", "EPSG:27700");
  j.num("rows", ex.rows);
  j.raw("empty_easting_lines", list_json(ex.empty_easting_lines));
  j.open("rows_per_offence_group", '{');
  for (const auto& [group, n] : ex.rows_per_group) j.num(group, n);
  j.close('}');
  j.open("hotspot", '{');
  write_hotspot(j, kNightHotspot, project);
  j.str("window",
        "Friday and Saturday 21:00-03:00 (hour of week, Monday 00:00 = 0: [117, 123) "
        "and [141, 147))");
  j.num("expected_total", kNightHotspot.per_month, 1);
  j.num("planted_total", ex.planted);
  j.raw("planted_mean_27700", xy_json(ex.planted_mean, 1));
  j.close('}');
  j.num("rows_in_window", ex.rows_in_window);
  j.num("violence_in_window", ex.violence_in_window);
  j.close('}');
  j.close('}');
  return j.finish();
}

// ---------------------------------------------------------------------------------------------

void make_sample(const fs::path& outdir) {
  GDALAllRegister();
  const ToLonLat project;
  const Layout layout = build_layout();
  check_layout(layout);
  const MapPoints mp = build_map_points(layout, project);
  const std::vector<FarPoint> far = build_far_points(project);
  fs::create_directories(outdir);
  write_boundaries(outdir, layout, project);
  const PoliceUkTruth pu = write_police_uk(outdir, layout, mp, far);
  const ExportTruth ex = write_force_export(outdir, layout);
  write_text(outdir / "truth.json", write_truth(layout, mp, pu, ex, project));
}

}  // namespace

int main(int argc, char** argv) {
  constexpr std::string_view kUsage =
      "usage: make_sample OUTDIR\n"
      "Writes the synthetic Sampleshire sample (data/README.md) into OUTDIR, e.g. data/sample.\n";
  if (argc == 2 && (std::string_view(argv[1]) == "-h" || std::string_view(argv[1]) == "--help")) {
    std::cout << kUsage;
    return 0;
  }
  if (argc != 2 || std::string_view(argv[1]).starts_with("-")) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    make_sample(argv[1]);
  } catch (const std::exception& e) {
    std::cerr << "make_sample: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
