// SPDX-License-Identifier: MIT
// SHA-256 against the FIPS 180-2 test vectors, and the atomic output folder.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hotspots/core/error.hpp"
#include "hotspots/io/atomic_file.hpp"
#include "hotspots/io/file_digest.hpp"

namespace hotspots {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("hotspots_packio_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, FileOfAMillionAsSpansBlocks) {
  // FIPS 180-2: one million 'a' (just under one 1 MiB read block, then a partial one).
  const fs::path dir = scratch("million");
  const std::string path = (dir / "a.txt").string();
  std::ofstream(path, std::ios::binary) << std::string(1'000'000, 'a') << std::string(100'000, 'a');
  EXPECT_EQ(sha256_file(path), sha256_hex(std::string(1'100'000, 'a')));
  std::ofstream(path, std::ios::binary) << std::string(1'000'000, 'a');
  EXPECT_EQ(sha256_file(path), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_THROW((void)sha256_file((dir / "missing").string()), IoError);
  fs::remove_all(dir);
}

TEST(AtomicDirectory, AppearsOnlyOnCommit) {
  const fs::path dir = scratch("commit");
  const std::string target = (dir / "pack").string();
  {
    AtomicDirectory pack(target, false);
    std::ofstream(fs::path(pack.temp_path()) / "a.txt") << "a";
    EXPECT_FALSE(fs::exists(target));
    pack.commit();
  }
  EXPECT_TRUE(fs::exists(fs::path(target) / "a.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(AtomicDirectory, FailureLeavesNothingAndKeepsTheOldFolder) {
  const fs::path dir = scratch("failure");
  const std::string target = (dir / "pack").string();
  fs::create_directory(target);
  std::ofstream(fs::path(target) / "old.txt") << "old";
  EXPECT_THROW(AtomicDirectory(target, false), IoError);
  {
    AtomicDirectory pack(target, true);
    std::ofstream(fs::path(pack.temp_path()) / "new.txt") << "new";
    // destroyed without commit: a failed run
  }
  EXPECT_TRUE(fs::exists(fs::path(target) / "old.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  std::ofstream(fs::path(target) / "user.txt") << "the user's";
  {
    // Only what the tool wrote there (old.txt) is replaced; user.txt is carried over.
    AtomicDirectory pack(target, true, {"old.txt"});
    std::ofstream(fs::path(pack.temp_path()) / "new.txt") << "new";
    pack.commit();
  }
  EXPECT_TRUE(fs::exists(fs::path(target) / "new.txt"));
  EXPECT_FALSE(fs::exists(fs::path(target) / "old.txt"));
  EXPECT_TRUE(fs::exists(fs::path(target) / "user.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  {
    // Missing parents are made (`-o out/sample/pack` on a fresh checkout), the pack lands there.
    AtomicDirectory pack((dir / "missing" / "deeper" / "pack").string(), false);
    std::ofstream(fs::path(pack.temp_path()) / "new.txt") << "new";
    pack.commit();
  }
  EXPECT_TRUE(fs::exists(dir / "missing" / "deeper" / "pack" / "new.txt"));
  // A parent that is a file cannot be made into a folder: refused, naming the folder.
  std::ofstream(dir / "plain") << "x";
  try {
    AtomicDirectory pack((dir / "plain" / "pack").string(), false);
    ADD_FAILURE() << "a file as parent folder was accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create the folder"), std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hotspots
