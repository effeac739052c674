// The token alignment behind every name score, shared by the pairwise scorer (score_names)
// and the index, which supplies similarities it has already worked out. Internal.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "screening/match.h"

namespace candor::screening {

struct AlignedPair {
  std::size_t query_begin = 0;
  std::size_t query_count = 1;  // 2 when two query tokens were joined
  std::size_t listed_begin = 0;
  std::size_t listed_count = 1;
  TokenSimilarity similarity;
  double weight = 0.0;
};

struct Alignment {
  std::vector<AlignedPair> pairs;
  std::vector<bool> query_used;
  std::vector<bool> listed_used;
  double score = 0.0;
};

struct AlignInput {
  std::size_t query_size = 0;
  std::size_t listed_size = 0;
  const double* query_weight = nullptr;
  const double* listed_weight = nullptr;
  // Row-major query_size x listed_size similarities.
  const TokenSimilarity* similarity = nullptr;
  // Which tokens are patronymics (is_patronymic); may be null.
  const bool* query_patronymic = nullptr;
  const bool* listed_patronymic = nullptr;
  // Each token's place in a chain of descent (nasab_roles); may be null.
  const NasabRole* query_role = nullptr;
  const NasabRole* listed_role = nullptr;
  // Similarity of two adjacent tokens [p, p+1] on one side written as token k on the
  // other; parts_are_query says which side the two are on. May be empty (no joins).
  std::function<TokenSimilarity(bool parts_are_query, std::size_t p, std::size_t k)> join;
  // The query token cut at a field limit (NameToken::cut), or query_size when none: list
  // tokens after the one it is paired with were cut off, and count only kCutOffFactor.
  std::size_t cut_query = static_cast<std::size_t>(-1);
  // Joins are tried only when they could lift the score to this; 0 always tries.
  double join_floor = 0.0;
};

void align(const AlignInput& input, Alignment& out);

}  // namespace candor::screening

namespace candor::screening {

// Sound keys of a spelling, worked out once per vocabulary token rather than per comparison.
struct SpellingKeys {
  std::string phonetic;
  std::string skeleton_weak;    // skeleton_key(spelling, true)
  std::string skeleton_strong;  // skeleton_key(spelling, false)
};
SpellingKeys spelling_keys(std::string_view spelling);

// compare_tokens with the keys of the tokens' texts given.
TokenSimilarity compare_tokens(const NameToken& query, const SpellingKeys& query_keys,
                               const NameToken& listed, const SpellingKeys& listed_keys,
                               bool vowelless);

// The alignment in words, for explanations.
NameScore describe(const Alignment& alignment, const std::vector<NameToken>& query,
                   const std::vector<NameToken>& listed);

// "jin" + "ping" against "jinping": the joined rule, or 0.
TokenSimilarity join_tokens(const NameToken& first, const NameToken& second, const NameToken& whole,
                            bool vowelless);

}  // namespace candor::screening
