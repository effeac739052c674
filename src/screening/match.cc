#include "screening/match.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "screening/align.h"
#include "screening/similarity.h"

// Scoring one name against another: the token alignment (align), the explanation, and the
// qualifiers from dates of birth, countries and kinds. The token rules are in token_rules.cc.
namespace candor::screening {

namespace {

// Initials and legal forms alone cap a name (align).
constexpr double kInitialsOnlyCap = 0.5;

struct Candidate {
  std::size_t query;
  std::size_t listed;
  TokenSimilarity similarity;
};

// A matched pair counts with the query token's weight: then a name's score is at most the
// weight of the query tokens it matches over the query's whole weight, a bound the index
// uses to skip names that cannot reach the threshold.
double pair_weight(double query, double /*listed*/) { return query; }

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

}  // namespace

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
