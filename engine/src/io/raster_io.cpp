// SPDX-License-Identifier: MIT
#include "hotspots/io/raster_io.hpp"

#include <fmt/format.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <memory>

#include "detail/gdal_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {

void write_geotiff(const std::string& path, const Raster& raster, const Crs& crs,
                   const GeoTiffOptions& options) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  AtomicFile file(path, options.overwrite);
  const GridSpec& g = raster.grid;
  if (g.cols > INT32_MAX || g.rows > INT32_MAX)
    throw IoError(fmt::format("{}: raster too large", path));
  const int cols = static_cast<int>(g.cols);
  const int rows = static_cast<int>(g.rows);
  {
    GDALDriverH driver = GDALGetDriverByName("GTiff");
    const char* create_options[] = {"COMPRESS=DEFLATE",     "PREDICTOR=3",    "TILED=YES",
                                    "BLOCKXSIZE=256",       "BLOCKYSIZE=256", "BIGTIFF=IF_SAFER",
                                    "NUM_THREADS=ALL_CPUS", nullptr};
    GDALDatasetH ds = GDALCreate(driver, file.temp_path().c_str(), cols, rows, 1, GDT_Float32,
                                 const_cast<char**>(create_options));
    if (!ds) throw IoError(fmt::format("{}: cannot create: {}", path, errors.message()));
    std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
    double gt[6] = {g.xmin, g.cell_size_m, 0.0, g.ymax, 0.0, -g.cell_size_m};
    GDALSetGeoTransform(ds, gt);
    if (!crs.empty()) GDALSetProjection(ds, crs.wkt.c_str());
    for (const auto& [key, value] : options.metadata)
      GDALSetMetadataItem(ds, key.c_str(), value.c_str(), nullptr);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(band, kGeoTiffNoData);
    if (!options.band_description.empty())
      GDALSetDescription(band, options.band_description.c_str());
    if (!options.units.empty()) GDALSetRasterUnitType(band, options.units.c_str());
    std::vector<float> row(static_cast<std::size_t>(cols));
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        const double v = raster.at(r, c);
        row[static_cast<std::size_t>(c)] =
            std::isnan(v) ? static_cast<float>(kGeoTiffNoData) : static_cast<float>(v);
      }
      if (GDALRasterIO(band, GF_Write, 0, r, cols, 1, row.data(), cols, 1, GDT_Float32, 0, 0) !=
          CE_None)
        throw IoError(write_error_text(path, "write failed", errors.message()));
    }
    GDALComputeRasterStatistics(band, FALSE, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    CPLErrorReset();
    GDALClose(holder.release());
    if (CPLGetLastErrorType() >= CE_Failure)
      throw IoError(write_error_text(path, "cannot finish the file", errors.message()));
  }
  file.commit();
}

RasterFile read_raster(const std::string& path) {
  detail::ensure_gdal();
  detail::GdalErrorScope errors;
  GDALDatasetH ds = GDALOpen(path.c_str(), GA_ReadOnly);
  if (!ds) throw IoError(fmt::format("{}: cannot open: {}", path, errors.message()));
  std::unique_ptr<void, decltype(&GDALClose)> holder(ds, &GDALClose);
  double gt[6];
  if (GDALGetGeoTransform(ds, gt) != CE_None || gt[2] != 0.0 || gt[4] != 0.0 || gt[1] != -gt[5])
    throw IoError(fmt::format("{}: not a north-up raster with square cells", path));
  RasterFile out;
  GridSpec g{gt[0], gt[3], gt[1], GDALGetRasterXSize(ds), GDALGetRasterYSize(ds)};
  out.raster = Raster(g);
  const char* wkt = GDALGetProjectionRef(ds);
  if (wkt && *wkt) out.crs = crs_from_user_text(wkt);
  if (char** md = GDALGetMetadata(ds, nullptr)) {
    for (char** p = md; *p; ++p) {
      const std::string item = *p;
      const auto eq = item.find('=');
      if (eq != std::string::npos)
        out.metadata.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
  }
  GDALRasterBandH band = GDALGetRasterBand(ds, 1);
  int has_nodata = 0;
  const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
  if (GDALRasterIO(band, GF_Read, 0, 0, static_cast<int>(g.cols), static_cast<int>(g.rows),
                   out.raster.values.data(), static_cast<int>(g.cols), static_cast<int>(g.rows),
                   GDT_Float64, 0, 0) != CE_None)
    throw IoError(fmt::format("{}: read failed: {}", path, errors.message()));
  if (has_nodata)
    for (double& v : out.raster.values)
      if (v == nodata || (std::isnan(nodata) && std::isnan(v))) v = Raster::nodata();
  return out;
}

}  // namespace hotspots
