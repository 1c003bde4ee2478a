// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/summary_product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <vector>

#include "hotspots/core/phase_timer.hpp"
#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/stats/ehsa_classes.hpp"
#include "hotspots/tables/busiest_cells.hpp"
#include "hotspots/tables/patrol_place_layers.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;

/// Text for a markdown table cell: '|' escaped, line breaks as spaces, "–" when empty.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out.empty() ? "–" : out;
}

/// A number for a markdown table, "–" for NaN.
std::string md_number(double v, const char* format_spec) {
  return std::isnan(v) ? "–" : fmt::format(fmt::runtime(format_spec), v);
}

/// "+12.3" per km² for a table; "–" for NaN.
std::string signed_density(double v) {
  return std::isnan(v) ? "–" : fmt::format("{:+.1f}", v);
}

/// The change section: per group the incidents of both periods, the range of the KDE difference,
/// the cells flagged up and down and the patrol places' fates, as change/ holds them.
std::string change_section(const PackRequest& request) {
  bool any = false;
  for (const GroupResult& r : request.results) any = any || r.change.has_value();
  if (!any) return {};
  std::string md = fmt::format(
      "## Change since the previous period\n\n{} against {}, per group in `change/`: the KDE "
      "difference and ratio surfaces (difference.tif, ratio.tif), the incidents of each cell in "
      "both periods with the exact conditional binomial test (cells.csv) and the patrol places "
      "of both periods matched by overlap (places.csv).\n\n",
      request.period.label(), request.period.previous_label());
  md +=
      "| Crime group | Before | After | Largest fall (per km²) | Largest rise (per km²) | Cells "
      "tested | Cells up | Cells down | Places before | Persist | Ceased | New places |\n";
  md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  std::int64_t new_ground = 0;
  for (const GroupResult& r : request.results) {
    if (!r.change) continue;
    const ChangeFigures& c = *r.change;
    new_ground += c.new_ground_cells;
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                      group_title(r.name), grouped(c.before_incidents), grouped(c.after_incidents),
                      signed_density(c.largest_fall_per_km2),
                      signed_density(c.largest_rise_per_km2), grouped(c.cells), c.cells_up,
                      c.cells_down, c.places_before, c.persists, c.ceased, c.new_places);
  }
  md += fmt::format(
      "\nCells up / down: cells whose change is beyond chance after the Benjamini-Hochberg "
      "correction over the cells tested (adjusted p < {:g}). Persist: places of the previous "
      "period that overlap a place of this one by at least half the smaller; ceased: those that "
      "do not; new: places of this period that overlap none before. The ratio (after / before) "
      "is left empty in {} cell{} with no density before.\n\n",
      request.options.zone_table.alpha, grouped(new_ground), new_ground == 1 ? "" : "s");
  return md;
}

/// The emerging hot spots section: units per class per group, the classes found in any group.
std::string emerging_section(const PackRequest& request) {
  std::vector<const GroupResult*> groups;
  for (const GroupResult& r : request.results)
    if (r.emerging) groups.push_back(&r);
  if (groups.empty()) return {};
  const EmergingFigures& first = *groups.front()->emerging;
  std::string md = fmt::format(
      "## Emerging hot spots\n\n{:.0f} m hexagons, {} time step{} of {} month{} ({}), space-time "
      "Gi* with {} time lag{} and FDR, Mann-Kendall trends, the 17 classes of ArcGIS's Emerging "
      "Hot Spot Analysis; per group in `emerging/` (units.geojson, bins.csv, sensitivity.csv, "
      "map.png). Hexagons per class:\n\n| Class |",
      first.hexagon_m, first.steps, first.steps == 1 ? "" : "s", first.time_step_months,
      first.time_step_months == 1 ? "" : "s", first.span, first.time_lags,
      first.time_lags == 1 ? "" : "s");
  std::string rule = "|---|";
  for (const GroupResult* r : groups) {
    md += fmt::format(" {} |", group_title(r->name));
    rule += "---:|";
  }
  md += "\n" + rule + "\n";
  // Hot classes, then cold, then no pattern; a class no group has is left out.
  for (std::size_t k = 1; k <= kEhsaClassCount; ++k) {
    const std::size_t c = k % kEhsaClassCount;  // 1..16, then 0 (no pattern)
    bool some = false;
    for (const GroupResult* r : groups) some = some || r->emerging->class_counts[c] > 0;
    if (!some) continue;
    md += fmt::format("| {} |", ehsa_class_label(static_cast<EhsaClass>(c)));
    for (const GroupResult* r : groups)
      md += fmt::format(" {} |", grouped(r->emerging->class_counts[c]));
    md += "\n";
  }
  md += "| **Hexagons** |";
  for (const GroupResult* r : groups)
    md += fmt::format(" {} |", grouped(static_cast<std::int64_t>(r->emerging->units)));
  md += "\n\n";
  return md;
}

}  // namespace

void SummaryProduct::write(const PackContents& pack, const std::string& dir) {
  const Study& study = pack.study;
  const PackRequest& request = pack.request;
  const PackPeriod& period = request.period;
  const RowAccounting& acc = study.data.accounting;
  std::string md;
  const std::string& area = request.area_name;
  md += area.empty() ? fmt::format("# Crime hotspots, {}\n\n", period.label())
                     : fmt::format("# {}: crime hotspots, {}\n\n", area, period.label());
  std::string boundary = "none";
  if (!study.boundaries.empty()) {
    boundary = fs::path(study.boundaries.front().path).filename().string();
    const std::string& where = request.spec.study.boundary.where;
    if (!where.empty()) boundary += fmt::format(" where {}", where);
    if (!area.empty()) boundary = fmt::format("{} ({})", area, boundary);
  }
  md += fmt::format(
      "Made by hotspots {} from {} input file{} ({} rows read, {} used in the period). Study "
      "area: {}. Analysis CRS {}.",
      request.version, study.data.sources.size(), study.data.sources.size() == 1 ? "" : "s",
      grouped(acc.read), grouped(acc.used), boundary, study.analysis_crs.label());
  if (const auto skipped = study.data.skipped_by_name.size(); skipped > 0)
    md += fmt::format(" {} file{} of other forces or months (by their police.uk names) not opened.",
                      grouped(static_cast<std::int64_t>(skipped)), skipped == 1 ? "" : "s");
  if (request.zones.left_out > 0)
    md += fmt::format(
        " Zones: {} of {} ({} with less than half their area in the study area left out).",
        grouped(static_cast<std::int64_t>(request.zones.zones.size())),
        fs::path(request.zones.source).filename().string(),
        grouped(static_cast<std::int64_t>(request.zones.left_out)));
  md += "\n\n";

  md += "## Key figures\n\n";
  md += fmt::format(
      "| Crime group | Incidents | {} | Change | Hotspots | Top hotspot PAI | Share in top 5% of "
      "cells | Area holding half |\n",
      period.previous_available ? "Previous period" : "Previous period (not covered)");
  md += "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const GroupResult& r : request.results) {
    const GroupAnalysis& a = r.analysis;
    std::string change = "–";
    if (period.previous_available && r.previous_incidents > 0)
      change = fmt::format("{:+.1f}%",
                           100.0 * static_cast<double>(r.current_incidents - r.previous_incidents) /
                               static_cast<double>(r.previous_incidents));
    const double top5 =
        a.concentration.top.size() > 1 ? a.concentration.top[1].share_incidents : std::nan("");
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", group_title(r.name),
                      grouped(r.current_incidents),
                      period.previous_available ? grouped(r.previous_incidents) : "–", change,
                      a.hotspots.size(),
                      a.hotspots.empty() ? "–" : fmt::format("{:.1f}", a.hotspots.front().pai),
                      std::isnan(top5) ? "–" : fmt::format("{:.1f}%", 100 * top5),
                      a.concentration.cells_for_target > 0
                          ? fmt::format("{:.1f}%", 100 * a.concentration.share_cells_for_target)
                          : "–");
  }
  md += fmt::format(
      "\nPAI (Predictive Accuracy Index, Chainey et al. 2008) = share of incidents / share of the "
      "study area. \"Area holding half\" = the smallest share of the study area's {:.0f} m cells "
      "that holds half of the incidents (the law of crime concentration, Weisburd 2015).\n\n",
      request.grid.cell_size_m);

  for (const GroupResult& r : request.results) {
    md += fmt::format("## {}\n\n", group_title(r.name));
    if (!r.mapped) {
      md += fmt::format("{} incidents; not mapped: {}.\n\n", grouped(r.current_incidents),
                        cell(r.note));
      continue;
    }
    const GroupAnalysis& a = r.analysis;
    md += fmt::format("![{} map]({}/map.png)\n\n", group_title(r.name), r.folder);
    md += fmt::format(
        "More pictures: [Gi* hot and cold spots]({0}/gistar_map.png), [zones]({0}/zone_map.png), "
        "[per month]({0}/trend.png){1}.\n\n",
        r.folder,
        r.analysis.patrol.places.empty() ? "" : ", a close-up of each patrol place in `places/`");
    md += fmt::format(
        "{} incidents. Kernel density: {} kernel, radius {:.0f} m{}; the top {}% of cells form "
        "{} hotspot{}. Gi*: {} hot and {} cold cluster{} (bins at 95%{}).\n\n",
        grouped(r.current_incidents), to_string(request.options.kde.kernel), a.radius_m,
        a.radius_from_rule ? " (nearest-neighbour rule)" : "", request.options.hot_top_percent,
        a.hotspots.size(), a.hotspots.size() == 1 ? "" : "s", a.clusters.hot.size(),
        a.clusters.cold.size(), a.clusters.cold.size() == 1 ? "" : "s",
        request.options.gistar.fdr ? ", FDR-corrected" : "");
    if (a.edge_incidents > 0)
      md += fmt::format(
          "The density also smooths {} incidents just outside the boundary (within one radius of "
          "it) so that places near the edge are not under-read; every count in this pack counts "
          "only the incidents inside the boundary.\n\n",
          grouped(a.edge_incidents));
    if (!a.oversize.warning.empty())
      md += fmt::format("> **Warning**: {}.\n\n", a.oversize.warning);
    const std::string rule = patrol_rule_text(
        request.options.patrol, fmt::format("{:g} incidents of the period", a.patrol.min_incidents),
        fmt::format("{:g}", a.patrol.min_cell_incidents));
    md += fmt::format(
        "### Patrol places\n\n{}{} (README: Patrol places). Ids are the map's labels and those of "
        "patrol.csv and patrol.geojson.\n\n",
        static_cast<char>(std::toupper(static_cast<unsigned char>(rule.front()))), rule.substr(1));
    if (!a.patrol.places.empty()) {
      md += "| Id | Where (top locations) | Incidents | Per month | PAI | When | Flag |\n";
      md += "|---|---|---:|---:|---:|---|---|\n";
      for (const PatrolPlace& p : a.patrol.places)
        md += fmt::format("| {} | {} | {:.0f} | {} | {} | {} | {} |\n", p.id,
                          cell(named_counts_text(p.top_locations)), p.incidents,
                          md_number(p.per_month, "{:.1f}"), md_number(p.pai, "{:.1f}"),
                          cell(p.profile.text),
                          p.recording_location ? cell("recording location? " + p.recording_reason)
                                               : std::string());
      md += "\n";
    }
    for (const std::string& line : patrol_report(a.patrol)) md += fmt::format("- {}\n", cell(line));
    md += "\n";
    if (!r.busiest.cells.empty()) {
      // The figures at 1 % of the area (the last cell within it) and at the end of the table.
      const BusiestCell* at1 = nullptr;
      for (const BusiestCell& c : r.busiest.cells)
        if (c.cum_area_share <= 0.01 + 1e-12) at1 = &c;
      const BusiestCell& last = r.busiest.cells.back();
      md += fmt::format(
          "### Busiest {:g} m cells\n\nThe study area's {:g} m cells ranked by the period's "
          "incidents (busiest_cells.csv, busiest_cells.geojson): {}the {} listed ({:.2f}% of the "
          "area) hold {:.1f}%. In the Leicestershire backtests this ranking caught more of the "
          "next month's incidents than the KDE hotspots in every share of the area tried, and "
          "more than the patrol places up to 1% of it (README: evaluate). Cells are not flagged "
          "for recording locations; the patrol places "
          "are.\n\n",
          kBusiestCellSizeM, kBusiestCellSizeM,
          at1 ? fmt::format("the first {} ({:.2f}% of the area) hold {:.1f}% of them; ", at1->rank,
                            100 * at1->cum_area_share, 100 * at1->cum_incident_share)
              : std::string(),
          last.rank, 100 * last.cum_area_share, 100 * last.cum_incident_share);
    }
    const ZoneTable& t = a.zone_table;
    if (!t.rows.empty()) {
      std::vector<const ZoneRow*> rows;
      for (const ZoneRow& row : t.rows) rows.push_back(&row);
      std::stable_sort(rows.begin(), rows.end(),
                       [](const ZoneRow* x, const ZoneRow* y) { return x->rank < y->rank; });
      if (rows.size() > 10) rows.resize(10);
      md += fmt::format(
          "### Top zones\n\n| Rank | Zone | Incidents | Per km² |{} Share |{} In hotspots |\n",
          request.zones.population.empty() ? "" : " Per 1,000 |",
          period.previous_available ? " Change |" : "");
      md += fmt::format("|---:|---|---:|---:|{}---:|{}---:|\n",
                        request.zones.population.empty() ? "" : "---:|",
                        period.previous_available ? "---:|" : "");
      for (const ZoneRow* row : rows) {
        std::string change;
        if (period.previous_available)
          change =
              fmt::format(" {:+d}{} |", row->change,
                          row->change_flag_fdr.empty() ? "" : " (" + row->change_flag_fdr + ")");
        md += fmt::format("| {} | {} | {} | {} |{} {} |{} {} |\n", row->rank, cell(row->name),
                          row->incidents, md_number(row->per_km2, "{:.1f}"),
                          request.zones.population.empty()
                              ? ""
                              : fmt::format(" {} |", md_number(row->per_1000, "{:.1f}")),
                          md_number(100 * row->share, "{:.1f}%"), change,
                          md_number(100 * row->hotspot_share, "{:.0f}%"));
      }
      if (t.outside > 0)
        md += fmt::format("\n{} incidents lie in no zone (counted in the shares).\n", t.outside);
      md += "\n";
    }
  }

  md += change_section(request);
  md += emerging_section(request);
  md += "## Methods\n\n";
  md += fmt::format(
      "- Grid: {:.0f} m cells over the boundary; cells whose centre is inside form the study "
      "area ({} cells).\n",
      request.grid.cell_size_m, request.mask.count_inside());
  md +=
      "- Kernel density (ArcGIS/GRASS scaling): density per km² at each cell centre; hotspots "
      "are the top cells merged by shared edges or corners.\n";
  md += fmt::format(
      "- Getis-Ord Gi* on incident counts per cell, binary distance band {:.0f} m with the cell "
      "itself (ArcGIS Hot Spot Analysis); {}.\n",
      pack_io::gistar_band_m(request),
      request.options.gistar.fdr ? "bins corrected by the False Discovery Rate (Benjamini-Hochberg)"
                                 : "bins from raw p-values");
  if (period.previous_available)
    md += fmt::format(
        "- Change: {} against {} (same length). A zone's change is flagged up/down when the exact "
        "conditional binomial test (Przyborowski & Wilenski 1940) gives p < {} after the "
        "Benjamini-Hochberg correction across zones.\n",
        period.label(), period.previous_label(), request.options.zone_table.alpha);
  else
    md += fmt::format("- Change: none, because {}.\n", period.no_change_reason);
  const std::int64_t outside = acc.rejected_for(RejectReason::outside_study_area);
  const std::int64_t filtered = acc.rejected_for(RejectReason::filtered_crime_type) +
                                acc.rejected_for(RejectReason::filtered_date);
  md += fmt::format(
      "- Rows: {} read, {} used; {} outside the study area and {} outside the period or the "
      "crime types (counted in manifest.json{}); rows that could not be used are listed in "
      "rejects.csv with their reason.\n",
      grouped(acc.read), grouped(acc.used), grouped(outside), grouped(filtered),
      request.spec.rejects_list_outside ? "; rows outside the study area listed in rejects.csv"
                                        : "");
  md +=
      "\nOpen `hotspots.qgs` in QGIS for every layer, styled. `manifest.json` records the "
      "inputs (SHA-256) and every parameter.\n";
  pack_io::write_text(pack_io::join(dir, "summary.md"), md);
}

}  // namespace hotspots
