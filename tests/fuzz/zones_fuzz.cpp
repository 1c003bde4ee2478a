// SPDX-License-Identifier: MIT
// libFuzzer target: the boundary (zones) reader on one GeoJSON file, read into EPSG:27700, then
// dissolved and queried as the study area is. A crash, a sanitizer report or an exception that
// is not a hotspots::Error is a finding.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/zones.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hotspots;
  static const std::string path = fuzz::scratch_path("zones.geojson");
  static const Crs bng = crs_from_epsg(27700);
  fuzz::write_input(path, data, size);
  ZoneReadOptions options;
  options.assume_crs = "EPSG:4326";
  try {
    const ZoneLayer layer = read_zones(path, options, bng);
    std::vector<const MultiPolygon*> parts;
    for (const Zone& z : layer.zones) parts.push_back(&z.geometry);
    const MultiPolygon area = dissolve(parts, 10'000.0);
    const ZoneIndex index(parts);
    const std::vector<double> x{450'000, 460'000, 0};
    const std::vector<double> y{300'000, 297'000, 0};
    const auto located = index.locate(x, y);
    if (located.size() != x.size()) std::abort();
    (void)area;
  } catch (const Error&) {
  }
  return 0;
}
