// SPDX-License-Identifier: MIT
#pragma once

// Helpers the pack's products share (private to engine/src/pack).

#include <string>
#include <vector>

#include "hotspots/io/crs.hpp"
#include "hotspots/pack/pack_contents.hpp"
#include "hotspots/render/qgis_style.hpp"

namespace hotspots::pack_io {

/// Writes `text` to `path` atomically (replacing a file there only with `overwrite`); IoError
/// naming the file and the OS reason on failure.
void write_text(const std::string& path, const std::string& text, bool overwrite = false);

/// The whole file as bytes ("" when it cannot be read).
[[nodiscard]] std::string read_text(const std::string& path);

/// dir/name.
[[nodiscard]] std::string join(const std::string& dir, const std::string& name);

/// The group folder's places/ (the patrol-place close-ups), created when missing; IoError naming
/// it when it cannot be.
[[nodiscard]] std::string places_folder(const std::string& group_folder);

/// The .qml beside a layer: "a/density.tif" -> "a/density.qml".
[[nodiscard]] std::string qml_path(const std::string& layer_path);

/// Shortest text that reads back to the same double; "" for NaN (an empty CSV cell).
[[nodiscard]] std::string number(double v);

/// A CSV field, quoted when it holds a comma, a quote or a line break.
[[nodiscard]] std::string csv_field(const std::string& s);

/// Quantile breaks (ascending, distinct) of the finite values for a graduated style, at least
/// two values.
[[nodiscard]] std::vector<double> quantile_breaks(std::vector<double> values, int classes);

/// The density's style: the map's quantile classes, or a plain ramp for a flat surface.
[[nodiscard]] LayerStyle surface_style(const GroupResult& result);

/// The Gi* distance band the pack used, metres (the grid policy's default when none was given).
[[nodiscard]] double gistar_band_m(const PackRequest& request);

/// A point of `from` in WGS 84 longitude/latitude.
[[nodiscard]] Point to_lonlat(const Crs& from, Point p);

}  // namespace hotspots::pack_io
