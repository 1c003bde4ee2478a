// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define HOTSPOTS_HAVE_MMAP 1
#endif

namespace hotspots::detail {

/// A plain local file mapped read-only into memory, its pages read ahead (MAP_POPULATE) and
/// marked for sequential use: reading it costs no copy and no fresh zeroed pages, where read()
/// into a buffer cost both (a 22 MB CSV: ~20 ms of a 0.15 s read, most of it the kernel zeroing
/// and copying pages). open() gives an empty mapping (text() empty, mapped() false) for what it
/// cannot map: a path GDAL resolves itself (/vsizip/, /vsicurl/ ...), an empty file, anything
/// that is not a regular file, a failed open or mmap; the caller then reads the file as before.
/// The file must not be truncated while mapped (as for any mapping: the read would fault).
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  MappedFile& operator=(MappedFile&& o) noexcept {
    if (this != &o) {
      unmap();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  ~MappedFile() { unmap(); }

  /// Maps `path` when it is a non-empty regular local file of at most `max_bytes`.
  static MappedFile open([[maybe_unused]] const std::string& path,
                         [[maybe_unused]] std::size_t max_bytes) {
    MappedFile m;
#ifdef HOTSPOTS_HAVE_MMAP
    if (path.rfind("/vsi", 0) == 0) return m;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return m;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        static_cast<unsigned long long>(st.st_size) <= max_bytes) {
      const auto size = static_cast<std::size_t>(st.st_size);
      int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
      flags |= MAP_POPULATE;
#endif
      void* p = ::mmap(nullptr, size, PROT_READ, flags, fd, 0);
      if (p != MAP_FAILED) {
        ::madvise(p, size, MADV_SEQUENTIAL);
        m.data_ = static_cast<const char*>(p);
        m.size_ = size;
      }
    }
    ::close(fd);
#endif
    return m;
  }

  bool mapped() const {
    return data_ != nullptr;
  }
  std::string_view text() const {
    return {data_, size_};
  }

 private:
  void unmap() {
#ifdef HOTSPOTS_HAVE_MMAP
    if (data_) ::munmap(const_cast<char*>(data_), size_);
#endif
    data_ = nullptr;
    size_ = 0;
  }

  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace hotspots::detail
