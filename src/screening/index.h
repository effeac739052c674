// The in-memory screening index over one or more lists. Every listed name is prepared once;
// a query touches only the names that share a token with it, or a token that is spelled,
// sounds or is written alike (n-gram, sound-key and consonant-skeleton postings over the
// vocabulary), and scores those. Posting lists of names are delta- and varint-compressed.
// Searching is thread-safe; building is not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "screening/align.h"
#include "screening/entity.h"
#include "screening/match.h"
#include "screening/names.h"

namespace candor::screening {

struct Query {
  std::string name;
  QueryFacts facts;
};

struct Hit {
  double score = 0.0;       // Name score with qualifiers, 0 to 1.
  double name_score = 0.0;  // Before qualifiers.
  std::size_t list = 0;     // Index into Index::lists().
  std::size_t entity = 0;   // Index into that list's entities.
  std::string matched_name;
  bool weak_alias = false;
  NameScore name;
  std::vector<QualifierEffect> qualifiers;
  std::string explanation;
};

struct SearchOptions {
  double threshold = kDefaultThreshold;
  std::size_t limit = 10;
};

// What one search touched, to measure retrieval apart from scoring.
struct SearchStats {
  std::size_t similar_tokens = 0;  // Vocabulary tokens found alike to a query token.
  std::size_t postings = 0;        // Name postings read.
  std::size_t candidates = 0;      // Names scored in full.
};

class Index {
 public:
  // The preparer must outlive the index.
  explicit Index(std::vector<SanctionsList> lists, const NamePreparer& preparer);

  std::vector<Hit> search(const Query& query, const SearchOptions& options,
                          SearchStats* stats = nullptr) const;

  // The entities (list, entity) whose names the retrieval stage would pass to scoring at
  // this threshold: retrieval recall is measured on it.
  std::vector<std::pair<std::size_t, std::size_t>> retrieve(const Query& query,
                                                            double threshold) const;

  // Each searching thread keeps the alike tokens it has looked up (on by default); off, every
  // query pays the whole lookup, as the first query with a given word does.
  void set_token_cache(bool on) { token_cache_ = on; }

  const std::vector<SanctionsList>& lists() const { return lists_; }
  // The weight the index gives a query token: its rarity among the listed names, or that of
  // the spelling alike that the list has.
  double token_weight(const NameToken& token) const;
  std::size_t name_count() const { return names_.size(); }
  std::size_t vocabulary_size() const { return vocab_.size(); }
  // Bytes held by the index structures (not the entities themselves).
  std::size_t index_bytes() const;

 private:
  struct VocabEntry {
    NameToken token;
    SpellingKeys keys;
    std::uint32_t frequency = 0;  // Names containing it.
    bool patronymic = false;
    bool connector = false;  // "bin", "ibn", ... (is_nasab_connector)
    // Seen in a name from a script without short vowels: compared by consonants too.
    bool vowelless = false;
    double weight = 1.0;
  };
  struct NameEntry {
    std::uint32_t entity = 0;  // Into entity_refs_.
    std::uint32_t name = 0;    // Into the entity's names.
    std::uint32_t first_token = 0;
    std::uint16_t token_count = 0;
    bool weak = false;
    bool vowelless = false;
  };
  struct TokenMatch {
    std::uint32_t vocab;
    TokenSimilarity similarity;
  };
  struct PreparedQuery;

  std::uint32_t intern(NameToken token, bool vowelless);
  void build_postings();
  double query_weight(const NameToken& token, const std::vector<TokenMatch>& similar) const;
  std::vector<TokenMatch> similar_tokens(const NameToken& token, bool vowelless,
                                         bool use_grams = true) const;
  std::vector<TokenMatch> find_similar(const NameToken& token, bool vowelless,
                                       bool use_grams) const;
  void prepare_query(PreparedName name, PreparedQuery& out) const;
  std::vector<PreparedQuery> prepare_readings(const Query& query) const;
  void collect(const PreparedQuery& query, double threshold, std::vector<std::uint32_t>& names,
               SearchStats* stats) const;
  double score_name(const PreparedQuery& query, std::uint32_t name, double join_floor,
                    struct Alignment* alignment) const;

  std::vector<SanctionsList> lists_;
  const NamePreparer* preparer_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> entity_refs_;  // (list, entity)
  std::vector<NameEntry> names_;
  std::vector<std::uint32_t> name_tokens_;  // Vocabulary ids, names_[k] slices.
  std::vector<VocabEntry> vocab_;
  std::unordered_map<std::string, std::uint32_t> vocab_ids_;
  // Word ids in the order of their spelling, for the words a cut query word begins.
  std::vector<std::uint32_t> words_by_spelling_;
  // Name postings per vocabulary id: varint deltas of ascending name numbers.
  std::vector<std::uint8_t> postings_;
  std::vector<std::uint64_t> posting_offsets_;  // vocab_.size() + 1 entries
  // Vocabulary-level postings for finding tokens alike.
  // (first letter, trigram) -> vocabulary ids
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> grams_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> sound_keys_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> skeletons_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> variant_ids_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> tails_;  // token minus 1st letter
  // Short words by each spelling with one letter left out (hashed): words a letter, a swap
  // or a slip apart share one ("chol", "cohl": "col"), where trigrams are too few to tell.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> deletions_;
  double max_weight_ = 1.0;
  // Unique per index ever built, so that per-thread caches never serve another index.
  std::uint64_t id_ = 0;
  bool token_cache_ = true;
};

}  // namespace candor::screening
