// SPDX-License-Identifier: MIT
#include "detail/gdal_util.hpp"

#include <mutex>

namespace hotspots::detail {
namespace {
thread_local std::string last_gdal_error;
}

void ensure_gdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No .aux.xml side files next to outputs; GeoPackage timestamps fixed for reproducibility.
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    GDALAllRegister();
  });
}

GdalErrorScope::GdalErrorScope() {
  last_gdal_error.clear();
  CPLPushErrorHandler(&GdalErrorScope::handler);
}

GdalErrorScope::~GdalErrorScope() {
  CPLPopErrorHandler();
}

std::string GdalErrorScope::message(const std::string& fallback) const {
  return last_gdal_error.empty() ? fallback : last_gdal_error;
}

void CPL_STDCALL GdalErrorScope::handler(CPLErr cls, CPLErrorNum, const char* msg) {
  if (cls >= CE_Failure && msg != nullptr) last_gdal_error = msg;
}

}  // namespace hotspots::detail
