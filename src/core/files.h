// Reading a whole input file, with a clear error when it cannot be read.
#pragma once

#include <string>

#include "core/error.h"

namespace candor {

// The file's bytes. Errors (invalid_argument, naming the path): missing, unreadable, a
// folder, or larger than max_bytes.
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = 1ULL << 31);

}  // namespace candor
