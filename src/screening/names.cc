#include "screening/names.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <unordered_set>

#include "core/embedded.h"
#include "screening/han.h"
#include "screening/normalize.h"
#include "screening/similarity.h"

namespace candor::screening {

std::span<const EmbeddedFile> embedded_legal_forms();
std::span<const EmbeddedFile> embedded_name_titles();
std::span<const EmbeddedFile> embedded_given_names();

namespace {

std::string join(const std::vector<std::string>& tokens, std::size_t begin, std::size_t length) {
  std::string out;
  for (std::size_t i = begin; i < begin + length; ++i) {
    if (!out.empty()) out.push_back(' ');
    out += tokens[i];
  }
  return out;
}

// Words of legal forms that registers abbreviate.
std::string abbreviate_form(const std::string& form) {
  static const std::pair<std::string_view, std::string_view> kShort[] = {
      {"company", "co"}, {"corporation", "corp"}, {"limited", "ltd"}, {"incorporated", "inc"}};
  std::string out;
  bool changed = false;
  std::size_t start = 0;
  while (start <= form.size()) {
    auto end = form.find(' ', start);
    if (end == std::string::npos) end = form.size();
    std::string_view word(form.data() + start, end - start);
    for (const auto& [full, abbreviation] : kShort) {
      if (word == full && form.find(' ') != std::string::npos) {
        word = abbreviation;
        changed = true;
      }
    }
    if (!out.empty()) out.push_back(' ');
    out += word;
    start = end + 1;
  }
  return changed ? out : std::string();
}

std::string yaml_scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

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

}  // namespace

const LegalForms& LegalForms::builtin() {
  static const LegalForms forms = [] {
    const auto files = embedded_legal_forms();
    auto parsed = parse(files.front().content, files.front().name);
    // The table is compiled in and tested; failing here is a build defect.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return forms;
}

Result<LegalForms> LegalForms::parse(std::string_view yaml, std::string_view where) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Error::invalid_argument(e.msg,
                                   std::string(where) + ":" + std::to_string(e.mark.line + 1));
  }
  const YAML::Node types = root.IsMap() ? root["types"] : YAML::Node();
  if (!types || !types.IsSequence()) {
    return Error::invalid_argument("expected a map with a 'types' list", std::string(where));
  }
  LegalForms forms;
  for (const auto& type : types) {
    const std::string at = std::string(where) + ":" + std::to_string(type.Mark().line + 1);
    if (!type.IsMap()) return Error::invalid_argument("each type must be a map", at);
    const YAML::Node aliases = type["aliases"];
    if (aliases && !aliases.IsSequence()) {
      return Error::invalid_argument("aliases must be a list", at);
    }
    std::vector<std::string> spellings;
    for (const char* key : {"generic", "compare", "display"}) {
      if (auto value = yaml_scalar(type, key); !value.empty()) spellings.push_back(value);
    }
    if (aliases) {
      for (const auto& alias : aliases) {
        if (!alias.IsScalar()) return Error::invalid_argument("each alias must be text", at);
        spellings.push_back(alias.as<std::string>());
      }
    }
    if (spellings.empty()) continue;
    const std::string klass = normalise_name(spellings.front());
    if (klass.empty()) continue;
    for (const auto& spelling : spellings) {
      std::string key = normalise_name(spelling);
      if (key.empty()) continue;
      forms.longest_ = std::max<std::size_t>(
          forms.longest_, static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1);
      if (key.find(' ') == std::string::npos && key.size() >= kMinFuzzyForm) {
        forms.single_.emplace_back(key, klass);
      }
      // The same form with its words abbreviated as registers do ("joint stock co").
      std::string abbreviated = abbreviate_form(key);
      // The first class listed for an alias wins, as in the source file's order.
      forms.aliases_.emplace(std::move(key), klass);
      if (!abbreviated.empty()) forms.aliases_.emplace(std::move(abbreviated), klass);
    }
  }
  return forms;
}

std::string_view LegalForms::completing(const std::string& start) const {
  // The shortest one-word form beginning so, the first class in file order among equals.
  const std::pair<std::string, std::string>* best = nullptr;
  for (const auto& form : single_) {
    if (form.first.size() > start.size() && form.first.starts_with(start) &&
        (best == nullptr || form.first.size() < best->first.size())) {
      best = &form;
    }
  }
  return best == nullptr ? std::string_view() : std::string_view(best->second);
}

std::string_view LegalForms::lookup(const std::vector<std::string>& tokens, std::size_t begin,
                                    std::size_t length) const {
  const auto found = aliases_.find(join(tokens, begin, length));
  if (found != aliases_.end()) return found->second;
  // A long one-word form misspelled ("compny", "aktiengesellshaft", "corproation"): one
  // slip in a word of up to seven letters, two in a longer one, with the first letter kept.
  const std::string& word = tokens[begin];
  if (length != 1 || word.size() < kMinFuzzyForm) return {};
  const int slips = word.size() >= 8 ? 2 : 1;
  for (const auto& [alias, klass] : single_) {
    if (alias.front() != word.front() ||
        alias.size() + static_cast<std::size_t>(slips) < word.size() ||
        word.size() + static_cast<std::size_t>(slips) < alias.size()) {
      continue;
    }
    if (bounded_levenshtein(alias, word, slips) <= slips) return klass;
  }
  return {};
}

const NameFacts& NameFacts::builtin() {
  static const NameFacts facts = [] {
    auto parsed = parse(embedded_name_titles().front().content,
                        embedded_given_names().front().content, "builtin name tables");
    // The tables are compiled in and tested; failing here is a build defect.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return facts;
}

Result<void> NameFacts::add_titles(std::string_view yaml, std::string_view where) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Error::invalid_argument(e.msg,
                                   std::string(where) + ":" + std::to_string(e.mark.line + 1));
  }
  const YAML::Node titles = root.IsMap() ? root["PERSON_NAME_PREFIXES"] : YAML::Node();
  if (!titles || !titles.IsSequence()) {
    return Error::invalid_argument("expected a map with a 'PERSON_NAME_PREFIXES' list",
                                   std::string(where));
  }
  for (const auto& title : titles) {
    if (!title.IsScalar()) {
      return Error::invalid_argument(
          "each title must be text",
          std::string(where) + ":" + std::to_string(title.Mark().line + 1));
    }
    std::string key = normalise_name(title.as<std::string>());
    if (key.empty()) continue;
    longest_title_ = std::max<std::size_t>(
        longest_title_, static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1);
    titles_.emplace(std::move(key), true);
  }
  return {};
}

Result<NameFacts> NameFacts::parse(std::string_view titles_yaml, std::string_view given_yaml,
                                   std::string_view where) {
  NameFacts facts;
  CANDOR_TRY(facts.add_titles(titles_yaml, where));
  YAML::Node root;
  try {
    root = YAML::Load(std::string(given_yaml));
  } catch (const YAML::Exception& e) {
    return Error::invalid_argument(e.msg,
                                   std::string(where) + ":" + std::to_string(e.mark.line + 1));
  }
  const YAML::Node names = root.IsMap() ? root["names"] : YAML::Node();
  if (!names || !names.IsMap()) {
    return Error::invalid_argument("expected a map with a 'names' map", std::string(where));
  }
  for (const auto& entry : names) {
    const std::string full = normalise_name(entry.first.as<std::string>());
    if (full.empty() || !entry.second.IsSequence()) {
      return Error::invalid_argument(
          "each name needs a list of short forms",
          std::string(where) + ":" + std::to_string(entry.first.Mark().line + 1));
    }
    for (const auto& short_form : entry.second) {
      const std::string key = normalise_name(short_form.as<std::string>());
      if (key.empty() || key == full) continue;
      auto& fulls = facts.full_names_[key];
      if (std::find(fulls.begin(), fulls.end(), full) == fulls.end()) fulls.push_back(full);
    }
  }
  return facts;
}

std::size_t NameFacts::title_at(const std::vector<NameToken>& tokens, std::size_t begin) const {
  std::string key;
  std::size_t found = 0;
  for (std::size_t n = 1; n <= longest_title_ && begin + n <= tokens.size(); ++n) {
    if (tokens[begin + n - 1].kind == TokenKind::legal_form) break;
    if (n > 1) key.push_back(' ');
    key += tokens[begin + n - 1].text;
    if (titles_.contains(key)) found = n;
  }
  return found;
}

const std::vector<std::string>* NameFacts::full_names(const std::string& short_form) const {
  const auto found = full_names_.find(short_form);
  return found == full_names_.end() ? nullptr : &found->second;
}

namespace {

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

// The tokens with digits read as the letters they look like, when some word mixes the two
// (at least two letters, no more digits than letters): "g3nnady" -> "gennady", "b0r1s" ->
// "boris". Numbers and codes of mostly digits ("a320", "8200") are left as they are.
std::optional<std::vector<NameToken>> digits_as_letters(const std::vector<NameToken>& tokens) {
  std::vector<NameToken> out = tokens;
  bool changed = false;
  for (auto& token : out) {
    if (token.kind != TokenKind::word || token.han) continue;
    const auto digits = std::count_if(token.text.begin(), token.text.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
    const auto letters = std::count_if(token.text.begin(), token.text.end(),
                                       [](char c) { return c >= 'a' && c <= 'z'; });
    if (digits == 0 || letters < 2 || digits > letters) continue;
    for (char& c : token.text) {
      static constexpr std::string_view kLooksLike = "oizeasgtbg";  // 0 1 2 3 4 5 6 7 8 9
      if (c >= '0' && c <= '9') c = kLooksLike[static_cast<std::size_t>(c - '0')];
    }
    token.variants.clear();
    changed = true;
  }
  if (!changed) return std::nullopt;
  return out;
}

// The tokens with each run of two or more single letters read as one word: "N.S.O. Group"
// and "N S O Group" -> "nso group". The letters stay initials in the main reading, where
// they may stand for given names ("J. R. Smith").
std::optional<std::vector<NameToken>> initialisms_merged(const std::vector<NameToken>& tokens) {
  std::vector<NameToken> out;
  bool changed = false;
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t end = i;
    while (end < tokens.size() && tokens[end].kind == TokenKind::initial &&
           tokens[end].text.size() == 1 && tokens[end].text[0] >= 'a' &&
           tokens[end].text[0] <= 'z') {
      ++end;
    }
    if (end - i < 2) {
      out.push_back(tokens[i]);
      ++i;
      continue;
    }
    NameToken word;
    word.acronym = true;
    for (std::size_t k = i; k < end; ++k) {
      word.text += tokens[k].text;
      word.source += (k > i ? " " : "") + tokens[k].text;
    }
    out.push_back(std::move(word));
    changed = true;
    i = end;
  }
  if (!changed) return std::nullopt;
  return out;
}

// Arabic writes the article al- joined to its word (التكريتي: "altkryty"); lists in Latin
// letters write it apart ("AL-TIKRITI"). In names from such scripts it is split off.
void split_article(std::vector<NameToken>& tokens) {
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    NameToken& token = tokens[k];
    if (token.kind != TokenKind::word || token.han || token.text.size() < 5 ||
        !token.text.starts_with("al")) {
      continue;
    }
    NameToken rest;
    rest.text = token.text.substr(2);
    token.text = "al";
    token.variants.clear();
    tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(k) + 1, std::move(rest));
    ++k;
  }
}

// Numbers written as words, ordinals or Roman numerals read as the number: "second",
// "2nd" and "II" are all 2; "twenty six" and "twenty-sixth" are 26. Roman numerals are read
// from two letters on (single letters are initials) and not where they are also names
// ("xi", "li", "di").
std::optional<int> number_value(const std::string& word, bool& tens) {
  static const std::unordered_map<std::string, int> kWords = {
      {"zero", 0},         {"one", 1},         {"two", 2},         {"three", 3},
      {"four", 4},         {"five", 5},        {"six", 6},         {"seven", 7},
      {"eight", 8},        {"nine", 9},        {"ten", 10},        {"eleven", 11},
      {"twelve", 12},      {"thirteen", 13},   {"fourteen", 14},   {"fifteen", 15},
      {"sixteen", 16},     {"seventeen", 17},  {"eighteen", 18},   {"nineteen", 19},
      {"first", 1},        {"second", 2},      {"third", 3},       {"fourth", 4},
      {"fifth", 5},        {"sixth", 6},       {"seventh", 7},     {"eighth", 8},
      {"ninth", 9},        {"tenth", 10},      {"eleventh", 11},   {"twelfth", 12},
      {"thirteenth", 13},  {"fourteenth", 14}, {"fifteenth", 15},  {"sixteenth", 16},
      {"seventeenth", 17}, {"eighteenth", 18}, {"nineteenth", 19}, {"ii", 2},
      {"iii", 3},          {"iv", 4},          {"vi", 6},          {"vii", 7},
      {"viii", 8},         {"ix", 9},          {"xii", 12},        {"xiii", 13},
      {"xiv", 14},         {"xv", 15},         {"xvi", 16},        {"xvii", 17},
      {"xviii", 18},       {"xix", 19},        {"xx", 20},         {"hundredth", 100}};
  static const std::unordered_map<std::string, int> kTens = {
      {"twenty", 20},    {"thirty", 30},     {"forty", 40},     {"fifty", 50},
      {"sixty", 60},     {"seventy", 70},    {"eighty", 80},    {"ninety", 90},
      {"twentieth", 20}, {"thirtieth", 30},  {"fortieth", 40},  {"fiftieth", 50},
      {"sixtieth", 60},  {"seventieth", 70}, {"eightieth", 80}, {"ninetieth", 90}};
  tens = false;
  if (auto found = kWords.find(word); found != kWords.end()) return found->second;
  if (auto found = kTens.find(word); found != kTens.end()) {
    tens = !word.ends_with("th");
    return found->second;
  }
  // "1st", "22nd", "3rd", "26th".
  std::size_t digits = 0;
  while (digits < word.size() && word[digits] >= '0' && word[digits] <= '9') ++digits;
  if (digits > 0 && digits <= 6 && word.size() == digits + 2) {
    const std::string_view suffix = std::string_view(word).substr(digits);
    if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
      return std::stoi(word.substr(0, digits));
    }
  }
  return std::nullopt;
}

void read_numbers(std::vector<NameToken>& tokens) {
  std::vector<NameToken> out;
  out.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    NameToken& token = tokens[i];
    bool tens = false;
    std::optional<int> value;
    if (token.kind == TokenKind::word) value = number_value(token.text, tens);
    if (!value) {
      out.push_back(std::move(token));
      continue;
    }
    std::string source = token.text;
    bool unit_tens = false;
    if (tens && i + 1 < tokens.size() && tokens[i + 1].kind == TokenKind::word) {
      const auto unit = number_value(tokens[i + 1].text, unit_tens);
      if (unit && !unit_tens && *unit >= 1 && *unit <= 9) {
        *value += *unit;
        source += " " + tokens[i + 1].text;
        ++i;
      }
    }
    NameToken number;
    number.text = std::to_string(*value);
    number.kind = TokenKind::number;
    number.source = std::move(source);
    out.push_back(std::move(number));
  }
  tokens = std::move(out);
}

// Organisation names read by their initials: "Islamic Revolutionary Guard Corps" as "irgc",
// and with the last word kept ("Kingdom of Saudi Arabia Intelligence": "ksa intelligence").
// Small words are left out as acronyms leave them; legal forms stay as they are.
std::vector<std::vector<NameToken>> acronym_readings(const std::vector<NameToken>& tokens) {
  static const std::unordered_set<std::string> kSmall = {"of",  "the", "and", "for", "de",  "du",
                                                         "des", "la",  "le",  "el",  "al",  "in",
                                                         "on",  "y",   "et",  "und", "fur", "di"};
  std::vector<std::size_t> content;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const NameToken& t = tokens[k];
    if (t.kind == TokenKind::legal_form) continue;
    if (t.kind != TokenKind::word || t.han || t.text.size() < 2) return {};
    if (!kSmall.contains(t.text)) content.push_back(k);
  }
  if (content.size() < 3 || content.size() > 8) return {};
  std::vector<std::vector<NameToken>> readings;
  for (const bool keep_last : {false, true}) {
    const std::size_t letters = keep_last ? content.size() - 1 : content.size();
    if (letters < 3) continue;
    NameToken acronym;
    acronym.acronym = true;
    acronym.made = true;
    for (std::size_t k = 0; k < letters; ++k) {
      acronym.text.push_back(tokens[content[k]].text.front());
      acronym.source += (k > 0 ? " " : "") + tokens[content[k]].text;
    }
    std::vector<NameToken> reading{acronym};
    for (std::size_t k = content[letters - 1] + 1; k < tokens.size(); ++k) {
      if (tokens[k].kind == TokenKind::legal_form || (keep_last && k == content.back())) {
        reading.push_back(tokens[k]);
      }
    }
    for (std::size_t k = 0; k < content.front(); ++k) {
      if (tokens[k].kind == TokenKind::legal_form) reading.insert(reading.begin(), tokens[k]);
    }
    readings.push_back(std::move(reading));
  }
  return readings;
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
    NameToken form{std::string(klass), TokenKind::legal_form, join(words, begin, length), {}};
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
