// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/render/map_png.hpp"

namespace hotspots {

/// A single-band density GeoTIFF: QGIS "singlebandpseudocolor", the heat ramp of heat_ramp()
/// (map_png.hpp) interpolated from min to max; nodata and values <= min transparent.
struct SurfaceStyle {
  double min = 0.0;
  double max = 1.0;  ///< must be > min
};

/// A single-band density GeoTIFF in discrete classes, the same as the PNG map's quantile classes
/// when `breaks` = quantile_breaks() (map_png.hpp): class k = [breaks[k], breaks[k+1]) in
/// heat_ramp(k / (classes − 1)), the last class open-ended, classes emptied by tied breaks left
/// out; nodata and values <= breaks[0] transparent.
struct SurfaceClassesStyle {
  std::vector<double> breaks;  ///< at least 2 ascending values
};

/// Gi* cells categorised on `field` (gi_bin, −3..3) with the ArcGIS hot/cold palette: −3 #4575b4
/// "Cold spot – 99% confidence", −2 #91bfdb (95%), −1 #e0f3f8 (90%), 0 light grey 40% opaque
/// "Not significant", 1 #fee090 (90%), 2 #fc8d59 (95%), 3 #d73027 "Hot spot – 99% confidence".
struct GiBinStyle {
  std::string field = "gi_bin";
};

/// Gi* clusters categorised on `field`: "hot" #d73027, "cold" #4575b4, semi-transparent fill,
/// labelled with `label_field`.
struct ClusterTypeStyle {
  std::string field = "type";
  std::string label_field = "rank";
};

/// KDE hotspot polygons: red (#d73027) outline, 25 % opaque fill, labelled with `label_field`.
struct HotspotStyle {
  std::string label_field = "rank";
};

/// Zones graduated on a numeric `field`: one class per interval between consecutive `breaks`
/// (ascending, at least 2 values; the caller picks them, e.g. quantiles), YlOrRd colours,
/// grey outlines.
struct GraduatedStyle {
  std::string field = "incidents";
  std::vector<double> breaks;
};

/// Emerging hot spot units categorised on `field`, ArcGIS's CATEGORY code (−8..8: 1 new,
/// 2 consecutive, 3 intensifying, 4 persistent, 5 diminishing, 6 sporadic, 7 oscillating,
/// 8 historical hot spot, the negatives cold, 0 no pattern), labelled with ArcGIS's pattern
/// names, coloured by kEhsaPalette (render/ehsa_palette.hpp, the PNG map's colours), no outlines.
struct EhsaClassStyle {
  std::string field = "category";
};

/// An outline without fill (the study area): `outline` colour, `width_mm` wide.
struct OutlineStyle {
  Rgba outline{40, 40, 40, 255};
  double width_mm = 0.8;
};

/// Lines (a vector basemap's roads): one `colour` line `width_mm` wide. A line layer (QGIS
/// geometry "Line"), not a polygon one.
struct LineStyle {
  Rgba colour{158, 158, 158, 255};
  double width_mm = 0.3;
};

/// A basemap raster as the pack writes it (io/basemap.hpp write_basemap_raster_copy): band 1 a
/// grey level shown as it is (QGIS "singlebandgray", no contrast stretch), band 2 its alpha.
struct BasemapRasterStyle {};

using LayerStyle =
    std::variant<SurfaceStyle, GiBinStyle, ClusterTypeStyle, HotspotStyle, GraduatedStyle,
                 SurfaceClassesStyle, EhsaClassStyle, OutlineStyle, LineStyle, BasemapRasterStyle>;

/// True for the styles of raster layers (SurfaceStyle, SurfaceClassesStyle, BasemapRasterStyle).
[[nodiscard]] bool is_raster_style(const LayerStyle& style);

/// The QGIS 3 style document (.qml, "<!DOCTYPE qgis ...>") for `style`, as QGIS 3.22's
/// loadNamedStyle reads it. Pure string building, locale-independent numbers (shortest
/// round-trip). Throws InvalidArgument for max <= min, fewer than 2 or unsorted breaks, or an
/// empty field name.
[[nodiscard]] std::string qml_text(const LayerStyle& style);

/// Writes qml_text(style) to `path` (conventionally the layer's path with ".qml" replacing its
/// extension, which QGIS loads as the layer's default style). Written under a temporary name and
/// renamed. Throws IoError naming the path and InvalidArgument as qml_text().
void write_qml(const std::string& path, const LayerStyle& style, bool overwrite);

/// One layer of a QGIS project.
struct QgisLayer {
  /// Data source relative to the project file's folder, with '/' separators (e.g.
  /// "asb/kde_surface.tif"), so that the pack can be moved as a whole.
  std::string source;
  std::string name;  ///< layer name in the QGIS layer panel
  LayerStyle style;  ///< embedded in the project; raster styles (is_raster_style) make a raster
                     ///< (GDAL) layer, LineStyle a line vector (OGR) layer, the others polygon ones
  Crs crs;           ///< the CRS of the file (EPSG:4326 for GeoJSON, the analysis CRS for TIFFs)
  Extent extent;     ///< in `crs`; used for the initial view only (may be empty)
  bool visible = true;
};

/// Writes a QGIS 3 project (.qgs XML) with `layers` in the layer tree. `layers` are given bottom
/// to top (draw order: e.g. surface, zones, cells, hotspots/clusters); the layer panel shows the
/// last one first, as QGIS does. Sources are stored relative (the project's "relative paths"
/// setting), styles embedded. The project CRS is `project_crs` (QGIS reprojects layers on the
/// fly) and the initial view is the union of the layers' extents transformed to it.
/// Deterministic: layer ids are derived from the layer position and name, not from the clock.
/// Written under a temporary name and renamed. Throws IoError naming the path, InvalidArgument
/// (an absolute or empty source, an empty project CRS, a style rejected by qml_text()) and
/// CrsError when an extent cannot be transformed.
void write_qgis_project(const std::string& path, const std::string& title,
                        const std::vector<QgisLayer>& layers, const Crs& project_crs,
                        bool overwrite);

}  // namespace hotspots
