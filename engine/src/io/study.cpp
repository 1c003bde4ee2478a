// SPDX-License-Identifier: MIT
#include "hotspots/io/study.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <ranges>
#include <string>

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_group.h>

#include "hotspots/core/error.hpp"
#include "hotspots/io/forces.hpp"

namespace hotspots {

namespace {

void add_force_warnings(Study& study);

bool is_filter(RejectReason reason) {
  return reason == RejectReason::filtered_crime_type || reason == RejectReason::filtered_date ||
         reason == RejectReason::filtered_force;
}

[[noreturn]] void throw_no_incident(const RowAccounting& acc) {
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

/// The incidents within the read's from..to (all of them without history_from).
Incidents focus_of(const Incidents& incidents, const ReadOptions& read) {
  if (!read.history_from) return incidents;
  std::vector<std::uint8_t> keep(incidents.size(), 0);
  for (std::size_t i = 0; i < incidents.size(); ++i)
    keep[i] = date_within(incidents.date[i], read.from, read.to) ? 1 : 0;
  Incidents focus = incidents;
  focus.keep_only(keep);
  return focus;
}

std::string thousands(std::int64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void add_force_warnings(Study& study) {
  for (auto& w : mixed_force_warnings(study.data.incidents, study.analysis_crs))
    study.data.warnings.push_back(std::move(w));
}

}  // namespace

std::vector<ForceCount> incidents_per_force(const Incidents& incidents) {
  std::vector<ForceCount> out(incidents.force_keys.size());
  for (std::size_t k = 0; k < out.size(); ++k) out[k].key = incidents.force_keys[k];
  for (std::size_t i = 0; i < incidents.force.size(); ++i) {
    const std::int16_t f = incidents.force[i];
    if (f < 0) continue;
    out[static_cast<std::size_t>(f)].incidents += 1;
  }
  std::erase_if(out, [](const ForceCount& c) { return c.incidents == 0; });
  std::sort(out.begin(), out.end(),
            [](const ForceCount& a, const ForceCount& b) { return a.key < b.key; });
  return out;
}

std::vector<std::string> mixed_force_warnings(const Incidents& incidents, const Crs& analysis_crs) {
  const std::vector<ForceCount> forces = incidents_per_force(incidents);
  std::vector<std::string> out;
  if (forces.size() < 2) return out;
  std::vector<std::string> listed;
  const ForceCount* btp = nullptr;
  const ForceCount* ni = nullptr;
  std::int64_t gb = 0;
  for (const auto& f : forces) {
    listed.push_back(fmt::format("{} {}", f.key, thousands(f.incidents)));
    const ForceKind kind = force_kind(f.key);
    if (kind == ForceKind::transport) btp = &f;
    if (kind == ForceKind::northern_ireland) ni = &f;
    if (kind != ForceKind::northern_ireland) gb += f.incidents;
  }
  out.push_back(fmt::format(
      "the study mixes {} police forces ({}): they are analysed as one area, with one grid, one "
      "default radius and one ranking (but kde's hotspots, ranked force by force); give --force "
      "NAME (repeatable) for one force, or a --boundary ('info' counts the rows per force)",
      forces.size(), fmt::join(listed, ", ")));
  if (btp && static_cast<std::size_t>(btp->incidents) < incidents.size())
    out.push_back(fmt::format(
        "British Transport Police's {} incidents lie at railway stations and on lines across "
        "Great Britain, not in a force area: mixed with territorial forces they add hotspots at "
        "stations and blur every force's figures; analyse them alone (--force btp) or leave "
        "them out by naming the territorial forces with --force",
        thousands(btp->incidents)));
  if (ni && gb > 0)
    out.push_back(fmt::format(
        "Police Service of Northern Ireland's {} incidents are mixed with {} in Great Britain "
        "and analysed in {}{}: analyse Northern Ireland alone (--force northern-ireland), which "
        "chooses EPSG:2157 (Irish Transverse Mercator)",
        thousands(ni->incidents), thousands(gb), analysis_crs.label(),
        analysis_crs.epsg == 27700 ? ", outside that grid's area of use" : ""));
  return out;
}

void require_incidents(const Study& study) {
  if (study.data.incidents.size() > 0) return;
  const RowAccounting& acc = study.data.accounting;
  const std::int64_t outside = acc.rejected_for(RejectReason::outside_study_area);
  if (!study.boundaries.empty() && outside > 0) {
    std::vector<std::string> paths;
    for (const auto& b : study.boundaries) paths.push_back(b.path);
    throw Error(fmt::format(
        "no incident inside the boundary ({} rows outside {}); check that the boundary covers "
        "the data (info --boundary lists the counts per feature)",
        thousands(outside), fmt::join(paths, ", ")));
  }
  std::string why;
  for (auto reason : kAllRejectReasons)
    if (acc.rejected_for(reason) > 0)
      why += fmt::format("{}{} {}", why.empty() ? "" : ", ", thousands(acc.rejected_for(reason)),
                         to_string(reason));
  throw Error(fmt::format("no incident left to analyse ({} rows read{}{})", thousands(acc.read),
                          why.empty() ? "" : "; rejected: ", why));
}

Study prepare_study(const std::vector<std::string>& inputs, const StudyOptions& options) {
  Study study;
  // A projected --src-crs without --t_srs: the transformation that takes the median point to
  // lon/lat is made on another core while the files are read. The one median_lonlat would make:
  // the same result.
  std::optional<CoordinateTransform> to_lonlat;
  std::string to_lonlat_from;  // the WKT it starts from
  {
    tbb::task_group ahead;
    if (options.dst_crs.empty() && !options.read.src_crs.empty())
      ahead.run([&] {
        try {
          const Crs from = crs_from_user_text(options.read.src_crs);
          if (from.geographic) return;
          to_lonlat.emplace(from, datum_lonlat(from));
          to_lonlat_from = from.wkt;
        } catch (...) {  // an unknown CRS: the reader says so
        }
      });
    struct Wait {
      tbb::task_group& group;
      ~Wait() { group.wait(); }
    } wait{ahead};
    study.data = read_incidents(inputs, options.read);
  }
  Incidents& incidents = study.data.incidents;
  study.source_crs = incidents.crs;
  // Without history the focus is every incident: no copy (it held 7 M rows of the national
  // year twice).
  std::optional<Incidents> focus_copy;
  if (options.read.history_from) focus_copy = focus_of(incidents, options.read);
  const Incidents& focus = focus_copy ? *focus_copy : incidents;
  // In blocks on both cores, joined in order (a tie keeps the earlier value, as one pass does).
  study.source_extent = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, focus.size(), std::size_t{1} << 16), Extent{},
      [&](const tbb::blocked_range<std::size_t>& r, Extent e) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) e.include(focus.x[i], focus.y[i]);
        return e;
      },
      [](Extent a, const Extent& b) {
        a.include(b);
        return a;
      });
  if (focus.size() == 0) {
    // Say so here, plainly, rather than as "cannot choose an analysis CRS" or an empty grid.
    if (options.allow_no_incidents && incidents.size() == 0) {
      study.crs_reason = "none: no incident has coordinates";
      return study;
    }
    if (!options.read.history_from || !options.read.keep_rejected_rows)
      throw_no_incident(study.data.accounting);
    Study unprojected = study;
    for (std::int32_t m : study.data.incidents.date | std::views::transform(&Date::month_index))
      unprojected.located_months.push_back(m);
    throw_no_incident(
        slice(unprojected, {options.read.from->month_index,
                            options.read.to ? options.read.to->month_index
                                            : std::numeric_limits<std::int32_t>::max()})
            .data.accounting);
  }

  if (!options.dst_crs.empty()) {
    study.analysis_crs = crs_from_user_text(options.dst_crs);
    study.crs_reason = "given by --t_srs";
  } else {
    const Point median =
        median_lonlat(focus, to_lonlat && to_lonlat_from == focus.crs.wkt ? &*to_lonlat : nullptr);
    study.analysis_crs = default_analysis_crs(median.x, median.y);
    study.crs_reason = study.analysis_crs.epsg == 27700 ? "the data lie in Great Britain"
                       : study.analysis_crs.epsg == 2157
                           ? "the data lie on the island of Ireland (Irish Transverse Mercator)"
                           : fmt::format("UTM zone of the data's median point ({:.4f}, {:.4f})",
                                         median.x, median.y);
  }
  require_projected(study.analysis_crs, "--t_srs");
  project_incidents(incidents, study.analysis_crs, study.data.accounting,
                    options.read.keep_rejected_rows);
  study.located_before_clip = static_cast<std::int64_t>(incidents.size());
  if (options.read.keep_rejected_rows)
    for (const Date& d : incidents.date) study.located_months.push_back(d.month_index);

  if (options.boundary_paths.empty()) {
    if (options.data_study_area) {
      const DataStudyArea area =
          study_area_from_data(incidents.x, incidents.y, *options.data_study_area);
      study.study_area = area.area;
      reject_outside(incidents, area.inside, study.data.accounting,
                     options.read.keep_rejected_rows);
      study.data.warnings.push_back(fmt::format(
          "no boundary given: the study area is the concave hull of the {} distinct incident "
          "locations, buffered by {:.0f} m ({:.1f} km2){}; a real boundary (the force's or the "
          "districts' polygons) is better: the hull ends where crime was recorded, and areas, "
          "rates and maps depend on it",
          thousands(area.locations - area.outlier_locations), options.data_study_area->buffer_m,
          hotspots::area(area.area) / 1e6,
          area.outlier_locations == 0
              ? std::string()
              : fmt::format("; {} outlying locations ({} incidents) with fewer than {} others "
                            "within {:.0f} m were left out as outside_study_area",
                            thousands(area.outlier_locations), thousands(area.outlier_incidents),
                            options.data_study_area->min_neighbours,
                            options.data_study_area->outlier_distance_m)));
    }
    add_force_warnings(study);
    return study;
  }
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
  if (options.keep_outside) {
    std::vector<std::uint8_t> outside(inside.size());
    for (std::size_t i = 0; i < inside.size(); ++i) outside[i] = inside[i] ? 0 : 1;
    study.outside = incidents;
    study.outside.keep_only(outside);
  }
  reject_outside(incidents, inside, study.data.accounting, options.read.keep_rejected_rows);
  add_force_warnings(study);
  return study;
}

}  // namespace hotspots

namespace hotspots {

Study slice(const Study& study, const Period& period, bool with_rows) {
  const RowAccounting& all = study.data.accounting;
  if (static_cast<std::int64_t>(all.rows.size()) != all.rejected_total())
    throw InvalidArgument(
        "slice: the study was read without keep_rejected_rows, so rows of other months cannot be "
        "re-filed");
  Study out;
  out.analysis_crs = study.analysis_crs;
  out.crs_reason = study.crs_reason;
  out.source_extent = study.source_extent;
  out.source_crs = study.source_crs;
  out.boundaries = study.boundaries;
  out.study_area = study.study_area;
  out.holes_closed = study.holes_closed;
  out.data.sources = study.data.sources;
  out.data.types_present = study.data.types_present;
  out.data.force_rows = study.data.force_rows;
  out.data.warnings = study.data.warnings;
  out.data.skipped_by_name = study.data.skipped_by_name;

  RowAccounting& acc = out.data.accounting;
  acc.read = all.read;
  const auto refile = [&](RejectedRow row, const Date& date) {
    row.reason = RejectReason::filtered_date;
    row.detail = "date " + date.to_string();
    row.date = date;
    ++acc.rejected[static_cast<std::size_t>(RejectReason::filtered_date)];
    if (with_rows) acc.rows.push_back(std::move(row));
  };
  for (const RejectedRow& row : all.rows) {
    // Rows rejected before their date was known, or by the filters, stay as they are.
    if (is_filter(row.reason) || !row.date.has_month() || period.contains(row.date.month_index)) {
      ++acc.rejected[static_cast<std::size_t>(row.reason)];
      if (with_rows) acc.rows.push_back(row);
    } else {
      refile(row, row.date);
    }
  }
  const Incidents& inc = study.data.incidents;
  std::vector<std::uint8_t> keep(inc.size(), 0);
  for (std::size_t i = 0; i < inc.size(); ++i) {
    keep[i] = period.contains(inc.date[i].month_index) ? 1 : 0;
    if (keep[i]) continue;
    if (with_rows)
      refile(RejectedRow{inc.source[i], inc.line[i], RejectReason::filtered_date, {}, "", ""},
             inc.date[i]);
    else
      ++acc.rejected[static_cast<std::size_t>(RejectReason::filtered_date)];
  }
  out.data.incidents = inc;
  out.data.incidents.keep_only(keep);
  std::vector<std::uint8_t> keep_outside(study.outside.size(), 0);
  for (std::size_t i = 0; i < keep_outside.size(); ++i)
    keep_outside[i] = period.contains(study.outside.date[i].month_index) ? 1 : 0;
  out.outside = study.outside;
  out.outside.keep_only(keep_outside);
  acc.used = static_cast<std::int64_t>(out.data.incidents.size());
  std::vector<std::uint8_t> located(study.located_months.size(), 0);
  for (std::size_t i = 0; i < located.size(); ++i)
    located[i] = period.contains(study.located_months[i]) ? 1 : 0;
  for (const auto& features : study.feature_of_incident) {
    std::vector<std::int32_t> kept;
    for (std::size_t i = 0; i < features.size() && i < located.size(); ++i)
      if (located[i]) kept.push_back(features[i]);
    out.feature_of_incident.push_back(std::move(kept));
  }
  for (std::size_t i = 0; i < located.size(); ++i)
    if (located[i]) out.located_months.push_back(study.located_months[i]);
  out.located_before_clip = static_cast<std::int64_t>(out.located_months.size());
  return out;
}

}  // namespace hotspots
