// SPDX-License-Identifier: MIT
// BM_ReadPoliceUk: read_incidents over the 40 real Leicestershire months (~85 MB of police.uk
// CSV, LF and CRLF). Every analysis pays this cost first. Needs ../shared/data/real.
// BM_ReadGenericCsv/<rows>: read_incidents over one generic CSV of x,y,w rows in British National
// Grid metres (the shape of ../shared/peers/gen_points.py: 2-decimal coordinates over 40 x 40 km,
// a fifth of the rows repeating an earlier point), one large file read in pieces.
// BM_PrepareStudyGenericCsv/<rows>: the same file through prepare_study (read, choose the
// analysis CRS, reproject: nothing to do from EPSG:27700): the read phase of every command.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hotspots/io/incidents.hpp"
#include "hotspots/io/study.hpp"

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

// A seeded x,y,w CSV of `rows` rows in the system temp folder (written once per size).
std::string generic_csv(std::int64_t rows) {
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / fmt::format("hotspots_bench_read_{}.csv", rows);
  if (fs::exists(path)) return path.string();
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> ux(440000.0, 480000.0);
  std::uniform_real_distribution<double> uy(285000.0, 325000.0);
  std::vector<std::string> lines;
  lines.reserve(static_cast<std::size_t>(rows));
  for (std::int64_t i = 0; i < rows; ++i) {
    if (i > 0 && rng() % 5 == 0)
      lines.push_back(lines[rng() % lines.size()]);
    else
      lines.push_back(fmt::format("{:.2f},{:.2f},1\n", ux(rng), uy(rng)));
  }
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << "x,y,w\n";
    for (const auto& l : lines) out << l;
  }
  fs::rename(tmp, path);
  return path.string();
}

void BM_ReadGenericCsv(benchmark::State& state) {
  const std::string path = generic_csv(state.range(0));
  hotspots::ReadOptions options;
  options.src_crs = "EPSG:27700";
  for (auto _ : state) {
    auto result = hotspots::read_incidents({path}, options);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(std::filesystem::file_size(path)) *
                          state.iterations());
  state.SetItemsProcessed(state.range(0) * state.iterations());
}
BENCHMARK(BM_ReadGenericCsv)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_PrepareStudyGenericCsv(benchmark::State& state) {
  const std::string path = generic_csv(state.range(0));
  hotspots::StudyOptions options;
  options.read.src_crs = "EPSG:27700";
  for (auto _ : state) {
    auto study = hotspots::prepare_study({path}, options);
    benchmark::DoNotOptimize(study);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(std::filesystem::file_size(path)) *
                          state.iterations());
  state.SetItemsProcessed(state.range(0) * state.iterations());
}
BENCHMARK(BM_PrepareStudyGenericCsv)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
