// SPDX-License-Identifier: MIT
#pragma once

namespace hotspots::detail {

/// Call before drawing text with cairo. It does nothing at run time; calling it links
/// cairo_text.cpp, which tells LeakSanitizer about fontconfig's one-off allocations, into every
/// program that draws text (maps and charts alike), and into no program twice.
void use_cairo_text();

}  // namespace hotspots::detail
