// SPDX-License-Identifier: MIT
#pragma once

// The pack's report as data: headings, paragraphs, tables and figures in reading order, built
// once from the pack's figures and drawn by two renderers (render/report_pdf, render/report_html)
// so that report.pdf and report.html always say the same.

#include <string>
#include <vector>

#include "hotspots/pack/pack_contents.hpp"

namespace hotspots {

/// A table of text cells (already formatted for people: rounded, units in the header).
struct ReportTable {
  std::vector<std::string> header;
  std::vector<bool> numeric;  ///< one per column: right-aligned
  std::vector<std::vector<std::string>> rows;
};

enum class ReportBlockKind { heading, paragraph, bullets, table, figure, figure_row, page_break };

/// One image of a figure row.
struct ReportImage {
  std::string path;     ///< the PNG on disk
  std::string name;     ///< its path inside the pack ("asb/places/P1.png")
  std::string caption;  ///< under the image
};

struct ReportBlock {
  ReportBlockKind kind = ReportBlockKind::paragraph;
  int level = 1;                   ///< heading: 1 (a section) or 2 (a part of one)
  std::string text;                ///< heading or paragraph text; a figure's caption
  std::vector<std::string> items;  ///< bullets
  ReportTable table;
  std::string image_path;  ///< figure: the PNG on disk
  std::string image_name;  ///< figure: its path inside the pack ("asb/map.png")
  /// figure: the largest share of the text width it may take (0 < f <= 1; smaller for a
  /// close-up that needs no full page width).
  double width_fraction = 1.0;
  /// figure_row: images side by side in equal slots of the text width, tops aligned, each with
  /// its caption under it.
  std::vector<ReportImage> images;
};

/// How many patrol places of each group the report shows close up, with their charts (the
/// busiest ones; every place's pictures are in the group's places/ folder).
inline constexpr std::size_t kReportPlaces = 3;

/// An image of the pack to show, with its caption (from a product's `figures`).
struct ReportFigureFile {
  bool per_group = true;  ///< one in each mapped group's folder (else one for the pack)
  std::string file;       ///< relative to the group's folder or the pack
  std::string caption;
};

struct ReportDocument {
  std::string title;        ///< "Crime hotspots in Leicester, 2021-11 to 2022-10"
  std::string subtitle;     ///< what was analysed and by what
  std::string attribution;  ///< the licence line every page carries
  std::string creator;      ///< "hotspots 1.2.0"
  /// The document's date, from the data (the first day after the period), ISO 8601
  /// ("2025-01-01T00:00:00Z"), so that a rerun writes the same bytes.
  std::string date_iso;
  std::vector<ReportBlock> blocks;
};

/// The study area's name for the report's titles: the pack's area name (`--title`, else the
/// boundary features' names, pack_contents.hpp's study_area_name), "the study area" when it has
/// none.
[[nodiscard]] std::string report_area_name(const PackRequest& request);

/// The report of a pack written to `dir`: title page (area, period, groups, key figures with the
/// change test, concentration, top patrol places), each mapped group's figures, patrol places,
/// the first kReportPlaces places close up and top zones, then data sources (with their licence
/// statements), methods and caveats. A figure whose file holds "{place}" (places/{place}.png) is
/// shown per patrol place in the close-ups: a place's pictures that exist, in list order, two
/// side by side ([close-up | month chart] for months-only data) or, three of them, the first
/// alone and the others side by side (the day × hour chart beside the month chart); the section
/// says plainly when the data have no times of day. `figures` are the images the pack's products
/// wrote (product_list.hpp's pack_figures), in list order; a group-scope figure is shown in each
/// mapped group's section from dir/folder/file, a pack-scope one after the key figures from
/// dir/file. Pure: reads nothing from disk.
[[nodiscard]] ReportDocument build_report(const PackContents& pack, const std::string& dir,
                                          const std::vector<ReportFigureFile>& figures);

}  // namespace hotspots
