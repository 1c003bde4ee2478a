// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotspots {

/// Why writing to `path` failed, in the operating system's words: "No space left on device"
/// when its folder has no space left (GDAL and iostreams report a full disk in their own terms,
/// or not at all), else strerror(errno) when errno is set, else "".
[[nodiscard]] std::string write_failure_reason(const std::string& path);

/// "PATH: WHAT: REASON (DETAIL)" with write_failure_reason(path), or "PATH: WHAT: DETAIL" when
/// the OS gives no reason; DETAIL is the library's own message (may be empty).
[[nodiscard]] std::string write_error_text(const std::string& path, const std::string& what,
                                           const std::string& detail = "");

/// A file written under a temporary name beside its destination and renamed into place by
/// commit(), so that readers never see a half-written output and a failed run leaves no file
/// that looks complete. Destruction without commit() removes the temporary file, and so does
/// SIGINT or SIGTERM (the process then ends by that signal; a handler the program installed
/// itself is left alone).
class AtomicFile {
 public:
  /// Throws IoError when `overwrite` is false and `path` exists, when `path` is a device, FIFO,
  /// socket or folder (never replaced), or when the folder is missing.
  AtomicFile(std::string path, bool overwrite);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where to write (same folder and extension as the destination, so GDAL picks the driver).
  const std::string& temp_path() const { return temp_; }
  const std::string& path() const { return path_; }
  /// Renames the temporary file to the destination. Throws IoError on failure.
  void commit();

 private:
  std::string path_;
  std::string temp_;
  bool committed_ = false;
  int signal_slot_ = -1;  ///< removal on SIGINT/SIGTERM until committed or destroyed
};

/// Writes `text` to `path` through an AtomicFile (replacing a file there only with `overwrite`).
/// Throws IoError naming the file and the OS reason.
void write_file_atomically(const std::string& path, std::string_view text, bool overwrite);

/// A folder of outputs built under a temporary name beside its destination and renamed into
/// place by commit(): readers never see a half-built folder under the final name, and a failed
/// run leaves nothing that looks complete (destruction without commit() deletes the temporary
/// folder; a killed process leaves only a hidden ".NAME.partial-PID" folder).
/// With overwrite, an existing destination is replaced at commit() (moved aside, then deleted),
/// so it survives a failed run. Only the files the tool wrote there (`owned_files`, relative
/// paths, e.g. a pack's manifest outputs) are replaced: anything else in the old folder (the
/// user's notes, an edited style) is carried over into the new folder at the same place, and a
/// clash with a new output is refused before anything is replaced.
class AtomicDirectory {
 public:
  /// Creates the temporary folder. Throws IoError when `path` exists and overwrite is false,
  /// when `path` exists and is not a folder, or when its missing parent folders cannot be
  /// created (they are created as `mkdir -p` does).
  AtomicDirectory(std::string path, bool overwrite, std::vector<std::string> owned_files = {});
  ~AtomicDirectory();
  AtomicDirectory(const AtomicDirectory&) = delete;
  AtomicDirectory& operator=(const AtomicDirectory&) = delete;
  /// The folder to write into.
  const std::string& temp_path() const { return temp_; }
  const std::string& path() const { return path_; }
  /// Moves the temporary folder into place. Throws IoError on failure.
  void commit();

 private:
  std::string path_;
  std::string temp_;
  std::vector<std::string> owned_;
  bool overwrite_ = false;
  bool committed_ = false;
  int signal_slot_ = -1;
};

}  // namespace hotspots
