// SPDX-License-Identifier: MIT
// Issue #11 item 4: patrol #1 was labelled "2" on the map and only hotspots 1-10 were labelled.
// One set of patrol places gives the same ids, in the same order, to the map layer (labels),
// patrol.csv and patrol.geojson.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "hotspots/io/crs.hpp"
#include "hotspots/pack/products/map_product.hpp"
#include "hotspots/tables/patrol_place_layers.hpp"
#include "support/scratch_dir.hpp"

namespace hotspots {
namespace {

TEST(PatrolIds, MapLabelsCsvAndGeojsonAgree) {
  Incidents inc;
  inc.crs = crs_from_epsg(27700);
  // Five clusters in Leicester (BNG), 80, 70, 60, 50 and 40 incidents.
  for (int c = 0; c < 5; ++c)
    for (int i = 0; i < 80 - 10 * c; ++i)
      inc.append(458000.0 + 1000 * c + (i % 4) * 20, 304000.0 + (i % 3) * 20, 1.0, Date{}, -1, 0,
                 i);
  PatrolPlaceOptions o;
  o.max_count = 4;
  o.min_incidents = 10;
  const PatrolPlaces places = select_patrol_places(inc, 12, 50.0, o);
  ASSERT_EQ(places.places.size(), 4u);

  const MapLayerLines layer = patrol_map_layer(places);
  ASSERT_EQ(layer.labels.size(), 4u);
  ASSERT_EQ(layer.polygons.size(), 4u);

  std::istringstream csv(patrol_places_csv(places, inc.crs));
  std::string line;
  std::getline(csv, line);
  // A UTF-8 byte order mark for Excel, then the header.
  EXPECT_EQ(line.substr(0, 18), "\xEF\xBB\xBFpatrol_id,rank,");
  std::vector<std::string> csv_ids;
  while (std::getline(csv, line)) csv_ids.push_back(line.substr(0, line.find(',')));

  testing::ScratchDir dir("patrol_ids");
  write_patrol_places(dir.file("patrol.geojson"), places, inc.crs, false);
  const auto gj = nlohmann::json::parse(testing::read_file(dir.file("patrol.geojson")));
  ASSERT_EQ(gj["features"].size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    std::string id = "P";
    id += std::to_string(k + 1);
    EXPECT_EQ(places.places[k].id, id);
    EXPECT_EQ(layer.labels[k], id);
    EXPECT_EQ(csv_ids[k], id);
    EXPECT_EQ(gj["features"][k]["properties"]["patrol_id"], id);
    EXPECT_EQ(gj["features"][k]["properties"]["rank"], k + 1);
  }
  // The map draws each place's own outline (its cells), the one the GeoJSON holds.
  for (std::size_t k = 0; k < 4; ++k) {
    const MultiPolygon outline = patrol_place_outline(places.places[k]);
    ASSERT_EQ(layer.polygons[k].size(), outline.size());
    EXPECT_EQ(layer.polygons[k][0].exterior, outline[0].exterior);
    EXPECT_NEAR(area(outline), places.places[k].area_km2 * 1e6, 1e-6);
  }
}

}  // namespace
}  // namespace hotspots
