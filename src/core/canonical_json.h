// Canonical JSON: one byte sequence per JSON value, so that a hash of it means something.
//
// The form is RFC 8785 (JSON Canonicalization Scheme): object members sorted by the UTF-16
// code units of their names, no whitespace, strings with only the mandatory escapes, numbers
// as ECMAScript writes them. Two restrictions keep hashed data exact: an integer that an IEEE
// double cannot hold exactly (some beyond +-2^53) is refused rather than rounded, and NaN and
// infinities are refused. Every string must be valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace candor::json {

// Errors: invalid_argument naming the JSON path of the offending value.
Result<std::string> canonical(const nlohmann::json& value);

// Appends `text` as an RFC 8785 string (quotes and the mandatory escapes), for writers that
// produce canonical bytes of a fixed shape directly. Errors: invalid_argument for invalid UTF-8.
Result<void> append_string(std::string_view text, std::string& out);

struct ParseLimits {
  std::size_t max_bytes = std::size_t{16} * 1024 * 1024;
  std::size_t max_depth = 64;
};

// Parses untrusted JSON text strictly: valid UTF-8, no duplicate member names, no trailing
// content, bounded size and nesting. Errors: invalid_argument with the byte offset.
Result<nlohmann::json> parse_strict(std::string_view text, ParseLimits limits = {});

}  // namespace candor::json
