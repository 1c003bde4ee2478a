// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/io/crs.hpp"

namespace hotspots {

struct GeoTiffOptions {
  bool overwrite = false;
  /// Written as GDAL metadata items (gdalinfo shows them), in this order.
  std::vector<std::pair<std::string, std::string>> metadata;
  std::string band_description;  ///< e.g. "density_per_km2"
  std::string units;             ///< band unit type, e.g. "incidents/km2"
};

/// The nodata value written to GeoTIFFs (NaN cells in a Raster become this).
inline constexpr double kGeoTiffNoData = -9999.0;

/// Writes a single-band Float32 GeoTIFF: DEFLATE with the floating-point predictor, tiled,
/// north-up geotransform (xmin, size, 0, ymax, 0, −size), the CRS, nodata −9999 and the metadata.
/// Written to a temporary name and renamed, so a failure leaves no partial file. Throws IoError.
void write_geotiff(const std::string& path, const Raster& raster, const Crs& crs,
                   const GeoTiffOptions& options);

/// A raster read back (for tests and comparisons): values as double, nodata as NaN.
struct RasterFile {
  Raster raster;
  Crs crs;
  std::vector<std::pair<std::string, std::string>> metadata;
};

/// Reads band 1 of any GDAL raster with a north-up geotransform. Throws IoError.
[[nodiscard]] RasterFile read_raster(const std::string& path);

}  // namespace hotspots
