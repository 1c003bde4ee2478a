// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "hotspots/core/phase_timer.hpp"
#include "hotspots/pack/pack_contents.hpp"

namespace hotspots {

/// Writes DIR/manifest.json, the pack's index: tool and version, the command line, the spec
/// that ran (pack_spec_json: `analyse --spec` rebuilds the pack from it), every input with its
/// SHA-256, the parameters with data-dependent defaults resolved, the period, row accounting,
/// per-group figures, every file in DIR with its SHA-256 (sorted; written last, so it lists the
/// whole pack) and the timings (the only part that differs between identical runs).
/// Throws IoError naming the file. Cost: O(bytes of inputs and outputs) for the digests.
void write_manifest(const std::string& dir, const PackContents& pack, const PhaseTimer& timer);

}  // namespace hotspots
