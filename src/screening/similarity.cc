#include "screening/similarity.h"

#include <algorithm>
#include <array>
#include <vector>

namespace candor::screening {

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  const std::size_t window = std::max<std::size_t>(std::max(a.size(), b.size()) / 2, 1) - 1;
  // Tokens are short; fixed buffers keep this allocation-free on the hot path.
  constexpr std::size_t kMax = 64;
  if (a.size() > kMax || b.size() > kMax) {
    a = a.substr(0, kMax);
    b = b.substr(0, kMax);
  }
  std::array<bool, kMax> a_used{};
  std::array<bool, kMax> b_used{};
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(i + window + 1, b.size());
    for (std::size_t j = lo; j < hi; ++j) {
      if (b_used[j] || a[i] != b[j]) continue;
      a_used[i] = b_used[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a_used[i]) continue;
    while (!b_used[k]) ++k;
    if (a[i] != b[k]) ++transpositions;
    ++k;
  }
  const auto m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
    ++prefix;
  }
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

int bounded_levenshtein(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> row(static_cast<std::size_t>(m) + 1);
  for (int j = 0; j <= m; ++j) row[static_cast<std::size_t>(j)] = j;
  for (int i = 1; i <= n; ++i) {
    int diagonal = row[0];
    row[0] = i;
    int row_min = row[0];
    for (int j = 1; j <= m; ++j) {
      const auto ju = static_cast<std::size_t>(j);
      const int cost = a[static_cast<std::size_t>(i - 1)] == b[ju - 1] ? 0 : 1;
      const int next = std::min({row[ju] + 1, row[ju - 1] + 1, diagonal + cost});
      diagonal = row[ju];
      row[ju] = next;
      row_min = std::min(row_min, next);
    }
    if (row_min > limit) return limit + 1;
  }
  return std::min(row[static_cast<std::size_t>(m)], limit + 1);
}

namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Folds spelling variants common in transliterated names to one consonant each. Returns
// the folded letters with vowels kept as 'a', before runs are collapsed.
std::string fold_consonants(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    switch (c) {
      case 'p':
        if (next == 'h') {
          out.push_back('f');
          ++i;
        } else {
          out.push_back('p');
        }
        break;
      case 'k':
        if (next == 'h') {  // kh ~ h: "mukhamed", "muhamed"; "khalid", "halid".
          out.push_back('h');
          ++i;
        } else {
          out.push_back('k');
        }
        break;
      case 'c':
        if (next == 'h') {
          out.push_back('c');  // ch, tch, tsch
          ++i;
        } else if (next == 'k' || next == 'q') {
          // "ck", "cq": one k.
        } else if (next == 'e' || next == 'i' || next == 'y') {
          out.push_back('s');
        } else {
          out.push_back('k');
        }
        break;
      case 'q': out.push_back('k'); break;
      case 'g':
        if (next == 'h') ++i;  // gh ~ g
        out.push_back('g');
        break;
      case 'x': out += "ks"; break;
      case 'z':
        if (next == 'h') {  // zh ~ j: "zhukov", "jukov"
          out.push_back('j');
          ++i;
        } else {
          out.push_back('s');
        }
        break;
      case 's':
        if (next == 'h') {
          out.push_back('c');  // sh ~ sch ~ ch, all hushing sounds.
          ++i;
        } else if (next == 'c' && i + 2 < t.size() && t[i + 2] == 'h') {
          out.push_back('c');
          i += 2;
        } else {
          out.push_back('s');
        }
        break;
      case 't':
        if (next == 'h') {
          out.push_back('t');
          ++i;
        } else if (next == 's' && i + 2 < t.size() && t[i + 2] == 'h') {
          out.push_back('c');
          i += 2;
        } else {
          out.push_back('t');
        }
        break;
      case 'd':
        if (next == 'h') ++i;
        if (next == 'j' || (next == 'z' && i + 2 < t.size() && t[i + 2] == 'h')) {
          out.push_back('j');
          i += next == 'j' ? 1 : 2;
        } else {
          out.push_back('d');
        }
        break;
      case 'w': out.push_back('v'); break;
      case 'h':
        // A final h after a vowel is often silent and often left out ("abdullah",
        // "abdulla").
        if (!out.empty() && is_vowel(t[i - 1]) && next == '\0') break;
        out.push_back('h');
        break;
      default: out.push_back(is_vowel(c) ? 'a' : c);
    }
  }
  return out;
}

}  // namespace

std::string phonetic_key(std::string_view token) {
  if (token.empty()) return {};
  if (token.front() >= '0' && token.front() <= '9') return std::string(token);
  std::string folded = fold_consonants(token);
  // A first vowel keeps its class, as Soundex keeps the first letter: "ulu" is not "allah",
  // while "osama" / "usama" and "ibrahim" / "ebrahim" stay together.
  if (is_vowel(token.front()) && !folded.empty()) {
    const char c = token.front();
    folded.front() = c == 'o' || c == 'u' ? 'u' : c == 'a' ? 'a' : 'i';
  }
  std::string key;
  key.reserve(folded.size());
  for (char c : folded) {
    if (!key.empty() && key.back() == c) continue;
    key.push_back(c);
  }
  // "dmitrij", "dmitriy" and "dmitri" end alike.
  if (key.size() > 2 && key.back() == 'j' && key[key.size() - 2] == 'a') key.pop_back();
  return key;
}

std::string skeleton_key(std::string_view token, bool weak_w) {
  std::string key;
  for (char c : fold_consonants(token)) {
    if (c == 'a') continue;
    // 'w' became 'v' above and 'y' is a vowel already: ICU gives 'w' and 'y' for the
    // Arabic letters waw and ya, which also write the long vowels u and i.
    if (weak_w && c == 'v') continue;
    if (!key.empty() && key.back() == c) continue;
    key.push_back(c);
  }
  // A final h is as often silent as not in romanised Arabic and Hebrew ("allh", "abdullah").
  if (key.size() > 1 && key.back() == 'h') key.pop_back();
  return key;
}

}  // namespace candor::screening
