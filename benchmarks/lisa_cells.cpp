// SPDX-License-Identifier: MIT
// Local Moran's I of every cell of a counts table, for the peer comparison
// (compare_local_moran_spdep.sh): reads `col,row,count` (the cells `hotspots gistar --cells
// OUT.csv` writes, cut to three columns), builds queen contiguity over exactly those cells
// (grid_contiguity_neighbours on the mask of present cells) and writes every field of
// LocalMoranResult. The command line does not write the analytic fields yet (the CLI is being
// reorganised), hence this small tool.
// usage: lisa_cells IN.csv OUT.csv PERMUTATIONS SEED
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "hotspots/stats/local_moran.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: lisa_cells IN.csv OUT.csv PERMUTATIONS SEED\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::int64_t> cols, rows;
  std::vector<double> counts;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string a, b, c;
    std::getline(s, a, ',');
    std::getline(s, b, ',');
    std::getline(s, c, ',');
    cols.push_back(std::stoll(a));
    rows.push_back(std::stoll(b));
    counts.push_back(std::stod(c));
  }
  if (counts.size() < 2) {
    std::cerr << "lisa_cells: fewer than 2 cells in " << argv[1] << "\n";
    return 1;
  }
  const std::int64_t c0 = *std::min_element(cols.begin(), cols.end());
  const std::int64_t r0 = *std::min_element(rows.begin(), rows.end());
  const std::int64_t nc = *std::max_element(cols.begin(), cols.end()) - c0 + 1;
  const std::int64_t nr = *std::max_element(rows.begin(), rows.end()) - r0 + 1;
  hotspots::CellMask mask;
  mask.grid = hotspots::GridSpec{0.0, static_cast<double>(nr), 1.0, nc, nr};
  mask.inside.assign(static_cast<std::size_t>(nc * nr), 0);
  std::vector<double> grid_counts(mask.inside.size(), 0.0);
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const auto cell = static_cast<std::size_t>((rows[k] - r0) * nc + (cols[k] - c0));
    mask.inside[cell] = 1;
    grid_counts[cell] = counts[k];
  }
  const hotspots::GridNeighbours g =
      hotspots::grid_contiguity_neighbours(mask, hotspots::Contiguity::queen);
  std::vector<double> values(g.cells.size());
  for (std::size_t k = 0; k < values.size(); ++k)
    values[k] = grid_counts[static_cast<std::size_t>(g.cells[k])];
  hotspots::LocalMoranOptions o;
  o.permutations = std::stoi(argv[3]);
  o.seed = std::stoull(argv[4]);
  const hotspots::LocalMoranResult r = hotspots::local_moran(values, g.neighbours, o);
  std::ofstream out(argv[2]);
  out.precision(17);
  out << "col,row,count,n_neighbors,local_i,quadrant,p_sim,z_sim,e_i,var_i,z_norm,p_norm\n";
  for (std::size_t k = 0; k < values.size(); ++k)
    out << g.cells[k] % nc + c0 << ',' << g.cells[k] / nc + r0 << ',' << values[k] << ','
        << r.n_neighbors[k] << ',' << r.local_i[k] << ',' << r.quadrant[k] << ',' << r.p_sim[k]
        << ',' << r.z_sim[k] << ',' << r.e_i[k] << ',' << r.var_i[k] << ',' << r.z_norm[k] << ','
        << r.p_norm[k] << '\n';
  return out ? 0 : 1;
}
