// Searching the index: alike tokens through the vocabulary postings, candidate names through
// the compressed name postings under the score bound, then scoring and explaining.
#include "screening/index.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "screening/align.h"
#include "screening/index_keys.h"
#include "screening/similarity.h"

namespace candor::screening {
namespace {

// Qualifiers can add at most this much (date of birth +0.05, country +0.03): retrieval
// keeps names that could reach the threshold with them.
constexpr double kMaxQualifierBonus = 0.08;
// A weak alias (OFAC's and the UN's "low quality" a.k.a.) alone is not enough to block.
constexpr double kWeakAliasDelta = -0.05;

}  // namespace

namespace {
// The shortest part of a query word that may be a list word of its own.
constexpr std::size_t kMinSplitPart = 2;
}  // namespace

struct Index::PreparedQuery {
  PreparedName name;
  std::vector<std::vector<TokenMatch>> similar;  // Per query token, sorted by vocab id.
  std::vector<std::vector<TokenMatch>> joined;   // Per adjacent pair (i, i+1).
  // Per query word, list words that spell it when written together ("sakabuyamorris":
  // "sakabuya", "morris"): the list's two words joined, matched in scoring (align).
  std::vector<std::vector<TokenMatch>> split;
  // Per query word, the list's initial of its first letter: read only to credit names
  // already found (an initial alone would bring in every name with that letter).
  std::vector<std::vector<TokenMatch>> initials;
  std::vector<double> weights;
  std::vector<NasabRole> roles;
  double total_weight = 0.0;
};

std::vector<Index::TokenMatch> Index::similar_tokens(const NameToken& token, bool vowelless,
                                                     bool use_grams) const {
  // The same words recur across queries ("mohammed", "ali", "trading"): each thread keeps the
  // alike tokens it has worked out, per index. Tokens with variants (Korean, Han) are rare and
  // not kept.
  const bool cacheable =
      token_cache_ && token.variants.empty() && !token.han && !token.cut && !token.made;
  thread_local std::uint64_t cache_owner = 0;
  thread_local std::unordered_map<std::string, std::vector<TokenMatch>> cache;
  std::string key;
  if (cacheable) {
    if (cache_owner != id_ || cache.size() > 100000) {
      cache.clear();
      cache_owner = id_;
    }
    key.reserve(token.text.size() + 3);
    key.push_back(static_cast<char>('0' + static_cast<int>(token.kind)));
    key.push_back(vowelless ? 'v' : '-');
    key.push_back(use_grams ? 'g' : '-');
    key += token.text;
    if (const auto found = cache.find(key); found != cache.end()) return found->second;
  }
  auto matches = find_similar(token, vowelless, use_grams);
  if (cacheable) cache.emplace(std::move(key), matches);
  return matches;
}

std::vector<Index::TokenMatch> Index::find_similar(const NameToken& token, bool vowelless,
                                                   bool use_grams) const {
  std::vector<std::uint32_t> ids;
  const auto add_id = [&](const std::string& key) {
    if (auto found = vocab_ids_.find(key); found != vocab_ids_.end()) ids.push_back(found->second);
  };
  add_id(vocab_key(token));
  // A word may be the acronym Candor made of a listed name ("irgc").
  if (!token.made && token.kind == TokenKind::word) add_id(kMadeAcronymKey + token.text);
  if (token.kind == TokenKind::word) {
    std::vector<std::string> spellings;
    if (!token.han) spellings.push_back(token.text);
    spellings.insert(spellings.end(), token.variants.begin(), token.variants.end());
    const auto add_all = [&](const auto& map, const std::string& key) {
      if (auto found = map.find(key); found != map.end()) {
        ids.insert(ids.end(), found->second.begin(), found->second.end());
      }
    };
    for (const auto& spelling : spellings) {
      add_id(spelling);
      add_all(variant_ids_, spelling);
      // Readings of Han characters are many and are matched exactly.
      if (token.han) continue;
      if (spelling.size() == 3) {
        std::string swapped = spelling;
        std::swap(swapped[0], swapped[1]);
        add_id(swapped);
      }
      if (spelling.size() >= 4) {
        // A first letter changed, added or dropped: trigrams are keyed by first letter.
        add_all(tails_, spelling.substr(1));
        add_id(spelling.substr(1));
        add_all(tails_, spelling);
        // The first two letters swapped ("lvadimir"): neither the tails nor the trigrams,
        // keyed by first letter, would find it.
        std::string swapped = spelling;
        std::swap(swapped[0], swapped[1]);
        add_id(swapped);
        add_all(tails_, swapped.substr(1));
      }
      add_all(sound_keys_, phonetic_key(spelling));
      if (spelling.size() >= kMinDeletionWord - 1 && spelling.size() <= kMaxDeletionWord + 1) {
        const auto add_hashed = [&](std::string_view text) {
          if (auto found = deletions_.find(spelling_hash(text)); found != deletions_.end()) {
            ids.insert(ids.end(), found->second.begin(), found->second.end());
          }
        };
        add_hashed(spelling);
        for_each_deletion(spelling, [&](const std::string& shorter) { add_hashed(shorter); });
      }
      {
        // Skeletons are looked up for every query: a Latin query meets names written in
        // Arabic script by them. One-consonant skeletons ("l" for "ali") would bring in half the
        // vocabulary.
        for (const bool weak_w : {true, false}) {
          if (auto key = skeleton_key(spelling, weak_w);
              key.size() >= 2 || (!key.empty() && spelling.size() <= 3)) {
            add_all(skeletons_, key);
          }
        }
      }
      if (use_grams && spelling.size() >= 4 && !token.han) {
        // Tokens with the same first letter sharing all but three of this one's trigrams,
        // then checked in full. Keying trigrams by first letter keeps the lists short; names
        // spelled with another first letter ("yusuf", "jusuf") meet through sound keys.
        thread_local std::vector<std::uint16_t> counts;
        thread_local std::vector<std::uint32_t> touched;
        if (counts.size() < vocab_.size()) counts.assign(vocab_.size(), 0);
        touched.clear();
        const auto query_grams = grams(spelling);
        // One changed letter costs at most three trigrams.
        const std::size_t need = std::max<std::size_t>(
            2, query_grams.size() - std::min<std::size_t>(3, query_grams.size()));
        for (const auto g : query_grams) {
          const auto found = grams_.find(gram_key(spelling.front(), g));
          if (found == grams_.end()) continue;
          for (const auto id : found->second) {
            if (counts[id]++ == 0) touched.push_back(id);
          }
        }
        for (const auto id : touched) {
          if (counts[id] >= need) ids.push_back(id);
          counts[id] = 0;
        }
      }
    }
  }
  if (token.cut) {
    // The words a cut word begins ("contract": "contracting"), as compare_tokens allows.
    auto at = std::lower_bound(
        words_by_spelling_.begin(), words_by_spelling_.end(), token.text,
        [&](std::uint32_t id, const std::string& text) { return vocab_[id].token.text < text; });
    for (; at != words_by_spelling_.end() && vocab_[*at].token.text.starts_with(token.text); ++at) {
      ids.push_back(*at);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<TokenMatch> out;
  SpellingKeys keys;
  if (token.kind == TokenKind::word && !token.han) keys = spelling_keys(token.text);
  for (const auto id : ids) {
    const auto s = compare_tokens(token, keys, vocab_[id].token, vocab_[id].keys,
                                  vowelless || vocab_[id].vowelless);
    if (s.score > 0.0) out.push_back({id, s});
  }
  return out;
}

double Index::token_weight(const NameToken& token) const {
  return query_weight(token, similar_tokens(token, false));
}

double Index::query_weight(const NameToken& token, const std::vector<TokenMatch>& similar) const {
  // A token the list has weighs what it weighs there; a misspelling weighs what the best
  // spelling alike weighs; a token the list lacks entirely is as rare as can be.
  double best_score = 0.0;
  double weight = max_weight_ * default_token_weight(token);
  for (const auto& match : similar) {
    if (match.similarity.score > best_score) {
      best_score = match.similarity.score;
      weight = vocab_[match.vocab].weight;
    }
  }
  return weight;
}

void Index::prepare_query(PreparedName name, PreparedQuery& out) const {
  out.name = std::move(name);
  auto& tokens = out.name.tokens;
  if (tokens.size() > 64) tokens.resize(64);
  out.similar.clear();
  out.weights.clear();
  out.total_weight = 0.0;
  for (const auto& token : tokens) {
    out.similar.push_back(similar_tokens(token, out.name.vowelless));
    out.weights.push_back(query_weight(token, out.similar.back()));
    out.total_weight += out.weights.back();
  }
  nasab_roles(tokens, out.roles);
  out.initials.assign(tokens.size(), {});
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::word || tokens[i].han) continue;
    const auto found = vocab_ids_.find(tokens[i].text.substr(0, 1));
    if (found == vocab_ids_.end()) continue;
    const auto s = compare_tokens(tokens[i], vocab_[found->second].token, false);
    if (s.score > 0.0) out.initials[i].push_back({found->second, s});
  }
  out.split.assign(tokens.size(), {});
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& text = tokens[i].text;
    if (tokens[i].kind != TokenKind::word || tokens[i].han || text.size() < 2 * kMinSplitPart + 1) {
      continue;
    }
    for (std::size_t at = kMinSplitPart; at + kMinSplitPart <= text.size(); ++at) {
      const auto left = vocab_ids_.find(text.substr(0, at));
      if (left == vocab_ids_.end()) continue;
      const auto right = vocab_ids_.find(text.substr(at));
      if (right == vocab_ids_.end()) continue;
      out.split[i].push_back({left->second, {1.0, TokenRule::joined}});
      out.split[i].push_back({right->second, {1.0, TokenRule::joined}});
    }
  }
  out.joined.assign(tokens.size() > 1 ? tokens.size() - 1 : 0, {});
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::word || tokens[i + 1].kind != TokenKind::word) continue;
    NameToken joined{tokens[i].text + tokens[i + 1].text, TokenKind::word, {}, {}};
    // Joined spellings must be close (join_tokens): exact and sound-key postings suffice.
    for (const auto& match : similar_tokens(joined, out.name.vowelless, false)) {
      const NameToken& whole = vocab_[match.vocab].token;
      const auto s = join_tokens(tokens[i], tokens[i + 1], whole, out.name.vowelless);
      if (s.score > 0.0) out.joined[i].push_back({match.vocab, s});
    }
  }
}

void Index::collect(const PreparedQuery& query, double threshold, std::vector<std::uint32_t>& names,
                    SearchStats* stats) const {
  names.clear();
  const std::size_t n = query.name.tokens.size();
  if (n == 0 || query.total_weight <= 0.0) return;
  const double floor = std::max(0.0, threshold - kMaxQualifierBonus);
  const double total = query.total_weight;
  // A name scores at most the weight of the query tokens it matches over the query's whole
  // weight (match.cc, pair_weight). So the lightest tokens, together lighter than the floor,
  // cannot make a hit alone: their postings need not be read (prefix filtering), and a name
  // must gain from the tokens read what the skipped ones cannot give.
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return query.weights[a] < query.weights[b]; });
  // With unmatched query words counting k = kUnmatchedQueryFactor, a name that gains g of
  // the query's weight W scores at most g / (g + k (W - g)); reaching the floor f needs
  // g >= f k W / (1 - f + f k).
  double k = kUnmatchedQueryFactor;
  for (const auto& token : query.name.tokens) {
    if (is_patronymic(token)) k = std::min(k, kPatronymicFactor);
  }
  const double least_gain = floor * k * total / (1.0 - floor + floor * k);
  std::vector<bool> read(n, true);
  double skipped = 0.0;
  // Initials are not looked up; they only count once a name is scored.
  for (std::size_t i = 0; i < n; ++i) {
    if (query.name.tokens[i].kind == TokenKind::initial) {
      skipped += query.weights[i];
      read[i] = false;
    }
  }
  for (const auto i : order) {
    if (!read[i]) continue;
    if (skipped + query.weights[i] >= least_gain) break;
    skipped += query.weights[i];
    read[i] = false;
  }
  thread_local std::vector<std::uint32_t> marks;
  thread_local std::vector<float> gained;
  thread_local std::vector<std::uint16_t> last_token;
  thread_local std::vector<std::uint32_t> touched;
  thread_local std::uint32_t epoch = 0;
  if (marks.size() < names_.size()) {
    marks.assign(names_.size(), 0);
    gained.assign(names_.size(), 0.0F);
    last_token.assign(names_.size(), 0);
    epoch = 0;
  }
  if (++epoch == 0) {
    std::fill(marks.begin(), marks.end(), 0);
    epoch = 1;
  }
  touched.clear();
  std::size_t postings = 0;
  std::size_t similar = 0;
  // Phase 1 (open) reads the tokens that can bring names in; phase 2 (closed) reads the
  // skipped ones only to credit names already in, so that the bound below is tight.
  const auto read_postings = [&](const std::vector<TokenMatch>& matches, std::size_t token,
                                 double weight, bool open) {
    // Best first, so that a name containing two spellings alike gets the better one.
    thread_local std::vector<TokenMatch> by_score;
    by_score.assign(matches.begin(), matches.end());
    std::stable_sort(by_score.begin(), by_score.end(),
                     [](const TokenMatch& a, const TokenMatch& b) {
                       return a.similarity.score > b.similarity.score;
                     });
    for (const auto& match : by_score) {
      ++similar;
      const std::uint8_t* begin = postings_.data() + posting_offsets_[match.vocab];
      const std::uint8_t* end = postings_.data() + posting_offsets_[match.vocab + 1];
      const auto credit = static_cast<float>(weight * match.similarity.score);
      for_each_posting(begin, end, [&](std::uint32_t name) {
        ++postings;
        if (marks[name] != epoch) {
          if (!open) return;
          marks[name] = epoch;
          gained[name] = 0.0F;
          last_token[name] = 0xFFFF;
          touched.push_back(name);
        }
        // Each query token counts once per name, at its best.
        if (last_token[name] != token) {
          last_token[name] = static_cast<std::uint16_t>(token);
          gained[name] += credit;
        }
      });
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (read[i]) read_postings(query.similar[i], i, query.weights[i], true);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (read[i]) read_postings(query.split[i], i, query.weights[i], true);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (read[i]) read_postings(query.initials[i], i, query.weights[i], false);
  }
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (read[i] || read[i + 1]) {
      read_postings(query.joined[i], 0xFFFE, query.weights[i] + query.weights[i + 1], true);
    }
  }
  double unread = 0.0;  // Initials: matched only when scoring.
  for (std::size_t i = 0; i < n; ++i) {
    if (read[i]) continue;
    if (query.name.tokens[i].kind == TokenKind::initial) {
      unread += query.weights[i];
    } else {
      read_postings(query.similar[i], i, query.weights[i], false);
      read_postings(query.split[i], i, query.weights[i], false);
      read_postings(query.initials[i], i, query.weights[i], false);
    }
  }
  // The margin absorbs float rounding of the credits.
  const double needed = least_gain - unread - 1e-6 * total;
  for (const auto name : touched) {
    if (gained[name] >= needed) names.push_back(name);
  }
  if (stats != nullptr) {
    stats->similar_tokens += similar;
    stats->postings += postings;
    stats->candidates += names.size();
  }
}

double Index::score_name(const PreparedQuery& query, std::uint32_t name_id, double join_floor,
                         Alignment* alignment) const {
  const NameEntry& name = names_[name_id];
  const auto& q = query.name.tokens;
  const std::size_t nq = q.size();
  const std::size_t nc = name.token_count;
  const std::uint32_t* ids = name_tokens_.data() + name.first_token;
  thread_local std::vector<TokenSimilarity> sims;
  thread_local std::vector<double> listed_weights;
  thread_local std::unique_ptr<bool[]> listed_patronymic(new bool[64]);
  thread_local std::unique_ptr<bool[]> query_patronymic(new bool[64]);
  sims.assign(nq * nc, TokenSimilarity{});
  listed_weights.resize(nc);
  for (std::size_t j = 0; j < nc; ++j) {
    listed_weights[j] = vocab_[ids[j]].weight;
    listed_patronymic[j] = vocab_[ids[j]].patronymic;
  }
  for (std::size_t i = 0; i < nq; ++i) query_patronymic[i] = is_patronymic(q[i]);
  // Roles in a chain of descent, only when both names have one.
  thread_local std::vector<NasabRole> listed_roles;
  bool listed_chain = false;
  if (std::find(query.roles.begin(), query.roles.end(), NasabRole::parent) != query.roles.end()) {
    listed_roles.assign(nc, NasabRole::none);
    for (std::size_t j = 1; j + 1 < nc; ++j) {
      if (!vocab_[ids[j]].connector) continue;
      listed_chain = true;
      if (listed_roles[j - 1] == NasabRole::none) listed_roles[j - 1] = NasabRole::child;
      listed_roles[j + 1] = NasabRole::parent;
    }
  }
  for (std::size_t i = 0; i < nq; ++i) {
    const auto& similar = query.similar[i];
    for (std::size_t j = 0; j < nc; ++j) {
      const NameToken& listed = vocab_[ids[j]].token;
      if (q[i].kind == TokenKind::initial || listed.kind == TokenKind::initial) {
        sims[i * nc + j] = compare_tokens(q[i], listed, false);
        continue;
      }
      const auto found =
          std::lower_bound(similar.begin(), similar.end(), ids[j],
                           [](const TokenMatch& m, std::uint32_t id) { return m.vocab < id; });
      if (found != similar.end() && found->vocab == ids[j]) sims[i * nc + j] = found->similarity;
    }
  }
  AlignInput input;
  input.query_size = nq;
  input.listed_size = nc;
  input.query_weight = query.weights.data();
  input.listed_weight = listed_weights.data();
  input.similarity = sims.data();
  input.query_patronymic = query_patronymic.get();
  input.listed_patronymic = listed_patronymic.get();
  if (listed_chain) {
    input.query_role = query.roles.data();
    input.listed_role = listed_roles.data();
  }
  const bool vowelless = query.name.vowelless || name.vowelless;
  input.join = [&](bool parts_are_query, std::size_t p, std::size_t k) {
    return parts_are_query
               ? join_tokens(q[p], q[p + 1], vocab_[ids[k]].token, vowelless)
               : join_tokens(vocab_[ids[p]].token, vocab_[ids[p + 1]].token, q[k], vowelless);
  };
  input.join_floor = join_floor;
  if (nq > 0 && q.back().cut) input.cut_query = nq - 1;
  thread_local Alignment scratch;
  Alignment& out = alignment != nullptr ? *alignment : scratch;
  align(input, out);
  return out.score;
}

std::vector<Index::PreparedQuery> Index::prepare_readings(const Query& query) const {
  PreparedName name = preparer_->prepare(query.name, query.facts.type);
  std::vector<PreparedQuery> readings(1 + name.alternatives.size());
  for (std::size_t a = 0; a < name.alternatives.size(); ++a) {
    prepare_query(PreparedName{std::move(name.alternatives[a]), name.vowelless, {}},
                  readings[a + 1]);
  }
  name.alternatives.clear();
  prepare_query(std::move(name), readings[0]);
  return readings;
}

std::vector<Hit> Index::search(const Query& query, const SearchOptions& options,
                               SearchStats* stats) const {
  const std::vector<PreparedQuery> readings = prepare_readings(query);
  const double floor = std::max(0.0, options.threshold - kMaxQualifierBonus);
  // Best name per entity, over every reading of the query.
  struct Best {
    std::uint32_t entity;
    std::uint32_t name;
    double score;
    std::uint32_t reading;
  };
  std::vector<Best> best;
  thread_local std::vector<std::uint32_t> candidates;
  for (std::size_t r = 0; r < readings.size(); ++r) {
    collect(readings[r], options.threshold, candidates, stats);
    for (const auto name : candidates) {
      const double score = score_name(readings[r], name, floor, nullptr);
      if (score < floor) continue;
      best.push_back({names_[name].entity, name, score, static_cast<std::uint32_t>(r)});
    }
  }
  std::sort(best.begin(), best.end(), [](const Best& a, const Best& b) {
    if (a.entity != b.entity) return a.entity < b.entity;
    if (a.score != b.score) return a.score > b.score;
    return a.name < b.name;
  });
  std::vector<Hit> hits;
  std::vector<std::uint32_t> hit_names;  // The matched name of hits[k], for explaining.
  std::vector<std::uint32_t> hit_readings;
  for (std::size_t k = 0; k < best.size(); ++k) {
    if (k > 0 && best[k].entity == best[k - 1].entity) continue;
    const auto [l, e] = entity_refs_[best[k].entity];
    const Entity& entity = lists_[l].entities[e];
    const NameEntry& name = names_[best[k].name];
    Hit hit;
    hit.name_score = best[k].score;
    hit.qualifiers = qualify(query.facts, entity);
    if (name.weak) {
      hit.qualifiers.push_back(
          {"weak_alias", kWeakAliasDelta, "the list marks this alias as weak (low quality)"});
    }
    hit.score = combine(hit.name_score, hit.qualifiers);
    if (hit.score < options.threshold) continue;
    hit.list = l;
    hit.entity = e;
    hit.matched_name = entity.names[name.name].text;
    hit.weak_alias = name.weak;
    hits.push_back(std::move(hit));
    hit_names.push_back(best[k].name);
    hit_readings.push_back(best[k].reading);
  }
  std::vector<std::size_t> order(hits.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const Hit& a = hits[x];
    const Hit& b = hits[y];
    if (a.score != b.score) return a.score > b.score;
    if (a.name_score != b.name_score) return a.name_score > b.name_score;
    if (a.list != b.list) return a.list < b.list;
    return a.entity < b.entity;
  });
  if (order.size() > options.limit) order.resize(options.limit);
  std::vector<Hit> ranked;
  ranked.reserve(order.size());
  // Explanations only for what is returned.
  for (const auto k : order) {
    Hit& hit = ranked.emplace_back(std::move(hits[k]));
    const std::uint32_t name_id = hit_names[k];
    const PreparedQuery& prepared = readings[hit_readings[k]];
    Alignment alignment;
    score_name(prepared, name_id, 0.0, &alignment);
    const NameEntry& name = names_[name_id];
    std::vector<NameToken> listed;
    for (std::size_t j = 0; j < name.token_count; ++j) {
      listed.push_back(vocab_[name_tokens_[name.first_token + j]].token);
    }
    hit.name = describe(alignment, prepared.name.tokens, listed);
    hit.explanation = explain(hit.name, hit.qualifiers);
  }
  return ranked;
}

std::vector<std::pair<std::size_t, std::size_t>> Index::retrieve(const Query& query,
                                                                 double threshold) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::vector<std::uint32_t> candidates;
  for (const auto& reading : prepare_readings(query)) {
    collect(reading, threshold, candidates, nullptr);
    for (const auto name : candidates) out.emplace_back(entity_refs_[names_[name].entity]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace candor::screening
