// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"

namespace hotspots {

/// The licence statement police.uk data require wherever they are shown (Open Government Licence
/// v3.0); maps of incidents carry it.
inline constexpr const char* kPoliceUkAttribution =
    "Contains police.uk data © Crown copyright and database right, OGL v3.0";

/// Red, green, blue, alpha (0 = transparent, 255 = opaque).
using Rgba = std::array<std::uint8_t, 4>;

/// Polygons drawn as outlines over the surface (boundary, districts, hotspot polygons).
struct MapLayerLines {
  /// In the map's CRS (projected metres, the same as the surface).
  std::vector<MultiPolygon> polygons;
  Rgba rgba{0, 0, 0, 255};   ///< outline colour
  double width_px = 2.0;     ///< outline width in image pixels
  Rgba fill{0, 0, 0, 0};     ///< fill colour (transparent by default)
  std::string legend_label;  ///< legend entry; empty = not in the legend
  /// Empty, or one per entry of `polygons` (e.g. the hotspot rank, "1", "2"...; an empty string
  /// skips that entry), drawn in a white-haloed box at the centre of the entry's largest part.
  std::vector<std::string> labels;
  /// True: the entries without a label are obstacles the map's labels keep off where room allows
  /// (place_labels), e.g. the hotspots beyond the labelled top ones, so no label hides them.
  bool keep_labels_off = false;
};

/// Points drawn as filled circles over the outline layers (incidents at their map points).
struct MapPoints {
  std::vector<Point> points;  ///< in the map's CRS
  /// Empty, or one per point: the circle's area grows with it (radius_px · √count), for
  /// police.uk's many incidents snapped to one map point.
  std::vector<double> counts;
  Rgba rgba{0, 0, 0, 200};
  double radius_px = 3.0;    ///< radius of a point of count 1
  std::string legend_label;  ///< legend entry; empty = not in the legend
};

/// How surface values map onto the colour ramp.
enum class MapClassing {
  /// Continuous ramp from surface_min to the surface maximum; the legend is a colour bar.
  linear,
  /// Seven classes with equal numbers of the cells above surface_min (quantile_breaks()), which
  /// shows skewed density surfaces far better; the legend lists the class breaks.
  quantile,
  /// The classes of MapSpec::breaks (e.g. hotspot_class_breaks(), whose top class starts at the
  /// KDE hotspot threshold, so that the darkest colour means "hotspot"); the legend lists them,
  /// names the top class MapSpec::top_class_label and ends with MapSpec::classes_note.
  given,
  /// One colour per exact value (MapSpec::categories, e.g. Gi* bins −3..3); other values are
  /// left transparent; the legend lists the categories in order.
  categories,
};

/// A category of MapClassing::categories: the cells of `value` in `rgba`, named `label`.
struct MapCategory {
  double value = 0;
  Rgba rgba{0, 0, 0, 255};
  std::string label;
};

/// Everything one map shows. Coordinates are projected metres (the scale bar is in km).
struct MapSpec {
  std::string title;     ///< e.g. "Anti-social behaviour, 2024-01 to 2024-12"
  std::string subtitle;  ///< e.g. "Kernel density (quartic, radius 400 m)"
  /// A vector basemap (roads...) in the map's CRS, drawn first in light grey; with one, the
  /// surface is drawn 80 % opaque so the streets show through it.
  const std::vector<std::vector<Point>>* basemap_lines = nullptr;
  /// A raster basemap: called once with the map frame's area (map CRS) and its size in whole
  /// pixels, returns that many non-premultiplied RGBA pixels (row-major from the top-left), drawn
  /// first under everything; with one, the surface is drawn 80 % opaque too. Empty = none.
  std::function<std::vector<std::uint8_t>(const Extent& frame, int width_px, int height_px)>
      basemap_image;
  /// Drawn first, coloured by the heat ramp of heat_ramp() (pale yellow = low, dark red = high).
  /// NaN cells (nodata) and cells <= surface_min are left transparent (background shows).
  /// May be null (a map of outlines only).
  const Raster* surface = nullptr;
  /// Legend title, e.g. "Incidents per km²" (without a surface: the heading of the layers).
  std::string surface_label;
  double surface_min = 0.0;
  MapClassing classing = MapClassing::quantile;
  /// MapClassing::given: 8 ascending bounds of 7 classes (class k = [breaks[k], breaks[k+1]),
  /// the last one its upper bound too), as quantile_breaks() and hotspot_class_breaks() give.
  std::vector<double> breaks;
  std::string top_class_label;          ///< given: appended to the top class, e.g. "KDE hotspot"
  std::string classes_note;             ///< given: the line under the classes
  std::vector<MapCategory> categories;  ///< MapClassing::categories
  /// Drawn in order over the surface.
  std::vector<MapLayerLines> layers;
  /// Drawn in order over the layers, under the labels.
  std::vector<MapPoints> points;
  /// The area shown; empty = the union of the surface grid and the layers' extents. A 4 % margin
  /// is added either way.
  Extent extent;
  int width_px = 1600;  ///< image width; the height follows the extent's aspect ratio
  /// Below the frame, e.g. kPoliceUkAttribution; '\n' starts another line (a basemap's own
  /// licence under the police.uk one), each line making the image taller.
  std::string attribution;
};

/// Where things land on the image: the pure geometry write_map_png() draws with, exposed so that
/// callers and tests can find features in the picture.
struct MapLayout {
  int width_px = 0;
  int height_px = 0;
  Extent world;        ///< the area shown, in map units (after the margin)
  double frame_x = 0;  ///< left edge of the map frame in pixels
  double frame_y = 0;  ///< top edge of the map frame in pixels
  double frame_w = 0;
  double frame_h = 0;
  double px_per_m = 0;          ///< the same in x and y (no distortion)
  double scale_bar_m = 0;       ///< the scale bar's length in metres (1, 2 or 5 × 10^k)
  double scale_bar_x = 0;       ///< left end of the scale bar, pixels
  double scale_bar_y = 0;       ///< baseline of the scale bar, pixels
  double scale_bar_px = 0;      ///< its length in pixels (= scale_bar_m · px_per_m)
  std::string scale_bar_label;  ///< e.g. "2 km", "500 m"

  /// Image pixel coordinates (x right, y down; pixel (i, j) covers [i, i+1) × [j, j+1)) of a
  /// point in map units.
  Point to_pixel(Point p) const {
    return {frame_x + (p.x - world.xmin) * px_per_m, frame_y + (world.ymax - p.y) * px_per_m};
  }
};

/// The layout of `spec`: frame, scale and scale bar. Throws InvalidArgument when the extent is
/// empty or degenerate or width_px is below 400 or above 20000. O(polygon vertices).
[[nodiscard]] MapLayout layout_map(const MapSpec& spec);

/// The heat ramp used for the surface (and by the QGIS surface style): `t` in [0, 1] from low
/// (pale yellow #ffffcc) to high (dark red #800026), ColorBrewer's 9-class YlOrRd (Brewer 2003)
/// interpolated linearly in sRGB; sequential and light-to-dark, so it reads on a white page and
/// in greyscale. Opaque. `t` is clamped to [0, 1].
[[nodiscard]] Rgba heat_ramp(double t);

/// The quantile class bounds MapClassing::quantile uses: `classes` + 1 ascending values — `min`,
/// the nearest-rank k/classes quantiles (k = 1 … classes−1) of the cells above `min` (NaN =
/// nodata ignored), and their maximum. Class k holds [bounds[k], bounds[k+1]) (the last one its
/// upper bound too); tied bounds leave empty classes, and a value on a tie takes the hottest
/// class it reaches. Empty when no cell is above `min`. Pass the result to SurfaceStyle::breaks
/// (qgis_style.hpp) so that QGIS shows the classes of the PNG. Cost: O(n log n) in the cells.
/// Throws InvalidArgument when classes < 2.
[[nodiscard]] std::vector<double> quantile_breaks(const Raster& surface, double min,
                                                  int classes = 7);

/// Class bounds whose top class starts exactly at the KDE hotspot threshold `threshold` (the
/// smallest density of a hot cell), so that the darkest colour is drawn on hot cells and on
/// nothing else: `classes` + 1 ascending values — `min`, the nearest-rank k/(classes−1)
/// quantiles (k = 1 … classes−2) of the cells above `min` and below `threshold` (NaN = nodata
/// ignored), `threshold`, and the largest value (at least `threshold`). Classes below the top one
/// hold equal numbers of the non-hot cells; with none, their bounds are all `threshold` (empty
/// classes). A NaN `threshold` (no hot cell) gives quantile_breaks(). Empty when no cell is
/// above `min`. Cost: O(n log n) in the cells. Throws InvalidArgument when classes < 3.
[[nodiscard]] std::vector<double> hotspot_class_breaks(const Raster& surface, double min,
                                                       double threshold, int classes = 7);

/// A label box to place: its anchor (the labelled feature's centre, pixels), its size, and the
/// feature's bounding box in pixels (empty: a point at the anchor).
struct LabelBox {
  Point anchor;
  double width = 0;
  double height = 0;
  Extent feature;
};

/// Centres for label boxes, in order (earlier labels keep the better spots), so that no box
/// covers its own feature, another label or (where room allows) another labelled feature: each
/// box goes beside its feature, on the first free spot of rings of 8 positions (N, NE, E, SE, S,
/// SW, W, NW) whose first ring just clears the feature's box and each next one is a box height
/// further out, kept inside `frame` (pixels). When no spot is free after `max_rings` rings it
/// takes the first spot that clears its own feature and the other labels, else the first ring's
/// north spot. `obstacles` (pixels) are boxes of unlabelled features a label should not hide
/// either (e.g. hotspot outlines on a close-up that labels only its patrol places): a spot over
/// one counts as over another feature, avoided where room allows. The caller draws a leader
/// line from the feature to the box. Deterministic. O(labels · (labels + obstacles) · rings).
[[nodiscard]] std::vector<Point> place_labels(const std::vector<LabelBox>& boxes,
                                              const Extent& frame, int max_rings = 8,
                                              const std::vector<Extent>& obstacles = {});

/// Renders `spec` to a PNG (RGBA, 8 bits) with cairo: title and subtitle above the map frame,
/// the surface, the outline layers and their labels, then a legend (surface colours with their
/// values, one swatch per labelled outline layer), a scale bar in round kilometres (or metres),
/// a north arrow (grid north) and the attribution below. Text is DejaVu Sans. No basemap and no
/// network. The same spec gives the same bytes (cairo's PNG writer stores no time).
/// Written under a temporary name and renamed. Cost: O(surface cells + polygon vertices).
/// Throws IoError naming `path` (exists without `overwrite`, missing folder, write failure) and
/// InvalidArgument as layout_map() or for a surface of more than 32767 cells a side (cairo's
/// limit).
void write_map_png(const std::string& path, const MapSpec& spec, bool overwrite);

}  // namespace hotspots
