// SHA-256 of data, for data versions and document hashes.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace candor {

// Lower-case hex SHA-256 of the parts, each followed by a NUL separator so that ("ab", "c")
// and ("a", "bc") differ.
std::string sha256_hex(std::initializer_list<std::string_view> parts);

// Lower-case hex SHA-256 of exactly these bytes, as `sha256sum` prints it (document hashes).
std::string sha256_of(std::string_view bytes);

}  // namespace candor
