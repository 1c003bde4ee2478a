// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "hotspots/pack/report_document.hpp"

namespace hotspots {

/// Writes `doc` as an A4 PDF with cairo's PDF surface: real text (pdftotext reads it), the figures
/// scaled to the text width, tables split across pages with their header repeated, and on every
/// page the document's attribution line and "Page N of M". The PDF's creation date is
/// doc.date_iso, so the same document gives the same bytes. Headings become the PDF's outline.
/// Written atomically (replacing a file at `path` only with `overwrite`); IoError naming the file
/// when it cannot be written or a figure's PNG cannot be read.
/// Cost: the layout runs twice (once to count pages); linear in text and image pixels.
void write_report_pdf(const std::string& path, const ReportDocument& doc, bool overwrite);

}  // namespace hotspots
