// What building and searching the index share: vocabulary keys, the posting-list encoding
// (varint deltas) and the first-letter trigram keys. Internal to screening.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "screening/names.h"

namespace candor::screening {

// Legal forms and made acronyms are kept apart from words of the same letters.
inline constexpr char kMadeAcronymKey = '\x02';
inline std::string vocab_key(const NameToken& token) {
  if (token.kind == TokenKind::legal_form) return "\x01" + token.text;
  return token.made ? kMadeAcronymKey + token.text : token.text;
}

// Short words get the one-letter-deletion postings (Index::deletions_).
inline constexpr std::size_t kMinDeletionWord = 3;
inline constexpr std::size_t kMaxDeletionWord = 8;

inline std::uint64_t spelling_hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// Each spelling of `word` with one letter left out.
template <typename F>
void for_each_deletion(const std::string& word, F&& f) {
  std::string shorter;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (k > 0 && word[k] == word[k - 1]) continue;  // Same spelling as the deletion before.
    shorter.assign(word, 0, k);
    shorter.append(word, k + 1, std::string::npos);
    f(shorter);
  }
}

inline void append_varint(std::vector<std::uint8_t>& out, std::uint32_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

template <typename F>
void for_each_posting(const std::uint8_t* p, const std::uint8_t* end, F&& f) {
  std::uint32_t current = 0;
  while (p < end) {
    std::uint32_t delta = 0;
    int shift = 0;
    while (*p & 0x80) {
      delta |= static_cast<std::uint32_t>(*p++ & 0x7F) << shift;
      shift += 7;
    }
    delta |= static_cast<std::uint32_t>(*p++) << shift;
    current += delta;
    f(current);
  }
}

inline std::uint32_t gram_code(char a, char b, char c) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(a)) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b)) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(c));
}

inline std::uint64_t gram_key(char first, std::uint32_t gram) {
  return (static_cast<std::uint64_t>(static_cast<unsigned char>(first)) << 32) | gram;
}

// Trigrams of "^token$", each once.
inline std::vector<std::uint32_t> grams(std::string_view text) {
  std::string padded = "^" + std::string(text) + "$";
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i + 2 < padded.size(); ++i) {
    out.push_back(gram_code(padded[i], padded[i + 1], padded[i + 2]));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

inline void add_unique(std::vector<std::uint32_t>& ids, std::uint32_t id) {
  if (ids.empty() || ids.back() != id) ids.push_back(id);
}

}  // namespace candor::screening
