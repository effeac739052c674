// Reading a whole input file, with a clear error when it cannot be read.
#pragma once

#include <string>

#include "core/error.h"

namespace candor {

// The file's bytes. Errors (invalid_argument, naming the path): missing, unreadable, a
// folder, or larger than max_bytes.
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = 1ULL << 31);

// Creates `path` readable and writable by its owner only (0600) from the first byte, and
// writes `content`. Errors: already_exists semantics as conflict when the file exists,
// unavailable when it cannot be written.
Result<void> write_private_file(const std::string& path, const std::string& content);

// Creates an empty file at `path` with mode 0600 unless something is already there, so that a
// program that then opens it (SQLite) keeps those permissions. Errors: unavailable.
Result<void> create_private_file(const std::string& path);

}  // namespace candor
