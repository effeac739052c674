#include "screening/match.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "screening/align.h"
#include "screening/han.h"
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
constexpr double kInitialsOnlyCap = 0.5;
constexpr double kCutScore = 0.9;

// Jaro-Winkler is generous (0.92 for "patricia" / "patrick"); its distance from 1 is
// stretched so that only near-identical spellings score near a match: 0.97 gives 0.925,
// 0.92 gives 0.80, the floor 0.88 gives 0.70.
double fuzzy_score(double jw) { return std::min(0.98, 1.0 - 2.5 * (1.0 - jw)); }

// Slips of the keyboard that leave a short word unlike by Jaro-Winkler: two neighbouring
// letters swapped ("hcol"), a letter left out or doubled (the first one too), a key hit
// beside the one meant. Any other letter replaced is not a slip: in a short word it as often
// makes another name (Ivan / Iran, John / Joan).
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

struct Candidate {
  std::size_t query;
  std::size_t listed;
  TokenSimilarity similarity;
};

// A matched pair counts with the query token's weight: then a name's score is at most the
// weight of the query tokens it matches over the query's whole weight, a bound the index
// uses to skip names that cannot reach the threshold.
double pair_weight(double query, double /*listed*/) { return query; }

bool is_word(const NameToken& t) { return t.kind == TokenKind::word; }

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

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

void align(const AlignInput& in, Alignment& out) {
  const std::size_t nq = in.query_size;
  const std::size_t nc = in.listed_size;
  out.pairs.clear();
  out.query_used.assign(nq, false);
  out.listed_used.assign(nc, false);
  thread_local std::vector<Candidate> candidates;
  candidates.clear();
  for (std::size_t i = 0; i < nq; ++i) {
    const NasabRole qr = in.query_role != nullptr ? in.query_role[i] : NasabRole::none;
    for (std::size_t j = 0; j < nc; ++j) {
      const auto& s = in.similarity[i * nc + j];
      const NasabRole lr = in.listed_role != nullptr ? in.listed_role[j] : NasabRole::none;
      const bool crossed = (qr == NasabRole::child && lr == NasabRole::parent) ||
                           (qr == NasabRole::parent && lr == NasabRole::child);
      if (s.score > 0.0 && !crossed) candidates.push_back({i, j, s});
    }
  }
  // Best pairs first; among equals the heavier, then the one in the same position, so that
  // "ali ali" against "ali hassan ali" pairs deterministically.
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.similarity.score != b.similarity.score) return a.similarity.score > b.similarity.score;
    const double wa = in.query_weight[a.query] + in.listed_weight[a.listed];
    const double wb = in.query_weight[b.query] + in.listed_weight[b.listed];
    if (wa != wb) return wa > wb;
    if (a.query != b.query) return a.query < b.query;
    return a.listed < b.listed;
  });
  double matched = 0.0;
  double possible = 0.0;
  for (const auto& cand : candidates) {
    if (out.query_used[cand.query] || out.listed_used[cand.listed]) continue;
    out.query_used[cand.query] = out.listed_used[cand.listed] = true;
    const double w = pair_weight(in.query_weight[cand.query], in.listed_weight[cand.listed]);
    matched += cand.similarity.score * w;
    possible += w;
    out.pairs.push_back({cand.query, 1, cand.listed, 1, cand.similarity, w});
  }
  thread_local std::vector<bool> scratch_listed;
  const auto missing_weight = [&] {
    // Once two query words are matched, a further query word the list lacks is most often
    // a middle name or patronymic the list leaves out: it counts half, as list words do.
    const double query_factor = out.pairs.size() >= 2 ? kUnmatchedQueryFactor : 1.0;
    const auto patronymic_left = [](const bool* patronymic, const std::vector<bool>& used) {
      if (patronymic == nullptr) return false;
      for (std::size_t k = 0; k < used.size(); ++k) {
        if (!used[k] && patronymic[k]) return true;
      }
      return false;
    };
    // A patronymic that one side leaves out says little; two that differ ("Ivan Petrovich" /
    // "Ivan Sergeyevich") name different fathers, and count in full.
    const double patronymic_factor = patronymic_left(in.query_patronymic, out.query_used) &&
                                             patronymic_left(in.listed_patronymic, out.listed_used)
                                         ? kDifferingPatronymicFactor
                                         : kPatronymicFactor;
    // Words left over on both sides are not a name left out but a name changed ("Lopez" /
    // "Ortiz", "Cyprus" / "Malta"): they count in full.
    const auto word_left = [](const bool* patronymic, const std::vector<bool>& used) {
      for (std::size_t k = 0; k < used.size(); ++k) {
        if (!used[k] && (patronymic == nullptr || !patronymic[k])) return true;
      }
      return false;
    };
    // Where a cut query met the list: the list's words after it were cut off.
    std::size_t cut_off_from = nc;
    for (const auto& pair : out.pairs) {
      // Only a word met as the start of a list word shows where the cut fell.
      if (pair.similarity.rule == TokenRule::cut && in.cut_query >= pair.query_begin &&
          in.cut_query < pair.query_begin + pair.query_count) {
        cut_off_from = pair.listed_begin + pair.listed_count;
      }
    }
    std::vector<bool>& listed_seen = scratch_listed;
    listed_seen = out.listed_used;
    for (std::size_t j = cut_off_from; j < nc; ++j) listed_seen[j] = true;
    const bool changed = word_left(in.query_patronymic, out.query_used) &&
                         word_left(in.listed_patronymic, listed_seen);
    const double listed_factor = changed ? kChangedWordFactor : kUnmatchedListedFactor;
    const double query_left_factor = changed ? kChangedWordFactor : query_factor;
    double missing = 0.0;
    for (std::size_t i = 0; i < nq; ++i) {
      if (out.query_used[i]) continue;
      missing += (in.query_patronymic != nullptr && in.query_patronymic[i] ? patronymic_factor
                                                                           : query_left_factor) *
                 in.query_weight[i];
    }
    for (std::size_t j = 0; j < nc; ++j) {
      if (out.listed_used[j]) continue;
      const double factor = j >= cut_off_from ? kCutOffFactor
                            : in.listed_patronymic != nullptr && in.listed_patronymic[j]
                                ? patronymic_factor
                                : listed_factor;
      missing += factor * in.listed_weight[j];
    }
    return missing;
  };
  double missing = missing_weight();
  const bool any_left_q =
      std::find(out.query_used.begin(), out.query_used.end(), false) != out.query_used.end();
  const bool any_left_c =
      std::find(out.listed_used.begin(), out.listed_used.end(), false) != out.listed_used.end();
  // Names written together on one side and apart on the other: "xi jin ping" / "xi jinping".
  // A join takes two tokens on one side for one on the other, so it needs more tokens left
  // on one side than on the other.
  const auto left_q =
      static_cast<std::size_t>(std::count(out.query_used.begin(), out.query_used.end(), false));
  const auto left_c =
      static_cast<std::size_t>(std::count(out.listed_used.begin(), out.listed_used.end(), false));
  if (in.join && any_left_q && any_left_c && left_q != left_c &&
      (matched + missing) / (possible + missing) >= in.join_floor) {
    const auto try_join = [&](bool parts_are_query) {
      std::vector<bool>& parts_used = parts_are_query ? out.query_used : out.listed_used;
      std::vector<bool>& whole_used = parts_are_query ? out.listed_used : out.query_used;
      const double* parts_w = parts_are_query ? in.query_weight : in.listed_weight;
      const double* whole_w = parts_are_query ? in.listed_weight : in.query_weight;
      for (std::size_t k = 0; k < whole_used.size(); ++k) {
        if (whole_used[k]) continue;
        for (std::size_t p = 0; p + 1 < parts_used.size(); ++p) {
          if (parts_used[p] || parts_used[p + 1]) continue;
          const TokenSimilarity s = in.join(parts_are_query, p, k);
          // The list's words joined are matched only as spelled: the index retrieves names
          // by the query's words split exactly (index.cc), and must find what scoring would.
          if (s.score <= 0.0 || (!parts_are_query && s.score < 1.0)) continue;
          whole_used[k] = parts_used[p] = parts_used[p + 1] = true;
          const double w = parts_are_query ? pair_weight(parts_w[p] + parts_w[p + 1], whole_w[k])
                                           : pair_weight(whole_w[k], parts_w[p] + parts_w[p + 1]);
          matched += s.score * w;
          possible += w;
          out.pairs.push_back(parts_are_query ? AlignedPair{p, 2, k, 1, s, w}
                                              : AlignedPair{k, 1, p, 2, s, w});
          break;
        }
      }
    };
    try_join(true);
    try_join(false);
    missing = missing_weight();
  }
  // A query word matched alone may be half of a word the list writes as one: "petro" paired
  // loosely with "petrogreen" while "green" goes unmatched. Such a pair is redone as the
  // join when the two query words spell the list's word exactly, and kept so only if the
  // name scores higher for it. (The list's words run together for a query's one are left to
  // the joins above: the index cannot yet retrieve by them.)
  // Not held to join_floor: an inexact pair redone can lift any score, and the pass is cheap
  // (no copy unless a pair is redone).
  if (in.join) {
    std::optional<Alignment> before;
    const double matched_before = matched;
    const double possible_before = possible;
    const double score_before = possible + missing > 0.0 ? matched / (possible + missing) : 0.0;
    for (auto& pair : out.pairs) {
      if (pair.query_count != 1 || pair.listed_count != 1 || pair.similarity.score >= 1.0) continue;
      // The query's word may be half of the list's, or the list's half of the query's.
      for (const bool parts_are_query : {true, false}) {
        const std::size_t part = parts_are_query ? pair.query_begin : pair.listed_begin;
        const std::size_t whole = parts_are_query ? pair.listed_begin : pair.query_begin;
        const std::size_t parts = parts_are_query ? nq : nc;
        std::vector<bool>& used = parts_are_query ? out.query_used : out.listed_used;
        bool redone = false;
        for (const std::size_t p : {part == 0 ? part : part - 1, part}) {
          const std::size_t other = p == part ? p + 1 : p;
          if (p + 1 >= parts || other == part || used[other]) continue;
          // Exact joins only: the index retrieves names by a query's words joined or split
          // as spelled (index.cc), and must find whatever scoring would.
          const TokenSimilarity s = in.join(parts_are_query, p, whole);
          if (s.score < 1.0) continue;
          if (!before) before = out;
          matched -= pair.similarity.score * pair.weight;
          possible -= pair.weight;
          const double w = parts_are_query
                               ? pair_weight(in.query_weight[p] + in.query_weight[p + 1],
                                             in.listed_weight[whole])
                               : pair_weight(in.query_weight[whole],
                                             in.listed_weight[p] + in.listed_weight[p + 1]);
          used[other] = true;
          pair = parts_are_query ? AlignedPair{p, 2, whole, 1, s, w}
                                 : AlignedPair{whole, 1, p, 2, s, w};
          matched += s.score * w;
          possible += w;
          redone = true;
          break;
        }
        if (redone) break;
      }
    }
    if (before) {
      missing = missing_weight();
      const double score_after = possible + missing > 0.0 ? matched / (possible + missing) : 0.0;
      if (score_after < score_before) {
        out = std::move(*before);
        matched = matched_before;
        possible = possible_before;
        missing = missing_weight();
      }
    }
  }
  const double total = possible + missing;
  out.score = total > 0.0 ? matched / total : 0.0;
  // Initials and legal forms alone say little ("E. S. Co." would meet every "E... S...
  // Company"): without a word met, the name stays below any threshold worth reviewing.
  const bool word_met = std::any_of(out.pairs.begin(), out.pairs.end(), [](const AlignedPair& p) {
    return p.similarity.rule != TokenRule::initial && p.similarity.rule != TokenRule::legal_form;
  });
  if (!word_met) out.score = std::min(out.score, kInitialsOnlyCap);
}

NameScore describe(const Alignment& alignment, const std::vector<NameToken>& query,
                   const std::vector<NameToken>& listed) {
  const auto& q = query;
  const auto& c = listed;
  NameScore result;
  result.score = alignment.score;
  // In the query's word order, as the officer typed it.
  std::vector<AlignedPair> ordered = alignment.pairs;
  std::sort(ordered.begin(), ordered.end(), [](const AlignedPair& a, const AlignedPair& b) {
    return a.query_begin < b.query_begin;
  });
  const auto text = [](const std::vector<NameToken>& tokens, std::size_t begin, std::size_t n) {
    std::string out = tokens[begin].text;
    for (std::size_t k = 1; k < n; ++k) out += " " + tokens[begin + k].text;
    return out;
  };
  for (const auto& pair : ordered) {
    result.pairs.push_back(
        {text(q, pair.query_begin, pair.query_count), text(c, pair.listed_begin, pair.listed_count),
         pair.query_count + pair.listed_count > 2 ? TokenRule::joined : pair.similarity.rule,
         pair.similarity.score, pair.weight});
  }
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (!alignment.query_used[i]) result.unmatched_query.push_back(q[i].text);
  }
  for (std::size_t j = 0; j < c.size(); ++j) {
    if (!alignment.listed_used[j]) result.unmatched_listed.push_back(c[j].text);
  }
  return result;
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

namespace {

NameScore score_tokens(const std::vector<NameToken>& q, const std::vector<NameToken>& c,
                       bool vowelless, const TokenWeight& weight) {
  std::vector<double> wq(q.size());
  std::vector<double> wc(c.size());
  for (std::size_t i = 0; i < q.size(); ++i) wq[i] = weight(q[i]);
  for (std::size_t j = 0; j < c.size(); ++j) wc[j] = weight(c[j]);
  std::vector<TokenSimilarity> sims(q.size() * c.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    for (std::size_t j = 0; j < c.size(); ++j) {
      sims[i * c.size() + j] = compare_tokens(q[i], c[j], vowelless);
    }
  }
  AlignInput input;
  input.query_size = q.size();
  input.listed_size = c.size();
  input.query_weight = wq.data();
  input.listed_weight = wc.data();
  input.similarity = sims.data();
  std::unique_ptr<bool[]> q_patronymic(new bool[q.size() + 1]);
  std::unique_ptr<bool[]> c_patronymic(new bool[c.size() + 1]);
  for (std::size_t i = 0; i < q.size(); ++i) q_patronymic[i] = is_patronymic(q[i]);
  for (std::size_t j = 0; j < c.size(); ++j) c_patronymic[j] = is_patronymic(c[j]);
  input.query_patronymic = q_patronymic.get();
  input.listed_patronymic = c_patronymic.get();
  std::vector<NasabRole> q_roles;
  std::vector<NasabRole> c_roles;
  nasab_roles(q, q_roles);
  nasab_roles(c, c_roles);
  input.query_role = q_roles.data();
  input.listed_role = c_roles.data();
  if (!q.empty() && q.back().cut) input.cut_query = q.size() - 1;
  input.join = [&](bool parts_are_query, std::size_t p, std::size_t k) {
    return parts_are_query ? join_tokens(q[p], q[p + 1], c[k], vowelless)
                           : join_tokens(c[p], c[p + 1], q[k], vowelless);
  };
  Alignment alignment;
  align(input, alignment);
  return describe(alignment, q, c);
}

}  // namespace

NameScore score_names(const PreparedName& query, const PreparedName& listed,
                      const TokenWeight& weight) {
  const bool vowelless = query.vowelless || listed.vowelless;
  NameScore best = score_tokens(query.tokens, listed.tokens, vowelless, weight);
  const auto consider = [&](const std::vector<NameToken>& q, const std::vector<NameToken>& c) {
    NameScore s = score_tokens(q, c, vowelless, weight);
    if (s.score > best.score) best = std::move(s);
  };
  for (const auto& alternative : query.alternatives) consider(alternative, listed.tokens);
  for (const auto& alternative : listed.alternatives) {
    consider(query.tokens, alternative);
    for (const auto& q : query.alternatives) consider(q, alternative);
  }
  return best;
}

namespace {

struct DateParts {
  int year = 0;
  int month = 0;  // 0 when not given
  int day = 0;
};

bool parse_date(std::string_view text, DateParts& out) {
  const auto number = [&](std::size_t at, std::size_t length, int& value) {
    if (at + length > text.size()) return false;
    value = 0;
    for (std::size_t k = at; k < at + length; ++k) {
      if (text[k] < '0' || text[k] > '9') return false;
      value = value * 10 + (text[k] - '0');
    }
    return true;
  };
  out = {};
  if (!number(0, 4, out.year)) return false;
  if (text.size() >= 7 && (text[4] != '-' || !number(5, 2, out.month))) return false;
  if (text.size() >= 10 && (text[7] != '-' || !number(8, 2, out.day))) return false;
  return text.size() == 4 || text.size() == 7 || text.size() == 10;
}

EntityType broad(EntityType type) {
  return type == EntityType::vessel || type == EntityType::aircraft ? EntityType::organization
                                                                    : type;
}

std::string lower(std::string text) {
  for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

}  // namespace

std::vector<QualifierEffect> qualify(const QueryFacts& facts, const Entity& entity) {
  std::vector<QualifierEffect> effects;
  DateParts wanted;
  if (!facts.birth_date.empty() && parse_date(facts.birth_date, wanted) &&
      !entity.birth_dates.empty()) {
    // The closest of the entity's dates decides: lists give several when sources differ.
    int best = 3;  // 0 same at the precision both give, 1 same year, 2 a year apart, 3 further
    std::string closest = entity.birth_dates.front();
    for (const auto& date : entity.birth_dates) {
      DateParts listed;
      if (!parse_date(date, listed)) continue;
      int rank = 3;
      if (listed.year == wanted.year) {
        const bool month_ok =
            listed.month == 0 || wanted.month == 0 || listed.month == wanted.month;
        const bool day_ok = listed.day == 0 || wanted.day == 0 || listed.day == wanted.day;
        rank = month_ok && day_ok ? 0 : 1;
      } else if (std::abs(listed.year - wanted.year) == 1) {
        rank = 2;
      }
      if (rank < best) {
        best = rank;
        closest = date;
      }
    }
    static constexpr double kDelta[] = {0.05, 0.0, -0.05, -0.15};
    static constexpr const char* kWords[] = {"matches", "is the same year as", "is a year from",
                                             "differs from"};
    effects.push_back(
        {"date_of_birth", kDelta[best], facts.birth_date + " " + kWords[best] + " " + closest});
  }
  if (!facts.country.empty() && !entity.countries.empty()) {
    const std::string wanted_country = lower(facts.country);
    bool found = false;
    std::string listed;
    for (const auto& country : entity.countries) {
      if (!listed.empty()) listed += ", ";
      listed += lower(country);
      found = found || lower(country) == wanted_country;
    }
    effects.push_back({"country", found ? 0.03 : -0.05,
                       wanted_country + (found ? " is among " : " is not among ") + listed});
  }
  const EntityType wanted_type = broad(facts.type);
  const EntityType listed_type = broad(entity.type);
  if (wanted_type != EntityType::unknown && listed_type != EntityType::unknown &&
      wanted_type != listed_type) {
    effects.push_back({"type", -0.25,
                       std::string(to_string(facts.type)) + " queried, list has " +
                           std::string(to_string(entity.type))});
  }
  return effects;
}

double combine(double name_score, const std::vector<QualifierEffect>& effects) {
  double score = name_score;
  for (const auto& effect : effects) score += effect.delta;
  return std::clamp(score, 0.0, 1.0);
}

std::string explain(const NameScore& name, const std::vector<QualifierEffect>& effects) {
  std::string out;
  const auto add = [&](const std::string& part) {
    if (!out.empty()) out += "; ";
    out += part;
  };
  for (const auto& pair : name.pairs) {
    if (pair.rule == TokenRule::exact || pair.rule == TokenRule::legal_form) {
      add(pair.query + " = " + pair.listed + " (" + std::string(to_string(pair.rule)) + ")");
    } else {
      add(pair.query + " ~ " + pair.listed + " (" + std::string(to_string(pair.rule)) + " " +
          format_number(pair.similarity) + ")");
    }
  }
  const auto join_words = [](const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
    return text;
  };
  if (!name.unmatched_query.empty())
    add("not in the list's name: " + join_words(name.unmatched_query));
  if (!name.unmatched_listed.empty()) add("list has also: " + join_words(name.unmatched_listed));
  add("name score " + format_number(name.score));
  for (const auto& effect : effects) {
    std::string label = effect.name == "date_of_birth" ? "date of birth" : effect.name;
    add(label + " " + effect.detail + ": " + (effect.delta >= 0 ? "+" : "") +
        format_number(effect.delta));
  }
  return out;
}

}  // namespace candor::screening
