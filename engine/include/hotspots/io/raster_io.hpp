// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
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

/// Options of GeoTiffTileWriter: those of write_geotiff plus the block layout.
struct TiledGeoTiffOptions {
  GeoTiffOptions base;
  std::int64_t tile_cells = 256;  ///< GeoTIFF block side (BLOCKXSIZE = BLOCKYSIZE)
  /// GDAL's SPARSE_OK=TRUE: blocks never written are not stored and read back as nodata
  /// (−9999). Otherwise every block must be written before finish().
  bool sparse = false;
};

/// Streams a single-band Float32 GeoTIFF one block at a time (the surface is never held whole):
/// the same layout, compression, CRS, nodata and metadata as write_geotiff, and the same pixels
/// when every block is written. Written to a temporary name and renamed by finish(); destroying
/// the writer unfinished leaves no file. Band statistics (min, max, mean, standard deviation of
/// the valid cells written) are accumulated while writing and stored at finish(), instead of
/// reading the file back. Throws IoError.
class GeoTiffTileWriter {
 public:
  GeoTiffTileWriter(const std::string& path, const GridSpec& grid, const Crs& crs,
                    const TiledGeoTiffOptions& options);
  ~GeoTiffTileWriter();
  GeoTiffTileWriter(const GeoTiffTileWriter&) = delete;
  GeoTiffTileWriter& operator=(const GeoTiffTileWriter&) = delete;

  /// Writes block (tile_row, tile_col): `rows` × `cols` values row-major (NaN = nodata); rows and
  /// cols are the block's size clipped to the grid. Throws InvalidArgument for a block outside
  /// the grid or of the wrong size.
  void write_block(std::int64_t tile_row, std::int64_t tile_col, std::int64_t rows,
                   std::int64_t cols, const double* values);

  /// Blocks written so far.
  [[nodiscard]] std::int64_t blocks_written() const { return blocks_; }

  /// Stores the statistics, closes the file and renames it into place.
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::int64_t blocks_ = 0;
};

/// A raster read back (for tests and comparisons): values as double, nodata as NaN.
struct RasterFile {
  Raster raster;
  Crs crs;
  std::vector<std::pair<std::string, std::string>> metadata;
};

/// Reads band 1 of any GDAL raster with a north-up geotransform. Throws IoError.
[[nodiscard]] RasterFile read_raster(const std::string& path);

}  // namespace hotspots
