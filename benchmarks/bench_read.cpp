// SPDX-License-Identifier: MIT
// BM_ReadPoliceUk: read_incidents over the 40 real Leicestershire months (~85 MB of police.uk
// CSV, LF and CRLF). Every analysis pays this cost first. Needs ../shared/data/real.

#include <benchmark/benchmark.h>

#include <filesystem>

#include "hotspots/io/incidents.hpp"

namespace {

std::vector<std::string> leicestershire_months(std::uintmax_t& bytes) {
  namespace fs = std::filesystem;
  const fs::path root = HOTSPOTS_SHARED_DATA_DIR;
  std::vector<std::string> files;
  for (const char* dir : {"police_uk_mgsf08m002/street", "police_uk_sanjiv576/street"}) {
    if (!fs::is_directory(root / dir)) continue;
    for (const auto& e : fs::directory_iterator(root / dir)) {
      const std::string name = e.path().filename().string();
      if (name.find("leicestershire-street.csv") != std::string::npos) {
        files.push_back(e.path().string());
        bytes += e.file_size();
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void BM_ReadPoliceUk(benchmark::State& state) {
  std::uintmax_t bytes = 0;
  const auto files = leicestershire_months(bytes);
  if (files.empty()) {
    state.SkipWithError("no ../shared/data/real police.uk files");
    return;
  }
  std::int64_t rows = 0;
  for (auto _ : state) {
    auto result = hotspots::read_incidents(files, {});
    rows = result.accounting.read;
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.SetItemsProcessed(rows * state.iterations());
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_ReadPoliceUk)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
