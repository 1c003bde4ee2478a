// SPDX-License-Identifier: MIT
#pragma once

// The one place where GDAL/OGR error states become exceptions.

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

#include <string>

namespace hotspots::detail {

/// Registers GDAL's drivers once per process (GDAL keeps its own registry).
void ensure_gdal();

/// Collects GDAL errors raised in its scope instead of letting GDAL print them; message()
/// returns the last one (or a fallback).
class GdalErrorScope {
 public:
  GdalErrorScope();
  ~GdalErrorScope();
  GdalErrorScope(const GdalErrorScope&) = delete;
  GdalErrorScope& operator=(const GdalErrorScope&) = delete;
  std::string message(const std::string& fallback = "unknown GDAL error") const;

 private:
  static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum num, const char* msg);
};

}  // namespace hotspots::detail
