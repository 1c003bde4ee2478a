// SPDX-License-Identifier: MIT
#include "hotspots/stats/ehsa_classes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;
using C = EhsaClass;

// A unit's series written as one character per time step (earliest first):
//   H hot at 99 % (z 3, p 0.001, bin 3)      C cold at 99 %
//   h hot at 90 % only (z 1.8, p 0.07, bin 1) c cold at 90 % only
//   T hot with p exactly 0.01 (sfdep's threshold), bin 3
//   U hot with p just above 0.01 (bin 2)
//   . not significant, z > 0                  , not significant, z < 0
struct Series {
  std::vector<double> z, p;
  std::vector<int> bin;
};

Series series(const std::string& s) {
  Series out;
  for (const char ch : s) {
    double z = 0;
    double p = 0;
    int b = 0;
    switch (ch) {
      case 'H':
        z = 3, p = 0.001, b = 3;
        break;
      case 'C':
        z = -3, p = 0.001, b = -3;
        break;
      case 'h':
        z = 1.8, p = 0.07, b = 1;
        break;
      case 'c':
        z = -1.8, p = 0.07, b = -1;
        break;
      case 'T':
        z = 2.6, p = 0.01, b = 3;
        break;
      case 'U':
        z = 2.5, p = std::nextafter(0.01, 1.0), b = 2;
        break;
      case '.':
        z = 0.3, p = 0.76, b = 0;
        break;
      case ',':
        z = -0.3, p = 0.76, b = 0;
        break;
      default:
        ADD_FAILURE() << "bad series character " << ch;
    }
    out.z.push_back(z);
    out.p.push_back(p);
    out.bin.push_back(b);
  }
  return out;
}

// A trend with the given direction (+1 up, −1 down) and two-sided p.
MannKendallResult trend(int direction, double p) {
  MannKendallResult t;
  t.n = 10;
  t.s = 10.0 * direction;
  t.z = 2.0 * direction;
  t.p = p;
  t.tau_b = t.tau_a = 0.2 * direction;
  return t;
}

const MannKendallResult kFlat = trend(+1, 0.5);

EhsaClass arcgis(const std::string& s, const MannKendallResult& t = kFlat, double alpha = 0.05,
                 int level = 1) {
  const Series x = series(s);
  EhsaClassOptions o;
  o.trend_alpha = alpha;
  o.min_bin_level = level;
  return classify_emerging(x.z, x.p, x.bin, t, o);
}

EhsaClass sfdep(const std::string& s, const MannKendallResult& t = kFlat) {
  const Series x = series(s);
  EhsaClassOptions o;
  o.compat = Compat::sfdep;
  return classify_emerging(x.z, x.p, x.bin, t, o);
}

// Hot ↔ cold, for the mirror-image checks.
std::string mirror(const std::string& s) {
  std::string m = s;
  for (char& ch : m) {
    switch (ch) {
      case 'H':
        ch = 'C';
        break;
      case 'C':
        ch = 'H';
        break;
      case 'h':
        ch = 'c';
        break;
      case 'c':
        ch = 'h';
        break;
      case '.':
        ch = ',';
        break;
      case ',':
        ch = '.';
        break;
      default:
        break;
    }
  }
  return m;
}

EhsaClass mirror(EhsaClass c) {
  const auto v = static_cast<int>(c);
  if (v == 0) return c;
  return static_cast<EhsaClass>(v <= 8 ? v + 8 : v - 8);
}

MannKendallResult mirror(const MannKendallResult& t) {
  MannKendallResult m = t;
  m.s = -t.s;
  m.z = -t.z;
  m.tau_b = -t.tau_b;
  m.tau_a = -t.tau_a;
  return m;
}

struct ArcGisCase {
  const char* series;
  MannKendallResult trend;
  EhsaClass want;
  const char* why;
};

TEST(EhsaClasses, ArcGisRulesOnTheirThresholdsHotAndMirroredCold) {
  const double above = std::nextafter(0.05, 1.0);
  const std::vector<ArcGisCase> cases{
      {".........H", kFlat, C::new_hot_spot, "hot only at the final step"},
      {"C........H", kFlat, C::new_hot_spot, "never HOT before; an earlier cold spot allowed"},
      {"........HH", kFlat, C::consecutive_hot_spot, "final run of exactly two"},
      {"..HHHHHHHH", kFlat, C::consecutive_hot_spot, "run of 8/10 = 80 % < 90 %"},
      {".HHHHHHHHH", kFlat, C::persistent_hot_spot, "run of 9/10 = 90 %: not consecutive"},
      {"C.......HH", kFlat, C::consecutive_hot_spot, "cold before the run is allowed"},
      {"H.......HH", kFlat, C::sporadic_hot_spot, "hot before the final run"},
      {"HHHHHHHH.H", trend(+1, 0.05), C::intensifying_hot_spot, "9/10 hot, trend p = alpha"},
      {"HHHHHHHH.H", trend(+1, above), C::persistent_hot_spot, "trend p just above alpha"},
      {"HHHHHHHH.H", trend(-1, 0.05), C::diminishing_hot_spot, "9/10 hot, downward p = alpha"},
      {"HHHHHHH..H", trend(+1, 0.001), C::sporadic_hot_spot, "8/10 hot: below 90 %"},
      {"HHHHHHHHH.", kFlat, C::historical_hot_spot, "9/10 hot, final step not hot"},
      {"HHHHHHHHH.", trend(+1, 0.001), C::historical_hot_spot, "trend irrelevant"},
      {"HHHHHHHH..", kFlat, C::no_pattern, "8/10 hot and final not hot"},
      {"H.H.H....H", kFlat, C::sporadic_hot_spot, "on and off, final hot, never cold"},
      {"H.H.H.....", kFlat, C::no_pattern, "sporadic needs the final step (ArcGIS Pro)"},
      {"HC.H.C...H", kFlat, C::oscillating_hot_spot, "final hot, a cold spell before"},
      {"HHHHCHHHHH", kFlat, C::persistent_hot_spot, "90 % hot even with a cold spell"},
      {"hhhhhhhhhh", kFlat, C::persistent_hot_spot, "90 % confidence bins count at level 1"},
      {"..........", kFlat, C::no_pattern, "nothing significant"},
      {"H", kFlat, C::new_hot_spot, "a single step"},
  };
  for (const ArcGisCase& c : cases) {
    EXPECT_EQ(arcgis(c.series, c.trend), c.want) << c.series << ": " << c.why;
    EXPECT_EQ(arcgis(mirror(c.series), mirror(c.trend)), mirror(c.want))
        << mirror(c.series) << " (mirror): " << c.why;
  }
}

TEST(EhsaClasses, ArcGisConfidenceLevelIsAnOption) {
  EXPECT_EQ(arcgis("hhhhhhhhhh", kFlat, 0.05, 2), C::no_pattern);
  EXPECT_EQ(arcgis("hhhhhhhhHH", kFlat, 0.05, 2), C::consecutive_hot_spot);
  EXPECT_EQ(arcgis("cccccccccC", kFlat, 0.05, 3), C::new_cold_spot);
}

struct SfdepCase {
  const char* series;
  MannKendallResult trend;
  EhsaClass want;
  EhsaClass arcgis;  // ArcGIS rules with trend_alpha = 0.01 on the same series, for contrast
  const char* why;
};

TEST(EhsaClasses, SfdepRulesAsItsCodeHasThem) {
  const std::vector<SfdepCase> cases{
      {".........T", kFlat, C::new_hot_spot, C::new_hot_spot, "p = threshold is significant"},
      {".........U", kFlat, C::no_pattern, C::new_hot_spot, "p just above 0.01"},
      {".........h", kFlat, C::no_pattern, C::new_hot_spot, "90 % bins are not significant"},
      {"C........H", kFlat, C::oscillating_hot_spot, C::new_hot_spot,
       "new needs no significant bin at all before"},
      {"C.......HH", kFlat, C::oscillating_hot_spot, C::consecutive_hot_spot,
       "consecutive needs no significant bin before the run"},
      {".......CCH", kFlat, C::consecutive_hot_spot, C::new_hot_spot,
       "the run is of significant bins of either sign; only the last must be hot"},
      {"........HH", kFlat, C::consecutive_hot_spot, C::consecutive_hot_spot, "agree"},
      {"HHHHHHHH.H", trend(+1, 0.001), C::intensifying_hot_spot, C::intensifying_hot_spot, "agree"},
      {"HHHHHHHH.H", trend(+1, 0.01), C::no_pattern, C::intensifying_hot_spot,
       "intensifying needs tau_p < threshold, persistent tau_p > threshold: p = 0.01 falls "
       "through"},
      {"CCCCCCCC,C", trend(-1, 0.01), C::intensifying_cold_spot, C::intensifying_cold_spot,
       "the cold test uses <="},
      {"CCCCCCCCCC", trend(+1, 0.001), C::intensifying_hot_spot, C::diminishing_cold_spot,
       "intensifying hot checks significance, not the sign: a diminishing cold spot"},
      {"HHHHCHHHHH", trend(+1, 0.01), C::oscillating_hot_spot, C::intensifying_hot_spot,
       "oscillating hot uses <= 90 % (cold uses <)"},
      {"CCCCHCCCCC", trend(-1, 0.01), C::intensifying_cold_spot, C::intensifying_cold_spot,
       "the mirror does not fall through"},
      {"HHHHHHHHH.", kFlat, C::persistent_hot_spot, C::historical_hot_spot,
       "persistent does not look at the final step"},
      {"HHHHHHHHH,", trend(-1, 0.001), C::historical_hot_spot, C::historical_hot_spot,
       "historical needs a negative final z"},
      {"HHHHHHHHH.", trend(-1, 0.001), C::no_pattern, C::historical_hot_spot,
       "final z positive but not significant: no test matches"},
      {"H.H.H.....", kFlat, C::sporadic_hot_spot, C::no_pattern,
       "sporadic without the final step (the older ArcGIS wording)"},
      {"C.C.C.....", kFlat, C::sporadic_cold_spot, C::no_pattern, "and cold"},
      {"CCCCCCCCC.", kFlat, C::persistent_cold_spot, C::historical_cold_spot, "cold spell"},
      {"HC.H.C...H", kFlat, C::oscillating_hot_spot, C::oscillating_hot_spot, "agree"},
      {"CH.C.H...C", kFlat, C::oscillating_cold_spot, C::oscillating_cold_spot, "agree"},
  };
  for (const SfdepCase& c : cases) {
    EXPECT_EQ(sfdep(c.series, c.trend), c.want) << c.series << ": " << c.why;
    EXPECT_EQ(arcgis(c.series, c.trend, 0.01), c.arcgis) << c.series << " (ArcGIS): " << c.why;
  }
}

TEST(EhsaClasses, CubeClassifiesEachUnitWithTheMannKendallOfItsZSeries) {
  // Two units × 10 steps: unit 0 rising hot, unit 1 a new cold spot.
  const std::vector<std::string> units{"hhhHHHHHHH", "........,C"};
  SpaceTimeGiStarResult gi;
  gi.unit_count = 2;
  gi.step_count = 10;
  for (std::size_t t = 0; t < 10; ++t)
    for (const std::string& u : units) {
      const Series s = series(std::string(1, u[t]));
      gi.z.push_back(s.z[0] + 0.01 * static_cast<double>(t));  // rising z: a real trend
      gi.p.push_back(s.p[0]);
      gi.bin.push_back(s.bin[0]);
    }
  for (const Compat compat : {Compat::arcgis, Compat::sfdep}) {
    EhsaClassOptions o;
    o.compat = compat;
    const EhsaResult r = classify_emerging_cube(gi, o);
    ASSERT_EQ(r.classes.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      std::vector<double> z, p;
      std::vector<int> b;
      for (std::size_t t = 0; t < 10; ++t) {
        z.push_back(gi.z[t * 2 + i]);
        p.push_back(gi.p[t * 2 + i]);
        b.push_back(gi.bin[t * 2 + i]);
      }
      const MannKendallResult mk = mann_kendall(z);
      EXPECT_EQ(r.z_trends[i].s, mk.s);
      EXPECT_EQ(r.z_trends[i].p, mk.p);
      EXPECT_EQ(r.classes[i], classify_emerging(z, p, b, mk, o));
    }
    EXPECT_EQ(r.classes[1], C::new_cold_spot);
  }
  // Unit 0: z rises monotonically (S = 45, p ≈ 1e-4): ArcGIS intensifying; sfdep counts only
  // the 7 bins at p <= 0.01 (70 %), a final run with nothing before → consecutive.
  EXPECT_EQ(classify_emerging_cube(gi).classes[0], C::intensifying_hot_spot);
  EXPECT_EQ(classify_emerging_cube(gi, {.compat = Compat::sfdep}).classes[0],
            C::consecutive_hot_spot);
}

TEST(EhsaClasses, LabelsAndValidation) {
  EXPECT_EQ(ehsa_class_label(C::oscillating_cold_spot), "Oscillating Cold Spot");
  EXPECT_EQ(ehsa_class_label(C::no_pattern), "No Pattern Detected");
  EXPECT_EQ(ehsa_class_key(C::intensifying_hot_spot), "intensifying_hot_spot");
  EXPECT_EQ(ehsa_class_sfdep_label(C::oscillating_hot_spot), "oscilating hotspot");
  const Series s = series("HH");
  const auto message = [&](const EhsaClassOptions& o, std::size_t len) {
    try {
      (void)classify_emerging(std::span(s.z).first(len), s.p, s.bin, kFlat, o);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(message({.min_bin_level = 0}, 2), HasSubstr("min_bin_level"));
  EXPECT_THAT(message({.trend_alpha = 1.0}, 2), HasSubstr("trend_alpha"));
  EXPECT_THAT(message({.sfdep_threshold = 0.0}, 2), HasSubstr("sfdep_threshold"));
  EXPECT_THAT(message({}, 1), HasSubstr("same length"));
}

}  // namespace
}  // namespace hotspots
