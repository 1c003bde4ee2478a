// SPDX-License-Identifier: MIT
#include "hotspots/io/study.hpp"

#include <fmt/format.h>

#include "hotspots/core/error.hpp"

namespace hotspots {

Study prepare_study(const std::vector<std::string>& inputs, const StudyOptions& options) {
  Study study;
  study.data = read_incidents(inputs, options.read);
  Incidents& incidents = study.data.incidents;
  study.source_crs = incidents.crs;
  for (std::size_t i = 0; i < incidents.size(); ++i)
    study.source_extent.include(incidents.x[i], incidents.y[i]);
  if (incidents.size() == 0) {
    // Say so here, plainly, rather than as "cannot choose an analysis CRS" or an empty grid.
    const RowAccounting& acc = study.data.accounting;
    if (options.allow_no_incidents) {
      study.crs_reason = "none: no incident has coordinates";
      return study;
    }
    if (acc.read == 0)
      throw Error("the inputs hold no data rows (a header and nothing else?): 0 rows read");
    std::string why;
    for (auto reason : kAllRejectReasons)
      if (acc.rejected_for(reason) > 0)
        why += fmt::format("{}{} {}", why.empty() ? "" : ", ", acc.rejected_for(reason),
                           to_string(reason));
    throw Error(fmt::format("no incident has usable coordinates: {} rows read, 0 located ({})",
                            acc.read, why));
  }

  if (!options.dst_crs.empty()) {
    study.analysis_crs = crs_from_user_text(options.dst_crs);
    study.crs_reason = "given by --t_srs";
  } else {
    const Point median = median_lonlat(incidents);
    study.analysis_crs = default_analysis_crs(median.x, median.y);
    study.crs_reason = study.analysis_crs.epsg == 27700
                           ? "the data lie in Great Britain"
                           : fmt::format("UTM zone of the data's median point ({:.4f}, {:.4f})",
                                         median.x, median.y);
  }
  require_projected(study.analysis_crs, "--t_srs");
  project_incidents(incidents, study.analysis_crs, study.data.accounting,
                    options.read.keep_rejected_rows);
  study.located_before_clip = static_cast<std::int64_t>(incidents.size());

  if (options.boundary_paths.empty()) return study;
  std::vector<const MultiPolygon*> parts;
  for (const auto& path : options.boundary_paths) {
    study.boundaries.push_back(read_zones(path, options.boundary, study.analysis_crs));
    const auto& w = study.boundaries.back().warnings;
    study.data.warnings.insert(study.data.warnings.end(), w.begin(), w.end());
  }
  std::vector<std::uint8_t> inside(incidents.size(), 0);
  for (const auto& layer : study.boundaries) {
    std::vector<const MultiPolygon*> zones;
    for (const auto& z : layer.zones) {
      zones.push_back(&z.geometry);
      parts.push_back(&z.geometry);
    }
    const ZoneIndex index(zones);
    auto located = index.locate(incidents.x, incidents.y);
    bool any_inside = false;
    for (std::size_t i = 0; i < located.size(); ++i)
      if (located[i] >= 0) inside[i] = 1, any_inside = true;
    const Extent& e = layer.source_extent;
    if (!any_inside && !located.empty() && !layer.source_crs.geographic && !e.empty() &&
        e.xmin >= -180 && e.xmax <= 180 && e.ymin >= -90 && e.ymax <= 90)
      // Degrees declared as metres (a GeoJSON saved with a wrong "crs", a .prj copied from
      // elsewhere) put every zone within 180 m of the CRS's origin and every incident outside;
      // incidents get the same check (incidents.cpp, check_plausible).
      throw CrsError(fmt::format(
          "{}: the layer '{}' declares {} but its coordinates look like longitude/latitude in "
          "degrees (x {} .. {}, y {} .. {}), and no incident lies inside it; give the file its "
          "true CRS (e.g. ogr2ogr -a_srs EPSG:4326 fixed.gpkg {})",
          layer.path, layer.layer_name, layer.source_crs.label(), e.xmin, e.xmax, e.ymin, e.ymax,
          layer.path));
    study.feature_of_incident.push_back(std::move(located));
  }
  study.study_area = dissolve(parts, options.min_hole_area_m2, &study.holes_closed);
  reject_outside(incidents, inside, study.data.accounting, options.read.keep_rejected_rows);
  return study;
}

}  // namespace hotspots
