// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "hotspots/pack/report_document.hpp"

namespace hotspots {

/// `doc` as one self-contained HTML5 page: inline CSS (screen and print), every figure's PNG
/// embedded as a base64 data: URI, no reference to anything outside the file (no URL, no
/// script, no font to fetch). Text is escaped; the attribution closes the page and, when printed,
/// every page's footer. Throws IoError naming the PNG when a figure cannot be read.
/// Cost: linear in the text and the images' bytes.
[[nodiscard]] std::string report_html(const ReportDocument& doc);

/// RFC 4648 base64 of `bytes` (with '=' padding, no line breaks).
[[nodiscard]] std::string base64(const std::string& bytes);

}  // namespace hotspots
