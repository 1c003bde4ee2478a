// SPDX-License-Identifier: MIT
#include "hotspots/io/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/io/path_guard.hpp"

namespace hotspots {

std::string write_failure_reason(const std::string& path) {
  namespace fs = std::filesystem;
  const int saved = errno;
  std::error_code ec;
  const fs::path p(path);
  const fs::space_info space = fs::space(p.has_parent_path() ? p.parent_path() : ".", ec);
  if ((!ec && space.available == 0) || saved == ENOSPC) return std::strerror(ENOSPC);
  return saved != 0 ? std::string(std::strerror(saved)) : std::string();
}

std::string write_error_text(const std::string& path, const std::string& what,
                             const std::string& detail) {
  const std::string reason = write_failure_reason(path);
  if (reason.empty())
    return fmt::format("{}: {}{}{}", path, what, detail.empty() ? "" : ": ", detail);
  return fmt::format("{}: {}: {}{}", path, what, reason, detail.empty() ? "" : " (" + detail + ")");
}

namespace {

/// Removes `dir`'s leftovers of earlier runs into `name` that died before finishing (SIGKILL,
/// power loss): entries named PREFIX<pid>SUFFIX, or PREFIX<pid>SUFFIX.old, whose process no
/// longer exists. Leftovers of live processes (another run writing there now) are kept.
void remove_stale(const std::filesystem::path& dir, const std::string& prefix,
                  const std::string& suffix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".old") == 0)
      name.resize(name.size() - 4);
    if (name.size() < prefix.size() + suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string digits =
        name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::error_code remove_ec;
    fs::remove_all(it->path(), remove_ec);
  }
}

// Temporary files and folders of this process, removed by the SIGINT/SIGTERM handler so that an
// interrupted run leaves nothing behind. The one piece of global state in the engine: a signal
// handler can reach nothing else. Fixed slots, so the handler never allocates.
constexpr std::size_t kTempSlots = 256;

/// The kernel's linux_dirent64 (getdents64(2)); glibc declares no type for it.
struct Dirent64 {
  std::uint64_t d_ino;
  std::int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[1];
};
constexpr std::size_t kTempPathBytes = 4096;
char g_temp_paths[kTempSlots][kTempPathBytes];
volatile std::sig_atomic_t g_temp_used[kTempSlots];
std::mutex g_temp_mutex;

/// Removes `path` and, when it is a folder, everything under it, with async-signal-safe system
/// calls only: open/getdents64/unlink/rmdir/close. opendir() is not one (it allocates: a signal
/// that arrives inside malloc would deadlock on the allocator's lock).
void remove_tree_in_handler(const char* path, int depth) {
  if (::unlink(path) == 0 || depth > 16) return;
  // Entries are read in batches and removed; a folder is read again until it is empty, since
  // removing entries while reading may make the kernel skip some.
  for (int pass = 0; pass < 64; ++pass) {
    const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) break;
    bool any = false;
    alignas(8) char buffer[4096];
    for (;;) {
      const long n = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer);
      if (n <= 0) break;
      for (long at = 0; at < n;) {
        const auto* entry = reinterpret_cast<const Dirent64*>(buffer + at);
        at += entry->d_reclen;
        const char* name = entry->d_name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        const std::size_t a = std::strlen(path);
        const std::size_t b = std::strlen(name);
        char child[kTempPathBytes];
        if (a + b + 2 > sizeof child) continue;
        std::memcpy(child, path, a);
        child[a] = '/';
        std::memcpy(child + a + 1, name, b + 1);
        remove_tree_in_handler(child, depth + 1);
        any = true;
      }
    }
    ::close(fd);
    if (!any) break;
  }
  ::rmdir(path);
}

extern "C" void remove_temps_and_die(int sig) {
  for (std::size_t i = 0; i < kTempSlots; ++i)
    if (g_temp_used[i]) remove_tree_in_handler(g_temp_paths[i], 0);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

/// Registers a temporary path for removal on SIGINT/SIGTERM; returns its slot (or −1 when the
/// slots are full or the path too long: it is then only removed by the destructor).
int register_temp(const std::string& path) {
  static std::once_flag installed;
  std::call_once(installed, [] {
    for (int sig : {SIGINT, SIGTERM}) {
      struct sigaction old {};
      // Leave a handler the embedding program installed alone.
      if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
        struct sigaction action {};
        action.sa_handler = remove_temps_and_die;
        sigemptyset(&action.sa_mask);
        ::sigaction(sig, &action, nullptr);
      }
    }
  });
  if (path.size() + 1 > kTempPathBytes) return -1;
  const std::lock_guard<std::mutex> lock(g_temp_mutex);
  for (std::size_t i = 0; i < kTempSlots; ++i) {
    if (g_temp_used[i]) continue;
    std::memcpy(g_temp_paths[i], path.c_str(), path.size() + 1);
    g_temp_used[i] = 1;
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_temp(int slot) {
  if (slot < 0) return;
  const std::lock_guard<std::mutex> lock(g_temp_mutex);
  g_temp_used[slot] = 0;
}

}  // namespace

AtomicFile::AtomicFile(std::string path, bool overwrite) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  const fs::path p(path_);
  std::error_code ec;
  const fs::file_status status = fs::status(p, ec);
  if (fs::exists(status)) {
    // rename() would replace a device or FIFO with a regular file (as root: /dev/full).
    if (!fs::is_regular_file(status))
      throw IoError(fmt::format(
          "{}: is {}; outputs are written to regular files only", path_,
          fs::is_directory(status) ? std::string("a folder") : special_file_kind(status)));
    if (!overwrite)
      throw IoError(fmt::format("{}: already exists; use --overwrite to replace it", path_));
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw IoError(fmt::format("{}: the folder {} does not exist", path_, dir.string()));
  // ".name.tmp-PID.ext": hidden, unique per process, keeps the extension for GDAL.
  remove_stale(dir, fmt::format(".{}.tmp-", p.stem().string()), p.extension().string());
  temp_ = (dir / fmt::format(".{}.tmp-{}{}", p.stem().string(), ::getpid(), p.extension().string()))
              .string();
  fs::remove(temp_, ec);
  signal_slot_ = register_temp(temp_);
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
  unregister_temp(signal_slot_);
}

void AtomicFile::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec)
    throw IoError(
        fmt::format("{}: cannot move the finished file into place: {}", path_, ec.message()));
  committed_ = true;
}

AtomicDirectory::AtomicDirectory(std::string path, bool overwrite,
                                 std::vector<std::string> owned_files)
    : path_(std::move(path)), owned_(std::move(owned_files)), overwrite_(overwrite) {
  namespace fs = std::filesystem;
  fs::path p = fs::path(path_).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "out/" -> "out"
  std::error_code ec;
  if (p.empty()) throw IoError("the output folder's name is empty");
  // Replacing the working folder or one that holds it would fail only after all the work (or
  // pull the ground from under the run): refuse it now.
  const fs::path target = fs::weakly_canonical(fs::absolute(p, ec), ec);
  const fs::path cwd = fs::current_path(ec);
  const auto mismatch = std::mismatch(target.begin(), target.end(), cwd.begin(), cwd.end());
  if (mismatch.first == target.end())
    throw IoError(fmt::format("{}: is the current folder or holds it; give a new folder", path_));
  if (fs::exists(p, ec)) {
    if (!overwrite)
      throw IoError(fmt::format("{}: already exists; use --overwrite to replace it", path_));
    if (!fs::is_directory(p, ec))
      throw IoError(fmt::format("{}: exists and is not a folder", path_));
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  // `-o out/sample/pack` on a fresh checkout: make the missing parents as `mkdir -p` would (they
  // hold nothing, so a failed run leaves only empty folders, never a pack that looks complete).
  if (!fs::is_directory(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
      throw IoError(fmt::format("{}: cannot create the folder {}: {}", path_, dir.string(),
                                ec ? ec.message() : std::string("it exists and is not a folder")));
  }
  remove_stale(dir, fmt::format(".{}.partial-", p.filename().string()), "");
  temp_ = (dir / fmt::format(".{}.partial-{}", p.filename().string(), ::getpid())).string();
  fs::remove_all(temp_, ec);
  if (!fs::create_directory(temp_, ec))
    throw IoError(fmt::format("{}: cannot create {}: {}", path_, temp_, ec.message()));
  signal_slot_ = register_temp(fs::absolute(temp_, ec).string());
  path_ = p.string();
}

AtomicDirectory::~AtomicDirectory() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove_all(temp_, ec);
  }
  unregister_temp(signal_slot_);
}

namespace {

// The entries of `old_dir` that the tool did not write: not in `owned`, nor a folder on the
// way to an owned file (a foreign folder is listed whole). Throws IoError when one of them would
// clash with an entry of `new_dir`.
std::vector<std::filesystem::path> foreign_entries(const std::filesystem::path& old_dir,
                                                   const std::filesystem::path& new_dir,
                                                   const std::vector<std::string>& owned,
                                                   const std::string& shown) {
  namespace fs = std::filesystem;
  std::set<fs::path> owned_files, owned_dirs;
  for (const auto& o : owned) {
    const fs::path rel = fs::path(o).lexically_normal();
    owned_files.insert(rel);
    for (fs::path d = rel.parent_path(); !d.empty(); d = d.parent_path()) owned_dirs.insert(d);
  }
  std::vector<fs::path> foreign;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(old_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path rel = it->path().lexically_relative(old_dir);
    if (owned_files.count(rel)) continue;
    if (owned_dirs.count(rel) && it->is_directory(ec) && !it->is_symlink(ec)) continue;
    foreign.push_back(rel);
    it.disable_recursion_pending();
  }
  if (ec) throw IoError(fmt::format("{}: cannot list the old folder: {}", shown, ec.message()));
  for (const auto& rel : foreign)
    if (fs::exists(fs::symlink_status(new_dir / rel, ec)))
      throw IoError(fmt::format(
          "{}: holds {}, which hotspots did not write and the new run would replace; move it "
          "away and run again",
          shown, rel.string()));
  return foreign;
}

}  // namespace

void AtomicDirectory::commit() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string aside;
  std::vector<fs::path> foreign;
  if (fs::exists(path_, ec)) {
    if (!overwrite_)
      throw IoError(fmt::format("{}: appeared while the run was writing; not replaced", path_));
    foreign = foreign_entries(path_, temp_, owned_, path_);
    aside = temp_ + ".old";
    fs::rename(path_, aside, ec);
    if (ec)
      throw IoError(fmt::format("{}: cannot move the old folder aside: {}", path_, ec.message()));
  }
  fs::rename(temp_, path_, ec);
  if (ec) {
    if (!aside.empty()) fs::rename(aside, path_, ec);
    throw IoError(
        fmt::format("{}: cannot move the finished folder into place: {}", path_, ec.message()));
  }
  committed_ = true;
  if (aside.empty()) return;
  // The user's own files move from the old folder into the new one; the old folder is deleted
  // only when every one of them has moved.
  for (const auto& rel : foreign) {
    fs::create_directories((fs::path(path_) / rel).parent_path(), ec);
    fs::rename(fs::path(aside) / rel, fs::path(path_) / rel, ec);
    if (ec)
      throw IoError(fmt::format(
          "{}: cannot carry {} over into the new folder ({}); the old folder is kept as {}", path_,
          rel.string(), ec.message(), aside));
  }
  fs::remove_all(aside, ec);
}

void write_file_atomically(const std::string& path, std::string_view text, bool overwrite) {
  AtomicFile file(path, overwrite);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    if (!out) throw IoError(write_error_text(path, "cannot write"));
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) throw IoError(write_error_text(path, "write failed"));
  }
  file.commit();
}

}  // namespace hotspots
