// SPDX-License-Identifier: MIT
#include "detail/cairo_text.hpp"

// fontconfig, which cairo's toy text API initialises on first use, keeps a few hundred bytes it
// never frees (once per process, not per picture); LeakSanitizer reports them as leaks in every
// sanitised program that draws text. This overrides LSan's weak default hook to suppress that
// library only; nothing calls it without the sanitizer. It lives in its own object file, pulled
// in by use_cairo_text(), so that a program never links two definitions.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n";
}

namespace hotspots::detail {

void use_cairo_text() {}

}  // namespace hotspots::detail
