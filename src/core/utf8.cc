#include "core/utf8.h"

#include <cstdint>
#include <cstring>

namespace candor::utf8 {
namespace {

// Length of the sequence led by `lead`, or 0 when `lead` cannot start one.
int sequence_length(std::uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool is_continuation(std::uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

std::optional<std::size_t> first_invalid(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    // Runs of ASCII, eight bytes at a time: most text Candor checks is ASCII.
    while (i + 8 <= text.size()) {
      std::uint64_t block = 0;
      std::memcpy(&block, text.data() + i, 8);
      if ((block & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i == text.size()) break;
    const auto lead = static_cast<std::uint8_t>(text[i]);
    const int length = sequence_length(lead);
    if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) return i;
    for (int k = 1; k < length; ++k) {
      if (!is_continuation(static_cast<std::uint8_t>(text[i + k]))) return i;
    }
    if (length >= 3) {
      const auto second = static_cast<std::uint8_t>(text[i + 1]);
      // The second byte's range excludes overlong forms, surrogates and values past U+10FFFF.
      if (lead == 0xE0 && second < 0xA0) return i;
      if (lead == 0xED && second > 0x9F) return i;
      if (lead == 0xF0 && second < 0x90) return i;
      if (lead == 0xF4 && second > 0x8F) return i;
    }
    i += static_cast<std::size_t>(length);
  }
  return std::nullopt;
}

char32_t decode(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<std::uint8_t>(text[pos]);
  const int length = sequence_length(lead);
  if (length <= 1) {
    ++pos;
    return lead;
  }
  char32_t cp = lead & (0xFF >> (length + 1));
  for (int k = 1; k < length; ++k) {
    cp = (cp << 6) | (static_cast<std::uint8_t>(text[pos + k]) & 0x3F);
  }
  pos += static_cast<std::size_t>(length);
  return cp;
}

}  // namespace candor::utf8
