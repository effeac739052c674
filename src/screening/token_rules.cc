// The rules by which two name tokens are alike (docs/screening.md, "Comparing two tokens"),
// and the facts about single words that scoring needs: patronymics, descent, gender forms.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "screening/align.h"
#include "screening/han.h"
#include "screening/match.h"
#include "screening/similarity.h"

namespace candor::screening {

std::string_view to_string(TokenRule rule) {
  switch (rule) {
    case TokenRule::exact: return "exact";
    case TokenRule::variant: return "variant";
    case TokenRule::legal_form: return "legal form";
    case TokenRule::fuzzy: return "fuzzy";
    case TokenRule::phonetic: return "phonetic";
    case TokenRule::skeleton: return "consonants";
    case TokenRule::initial: return "initial";
    case TokenRule::joined: return "joined";
    case TokenRule::reading: return "reading";
    case TokenRule::cut: return "cut short";
  }
  return "exact";
}

namespace {

// Scores of the rules that are not measured: fixed so that explanations stay stable.
constexpr double kVariantScore = 0.95;
constexpr double kPhoneticScore = 0.90;
constexpr double kSkeletonScore = 0.90;
constexpr double kInitialScore = 0.75;
// Jaro-Winkler below this is not a match; 0.88 keeps "anna"/"anne" and drops "ivan"/"iran".
constexpr double kFuzzyFloor = 0.88;
constexpr double kJoinedFloor = 0.92;
constexpr double kSlipScore = 0.88;
constexpr double kCutScore = 0.9;

// Jaro-Winkler is generous (0.92 for "patricia" / "patrick"); its distance from 1 is
// stretched so that only near-identical spellings score near a match: 0.97 gives 0.925,
// 0.92 gives 0.80, the floor 0.88 gives 0.70.
double fuzzy_score(double jw) { return std::min(0.98, 1.0 - 2.5 * (1.0 - jw)); }

// Neighbours on a QWERTY keyboard, the layout most lists are typed on.
bool keys_adjacent(char x, char y) {
  static constexpr std::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  int rx = -1;
  int cx = -1;
  int ry = -1;
  int cy = -1;
  for (int r = 0; r < 3; ++r) {
    const auto& row = kRows[static_cast<std::size_t>(r)];
    if (auto at = row.find(x); at != std::string_view::npos) {
      rx = r;
      cx = static_cast<int>(at);
    }
    if (auto at = row.find(y); at != std::string_view::npos) {
      ry = r;
      cy = static_cast<int>(at);
    }
  }
  if (rx < 0 || ry < 0) return false;
  // Rows are offset by about half a key: a key touches two in the row below.
  if (rx == ry) return std::abs(cx - cy) == 1;
  if (std::abs(rx - ry) != 1) return false;
  const int upper = rx < ry ? cx : cy;
  const int lower = rx < ry ? cy : cx;
  return lower == upper || lower == upper - 1;
}

// Slips of the keyboard that leave a short word unlike by Jaro-Winkler: two neighbouring
// letters swapped ("hcol"), a letter left out or doubled (the first one too), a key hit
// beside the one meant. Any other letter replaced is not a slip: in a short word it as often
// makes another name (Ivan / Iran, John / Joan).
bool keyboard_slip(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.size() < 3) return false;
  if (a.size() == b.size()) {
    std::size_t first = 0;
    while (first < a.size() && a[first] == b[first]) ++first;
    if (first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first] &&
        a.substr(first + 2) == b.substr(first + 2)) {
      return true;
    }
    // One key hit beside the one meant ("kony" / "komy"), not the first letter.
    return a.size() >= 4 && first > 0 && first < a.size() &&
           a.substr(first + 1) == b.substr(first + 1) && keys_adjacent(a[first], b[first]);
  }
  if (b.size() != a.size() + 1) return false;
  // One letter left out or doubled, the first one too ("ziz" for "aziz", "abi" for "abdi").
  std::size_t at = 0;
  while (at < a.size() && a[at] == b[at]) ++at;
  return a.substr(at) == b.substr(at + 1);
}

TokenSimilarity compare_keyed(std::string_view a, std::string_view b, const SpellingKeys& ka,
                              const SpellingKeys& kb, bool vowelless) {
  TokenSimilarity best{0.0, TokenRule::fuzzy};
  if (a == b) return {1.0, TokenRule::exact};
  if (keyboard_slip(a, b)) best = {kSlipScore, TokenRule::fuzzy};
  const std::size_t shorter = std::min(a.size(), b.size());
  if (shorter >= 4) {
    const double jw = jaro_winkler(a, b);
    if (jw >= kFuzzyFloor && fuzzy_score(jw) > best.score)
      best = {fuzzy_score(jw), TokenRule::fuzzy};
  }
  if (best.score < kPhoneticScore && shorter >= 2) {
    if (ka.phonetic.size() >= 2 && ka.phonetic == kb.phonetic) {
      best = {kPhoneticScore, TokenRule::phonetic};
    } else if (shorter >= 5 && ka.phonetic.size() >= 5 && kb.phonetic.size() >= 5 &&
               bounded_levenshtein(ka.phonetic, kb.phonetic, 1) <= 1) {
      // Sound keys a letter apart ("aleksandr", "alexander").
      const double jw = jaro_winkler(ka.phonetic, kb.phonetic);
      const double score = std::min(kPhoneticScore, fuzzy_score(jw));
      if (jw >= kFuzzyFloor && score > best.score) best = {score, TokenRule::phonetic};
    }
  }
  if (vowelless && best.score < kSkeletonScore) {
    const auto same = [&](const std::string& x, const std::string& y) {
      return !x.empty() && x == y && (x.size() >= 2 || shorter <= 3);
    };
    if (same(ka.skeleton_weak, kb.skeleton_weak) || same(ka.skeleton_strong, kb.skeleton_strong)) {
      best = {kSkeletonScore, TokenRule::skeleton};
    }
  }
  return best;
}

TokenSimilarity compare_spellings(std::string_view a, std::string_view b, bool vowelless) {
  if (a == b) return {1.0, TokenRule::exact};
  if (!vowelless && gender_forms(a, b)) return {};
  return compare_keyed(a, b, spelling_keys(a), spelling_keys(b), vowelless);
}

bool is_word(const NameToken& t) { return t.kind == TokenKind::word; }

}  // namespace

SpellingKeys spelling_keys(std::string_view spelling) {
  return {phonetic_key(spelling), skeleton_key(spelling, true), skeleton_key(spelling, false)};
}

TokenSimilarity compare_tokens(const NameToken& query, const NameToken& listed, bool vowelless) {
  const bool keyed =
      !query.han && !listed.han && query.kind == TokenKind::word && listed.kind == TokenKind::word;
  return keyed ? compare_tokens(query, spelling_keys(query.text), listed,
                                spelling_keys(listed.text), vowelless)
               : compare_tokens(query, SpellingKeys{}, listed, SpellingKeys{}, vowelless);
}

TokenSimilarity compare_tokens(const NameToken& query, const SpellingKeys& query_keys,
                               const NameToken& listed, const SpellingKeys& listed_keys,
                               bool vowelless) {
  if (query.cut && query.kind == TokenKind::word && listed.kind == TokenKind::word && !listed.han &&
      query.text.size() < listed.text.size() && listed.text.starts_with(query.text)) {
    // A name cut at a field limit ends in the start of a word (legal forms: NamePreparer).
    return {kCutScore, TokenRule::cut};
  }
  if (query.kind == TokenKind::legal_form || listed.kind == TokenKind::legal_form) {
    if (query.kind == listed.kind && query.text == listed.text) {
      return {1.0, TokenRule::legal_form};
    }
    return {};
  }
  if (query.made && listed.made) return {};
  if (query.kind == TokenKind::number || listed.kind == TokenKind::number) {
    return query.text == listed.text ? TokenSimilarity{1.0, TokenRule::exact} : TokenSimilarity{};
  }
  if (query.text == listed.text) return {1.0, TokenRule::exact};
  if (query.acronym || listed.acronym) return {};
  if (query.kind == TokenKind::initial || listed.kind == TokenKind::initial) {
    if (query.kind == listed.kind) return {};
    const std::string& word = query.kind == TokenKind::initial ? listed.text : query.text;
    const std::string& letter = query.kind == TokenKind::initial ? query.text : listed.text;
    return word.front() == letter.front() ? TokenSimilarity{kInitialScore, TokenRule::initial}
                                          : TokenSimilarity{};
  }
  if (query.han || listed.han) {
    // Han characters against a romanised word: one of the readings, exactly, after
    // shortening long vowels as the readings are ("tarou" is "taro").
    if (query.han && listed.han) return {};
    const NameToken& han = query.han ? query : listed;
    const std::string latin = shorten_long_vowels(query.han ? listed.text : query.text);
    for (const auto& reading : han.variants) {
      if (reading == latin) return {kVariantScore, TokenRule::reading};
    }
    return {};
  }
  for (const auto& v : query.variants) {
    if (v == listed.text) return {kVariantScore, TokenRule::variant};
    for (const auto& w : listed.variants) {
      if (v == w) return {kVariantScore, TokenRule::variant};
    }
  }
  for (const auto& w : listed.variants) {
    if (w == query.text) return {kVariantScore, TokenRule::variant};
  }
  if (!vowelless && gender_forms(query.text, listed.text)) return {};
  TokenSimilarity best = compare_keyed(query.text, listed.text, query_keys, listed_keys, vowelless);
  // Korean spellings are tried fuzzily too.
  for (const auto& v : query.variants) {
    const auto s = compare_spellings(v, listed.text, vowelless);
    if (s.score > best.score) best = s;
  }
  for (const auto& w : listed.variants) {
    const auto s = compare_spellings(query.text, w, vowelless);
    if (s.score > best.score) best = s;
  }
  return best;
}

bool is_patronymic(const NameToken& token) {
  if (token.kind != TokenKind::word || token.text.size() < 6) return false;
  static constexpr std::string_view kEndings[] = {"ovich", "evich", "ovna", "evna",
                                                  "ogly",  "oglu",  "kyzy", "qizi"};
  return std::ranges::any_of(kEndings,
                             [&](std::string_view ending) { return token.text.ends_with(ending); });
}

bool is_nasab_connector(std::string_view word) {
  return word == "bin" || word == "ibn" || word == "ben" || word == "bint" || word == "binti" ||
         word == "ould" || word == "walad";
}

void nasab_roles(const std::vector<NameToken>& tokens, std::vector<NasabRole>& roles) {
  roles.assign(tokens.size(), NasabRole::none);
  for (std::size_t k = 1; k + 1 < tokens.size(); ++k) {
    if (!is_nasab_connector(tokens[k].text)) continue;
    if (roles[k - 1] == NasabRole::none) roles[k - 1] = NasabRole::child;
    roles[k + 1] = NasabRole::parent;
  }
}

bool gender_forms(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.size() < 4) return false;
  // Aleksandr / Aleksandra, Ivanov / Ivanova, Yevgeniy / Yevgeniya, Daniel / Daniela.
  if (b.size() == a.size() + 1) {
    const char end = a.back();
    return b.back() == 'a' && b.starts_with(a) &&
           (end == 'r' || end == 'v' || end == 'n' || end == 'y' || end == 'l');
  }
  if (a.size() != b.size() || a.substr(0, a.size() - 1) != b.substr(0, b.size() - 1)) return false;
  const char x = a.back();
  const char y = b.back();
  return (x == 'a' && (y == 'o' || y == 'e')) || (y == 'a' && (x == 'o' || x == 'e'));
}

double default_token_weight(const NameToken& token) {
  switch (token.kind) {
    case TokenKind::legal_form: return 0.3;
    case TokenKind::initial: return 0.5;
    case TokenKind::number:
    case TokenKind::word: return 1.0;
  }
  return 1.0;
}

TokenSimilarity join_tokens(const NameToken& first, const NameToken& second, const NameToken& whole,
                            bool vowelless) {
  if (!is_word(first) || !is_word(second) || !is_word(whole) || first.han || second.han ||
      whole.han) {
    return {};
  }
  // Cheap refusals first: this runs for many candidates with words left over.
  const std::size_t joined_length = first.text.size() + second.text.size();
  if (whole.text.size() + 2 < joined_length || joined_length + 2 < whole.text.size()) return {};
  if (first.text.front() != whole.text.front() && !vowelless) return {};
  // Only close spellings: sound keys of long joined strings agree too easily
  // ("min cheng" / "mingshan").
  const std::string joined = first.text + second.text;
  if (joined == whole.text) return {1.0, TokenRule::joined};
  if (std::min(joined.size(), whole.text.size()) >= 5) {
    const double jw = jaro_winkler(joined, whole.text);
    if (jw >= kJoinedFloor) return {fuzzy_score(jw), TokenRule::joined};
  }
  if (vowelless) {
    // "bd allh" / "abdullah": the same consonants, at least three of them.
    for (const bool weak_w : {true, false}) {
      const std::string a = skeleton_key(joined, weak_w);
      if (a.size() >= 3 && a == skeleton_key(whole.text, weak_w)) {
        return {kSkeletonScore, TokenRule::joined};
      }
    }
  }
  return {};
}

}  // namespace candor::screening
