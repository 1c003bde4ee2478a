#!/usr/bin/python3
"""Pixel diff of two single-band GeoTIFFs on the same grid (issue #15's bit-identity proof).

Usage: compare_surfaces.py REFERENCE.tif OTHER.tif

Reads both in strips of 256 rows (a national surface is not held whole) and prints: cells,
cells whose Float32 bits are identical, cells valid in REFERENCE but nodata in OTHER (a sparse
file's absent tiles) with the largest |value| among them, and the largest |difference| among
the cells valid in both. Exit status 0 when every cell valid in both is bit-identical and every
cell absent from OTHER is 0 in REFERENCE.
"""
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def main():
    a_ds, b_ds = gdal.Open(sys.argv[1]), gdal.Open(sys.argv[2])
    if (a_ds.RasterXSize, a_ds.RasterYSize, a_ds.GetGeoTransform()) != (
            b_ds.RasterXSize, b_ds.RasterYSize, b_ds.GetGeoTransform()):
        sys.exit("the two rasters are not on the same grid")
    a_band, b_band = a_ds.GetRasterBand(1), b_ds.GetRasterBand(1)
    a_nd, b_nd = a_band.GetNoDataValue(), b_band.GetNoDataValue()
    cols, rows = a_ds.RasterXSize, a_ds.RasterYSize
    cells = identical = absent = 0
    absent_max = 0.0
    diff_max = 0.0
    for r0 in range(0, rows, 256):
        n = min(256, rows - r0)
        a = a_band.ReadAsArray(0, r0, cols, n).astype(np.float32)
        b = b_band.ReadAsArray(0, r0, cols, n).astype(np.float32)
        cells += a.size
        identical += int(np.count_nonzero(a.view(np.uint32) == b.view(np.uint32)))
        a_valid = a != a_nd
        b_valid = b != b_nd
        gone = a_valid & ~b_valid
        absent += int(np.count_nonzero(gone))
        if gone.any():
            absent_max = max(absent_max, float(np.abs(a[gone]).max()))
        both = a_valid & b_valid
        if both.any():
            diff_max = max(diff_max, float(np.abs(a[both].astype(np.float64) -
                                                  b[both].astype(np.float64)).max()))
    print(f"{cells} cells, {identical} bit-identical, {absent} valid in {sys.argv[1]} but nodata in "
          f"{sys.argv[2]} (largest |value| there {absent_max:g}), largest |difference| where both "
          f"are valid {diff_max:g}")
    sys.exit(0 if diff_max == 0 and absent_max == 0 else 1)


if __name__ == "__main__":
    main()
