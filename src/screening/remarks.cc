#include "screening/remarks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string>

#include "screening/fields.h"

namespace candor::screening {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (std::isspace(static_cast<unsigned char>(s.front())) != 0 || s.front() == '.')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (std::isspace(static_cast<unsigned char>(s.back())) != 0 || s.back() == '.')) {
    s.remove_suffix(1);
  }
  return s;
}

bool starts_with_word(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
  }
  return text.size() == word.size() || text[word.size()] == ' ';
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int month_number(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < 3; ++k) {
      same = same && std::tolower(static_cast<unsigned char>(word[k])) == kMonths[i][k];
    }
    if (same) return static_cast<int>(i) + 1;
  }
  return 0;
}

void add_unique(std::vector<std::string>& to, std::string value) {
  if (value.empty()) return;
  for (const auto& v : to) {
    if (v == value) return;
  }
  to.push_back(std::move(value));
}

// "Passport A1234567 (Iran)" and the like.
void add_identifier(std::string_view type, std::string_view rest, Entity& entity) {
  rest = trim(rest);
  std::string country;
  if (const auto open = rest.rfind('('); open != std::string_view::npos && rest.back() == ')') {
    country = std::string(trim(rest.substr(open + 1, rest.size() - open - 2)));
    rest = trim(rest.substr(0, open));
  }
  if (!rest.empty()) entity.identifiers.push_back({std::string(type), std::string(rest), country});
}

}  // namespace

std::string parse_loose_date(std::string_view text) {
  text = trim(text);
  if (starts_with_word(text, "circa")) text = trim(text.substr(5));
  if (const auto to = text.find(" to "); to != std::string_view::npos) text = text.substr(0, to);
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  char buffer[16];
  if (words.size() == 1 && words[0].size() == 4 && all_digits(words[0]))
    return std::string(words[0]);
  if (words.size() == 2 && month_number(words[0]) != 0 && all_digits(words[1]) &&
      words[1].size() == 4) {
    std::snprintf(buffer, sizeof buffer, "%.4s-%02d", words[1].data(), month_number(words[0]));
    return buffer;
  }
  if (words.size() == 3 && all_digits(words[0]) && words[0].size() <= 2 &&
      month_number(words[1]) != 0 && all_digits(words[2]) && words[2].size() == 4) {
    std::snprintf(buffer, sizeof buffer, "%.4s-%02d-%02d", words[2].data(), month_number(words[1]),
                  std::stoi(std::string(words[0])));
    return buffer;
  }
  return {};
}

void apply_ofac_remarks(std::string_view remarks, Entity& entity) {
  std::size_t start = 0;
  while (start < remarks.size()) {
    auto end = remarks.find(';', start);
    if (end == std::string_view::npos) end = remarks.size();
    const std::string_view part = trim(remarks.substr(start, end - start));
    start = end + 1;
    constexpr std::string_view kDob = "dob";
    constexpr std::string_view kNationality = "nationality";
    constexpr std::string_view kCitizen = "citizen";
    constexpr std::string_view kPassport = "passport";
    constexpr std::string_view kNationalId = "national id no.";
    constexpr std::string_view kImo = "vessel registration identification imo";
    constexpr std::string_view kRegistration = "registration id";
    if (starts_with_word(part, kDob)) {
      add_unique(entity.birth_dates, parse_loose_date(part.substr(kDob.size())));
    } else if (starts_with_word(part, kNationality)) {
      add_country_name(trim(part.substr(kNationality.size())), entity);
    } else if (starts_with_word(part, kCitizen)) {
      add_country_name(trim(part.substr(kCitizen.size())), entity);
    } else if (starts_with_word(part, kPassport)) {
      add_identifier("passport", part.substr(kPassport.size()), entity);
    } else if (starts_with_word(part, kNationalId)) {
      add_identifier("national_id", part.substr(kNationalId.size()), entity);
    } else if (starts_with_word(part, kImo)) {
      add_identifier("imo", part.substr(kImo.size()), entity);
    } else if (starts_with_word(part, kRegistration)) {
      add_identifier("registration", part.substr(kRegistration.size()), entity);
    } else if (starts_with_word(part, "a.k.a.")) {
      // Low-quality aliases are written in the remarks between single quotes.
      std::string_view rest = part.substr(6);
      for (auto open = rest.find('\''); open != std::string_view::npos; open = rest.find('\'')) {
        const auto close = rest.find('\'', open + 1);
        if (close == std::string_view::npos) break;
        std::string_view alias = rest.substr(open + 1, close - open - 1);
        while (!alias.empty() && alias.front() == ' ') alias.remove_prefix(1);
        while (!alias.empty() && alias.back() == ' ') alias.remove_suffix(1);
        if (!alias.empty()) entity.names.push_back({std::string(alias), NameStrength::weak});
        rest = rest.substr(close + 1);
      }
    }
  }
}

}  // namespace candor::screening
