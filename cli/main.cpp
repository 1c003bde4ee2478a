// SPDX-License-Identifier: MIT
#include <iostream>
#include <string>
#include <vector>

#include "app.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return hotspots::cli::run(args, std::cout, std::cerr);
}
