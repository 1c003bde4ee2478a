// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace hotspots {

/// Every path one run reads and writes, so that the outputs can be checked against the inputs
/// before any work is done. Empty entries are ignored.
struct RunPaths {
  std::vector<std::string> inputs;  ///< files or folders read (GDAL /vsizip/ prefixes allowed)
  std::vector<std::string> output_files;    ///< files written (replaced with --overwrite)
  std::vector<std::string> output_folders;  ///< folders written into or replaced whole
};

/// Refuses, by throwing IoError naming the path, a run that could lose data:
/// - an output that is an input (after resolving symbolic links and ".."; hard links too when
///   both exist), an output folder that is or holds an input, or an input folder that would be
///   written into;
/// - the same output given twice;
/// - an existing output that is a device, FIFO or socket (never replaced, even with overwrite),
///   a folder where a file is written, or a file where a folder is written;
/// - an existing output file without `overwrite`, or an output file whose folder is missing.
/// An output file inside an input folder is allowed (a run never reads its own outputs back:
/// folder inputs are searched for police.uk `*-street.csv` names only).
void check_run_paths(const RunPaths& paths, bool overwrite);

/// What a special file is ("a FIFO (named pipe)", "a character device", "a block device",
/// "a socket", "a special file") for a refusal; "" for a regular file, a folder or nothing.
[[nodiscard]] std::string special_file_kind(const std::filesystem::file_status& status);

/// The file's absolute path with symbolic links, "." and ".." resolved as far as it exists
/// (std::filesystem::weakly_canonical); a GDAL virtual prefix such as /vsizip/ is removed first.
[[nodiscard]] std::string resolved_path(const std::string& path);

}  // namespace hotspots
