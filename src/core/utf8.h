// UTF-8 validation and decoding, strict as RFC 3629 requires: no overlong forms, no surrogates,
// nothing above U+10FFFF. Used wherever outside text must become canonical bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace candor::utf8 {

// The byte offset of the first invalid sequence, or nullopt when `text` is valid UTF-8.
std::optional<std::size_t> first_invalid(std::string_view text);

inline bool is_valid(std::string_view text) { return !first_invalid(text).has_value(); }

// Decodes the code point starting at `pos` and advances `pos` past it.
// REQUIRES: `text` is valid UTF-8 and pos < text.size().
char32_t decode(std::string_view text, std::size_t& pos);

}  // namespace candor::utf8
