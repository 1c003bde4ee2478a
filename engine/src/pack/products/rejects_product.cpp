// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/rejects_product.hpp"

#include "hotspots/io/rejects.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void RejectsProduct::write(const PackContents& pack, const std::string& dir) {
  // Rows outside the period or the crime types asked for, and (unless the spec asks) rows outside
  // the study area, are only counted (manifest.json, summary.md); a --rejects file lists them.
  write_rejects(pack_io::join(dir, "rejects.csv"), pack.study.data, false,
                {.filtered = false, .outside_study_area = pack.request.spec.rejects_list_outside});
}

}  // namespace hotspots
