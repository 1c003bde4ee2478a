// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/report_product.hpp"

#include <vector>

#include "hotspots/pack/products/product_list.hpp"
#include "hotspots/pack/report_document.hpp"
#include "hotspots/render/report_html.hpp"
#include "hotspots/render/report_pdf.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void ReportProduct::write(const PackContents& pack, const std::string& dir) {
  std::vector<ReportFigureFile> figures;
  for (const PackFile& f : pack_figures())
    figures.push_back(
        {f.scope == ProductScope::group, std::string(f.file), std::string(f.caption)});
  const ReportDocument doc = build_report(pack, dir, figures);
  write_report_pdf(pack_io::join(dir, "report.pdf"), doc, false);
  pack_io::write_text(pack_io::join(dir, "report.html"), report_html(doc));
}

}  // namespace hotspots
