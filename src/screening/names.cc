#include "screening/names.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <unordered_set>

#include "screening/han.h"
#include "screening/name_parts.h"
#include "screening/normalize.h"

// Preparing a name for matching: scripts (Hangul and Han read here, the rest through ICU),
// then legal forms, numbers, titles and short forms (finish), then other readings.
namespace candor::screening {

namespace {

// --- Hangul -------------------------------------------------------------------------------
// Hangul syllables are composed arithmetically from their letters (Unicode ch. 3.12), so
// romanisation needs no table of syllables. ICU's Hangul-Latin runs syllables together
// ("gimjeong-eun"); Korean names are written one syllable a word in most lists ("KIM JONG
// UN"), so each syllable becomes a token, spelled as the UN and OFAC lists do
// (McCune-Reischauer without diacritics) with the Revised Romanisation as a variant.

constexpr std::array<const char*, 19> kInitialsMr = {"k",  "kk", "n", "d",  "tt", "r", "m",
                                                     "p",  "pp", "s", "ss", "",   "j", "jj",
                                                     "ch", "k",  "t", "p",  "h"};
constexpr std::array<const char*, 19> kInitialsRr = {"g",  "kk", "n", "d",  "tt", "r", "m",
                                                     "b",  "pp", "s", "ss", "",   "j", "jj",
                                                     "ch", "k",  "t", "p",  "h"};
constexpr std::array<const char*, 21> kMedialsMr = {"a",  "ae", "ya", "yae", "o",  "e",  "yo",
                                                    "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                                    "wo", "we", "wi", "yu",  "u",  "ui", "i"};
constexpr std::array<const char*, 21> kMedialsRr = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                                    "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                                    "wo", "we", "wi", "yu",  "eu", "ui", "i"};
constexpr std::array<const char*, 28> kFinals = {"",  "k",  "k", "k", "n", "n", "n", "t", "l", "k",
                                                 "m", "p",  "l", "l", "p", "l", "m", "p", "p", "t",
                                                 "t", "ng", "t", "t", "k", "t", "p", "t"};

struct SurnameSpellings {
  char32_t syllable;
  std::array<const char*, 5> spellings;  // First is the token's text; the rest variants.
};

// The usual Latin spellings of the commonest Korean surnames, which follow neither system.
constexpr std::array<SurnameSpellings, 40> kSurnames = {{
    {U'김', {"kim", "gim"}},
    {U'이', {"lee", "ri", "yi", "rhee", "li"}},
    {U'리', {"ri", "lee", "li", "yi"}},
    {U'박', {"park", "pak", "bak"}},
    {U'최', {"choi", "choe"}},
    {U'정', {"jong", "jung", "chung", "jeong", "chong"}},
    {U'강', {"kang", "gang"}},
    {U'조', {"cho", "jo"}},
    {U'윤', {"yun", "yoon"}},
    {U'장', {"jang", "chang"}},
    {U'임', {"lim", "im", "rim"}},
    {U'림', {"rim", "lim", "im"}},
    {U'한', {"han"}},
    {U'오', {"oh", "o"}},
    {U'서', {"so", "seo", "suh"}},
    {U'신', {"sin", "shin"}},
    {U'권', {"kwon", "gwon"}},
    {U'황', {"hwang"}},
    {U'안', {"an", "ahn"}},
    {U'송', {"song"}},
    {U'류', {"ryu", "yu", "yoo", "ryoo"}},
    {U'유', {"yu", "yoo"}},
    {U'전', {"jon", "jeon", "chon", "jun"}},
    {U'홍', {"hong"}},
    {U'고', {"ko", "go"}},
    {U'문', {"mun", "moon"}},
    {U'양', {"yang"}},
    {U'손', {"son", "sohn"}},
    {U'배', {"pae", "bae"}},
    {U'백', {"paek", "baek", "paik"}},
    {U'허', {"ho", "heo", "huh"}},
    {U'남', {"nam"}},
    {U'심', {"sim", "shim"}},
    {U'노', {"no", "noh", "roh"}},
    {U'로', {"ro", "roh", "no"}},
    {U'곽', {"kwak", "gwak"}},
    {U'성', {"song", "sung", "seong"}},
    {U'주', {"ju", "joo", "chu"}},
    {U'구', {"ku", "koo", "gu"}},
    {U'차', {"cha"}},
}};

bool is_hangul_syllable(char32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }

void add_hangul_syllable(char32_t c, bool first_of_name, std::vector<NameToken>& out) {
  NameToken token;
  if (first_of_name) {
    for (const auto& surname : kSurnames) {
      if (surname.syllable != c) continue;
      token.text = surname.spellings[0];
      for (std::size_t i = 1; i < surname.spellings.size() && surname.spellings[i] != nullptr;
           ++i) {
        token.variants.emplace_back(surname.spellings[i]);
      }
    }
  }
  if (token.text.empty()) {
    const auto s = static_cast<std::uint32_t>(c - 0xAC00);
    const std::uint32_t initial = s / 588;
    const std::uint32_t medial = (s % 588) / 28;
    const std::uint32_t final = s % 28;
    token.text = std::string(kInitialsMr[initial]) + kMedialsMr[medial] + kFinals[final];
    std::string rr = std::string(kInitialsRr[initial]) + kMedialsRr[medial] + kFinals[final];
    if (rr != token.text) token.variants.push_back(std::move(rr));
  }
  out.push_back(std::move(token));
}

// Decodes one UTF-8 code point at text[i], advancing i; invalid bytes give U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  int length = byte < 0x80         ? 1
               : (byte >> 5) == 6  ? 2
               : (byte >> 4) == 14 ? 3
               : (byte >> 3) == 30 ? 4
                                   : 0;
  if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = length == 1 ? byte : byte & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    const auto cont = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
    if ((cont & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (cont & 0x3F);
  }
  i += static_cast<std::size_t>(length);
  return c;
}

bool is_vowelless_script(char32_t c) {
  return (c >= 0x0590 && c <= 0x08FF) ||  // Hebrew, Arabic, Syriac, Thaana, Arabic suppl.
         (c >= 0x0E00 && c <= 0x0E7F) ||  // Thai
         (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);  // Presentation forms
}

bool has_thai(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = next_code_point(text, i);
    if (c >= 0x0E00 && c <= 0x0E7F) return true;
  }
  return false;
}

// The words of `text`. Thai is written without spaces inside a name and ICU's romanisation
// breaks it into syllables ("supha li ni"); each written word stays one token.
std::vector<std::string> plain_words(std::string_view text) {
  if (!has_thai(text)) return name_tokens(text);
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string joined;
    for (const auto& piece : name_tokens(text.substr(start, end - start))) joined += piece;
    if (!joined.empty()) words.push_back(std::move(joined));
    start = end + 1;
  }
  return words;
}

void add_plain_tokens(std::string_view text, std::vector<NameToken>& out) {
  for (auto& word : plain_words(text)) {
    NameToken token;
    token.text = std::move(word);
    if (std::all_of(token.text.begin(), token.text.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      token.kind = TokenKind::number;
    } else if (token.text.size() == 1) {
      token.kind = TokenKind::initial;
    }
    out.push_back(std::move(token));
  }
}

struct Run {
  enum Kind { other, hangul, han } kind = other;
  std::string_view text;
  std::vector<char32_t> chars;
};

std::vector<Run> split_runs(std::string_view name, bool& vowelless) {
  std::vector<Run> runs;
  std::size_t i = 0;
  while (i < name.size()) {
    const std::size_t at = i;
    const char32_t c = next_code_point(name, i);
    if (is_vowelless_script(c)) vowelless = true;
    const Run::Kind kind = is_hangul_syllable(c) ? Run::hangul : is_han(c) ? Run::han : Run::other;
    if (runs.empty() || runs.back().kind != kind) {
      runs.push_back({kind, name.substr(at, i - at), {}});
    } else {
      runs.back().text =
          std::string_view(runs.back().text.data(),
                           i - static_cast<std::size_t>(runs.back().text.data() - name.data()));
    }
    runs.back().chars.push_back(c);
  }
  return runs;
}

void add_hangul_run(const std::vector<char32_t>& syllables, std::vector<NameToken>& out) {
  // A Korean name is a one-syllable surname then the given name; longer runs are words of
  // other kinds, so only short runs get surname spellings.
  const bool name_like = syllables.size() >= 2 && syllables.size() <= 4;
  for (std::size_t k = 0; k < syllables.size(); ++k) {
    add_hangul_syllable(syllables[k], k == 0 && name_like, out);
  }
}

// The Korean reading of a Han run, or false when a character has none.
bool add_korean_reading(const std::vector<char32_t>& chars, std::vector<NameToken>& out) {
  std::vector<char32_t> syllables;
  for (const char32_t c : chars) {
    const HanReadings* readings = han_readings(c);
    if (readings == nullptr || readings->hangul.empty()) return false;
    syllables.push_back(readings->hangul.front());
  }
  add_hangul_run(syllables, out);
  return true;
}

// Voicing of a reading inside a Japanese word (rendaku): 田 "ta" in 山田 "yamada".
std::string voiced(const std::string& reading) {
  static const std::pair<std::string_view, std::string_view> kRules[] = {
      {"ch", "j"}, {"sh", "j"}, {"k", "g"}, {"s", "z"}, {"t", "d"}, {"h", "b"}, {"f", "b"}};
  for (const auto& [from, to] : kRules) {
    if (reading.compare(0, from.size(), from) == 0)
      return std::string(to) + reading.substr(from.size());
  }
  return {};
}

// All readings of a group of Han characters written as one Japanese word, bounded.
bool add_japanese_word(const std::vector<char32_t>& chars, std::size_t begin, std::size_t count,
                       std::vector<NameToken>& out) {
  constexpr std::size_t kMaxReadings = 128;
  constexpr std::size_t kReadingsPerChar = 6;
  std::vector<std::string> spellings{""};
  NameToken token;
  token.han = true;
  for (std::size_t k = begin; k < begin + count; ++k) {
    const HanReadings* readings = han_readings(chars[k]);
    if (readings == nullptr || readings->japanese.empty()) return false;
    std::vector<std::string> options;
    for (std::size_t r = 0; r < readings->japanese.size() && r < kReadingsPerChar; ++r) {
      options.push_back(readings->japanese[r]);
      if (k > begin) {
        if (auto v = voiced(readings->japanese[r]); !v.empty()) options.push_back(std::move(v));
      }
    }
    std::vector<std::string> next;
    for (const auto& prefix : spellings) {
      for (const auto& option : options) {
        if (next.size() < kMaxReadings) next.push_back(prefix + option);
      }
    }
    spellings = std::move(next);
    char utf8[4];
    const char32_t c = chars[k];
    if (c < 0x10000) {
      utf8[0] = static_cast<char>(0xE0 | (c >> 12));
      utf8[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      utf8[2] = static_cast<char>(0x80 | (c & 0x3F));
      token.text.append(utf8, 3);
    } else {
      utf8[0] = static_cast<char>(0xF0 | (c >> 18));
      utf8[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      utf8[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      utf8[3] = static_cast<char>(0x80 | (c & 0x3F));
      token.text.append(utf8, 4);
    }
  }
  token.variants = std::move(spellings);
  out.push_back(std::move(token));
  return true;
}

// How a run of Han characters may split into a Japanese family and given name.
std::vector<std::vector<std::size_t>> japanese_groupings(std::size_t length) {
  switch (length) {
    case 1: return {{1}};
    case 2: return {{2}, {1, 1}};
    case 3: return {{1, 2}, {2, 1}};
    case 4: return {{2, 2}, {1, 3}, {3, 1}};
    case 5: return {{2, 3}, {3, 2}};
    case 6: return {{3, 3}};
    default: return {};
  }
}

}  // namespace

PreparedName NamePreparer::prepare(std::string_view name, EntityType type) const {
  PreparedName prepared;
  const std::vector<Run> runs = split_runs(name, prepared.vowelless);
  bool has_han = false;
  for (const auto& run : runs) {
    switch (run.kind) {
      case Run::other: add_plain_tokens(run.text, prepared.tokens); break;
      case Run::hangul: add_hangul_run(run.chars, prepared.tokens); break;
      case Run::han:
        has_han = true;
        add_plain_tokens(run.text, prepared.tokens);  // Mandarin, through ICU.
        break;
    }
  }
  if (prepared.vowelless) split_article(prepared.tokens);
  finish(prepared.tokens, type);
  if (name.size() >= kCutNameLength && prepared.tokens.size() > 1 &&
      prepared.tokens.back().kind == TokenKind::word &&
      prepared.tokens.back().text.size() >= kMinCutWord) {
    NameToken& last = prepared.tokens.back();
    // Cut inside a legal form ("TRADING COMP"): the form it begins.
    const std::string_view klass =
        type == EntityType::person ? std::string_view() : forms_->completing(last.text);
    if (!klass.empty()) {
      last = NameToken{std::string(klass), TokenKind::legal_form, last.text, {}};
    } else {
      last.cut = true;
    }
  }
  // Digits written for letters ("G3nnady T1mchenko", "B0R1S"), to get past a filter or by a
  // scanner: a word of letters with a few digits is read again with the letters they stand for.
  if (auto letters = digits_as_letters(prepared.tokens)) {
    prepared.alternatives.push_back(std::move(*letters));
  }
  if (auto merged = initialisms_merged(prepared.tokens)) {
    // Merged letters may spell a legal form ("G.m.b.H.", "K G").
    finish(*merged, type);
    // In an organisation's name letters apart are an initialism, not given names.
    if (type == EntityType::organization) {
      prepared.tokens = std::move(*merged);
    } else {
      prepared.alternatives.push_back(std::move(*merged));
    }
  }
  if (type == EntityType::organization) {
    for (auto& reading : acronym_readings(prepared.tokens)) {
      prepared.alternatives.push_back(std::move(reading));
    }
  }
  if (!has_han) return prepared;

  // The Korean reading, then each Japanese grouping (the same grouping choice for every run).
  std::vector<NameToken> korean;
  bool korean_ok = true;
  for (const auto& run : runs) {
    if (run.kind == Run::other) add_plain_tokens(run.text, korean);
    if (run.kind == Run::hangul) add_hangul_run(run.chars, korean);
    if (run.kind == Run::han) korean_ok = korean_ok && add_korean_reading(run.chars, korean);
  }
  if (korean_ok) {
    finish(korean, type);
    prepared.alternatives.push_back(std::move(korean));
  }
  for (std::size_t choice = 0; choice < 3; ++choice) {
    std::vector<NameToken> japanese;
    bool ok = true;
    bool used_choice = false;
    for (const auto& run : runs) {
      if (run.kind == Run::other) add_plain_tokens(run.text, japanese);
      if (run.kind == Run::hangul) add_hangul_run(run.chars, japanese);
      if (run.kind != Run::han) continue;
      const auto groupings = japanese_groupings(run.chars.size());
      if (groupings.empty()) {
        ok = false;
        break;
      }
      used_choice = used_choice || choice < groupings.size();
      const auto& grouping = groupings[std::min(choice, groupings.size() - 1)];
      std::size_t begin = 0;
      for (const std::size_t count : grouping) {
        ok = ok && add_japanese_word(run.chars, begin, count, japanese);
        begin += count;
      }
    }
    if (!ok || !used_choice) break;
    finish(japanese, type);
    prepared.alternatives.push_back(std::move(japanese));
  }
  return prepared;
}

void NamePreparer::fold_legal_forms(std::vector<NameToken>& tokens) const {
  if (tokens.size() <= 1) return;
  std::vector<std::string> words;
  words.reserve(tokens.size());
  for (const auto& token : tokens) words.push_back(token.text);
  const auto fold = [&](std::size_t begin, std::size_t length) {
    const std::string_view klass = forms_->lookup(words, begin, length);
    if (klass.empty()) return false;
    NameToken form{std::string(klass), TokenKind::legal_form, join_words(words, begin, length), {}};
    tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(begin),
                 tokens.begin() + static_cast<std::ptrdiff_t>(begin + length));
    tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(begin), std::move(form));
    words.erase(words.begin() + static_cast<std::ptrdiff_t>(begin),
                words.begin() + static_cast<std::ptrdiff_t>(begin + length));
    words.insert(words.begin() + static_cast<std::ptrdiff_t>(begin), "");
    return true;
  };
  // From the end ("... co ltd"), then from the start ("ooo ..."), always leaving a word.
  for (bool folded = true; folded;) {
    folded = false;
    std::size_t end = words.size();
    while (end > 0 && tokens[end - 1].kind == TokenKind::legal_form) --end;
    for (std::size_t length = std::min(forms_->longest_alias(), end > 0 ? end - 1 : 0);
         length > 0 && !folded; --length) {
      folded = fold(end - length, length);
    }
  }
  for (bool folded = true; folded;) {
    folded = false;
    std::size_t begin = 0;
    while (begin < words.size() && tokens[begin].kind == TokenKind::legal_form) ++begin;
    std::size_t words_left = 0;
    for (const auto& token : tokens) words_left += token.kind != TokenKind::legal_form ? 1 : 0;
    for (std::size_t length =
             std::min(forms_->longest_alias(), words_left > 0 ? words_left - 1 : 0);
         length > 0 && !folded; --length) {
      folded = fold(begin, length);
    }
  }
}

void NamePreparer::finish(std::vector<NameToken>& tokens, EntityType type) const {
  if (type != EntityType::person) {
    fold_legal_forms(tokens);
    read_numbers(tokens);
  }
  if (type != EntityType::organization) {
    // Titles from the start ("His Excellency General ..."), always leaving a name; only in
    // persons' names, since in a name of unknown kind "General" may begin an organisation's
    // ("General Headquarters of Abu Dhabi Police").
    for (std::size_t n = type == EntityType::person ? facts_->title_at(tokens, 0) : 0;
         n > 0 && n < tokens.size(); n = facts_->title_at(tokens, 0)) {
      tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(n));
    }
    for (auto& token : tokens) {
      if (token.kind != TokenKind::word || token.han) continue;
      if (const auto* full = facts_->full_names(token.text)) {
        for (const auto& name : *full) {
          if (std::find(token.variants.begin(), token.variants.end(), name) ==
              token.variants.end()) {
            token.variants.push_back(name);
          }
        }
      }
    }
  }
}

}  // namespace candor::screening
