// SPDX-License-Identifier: MIT
#include "pack/products/product_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"

namespace hotspots::pack_io {

namespace fs = std::filesystem;

void write_text(const std::string& path, const std::string& text, bool overwrite) {
  write_file_atomically(path, text, overwrite);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string join(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).string();
}

std::string places_folder(const std::string& group_folder) {
  const std::filesystem::path dir = std::filesystem::path(group_folder) / "places";
  std::error_code ec;
  std::filesystem::create_directory(dir, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  return dir.string();
}

std::string qml_path(const std::string& layer_path) {
  return fs::path(layer_path).replace_extension(".qml").string();
}

std::string number(double v) {
  if (std::isnan(v)) return "";
  return fmt::format("{}", v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<double> quantile_breaks(std::vector<double> values, int classes) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  std::sort(values.begin(), values.end());
  std::vector<double> breaks;
  if (values.empty()) return {0.0, 1.0};
  for (int k = 0; k <= classes; ++k) {
    const auto i = static_cast<std::size_t>(
        std::llround(static_cast<double>(k) * static_cast<double>(values.size() - 1) / classes));
    if (breaks.empty() || values[i] > breaks.back()) breaks.push_back(values[i]);
  }
  if (breaks.size() < 2) breaks.push_back(breaks.back() + 1.0);
  return breaks;
}

LayerStyle surface_style(const GroupResult& result) {
  if (result.surface_breaks.size() >= 2) return SurfaceClassesStyle{result.surface_breaks};
  return SurfaceStyle{0.0, std::max(result.surface_max, 1e-9)};
}

double gistar_band_m(const PackRequest& request) {
  // run_pack resolved the default (default_band_m of the grid's cell size) before any product.
  return request.options.gistar.distance_band_m;
}

Point to_lonlat(const Crs& from, Point p) {
  CoordinateTransform t(from, crs_from_epsg(4326));
  std::vector<double> x{p.x};
  std::vector<double> y{p.y};
  t.transform(x, y);
  return {x[0], y[0]};
}

}  // namespace hotspots::pack_io
