// SPDX-License-Identifier: MIT
// slurm_memory_for against the rule written out by hand (largest × 1.25, up to whole 100 MB), and
// the --mem line of the scripts.
#include "hotspots/pack/slurm_script.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

TEST(SlurmMemory, IsTheLargestEstimatePlusAQuarterInWhole100MB) {
  // 300 MB · 1.25 = 375 MB → 400 MB, whatever the smaller tasks and their order.
  EXPECT_EQ(slurm_memory_for(std::vector<double>{266e6, 300e6, 120e6}), "400M");
  EXPECT_EQ(slurm_memory_for(std::vector<double>{120e6, 266e6, 300e6}), "400M");
  // Exactly on a boundary stays there: 320 MB · 1.25 = 400 MB.
  EXPECT_EQ(slurm_memory_for(std::vector<double>{320e6}), "400M");
  // Just above it goes to the next: 320.1 MB · 1.25 = 400.125 MB → 500 MB.
  EXPECT_EQ(slurm_memory_for(std::vector<double>{320.1e6}), "500M");
  // A national task: 3.9 GB · 1.25 = 4.875 GB → 4,900 MB.
  EXPECT_EQ(slurm_memory_for(std::vector<double>{3.9e9, 1e9}), "4900M");
  // Every value against the rule computed here.
  for (double mb = 50; mb < 5000; mb += 37.3) {
    const double bytes = mb * 1e6;
    const auto expected = static_cast<long long>(std::ceil(bytes * 1.25 / 100e6)) * 100;
    EXPECT_EQ(slurm_memory_for(std::vector<double>{bytes}), std::to_string(expected) + "M") << mb;
  }
}

TEST(SlurmMemory, RefusesNoTasksAndEstimatesThatAreNotPositive) {
  EXPECT_THROW((void)slurm_memory_for(std::vector<double>{}), InvalidArgument);
  EXPECT_THROW((void)slurm_memory_for(std::vector<double>{100e6, 0}), InvalidArgument);
  EXPECT_THROW(
      (void)slurm_memory_for(std::vector<double>{std::numeric_limits<double>::quiet_NaN()}),
      InvalidArgument);
  EXPECT_THROW((void)slurm_memory_for(std::vector<double>{std::numeric_limits<double>::infinity()}),
               InvalidArgument);
}

TEST(SlurmScripts, CarryTheMemoryOnEveryJobAndNoneWhenNotGiven) {
  SlurmOptions o;
  o.hotspots_exe = "/usr/bin/hotspots";
  o.plan_path = "/data/plan.json";
  o.output_dir = "/data/runs";
  o.work_dir = "/data";
  o.log_dir = "/data/slurm/logs";
  o.tasks = 3;
  o.memory = "400M";
  for (const auto& [name, text] : slurm_scripts(o)) {
    if (name != "submit.sh") {
      EXPECT_THAT(text, ::testing::HasSubstr("#SBATCH --mem=400M\n")) << name;
    }
  }
  o.memory.clear();
  for (const auto& [name, text] : slurm_scripts(o))
    EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("--mem"))) << name;
}

}  // namespace
}  // namespace hotspots
