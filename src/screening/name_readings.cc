// Other readings of a prepared name and the numbers in it (names.h, NamePreparer::prepare).
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "screening/name_parts.h"

namespace candor::screening {

std::string join_words(const std::vector<std::string>& tokens, std::size_t begin,
                       std::size_t length) {
  std::string out;
  for (std::size_t i = begin; i < begin + length; ++i) {
    if (!out.empty()) out.push_back(' ');
    out += tokens[i];
  }
  return out;
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

namespace {

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

}  // namespace

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

}  // namespace candor::screening
