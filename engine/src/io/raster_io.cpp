// SPDX-License-Identifier: MIT
#include "hotspots/io/raster_io.hpp"

#include <fmt/format.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <cpl_error.h>
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "detail/gdal_util.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots {
namespace {
// DEFLATE at level 1, not GDAL's 6: half the compression work (libdeflate: 124 M against 250 M
// instructions for the 800 x 800 bench surface; GDAL's worker threads compete with the density
// for the two cores) for files 1 % (800 x 800) to 4 % (4000 x 4000) larger.
constexpr const char* kGeoTiffZlevel = "ZLEVEL=1";
}  // namespace

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
    const char* create_options[] = {"COMPRESS=DEFLATE", kGeoTiffZlevel,         "PREDICTOR=3",
                                    "TILED=YES",        "BLOCKXSIZE=256",       "BLOCKYSIZE=256",
                                    "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS", nullptr};
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

struct GeoTiffTileWriter::State {
  std::string path;
  GridSpec grid;
  std::int64_t tile = 256;
  detail::GdalErrorScope errors;
  AtomicFile file;
  GDALDatasetH ds = nullptr;
  GDALRasterBandH band = nullptr;
  std::vector<float> block;
  double min = 0, max = 0, sum = 0, sum2 = 0;
  std::int64_t valid = 0;

  State(const std::string& p, const GridSpec& g, bool overwrite, std::int64_t t)
      : path(p), grid(g), tile(t), file(p, overwrite) {}
  ~State() {
    if (ds) GDALClose(ds);
  }
};

GeoTiffTileWriter::GeoTiffTileWriter(const std::string& path, const GridSpec& grid, const Crs& crs,
                                     const TiledGeoTiffOptions& options) {
  detail::ensure_gdal();
  if (grid.cols > INT32_MAX || grid.rows > INT32_MAX || grid.cols < 1 || grid.rows < 1)
    throw IoError(fmt::format("{}: cannot write a {} x {} raster", path, grid.cols, grid.rows));
  if (options.tile_cells < 16 || options.tile_cells > 4096 || options.tile_cells % 16 != 0)
    throw InvalidArgument(fmt::format("tile_cells must be a multiple of 16 from 16 to 4096, got {}",
                                      options.tile_cells));
  state_ = std::make_unique<State>(path, grid, options.base.overwrite, options.tile_cells);
  State& s = *state_;
  const std::string block = fmt::format("{}", options.tile_cells);
  const std::string blockx = "BLOCKXSIZE=" + block;
  const std::string blocky = "BLOCKYSIZE=" + block;
  std::vector<const char*> create_options = {
      "COMPRESS=DEFLATE", kGeoTiffZlevel, "PREDICTOR=3",      "TILED=YES",
      blockx.c_str(),     blocky.c_str(), "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"};
  if (options.sparse) create_options.push_back("SPARSE_OK=TRUE");
  create_options.push_back(nullptr);
  GDALDriverH driver = GDALGetDriverByName("GTiff");
  s.ds = GDALCreate(driver, s.file.temp_path().c_str(), static_cast<int>(grid.cols),
                    static_cast<int>(grid.rows), 1, GDT_Float32,
                    const_cast<char**>(create_options.data()));
  if (!s.ds) throw IoError(fmt::format("{}: cannot create: {}", path, s.errors.message()));
  double gt[6] = {grid.xmin, grid.cell_size_m, 0.0, grid.ymax, 0.0, -grid.cell_size_m};
  GDALSetGeoTransform(s.ds, gt);
  if (!crs.empty()) GDALSetProjection(s.ds, crs.wkt.c_str());
  for (const auto& [key, value] : options.base.metadata)
    GDALSetMetadataItem(s.ds, key.c_str(), value.c_str(), nullptr);
  s.band = GDALGetRasterBand(s.ds, 1);
  GDALSetRasterNoDataValue(s.band, kGeoTiffNoData);
  if (!options.base.band_description.empty())
    GDALSetDescription(s.band, options.base.band_description.c_str());
  if (!options.base.units.empty()) GDALSetRasterUnitType(s.band, options.base.units.c_str());
  s.block.resize(static_cast<std::size_t>(options.tile_cells * options.tile_cells));
}

GeoTiffTileWriter::~GeoTiffTileWriter() = default;

void GeoTiffTileWriter::write_block(std::int64_t tile_row, std::int64_t tile_col, std::int64_t rows,
                                    std::int64_t cols, const double* values) {
  if (!state_) throw IoError("GeoTiffTileWriter: write after finish");
  State& s = *state_;
  const std::int64_t t = s.tile;
  const std::int64_t r0 = tile_row * t, c0 = tile_col * t;
  if (tile_row < 0 || tile_col < 0 || r0 >= s.grid.rows || c0 >= s.grid.cols ||
      rows != std::min(t, s.grid.rows - r0) || cols != std::min(t, s.grid.cols - c0))
    throw InvalidArgument(
        fmt::format("{}: block ({}, {}) of {} x {} cells is not a block of the "
                    "{} x {} grid",
                    s.path, tile_row, tile_col, rows, cols, s.grid.rows, s.grid.cols));
  std::fill(s.block.begin(), s.block.end(), static_cast<float>(kGeoTiffNoData));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) {
      const double v = values[r * cols + c];
      if (std::isnan(v)) continue;
      const float f = static_cast<float>(v);
      s.block[static_cast<std::size_t>(r * t + c)] = f;
      const double d = f;
      if (s.valid == 0 || d < s.min) s.min = d;
      if (s.valid == 0 || d > s.max) s.max = d;
      s.sum += d;
      s.sum2 += d * d;
      ++s.valid;
    }
  if (GDALWriteBlock(s.band, static_cast<int>(tile_col), static_cast<int>(tile_row),
                     s.block.data()) != CE_None)
    throw IoError(write_error_text(s.path, "write failed", s.errors.message()));
  ++blocks_;
}

void GeoTiffTileWriter::finish() {
  if (!state_) throw IoError("GeoTiffTileWriter: finish called twice");
  State& s = *state_;
  if (s.valid > 0) {
    const double n = static_cast<double>(s.valid);
    const double mean = s.sum / n;
    const double var = std::max(0.0, s.sum2 / n - mean * mean);
    GDALSetRasterStatistics(s.band, s.min, s.max, mean, std::sqrt(var));
  }
  CPLErrorReset();
  GDALClose(s.ds);
  s.ds = nullptr;
  if (CPLGetLastErrorType() >= CE_Failure)
    throw IoError(write_error_text(s.path, "cannot finish the file", s.errors.message()));
  s.file.commit();
  state_.reset();
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
