// SPDX-License-Identifier: MIT
#include "hotspots/render/qgis_style.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>

#include "detail/text.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/render/ehsa_palette.hpp"
#include "hotspots/render/map_png.hpp"

// The XML below is the subset of what QGIS 3.22 itself writes (saveNamedStyle, QgsProject::write)
// that it needs to read the style back; everything left out takes QGIS's defaults. The reference
// files were generated with python3-qgis 3.22.16 and tests/qgis/check_pack.py proves that QGIS
// loads what we write.

namespace hotspots {
namespace {

constexpr char kQgisVersion[] = "3.22.16-Białowieża";
constexpr char kDoctype[] = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";

std::string xml_escape(std::string_view s) {
  return detail::markup_escape(s);
}

// Shortest round-trip decimal, independent of the locale (fmt never uses it for "{}").
std::string num(double v) {
  return fmt::format("{}", v);
}

std::string rgba_text(const Rgba& c) {
  return fmt::format("{},{},{},{}", c[0], c[1], c[2], c[3]);
}
std::string hex(const Rgba& c) {
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

Rgba with_alpha(Rgba c, std::uint8_t a) {
  c[3] = a;
  return c;
}

std::string option(std::string_view name, std::string_view value) {
  return fmt::format("<Option type=\"QString\" name=\"{}\" value=\"{}\"/>", name,
                     xml_escape(value));
}

/// A QGIS fill symbol (SimpleFill). outline_mm <= 0 draws no outline.
std::string fill_symbol(const std::string& name, const Rgba& fill, const Rgba& outline,
                        double outline_mm) {
  std::string s = fmt::format(
      "      <symbol type=\"fill\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" "
      "force_rhr=\"0\">\n        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" "
      "pass=\"0\">\n          <Option type=\"Map\">",
      xml_escape(name));
  s += option("color", rgba_text(fill));
  s += option("style", fill[3] == 0 ? "no" : "solid");
  s += option("outline_color", rgba_text(outline));
  s += option("outline_style", outline_mm > 0 ? "solid" : "no");
  s += option("outline_width", num(outline_mm > 0 ? outline_mm : 0.26));
  s += option("outline_width_unit", "MM");
  s += option("joinstyle", "round");
  s += "</Option>\n        </layer>\n      </symbol>\n";
  return s;
}

constexpr Rgba kHot{215, 48, 39, 255};    // #d73027
constexpr Rgba kCold{69, 117, 180, 255};  // #4575b4

struct Category {
  std::string value;
  std::string label;
  Rgba fill;
  Rgba outline;
  double outline_mm;
};

std::string categorised(const std::string& field, const std::vector<Category>& cats) {
  std::string s = fmt::format(
      "  <renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" symbollevels=\"0\" "
      "enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n    <categories>\n",
      xml_escape(field));
  for (std::size_t i = 0; i < cats.size(); ++i)
    s += fmt::format("      <category value=\"{}\" symbol=\"{}\" label=\"{}\" render=\"true\"/>\n",
                     xml_escape(cats[i].value), i, xml_escape(cats[i].label));
  s += "    </categories>\n    <symbols>\n";
  for (std::size_t i = 0; i < cats.size(); ++i)
    s += fill_symbol(std::to_string(i), cats[i].fill, cats[i].outline, cats[i].outline_mm);
  s += "    </symbols>\n  </renderer-v2>\n";
  return s;
}

std::string single(const Rgba& fill, const Rgba& outline, double outline_mm) {
  return "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
         "forceraster=\"0\" referencescale=\"-1\">\n    <symbols>\n" +
         fill_symbol("0", fill, outline, outline_mm) + "    </symbols>\n  </renderer-v2>\n";
}

/// Simple labels of `field`: bold dark text with a white buffer, around the polygon's centre.
std::string labeling(const std::string& field) {
  return fmt::format(
      "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
      "      <text-style fieldName=\"{}\" isExpression=\"0\" fontFamily=\"DejaVu Sans\" "
      "namedStyle=\"Bold\" fontWeight=\"75\" fontSize=\"10\" fontSizeUnit=\"Point\" "
      "textColor=\"30,30,30,255\" textOpacity=\"1\">\n"
      "        <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" "
      "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.9\" bufferNoFill=\"1\" "
      "bufferJoinStyle=\"128\"/>\n      </text-style>\n"
      "      <placement placement=\"0\" centroidInside=\"1\" centroidWhole=\"0\"/>\n"
      "    </settings>\n  </labeling>\n",
      xml_escape(field));
}

std::string range_label(double lo, double hi) {
  return fmt::format("{} – {}", num(lo), num(hi));
}

void require_field(const std::string& field, std::string_view what) {
  if (field.empty()) throw InvalidArgument(fmt::format("{}: the field name is empty", what));
}

struct Body {
  bool raster = false;
  bool lines = false;  // a line layer (QGIS geometry "Line"), else polygons
  bool labels = false;
  std::string xml;  // renderer (+ labeling) or pipe
};

Body raster_body(const SurfaceStyle& st, const std::vector<double>& breaks = {}) {
  if (!(std::isfinite(st.min) && std::isfinite(st.max) && st.max > st.min))
    throw InvalidArgument(fmt::format(
        "surface style: max must be a number above min, got min {} and max {}", st.min, st.max));
  Body b;
  b.raster = true;
  std::string items;
  // A transparent stop at min and an opaque one just above it: values <= min are clear (zero
  // density shows what lies beneath), everything above takes the ramp.
  items +=
      fmt::format("            <item value=\"{}\" color=\"#ffffcc\" alpha=\"0\" label=\"{}\"/>\n",
                  num(st.min), num(st.min));
  const bool discrete = !breaks.empty();
  if (discrete) {
    const auto& br = breaks;
    const std::size_t n = br.size() - 1;
    for (std::size_t k = 0; k < n; ++k) {
      if (k + 1 < n && br[k] == br[k + 1]) continue;  // emptied by a tie
      // QGIS's discrete classes are (previous, value]; the values are Float32 in the GeoTIFF, so
      // the Float32 just below the next break makes the class [br[k], br[k+1]) like the PNG's.
      const std::string upper =
          k + 1 == n
              ? "inf"
              : num(static_cast<double>(std::nextafter(static_cast<float>(br[k + 1]),
                                                       -std::numeric_limits<float>::infinity())));
      const double t = n == 1 ? 1.0 : static_cast<double>(k) / static_cast<double>(n - 1);
      items +=
          fmt::format("            <item value=\"{}\" color=\"{}\" alpha=\"255\" label=\"{}\"/>\n",
                      upper, hex(heat_ramp(t)), xml_escape(range_label(br[k], br[k + 1])));
    }
  }
  constexpr int kStops = 9;
  for (int k = 0; k < kStops && !discrete; ++k) {
    const double t = static_cast<double>(k) / (kStops - 1);
    double v = st.min + t * (st.max - st.min);
    if (k == 0) v = std::nextafter(st.min, st.max);
    if (k == kStops - 1) v = st.max;
    items +=
        fmt::format("            <item value=\"{}\" color=\"{}\" alpha=\"255\" label=\"{}\"/>\n",
                    num(v), hex(heat_ramp(t)), num(k == 0 ? st.min : v));
  }
  b.xml = fmt::format(
      "  <pipe>\n    <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"1\" "
      "alphaBand=\"-1\" classificationMin=\"{0}\" classificationMax=\"{1}\" nodataColor=\"\">\n"
      "      <minMaxOrigin>\n        <limits>None</limits>\n        <extent>WholeRaster</extent>\n"
      "        <statAccuracy>Estimated</statAccuracy>\n"
      "        <cumulativeCutLower>0.02</cumulativeCutLower>\n"
      "        <cumulativeCutUpper>0.98</cumulativeCutUpper>\n"
      "        <stdDevFactor>2</stdDevFactor>\n      </minMaxOrigin>\n"
      "      <rastershader>\n        <colorrampshader colorRampType=\"{3}\" "
      "classificationMode=\"1\" clip=\"0\" minimumValue=\"{0}\" maximumValue=\"{1}\" "
      "labelPrecision=\"4\">\n{2}        </colorrampshader>\n      </rastershader>\n"
      "    </rasterrenderer>\n    <brightnesscontrast brightness=\"0\" contrast=\"0\" "
      "gamma=\"1\"/>\n    <huesaturation saturation=\"0\" grayscaleMode=\"0\" "
      "colorizeOn=\"0\" invertColors=\"0\"/>\n    <rasterresampler maxOversampling=\"2\"/>\n"
      "  </pipe>\n",
      num(st.min), num(st.max), items, discrete ? "DISCRETE" : "INTERPOLATED");
  return b;
}

Body vector_body(const LayerStyle& style) {
  Body b;
  if (const auto* g = std::get_if<GiBinStyle>(&style)) {
    require_field(g->field, "Gi* style");
    // ArcGIS Hot Spot Analysis palette (ColorBrewer RdYlBu), cells without outlines.
    const std::array<Category, 7> cats = {{
        {"-3", "Cold spot – 99% confidence", {69, 117, 180, 255}, {}, 0},
        {"-2", "Cold spot – 95% confidence", {145, 191, 219, 255}, {}, 0},
        {"-1", "Cold spot – 90% confidence", {224, 243, 248, 255}, {}, 0},
        {"0", "Not significant", {200, 200, 200, 102}, {}, 0},
        {"1", "Hot spot – 90% confidence", {254, 224, 144, 255}, {}, 0},
        {"2", "Hot spot – 95% confidence", {252, 141, 89, 255}, {}, 0},
        {"3", "Hot spot – 99% confidence", {215, 48, 39, 255}, {}, 0},
    }};
    b.xml = categorised(g->field, {cats.begin(), cats.end()});
  } else if (const auto* e = std::get_if<EhsaClassStyle>(&style)) {
    require_field(e->field, "emerging hot spot style");
    // Hot 1..8, then cold −1..−8, then no pattern: the legend reads hot to cold.
    std::vector<Category> cats;
    for (int k = 1; k <= 16; ++k) {
      const auto c = static_cast<EhsaClass>(k);
      const int code = k <= 8 ? k : -(k - 8);
      cats.push_back(
          {std::to_string(code), std::string(ehsa_class_label(c)), ehsa_class_colour(c), {}, 0});
    }
    cats.push_back({"0",
                    std::string(ehsa_class_label(EhsaClass::no_pattern)),
                    ehsa_class_colour(EhsaClass::no_pattern),
                    {},
                    0});
    b.xml = categorised(e->field, cats);
  } else if (const auto* c = std::get_if<ClusterTypeStyle>(&style)) {
    require_field(c->field, "cluster style");
    b.xml =
        categorised(c->field, {{"hot", "Hot spot cluster", with_alpha(kHot, 89), kHot, 0.6},
                               {"cold", "Cold spot cluster", with_alpha(kCold, 89), kCold, 0.6}});
    if (!c->label_field.empty()) {
      b.labels = true;
      b.xml += labeling(c->label_field);
    }
  } else if (const auto* ln = std::get_if<LineStyle>(&style)) {
    if (!(ln->width_mm > 0)) throw InvalidArgument("line style: width_mm must be > 0");
    std::string sym =
        "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
        "forceraster=\"0\" referencescale=\"-1\">\n    <symbols>\n"
        "      <symbol type=\"line\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" "
        "force_rhr=\"0\">\n        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" "
        "pass=\"0\">\n          <Option type=\"Map\">";
    sym += option("line_color", rgba_text(ln->colour));
    sym += option("line_style", "solid");
    sym += option("line_width", num(ln->width_mm));
    sym += option("line_width_unit", "MM");
    sym += option("capstyle", "round");
    sym += option("joinstyle", "round");
    sym += "</Option>\n        </layer>\n      </symbol>\n    </symbols>\n  </renderer-v2>\n";
    b.xml = sym;
    b.lines = true;
  } else if (const auto* o = std::get_if<OutlineStyle>(&style)) {
    if (!(o->width_mm > 0)) throw InvalidArgument("outline style: width_mm must be > 0");
    b.xml = single(Rgba{0, 0, 0, 0}, o->outline, o->width_mm);
  } else if (const auto* h = std::get_if<HotspotStyle>(&style)) {
    b.xml = single(with_alpha(kHot, 64), kHot, 0.6);
    if (!h->label_field.empty()) {
      b.labels = true;
      b.xml += labeling(h->label_field);
    }
  } else if (const auto* z = std::get_if<GraduatedStyle>(&style)) {
    require_field(z->field, "graduated style");
    if (z->breaks.size() < 2 || !std::is_sorted(z->breaks.begin(), z->breaks.end()) ||
        !std::all_of(z->breaks.begin(), z->breaks.end(), [](double v) { return std::isfinite(v); }))
      throw InvalidArgument(fmt::format(
          "graduated style on '{}': breaks must be at least 2 ascending numbers, got {}", z->field,
          z->breaks.size()));
    const std::size_t n = z->breaks.size() - 1;
    std::string s = fmt::format(
        "  <renderer-v2 type=\"graduatedSymbol\" attr=\"{}\" graduatedMethod=\"GraduatedColor\" "
        "symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n"
        "    <ranges>\n",
        xml_escape(z->field));
    for (std::size_t i = 0; i < n; ++i)
      s += fmt::format(
          "      <range symbol=\"{}\" lower=\"{}\" upper=\"{}\" label=\"{}\" render=\"true\"/>\n",
          i, num(z->breaks[i]), num(z->breaks[i + 1]),
          xml_escape(range_label(z->breaks[i], z->breaks[i + 1])));
    s += "    </ranges>\n    <symbols>\n";
    for (std::size_t i = 0; i < n; ++i) {
      const double t = n == 1 ? 1.0 : static_cast<double>(i) / static_cast<double>(n - 1);
      s += fill_symbol(std::to_string(i), with_alpha(heat_ramp(t), 204), {110, 110, 110, 255}, 0.2);
    }
    s += "    </symbols>\n  </renderer-v2>\n";
    b.xml = s;
  } else {
    throw InvalidArgument("QGIS style: a raster style where a vector one was expected");
  }
  return b;
}

// A grey band shown as it is (0 black, 255 white: no stretch) with band 2 as alpha: the
// basemap copy of write_basemap_raster_copy.
Body basemap_raster_body() {
  Body b;
  b.raster = true;
  b.xml =
      "  <pipe>\n    <rasterrenderer type=\"singlebandgray\" grayBand=\"1\" alphaBand=\"2\" "
      "gradient=\"BlackToWhite\" opacity=\"1\" nodataColor=\"\">\n"
      "      <minMaxOrigin>\n        <limits>None</limits>\n        <extent>WholeRaster</extent>\n"
      "        <statAccuracy>Estimated</statAccuracy>\n"
      "        <cumulativeCutLower>0.02</cumulativeCutLower>\n"
      "        <cumulativeCutUpper>0.98</cumulativeCutUpper>\n"
      "        <stdDevFactor>2</stdDevFactor>\n      </minMaxOrigin>\n"
      "      <contrastEnhancement>\n        <minValue>0</minValue>\n        "
      "<maxValue>255</maxValue>\n"
      "        <algorithm>NoEnhancement</algorithm>\n      </contrastEnhancement>\n"
      "    </rasterrenderer>\n    <brightnesscontrast brightness=\"0\" contrast=\"0\" "
      "gamma=\"1\"/>\n    <huesaturation saturation=\"0\" grayscaleMode=\"0\" "
      "colorizeOn=\"0\" invertColors=\"0\"/>\n    <rasterresampler maxOversampling=\"2\"/>\n"
      "  </pipe>\n";
  return b;
}

Body body_of(const LayerStyle& style) {
  if (std::holds_alternative<BasemapRasterStyle>(style)) return basemap_raster_body();
  if (const auto* s = std::get_if<SurfaceStyle>(&style)) return raster_body(*s);
  if (const auto* c = std::get_if<SurfaceClassesStyle>(&style)) {
    const auto& br = c->breaks;
    if (br.size() < 2 || !std::is_sorted(br.begin(), br.end()) ||
        !std::all_of(br.begin(), br.end(), [](double v) { return std::isfinite(v); }))
      throw InvalidArgument(fmt::format(
          "surface style: breaks must be at least 2 ascending numbers, got {}", br.size()));
    // A plateau (all breaks equal) still needs max > min for QGIS's classification range.
    const double hi = br.back() > br.front() ? br.back() : br.front() + 1;
    return raster_body(SurfaceStyle{br.front(), hi}, br);
  }
  return vector_body(style);
}

std::string layer_tail(const Body& b) {
  return b.raster ? "  <blendMode>0</blendMode>\n"
                  : "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n"
                    "  <layerOpacity>1</layerOpacity>\n";
}

void write_text(const std::string& path, const std::string& text, bool overwrite) {
  write_file_atomically(path, text, overwrite);
}

std::string spatialrefsys(const Crs& crs, const std::string& indent) {
  std::string s = indent + "<spatialrefsys>\n";
  s += indent + "  <wkt>" + xml_escape(crs.wkt) + "</wkt>\n";
  if (crs.epsg != 0) s += indent + fmt::format("  <authid>EPSG:{}</authid>\n", crs.epsg);
  s += indent + "  <description>" + xml_escape(crs.name) + "</description>\n";
  s += indent + "</spatialrefsys>\n";
  return s;
}

// The extent's outline densified (so that curved edges in the target CRS are covered), transformed.
Extent transform_extent(const Extent& e, const Crs& from, const Crs& to) {
  if (e.empty()) return e;
  constexpr int kSteps = 20;
  std::vector<double> x, y;
  for (int i = 0; i <= kSteps; ++i) {
    const double fx = e.xmin + e.width() * i / kSteps, fy = e.ymin + e.height() * i / kSteps;
    x.insert(x.end(), {fx, fx, e.xmin, e.xmax});
    y.insert(y.end(), {e.ymin, e.ymax, fy, fy});
  }
  CoordinateTransform(from, to).transform(x, y);
  Extent out;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) out.include(x[i], y[i]);
  if (out.empty())
    throw CrsError(fmt::format("cannot transform the extent of a layer from {} to {}", from.label(),
                               to.label()));
  return out;
}

std::string layer_id(std::size_t i, const std::string& name) {
  std::string id = fmt::format("layer{}_", i);
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}

}  // namespace

bool is_raster_style(const LayerStyle& style) {
  return std::holds_alternative<SurfaceStyle>(style) ||
         std::holds_alternative<SurfaceClassesStyle>(style) ||
         std::holds_alternative<BasemapRasterStyle>(style);
}

std::string qml_text(const LayerStyle& style) {
  const Body b = body_of(style);
  std::string s = kDoctype;
  s += fmt::format("<qgis version=\"{}\" styleCategories=\"AllStyleCategories\"{}>\n", kQgisVersion,
                   b.raster ? "" : (b.labels ? " labelsEnabled=\"1\"" : " labelsEnabled=\"0\""));
  s += b.xml;
  s += layer_tail(b);
  s += "</qgis>\n";
  return s;
}

void write_qml(const std::string& path, const LayerStyle& style, bool overwrite) {
  write_text(path, qml_text(style), overwrite);
}

void write_qgis_project(const std::string& path, const std::string& title,
                        const std::vector<QgisLayer>& layers, const Crs& project_crs,
                        bool overwrite) {
  if (project_crs.empty()) throw InvalidArgument("QGIS project: the project CRS is empty");
  std::vector<Body> bodies;
  std::vector<std::string> ids;
  Extent view;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const QgisLayer& l = layers[i];
    if (l.source.empty() || l.source.front() == '/' || l.source.find(':') != std::string::npos ||
        l.source.find('\\') != std::string::npos)
      throw InvalidArgument(fmt::format(
          "QGIS project: layer '{}': the source must be a relative path with '/', got '{}'", l.name,
          l.source));
    if (l.crs.empty())
      throw InvalidArgument(fmt::format("QGIS project: layer '{}' has no CRS", l.name));
    bodies.push_back(body_of(l.style));
    ids.push_back(layer_id(i, l.name));
    view.include(transform_extent(l.extent, l.crs, project_crs));
  }

  std::string s = kDoctype;
  s += fmt::format("<qgis projectname=\"{}\" version=\"{}\">\n", xml_escape(title), kQgisVersion);
  s += "  <homePath path=\"\"/>\n";
  s += "  <title>" + xml_escape(title) + "</title>\n";
  s += "  <projectCrs>\n" + spatialrefsys(project_crs, "    ") + "  </projectCrs>\n";
  // The layer panel lists the top of the drawing order first.
  s += "  <layer-tree-group>\n";
  for (std::size_t k = layers.size(); k-- > 0;)
    s += fmt::format(
        "    <layer-tree-layer id=\"{}\" name=\"{}\" source=\"./{}\" providerKey=\"{}\" "
        "checked=\"{}\" expanded=\"1\"/>\n",
        ids[k], xml_escape(layers[k].name), xml_escape(layers[k].source),
        bodies[k].raster ? "gdal" : "ogr", layers[k].visible ? "Qt::Checked" : "Qt::Unchecked");
  s += "  </layer-tree-group>\n";
  s += "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n";
  s += fmt::format("    <units>{}</units>\n", project_crs.geographic ? "degrees" : "meters");
  if (!view.empty()) {
    const Extent v = view.grown(0.03 * std::max(view.width(), view.height()));
    s += fmt::format(
        "    <extent>\n      <xmin>{}</xmin>\n      <ymin>{}</ymin>\n      <xmax>{}</xmax>\n"
        "      <ymax>{}</ymax>\n    </extent>\n",
        num(v.xmin), num(v.ymin), num(v.xmax), num(v.ymax));
  }
  s += "    <rotation>0</rotation>\n    <destinationsrs>\n" + spatialrefsys(project_crs, "      ") +
       "    </destinationsrs>\n  </mapcanvas>\n";
  s += "  <projectlayers>\n";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const QgisLayer& l = layers[i];
    const Body& b = bodies[i];
    if (b.raster)
      s += "    <maplayer type=\"raster\" styleCategories=\"AllStyleCategories\">\n";
    else
      s += fmt::format(
          "    <maplayer type=\"vector\" geometry=\"{}\" "
          "styleCategories=\"AllStyleCategories\" "
          "labelsEnabled=\"{}\">\n",
          b.lines ? "Line" : "Polygon", b.labels ? 1 : 0);
    s += fmt::format("    <id>{}</id>\n    <datasource>./{}</datasource>\n", ids[i],
                     xml_escape(l.source));
    s += "    <layername>" + xml_escape(l.name) + "</layername>\n";
    s += "    <srs>\n" + spatialrefsys(l.crs, "      ") + "    </srs>\n";
    s += b.raster ? "    <provider>gdal</provider>\n"
                  : "    <provider encoding=\"UTF-8\">ogr</provider>\n";
    s += b.xml;
    s += layer_tail(b);
    s += "    </maplayer>\n";
  }
  s += "  </projectlayers>\n";
  s += "  <layerorder>\n";
  for (std::size_t k = layers.size(); k-- > 0;)
    s += fmt::format("    <layer id=\"{}\"/>\n", ids[k]);
  s += "  </layerorder>\n";
  // Relative paths: the pack can be moved or zipped as a whole. QGIS reads <projectCrs> only
  // when ProjectionsEnabled is set.
  s += "  <properties>\n    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n"
       "    </Paths>\n    <SpatialRefSys>\n"
       "      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n"
       "    </SpatialRefSys>\n  </properties>\n";
  s += "</qgis>\n";
  write_text(path, s, overwrite);
}

}  // namespace hotspots
