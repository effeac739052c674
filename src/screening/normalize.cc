#include "screening/normalize.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>

namespace candor::screening {
namespace {

// Creating a transliterator parses ICU's rules (about a millisecond), so each thread builds
// one and keeps it. Returns nullptr when ICU lacks the rules; callers then fall back to
// ASCII-only folding.
icu::Transliterator* transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "NFKC; Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  // The analyzer takes the thread_local for a local destroyed on return; it lives as long
  // as the thread.
  return instance.get();  // NOLINT(clang-analyzer-cplusplus.NewDelete)
}

bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::string normalise_name(std::string_view name) {
  std::string folded;
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    // NFKC, transliteration and Latin-ASCII leave ASCII as it is; most names are ASCII and
    // ICU costs microseconds a name.
    folded.assign(name);
  } else {
    // Word by word, each transliterated once per thread: names share their words, and ICU's
    // rules do not reach across the spaces between them.
    thread_local std::unordered_map<std::string, std::string> words;
    if (words.size() > 100000) words.clear();
    std::size_t start = 0;
    while (start < name.size()) {
      std::size_t end = name.find(' ', start);
      if (end == std::string_view::npos) end = name.size();
      const std::string_view word = name.substr(start, end - start);
      start = end + 1;
      if (word.empty()) continue;
      auto found = words.find(std::string(word));
      if (found == words.end()) {
        icu::UnicodeString text = icu::UnicodeString::fromUTF8(
            icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
        if (icu::Transliterator* t = transliterator(); t != nullptr) t->transliterate(text);
        std::string romanised;
        text.toUTF8String(romanised);
        found = words.emplace(std::string(word), std::move(romanised)).first;
      }
      folded += found->second;
      folded.push_back(' ');
    }
  }
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    char c = folded[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '\'' || c == '`') continue;  // "O'Brien" and "Mu'ammar" stay one word.
    // ICU writes the Arabic ayn and hamza as modifier letters (U+02B9..U+02BF: "sbʿawy"),
    // which Latin-ASCII leaves alone: they are apostrophes too.
    if (c == '\xCA' && i + 1 < folded.size()) {
      const auto next = static_cast<unsigned char>(folded[i + 1]);
      if (next >= 0xB9 && next <= 0xBF) {
        ++i;
        continue;
      }
    }
    if (is_word_char(c)) {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    } else {
      pending_space = true;
    }
  }
  return out;
}

std::vector<std::string> name_tokens(std::string_view name) {
  std::vector<std::string> tokens;
  const std::string normalised = normalise_name(name);
  std::size_t start = 0;
  while (start < normalised.size()) {
    auto end = normalised.find(' ', start);
    if (end == std::string::npos) end = normalised.size();
    tokens.push_back(normalised.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

}  // namespace candor::screening
