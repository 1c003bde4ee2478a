// SPDX-License-Identifier: MIT
#include "hotspots/pack/report_document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string_view>
#include <utility>

#include "hotspots/core/dates.hpp"
#include "hotspots/core/phase_timer.hpp"
#include "hotspots/pack/products/map_product.hpp"
#include "hotspots/pack/products/place_times_product.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/tables/patrol_place_layers.hpp"
#include "hotspots/tables/zone_table.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNone = "-";
/// Stands for each patrol place's id in a figure's file name (product.hpp).
constexpr std::string_view kPlaceToken = "{place}";

ReportBlock heading(std::string text, int level = 1) {
  ReportBlock b;
  b.kind = ReportBlockKind::heading;
  b.level = level;
  b.text = std::move(text);
  return b;
}

ReportBlock paragraph(std::string text) {
  ReportBlock b;
  b.kind = ReportBlockKind::paragraph;
  b.text = std::move(text);
  return b;
}

ReportBlock bullets(std::vector<std::string> items) {
  ReportBlock b;
  b.kind = ReportBlockKind::bullets;
  b.items = std::move(items);
  return b;
}

ReportBlock table(ReportTable t) {
  ReportBlock b;
  b.kind = ReportBlockKind::table;
  b.table = std::move(t);
  return b;
}

ReportBlock page_break() {
  ReportBlock b;
  b.kind = ReportBlockKind::page_break;
  return b;
}

/// "12.3%" of a fraction; "-" for NaN.
std::string percent(double fraction, int decimals = 1) {
  if (!std::isfinite(fraction)) return std::string(kNone);
  return fmt::format("{:.{}f}%", 100.0 * fraction, decimals);
}

/// A number with `decimals` decimals; "-" for NaN.
std::string fixed(double v, int decimals = 1) {
  if (!std::isfinite(v)) return std::string(kNone);
  return fmt::format("{:.{}f}", v, decimals);
}

/// A p-value for people: "< 0.001", else three decimals.
std::string p_text(double p) {
  if (!std::isfinite(p)) return std::string(kNone);
  return p < 0.001 ? "< 0.001" : fmt::format("{:.3f}", p);
}

/// "1 file", "12 files".
std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

/// "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

/// The first day after the period, ISO 8601 in UTC; the epoch when undated.
std::string document_date(const PackPeriod& period) {
  if (!period.current.valid()) return "1970-01-01T00:00:00Z";
  const std::int32_t next = period.current.last + 1;
  return fmt::format("{:04d}-{:02d}-01T00:00:00Z", next / 12, next % 12 + 1);
}

/// Change of the group against the previous period: "+12.3%", with the test's p-value.
struct GroupChange {
  std::string change = std::string(kNone);
  std::string p = std::string(kNone);
  std::string verdict;  ///< "significant", "not significant", ""
};

GroupChange group_change(const PackRequest& request, const GroupResult& r) {
  GroupChange c;
  if (!request.period.previous_available) return c;
  if (r.previous_incidents > 0)
    c.change = fmt::format("{:+.1f}%",
                           100.0 * static_cast<double>(r.current_incidents - r.previous_incidents) /
                               static_cast<double>(r.previous_incidents));
  const double p = change_test_p(r.previous_incidents, r.current_incidents);
  c.p = p_text(p);
  c.verdict = p < request.options.zone_table.alpha ? "significant" : "not significant";
  return c;
}

/// The place's top Location names with their incidents: "On or near X (12); On or near Y (5)".
std::string where_text(const PatrolPlace& p) {
  return named_counts_text(p.top_locations);
}

/// The table's flag; why is said under the table (patrol_report).
std::string flag_text(const PatrolPlace& p) {
  return p.recording_location ? "recording location?" : std::string();
}

ReportTable key_figures(const PackRequest& request) {
  ReportTable t;
  t.header = {"Crime group",   "Incidents",    "Previous period",      "Change",
              "Change test p", "KDE hotspots", "Top 5% of cells hold", "Area holding half"};
  t.numeric = {false, true, true, true, true, true, true, true};
  for (const GroupResult& r : request.results) {
    const GroupAnalysis& a = r.analysis;
    const GroupChange c = group_change(request, r);
    const double top5 =
        a.concentration.top.size() > 1 ? a.concentration.top[1].share_incidents : std::nan("");
    t.rows.push_back(
        {group_title(r.name), grouped(r.current_incidents),
         request.period.previous_available ? grouped(r.previous_incidents) : std::string(kNone),
         c.change, c.p, r.mapped ? std::to_string(a.hotspots.size()) : std::string(kNone),
         r.mapped ? percent(top5) : std::string(kNone),
         r.mapped && a.concentration.cells_for_target > 0
             ? percent(a.concentration.share_cells_for_target)
             : std::string(kNone)});
  }
  return t;
}

ReportTable patrol_table(const PatrolPlaces& places, std::size_t max_rows) {
  ReportTable t;
  t.header = {
      "Id",  "Where (top locations, incidents)", "Incidents", "Share", "Per month", "PAI", "When",
      "Flag"};
  t.numeric = {false, false, true, true, true, true, false, false};
  for (const PatrolPlace& p : places.places) {
    if (t.rows.size() >= max_rows) break;
    t.rows.push_back({p.id, where_text(p), fixed(p.incidents, 0), percent(p.share),
                      fixed(p.per_month), fixed(p.pai), p.profile.text, flag_text(p)});
  }
  return t;
}

ReportTable zone_table(const PackRequest& request, const ZoneTable& zt, std::size_t max_rows) {
  const bool population = !request.zones.population.empty();
  const bool change = request.period.previous_available;
  std::vector<const ZoneRow*> rows;
  for (const ZoneRow& row : zt.rows) rows.push_back(&row);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ZoneRow* x, const ZoneRow* y) { return x->rank < y->rank; });
  if (rows.size() > max_rows) rows.resize(max_rows);
  ReportTable t;
  t.header = {"Rank", "Zone", "Incidents", "Per km2"};
  t.numeric = {true, false, true, true};
  if (population) t.header.emplace_back("Per 1,000 people"), t.numeric.push_back(true);
  t.header.emplace_back("Share"), t.numeric.push_back(true);
  if (change) {
    t.header.emplace_back("Previous"), t.numeric.push_back(true);
    t.header.emplace_back("Change"), t.numeric.push_back(true);
    t.header.emplace_back("Change flag"), t.numeric.push_back(false);
  }
  t.header.emplace_back("Area in hotspots"), t.numeric.push_back(true);
  for (const ZoneRow* row : rows) {
    std::vector<std::string> cells = {std::to_string(row->rank), row->name, grouped(row->incidents),
                                      fixed(row->per_km2)};
    if (population) cells.push_back(fixed(row->per_1000));
    cells.push_back(percent(row->share));
    if (change) {
      cells.push_back(grouped(row->previous));
      cells.push_back(fmt::format("{:+d}", row->change));
      cells.push_back(row->change_flag_fdr);
    }
    cells.push_back(percent(row->hotspot_share, 0));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

std::vector<std::string> methods(const Study& study, const PackRequest& request) {
  const AnalysisOptions& o = request.options;
  const double cell_km2 = request.grid.cell_size_m * request.grid.cell_size_m / 1e6;
  std::vector<std::string> m;
  m.push_back(fmt::format(
      "Grid: {:.0f} m cells over the boundary; the {} cells whose centre is inside form the "
      "study area ({:.1f} km2). Coordinates are projected to {} before any distance is measured.",
      request.grid.cell_size_m, grouped(request.mask.count_inside()),
      static_cast<double>(request.mask.count_inside()) * cell_km2, study.analysis_crs.label()));
  std::string radii;
  for (const GroupResult& r : request.results)
    if (r.mapped)
      radii += fmt::format("{}{} {:.0f} m{}", radii.empty() ? "" : "; ", group_title(r.name),
                           r.analysis.radius_m,
                           r.analysis.radius_from_rule ? " (Silverman's rule)" : "");
  m.push_back(fmt::format(
      "Kernel density (KDE): {} kernel, radius {}, density in incidents per km2 at each cell "
      "centre (the scaling of ArcGIS and GRASS). KDE hotspots: the top {}% of the study area's "
      "cells by density, merged by shared edges or corners, ranked by incidents.",
      to_string(o.kde.kernel), radii.empty() ? std::string("-") : radii, o.hot_top_percent));
  m.push_back(fmt::format(
      "Getis-Ord Gi* on incident counts per cell, binary distance band {:.0f} m including the "
      "cell itself (ArcGIS Hot Spot Analysis); {}. Clusters are the cells in the hot or cold "
      "bins at {}% confidence or more.",
      o.gistar.distance_band_m,
      o.gistar.fdr ? "bins corrected by the False Discovery Rate (Benjamini & Hochberg 1995)"
                   : "bins from raw p-values (no FDR correction)",
      o.cluster_level >= 3 ? 99 : (o.cluster_level == 2 ? 95 : 90)));
  m.push_back(fmt::format(
      "Patrol places: {}. A place is flagged as a possible recording location when one map "
      "point holds more than {:.0f}% of its incidents or its name is a hospital, infirmary, A&E, "
      "police station or custody suite.",
      patrol_rule_text(
          o.patrol,
          fmt::format("{:g} incidents a month of the period", o.patrol.min_incidents_per_month),
          fmt::format("{:g} a month", o.patrol.min_cell_incidents_per_month)),
      100 * o.patrol.recording_share));
  if (request.period.previous_available)
    m.push_back(fmt::format(
        "Change: {} against {} (the same number of months). The change test is the exact "
        "conditional binomial test of two Poisson counts (Przyborowski & Wilenski 1940): p < {:g} "
        "reads as a change beyond chance. Zones are flagged up or down when the test's "
        "Benjamini-Hochberg adjusted p is below {:g}.",
        request.period.label(), request.period.previous_label(), o.zone_table.alpha,
        o.zone_table.alpha));
  else
    m.push_back(fmt::format("Change: none, because {}.", request.period.no_change_reason));
  m.push_back(
      "What the figures count: Incidents = rows of the period with coordinates inside the "
      "boundary whose crime type is in the group (each row is one incident). Share = the "
      "incidents of a place or zone / all the group's incidents. PAI (Predictive Accuracy Index, "
      "Chainey et al. 2008) = share of incidents / share of the study area. Per km2 = incidents / "
      "zone area; per 1,000 = incidents / population x 1,000. \"Top 5% of cells hold\" = share of "
      "incidents in the 5% of cells with the most; \"Area holding half\" = the smallest share of "
      "the study area holding half of the incidents (the law of crime concentration, Weisburd "
      "2015).");
  return m;
}

/// Where every layer shown comes from, with the licence statement each asks for.
std::vector<std::string> data_sources(const Study& study, const PackRequest& request) {
  std::vector<std::string> d;
  const auto file_names = [](const std::vector<std::string>& paths) {
    std::vector<std::string> names;
    for (const std::string& p : paths) names.push_back(fs::path(p).filename().string());
    if (names.size() > 3) {
      const std::size_t more = names.size() - 2;
      names.resize(2);
      names.push_back(fmt::format("{} more", more));
    }
    return and_list(names);
  };
  d.push_back(fmt::format(
      "Incidents: {} rows from {} ({}). {}: police.uk data are published under the Open "
      "Government Licence v3.0.",
      grouped(study.data.accounting.read), file_names(request.spec.inputs),
      plural(study.data.sources.size(), "file"), kPoliceUkAttribution));
  std::vector<std::string> areas;
  for (const ZoneLayer& layer : study.boundaries) areas.push_back(layer.path);
  if (!areas.empty())
    d.push_back(fmt::format(
        "Boundary: {}. Zones: {}. Boundary and zone files carry their own licence (ONS and OS "
        "boundaries: \"Contains National Statistics data\" / \"Contains OS data\" © Crown "
        "copyright and database right, OGL v3.0): state it where the maps are published.",
        file_names(areas),
        request.zones.source.empty() ? std::string("the boundary features")
                                     : fs::path(request.zones.source).filename().string()));
  if (!request.spec.basemap_path.empty())
    d.push_back(fmt::format(
        "Basemap: {}, drawn in grey under every map and copied, clipped to the study area, into "
        "the pack for hotspots.qgs. {}",
        fs::path(request.spec.basemap_path).filename().string(),
        request.spec.basemap_attribution.empty()
            ? std::string("No attribution was given for it: add its licence statement "
                          "(analyse --basemap-attribution; basemap.attribution in a spec) before "
                          "publishing the maps.")
            : "Its licence statement, on every map: " + request.spec.basemap_attribution + "."));
  return d;
}

std::vector<std::string> caveats(const Study& study, const PackRequest& request) {
  const RowAccounting& acc = study.data.accounting;
  std::vector<std::string> c;
  // What the caveats say of places and times follows the data read: police.uk's snapping and
  // months, or a force's own export, whose points and times are its records system's.
  const bool police_uk =
      std::any_of(study.data.sources.begin(), study.data.sources.end(),
                  [](const InputSource& s) { return s.format == kPoliceUkFormat; });
  const Incidents& inc = study.data.incidents;
  std::size_t timed = 0;
  std::size_t dated = 0;  // with a day of the month, with or without a time
  for (const Date& d : inc.date) {
    timed += d.has_time() ? 1 : 0;
    dated += d.has_day() ? 1 : 0;
  }
  if (police_uk)
    c.push_back(
        "police.uk snaps every incident to the nearest of a fixed set of map points (a street "
        "centre, a public place) to protect victims' anonymity, so an incident's point is near, "
        "not at, where it happened; points are shared by many incidents, and counts at one "
        "point can be several streets' worth.");
  else
    c.push_back(
        "Incidents are mapped where the export places them: check how the records system "
        "locates an incident (geocoded address, street centre, grid reference typed in) before "
        "reading one point as one place; many incidents at one point are often a default "
        "location.");
  if (timed == 0 && dated == 0)
    c.push_back(
        police_uk
            ? "police.uk gives the month only: no day, no time of day. Figures per month are the "
              "finest in time these data allow, and peaks by day or hour cannot be shown from "
              "them."
            : "These data give the month of each incident only: no day, no time of day. Figures "
              "per month are the finest in time they allow.");
  else if (timed == 0)
    c.push_back(fmt::format(
        "{} of the {} incidents used have a day but none a time of day: no chart by hour can be "
        "drawn.",
        grouped(static_cast<std::int64_t>(dated)), grouped(static_cast<std::int64_t>(inc.size()))));
  else
    c.push_back(fmt::format(
        "{} of the {} incidents used have a time of day; the day-of-week by hour charts count only "
        "those, at the recorded local clock time. A time recorded as midnight or on the hour is "
        "often the start of a window (\"between 22:00 and 07:00\"), not the moment it happened.",
        grouped(static_cast<std::int64_t>(timed)), grouped(static_cast<std::int64_t>(inc.size()))));
  std::int64_t flagged = 0;
  for (const GroupResult& r : request.results) flagged += r.analysis.patrol.flagged;
  c.push_back(fmt::format(
      "Incidents are recorded where they are reported as well as where they happen: hospitals, "
      "custody suites and police stations collect incidents from elsewhere. {} patrol place{} "
      "{} flagged as a possible recording location; check them before tasking.",
      flagged, flagged == 1 ? "" : "s", flagged == 1 ? "is" : "are"));
  std::vector<std::string> parts;
  for (const RejectReason reason : kAllRejectReasons) {
    const std::int64_t n = acc.rejected_for(reason);
    if (n == 0) continue;
    std::string name(to_string(reason));
    std::replace(name.begin(), name.end(), '_', ' ');
    parts.push_back(fmt::format("{} {}", grouped(n), name));
  }
  c.push_back(fmt::format(
      "Rows: {} read, {} used{}{}. Rows without usable coordinates are listed with their reason "
      "in rejects.csv; rows outside the boundary, the period or the crime types are counted (in "
      "manifest.json), not mapped.",
      grouped(acc.read), grouped(acc.used), parts.empty() ? "" : "; not used: ", and_list(parts)));
  c.push_back(fmt::format(
      "The change test assumes incidents happen independently; repeat victimisation and {} make "
      "counts vary more than that, so with thousands of incidents a small p is weaker evidence "
      "than it reads. Zone flags are corrected for testing many zones at once.",
      police_uk ? "police.uk's snapping" : "incidents recorded at one location"));
  c.push_back(
      "A hotspot shows where incidents were recorded in the period, not why; recorded crime "
      "depends on reporting and on police activity. Read the maps with local knowledge.");
  return c;
}

bool is_place_figure(const ReportFigureFile& f) {
  return f.file.find(kPlaceToken) != std::string::npos;
}

/// The first kReportPlaces patrol places of the group close up: each place's pictures that
/// exist (close-up, month chart, day × hour chart), laid out as build_report documents.
void place_close_ups(std::vector<ReportBlock>& b, const std::string& dir, const GroupResult& r,
                     const std::vector<ReportFigureFile>& figures, bool times) {
  const std::vector<PatrolPlace>& places = r.analysis.patrol.places;
  if (places.empty() || std::none_of(figures.begin(), figures.end(), is_place_figure)) return;
  const std::size_t shown = std::min(kReportPlaces, places.size());
  b.push_back(heading(shown == 1 ? "The first patrol place close up"
                                 : fmt::format("The first {} patrol places close up", shown),
                      2));
  b.push_back(paragraph(fmt::format(
      "{} {}",
      places.size() > shown
          ? fmt::format("Every place's close-up and charts are in {}/places/.", r.folder)
          : std::string("Their pictures are also in " + r.folder + "/places/."),
      times ? "The day-of-week by hour charts count the incidents that have a time of day; each "
              "says how many of the place's incidents that is."
            : "Times of day are not available: these data give the month of each incident "
              "only (as police.uk does), so no chart by day of week or hour can be drawn, and "
              "the monthly chart is the finest view in time.")));
  for (std::size_t i = 0; i < shown; ++i) {
    const PatrolPlace& place = places[i];
    std::vector<ReportImage> images;
    for (const ReportFigureFile& f : figures) {
      if (!f.per_group || !is_place_figure(f)) continue;
      std::string file = f.file;
      file.replace(file.find(kPlaceToken), kPlaceToken.size(), place.id);
      const fs::path path = fs::path(dir) / r.folder / file;
      if (!fs::exists(path)) continue;
      images.push_back(
          {path.string(), r.folder + "/" + file, fmt::format("{}: {}", place.id, f.caption)});
    }
    if (images.empty()) continue;
    if (images.size() != 2) {  // one alone, or the first alone above the others
      ReportBlock fig;
      fig.kind = ReportBlockKind::figure;
      fig.image_path = images.front().path;
      fig.image_name = images.front().name;
      fig.text = images.front().caption;
      fig.width_fraction = 0.62;
      b.push_back(std::move(fig));
      images.erase(images.begin());
    }
    if (images.empty()) continue;
    ReportBlock row;
    row.kind = ReportBlockKind::figure_row;
    row.images = std::move(images);
    b.push_back(std::move(row));
  }
}

}  // namespace

std::string report_area_name(const PackRequest& request) {
  return request.area_name.empty() ? "the study area" : request.area_name;
}

ReportDocument build_report(const PackContents& pack, const std::string& dir,
                            const std::vector<ReportFigureFile>& figures) {
  const Study& study = pack.study;
  const PackRequest& request = pack.request;
  const PackPeriod& period = request.period;
  ReportDocument doc;
  const std::string area = report_area_name(request);
  doc.title = fmt::format("Crime hotspots in {}, {}", area, period.label());
  std::vector<std::string> titles;
  for (const GroupResult& r : request.results) titles.push_back(group_title(r.name));
  doc.subtitle = fmt::format("{}: where incidents concentrate, how they changed, where to patrol",
                             and_list(titles));
  doc.attribution = pack_attribution(request.spec);
  doc.creator = fmt::format("hotspots {}", request.version);
  doc.date_iso = document_date(period);
  auto& b = doc.blocks;

  std::vector<std::string> facts;
  facts.push_back(
      fmt::format("Area: {} ({}).", area,
                  study.boundaries.empty()
                      ? std::string("no boundary given")
                      : "boundary " + fs::path(study.boundaries.front().path).filename().string()));
  if (period.current.valid())
    facts.push_back(
        fmt::format("Period: {} ({} months){}.", period.label(), period.current.months(),
                    period.previous_available
                        ? fmt::format(", compared with {}", period.previous_label())
                        : fmt::format("; no comparison, because {}", period.no_change_reason)));
  else
    facts.push_back("Period: the incidents are undated.");
  facts.push_back(fmt::format("Crime groups: {}.", and_list(titles)));
  const std::size_t not_opened = study.data.skipped_by_name.size();
  facts.push_back(
      fmt::format("Data: {} rows read from {} file{}, {} used{}.",
                  grouped(study.data.accounting.read), study.data.sources.size(),
                  study.data.sources.size() == 1 ? "" : "s", grouped(study.data.accounting.used),
                  not_opened == 0 ? std::string()
                                  : fmt::format("; {} file{} of other forces not opened",
                                                grouped(static_cast<std::int64_t>(not_opened)),
                                                not_opened == 1 ? "" : "s")));
  b.push_back(bullets(std::move(facts)));

  b.push_back(heading("Key figures"));
  b.push_back(table(key_figures(request)));
  b.push_back(paragraph(
      "Change: this period against the previous one of the same length; the change test p is "
      "the chance of a difference at least this large if the rate had not changed (exact "
      "conditional binomial test). \"Top 5% of cells hold\": the share of incidents in the 5% of "
      "the study area with the most; \"Area holding half\": the smallest share of the area that "
      "holds half of them."));
  bool any_patrol = false;
  ReportTable top;
  top.header = {"Crime group", "Id",  "Where (top locations, incidents)", "Incidents", "Share",
                "PAI",         "Flag"};
  top.numeric = {false, false, false, true, true, true, false};
  for (const GroupResult& r : request.results) {
    if (!r.mapped) continue;
    std::size_t n = 0;
    for (const PatrolPlace& p : r.analysis.patrol.places) {
      if (n++ >= 2) break;
      any_patrol = true;
      // The two busiest locations here; the group's page lists more.
      std::vector<NamedCount> where(
          p.top_locations.begin(),
          p.top_locations.begin() +
              static_cast<std::ptrdiff_t>(std::min<std::size_t>(2, p.top_locations.size())));
      top.rows.push_back({group_title(r.name), p.id, named_counts_text(where),
                          fixed(p.incidents, 0), percent(p.share), fixed(p.pai), flag_text(p)});
    }
  }
  if (any_patrol) {
    b.push_back(heading("Top patrol places (the first two of each group)"));
    b.push_back(table(std::move(top)));
  }
  for (const ReportFigureFile& f : figures) {
    if (f.per_group) continue;
    ReportBlock fig;
    fig.kind = ReportBlockKind::figure;
    fig.text = f.caption;
    fig.image_name = f.file;
    fig.image_path = (fs::path(dir) / f.file).string();
    b.push_back(std::move(fig));
  }

  for (const GroupResult& r : request.results) {
    const GroupAnalysis& a = r.analysis;
    b.push_back(page_break());
    b.push_back(heading(group_title(r.name)));
    if (!r.mapped) {
      b.push_back(paragraph(
          fmt::format("{} incidents; not mapped: {}.", grouped(r.current_incidents), r.note)));
      continue;
    }
    const GroupChange c = group_change(request, r);
    b.push_back(paragraph(fmt::format(
        "{} incidents{}. {} KDE hotspot{} (the top {}% of cells); Gi*: {} hot and {} cold "
        "cluster{}. {}.",
        grouped(r.current_incidents),
        period.previous_available
            ? fmt::format(" ({} in {}, {}; change test p {}, {})", grouped(r.previous_incidents),
                          period.previous_label(), c.change, c.p, c.verdict)
            : std::string(),
        a.hotspots.size(), a.hotspots.size() == 1 ? "" : "s", request.options.hot_top_percent,
        a.clusters.hot.size(), a.clusters.cold.size(), a.clusters.cold.size() == 1 ? "" : "s",
        a.patrol.places.empty()
            ? std::string("No place holds the patrol minimum")
            : fmt::format("{} patrol place{} hold{} {} of the incidents", a.patrol.places.size(),
                          a.patrol.places.size() == 1 ? "" : "s",
                          a.patrol.places.size() == 1 ? "s" : "",
                          percent(a.patrol.covered_incidents / a.patrol.total_incidents)))));
    for (const ReportFigureFile& f : figures) {
      if (!f.per_group || is_place_figure(f)) continue;
      // A figure its product may leave out (no trend without dates, no change map without a
      // previous period) is left out here too.
      if (!fs::exists(fs::path(dir) / r.folder / f.file)) continue;
      ReportBlock fig;
      fig.kind = ReportBlockKind::figure;
      fig.text = f.caption;
      fig.image_name = r.folder + "/" + f.file;
      fig.image_path = (fs::path(dir) / r.folder / f.file).string();
      b.push_back(std::move(fig));
    }
    b.push_back(heading("Patrol places", 2));
    b.push_back(paragraph(fmt::format(
        "Ids are the map's labels and those of {}/patrol.csv and patrol.geojson. Share: of the "
        "group's incidents; PAI: share of incidents / share of the study area.",
        r.folder)));
    if (!a.patrol.places.empty()) b.push_back(table(patrol_table(a.patrol, 20)));
    if (a.patrol.places.size() > 20)
      b.push_back(paragraph(fmt::format("The first 20 of {} places; all are in patrol.csv.",
                                        a.patrol.places.size())));
    std::vector<std::string> lines = patrol_report(a.patrol);
    for (std::string& line : lines)
      if (line.rfind("patrol: ", 0) == 0) line.erase(0, 8);  // the section says so
    b.push_back(bullets(std::move(lines)));
    place_close_ups(b, dir, r, figures, incidents_have_times(study.data.incidents));
    if (!a.zone_table.rows.empty()) {
      b.push_back(heading("Top zones", 2));
      b.push_back(table(zone_table(request, a.zone_table, 10)));
      std::string note = fmt::format(
          "The 10 zones with the most incidents of {} zones ({}); all are in zones.csv.",
          a.zone_table.rows.size(), fs::path(request.zones.source).filename().string());
      if (a.zone_table.outside > 0)
        note += fmt::format(" {} incidents lie in no zone (counted in the shares).",
                            grouped(a.zone_table.outside));
      b.push_back(paragraph(std::move(note)));
    }
  }

  b.push_back(page_break());
  b.push_back(heading("Data sources"));
  b.push_back(bullets(data_sources(study, request)));
  b.push_back(heading("Methods"));
  b.push_back(bullets(methods(study, request)));
  b.push_back(heading("Caveats"));
  b.push_back(bullets(caveats(study, request)));
  b.push_back(heading("Files"));
  b.push_back(paragraph(fmt::format(
      "Made by {} from the pack's own figures. Every table is in tables.xlsx and as CSV "
      "(zones.csv, concentration.csv, each group's patrol.csv); open hotspots.qgs in QGIS for "
      "every layer, styled; manifest.json records the inputs (SHA-256) and every parameter.",
      doc.creator)));
  return doc;
}

}  // namespace hotspots
