// Scoring one query name against one listed name, with the explanation an officer reads:
// which query token met which list token by which rule, what was left over, and what the
// qualifiers (date of birth, country, entity type) did. Documented in docs/screening.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "screening/entity.h"
#include "screening/names.h"

namespace candor::screening {

// The default threshold and the two bands above it (docs/screening.md explains how they were
// chosen): a hit at or above kReviewBand needs an officer's review; at or above kBlockBand
// the party is treated as listed until cleared.
inline constexpr double kDefaultThreshold = 0.80;
inline constexpr double kReviewBand = kDefaultThreshold;
inline constexpr double kBlockBand = 0.95;

enum class TokenRule : unsigned char {
  exact,       // Same token.
  variant,     // A usual alternative spelling ("lee" / "ri" for the Korean surname 이).
  legal_form,  // Two company legal forms of the same class ("ooo" / "llc").
  fuzzy,       // Jaro-Winkler at or above 0.88 (spelling variants, typos).
  phonetic,    // Same sound key ("mohammed" / "muhammad").
  skeleton,    // Same consonants, for names from scripts that leave vowels out.
  initial,     // A single letter against a word starting with it.
  joined,      // Two adjacent tokens written as one ("jin ping" / "jinping").
  reading,     // Han characters read in Japanese or Korean ("山田" / "yamada").
  cut,         // The start of a word, where a long name was cut short ("comp" / "company").
};
std::string_view to_string(TokenRule rule);

// How close two tokens are, 0 when no rule applies. Numbers only ever match exactly.
struct TokenSimilarity {
  double score = 0.0;
  TokenRule rule = TokenRule::exact;
};
TokenSimilarity compare_tokens(const NameToken& query, const NameToken& listed, bool vowelless);

// A token's weight: how much its presence or absence counts. Rare tokens weigh more.
using TokenWeight = std::function<double(const NameToken&)>;
// The weight without list statistics: 1 for words and numbers, less for legal forms and
// initials. Used to compare two names on their own (`candor screen pairs`).
double default_token_weight(const NameToken& token);

struct TokenPair {
  std::string query;   // The query's token(s), space-separated when joined.
  std::string listed;  // The list's token(s).
  TokenRule rule = TokenRule::exact;
  double similarity = 0.0;
  double weight = 0.0;
};

struct NameScore {
  double score = 0.0;
  std::vector<TokenPair> pairs;
  std::vector<std::string> unmatched_query;
  std::vector<std::string> unmatched_listed;
};

// Unmatched list tokens count half: lists give full names with patronymics and middle names
// that a query often leaves out.
inline constexpr double kUnmatchedListedFactor = 0.5;
// Unmatched query tokens count in full while fewer than two tokens match, half after.
inline constexpr double kUnmatchedQueryFactor = 0.5;
// A patronymic ("Vladimirovich", "Aliyevna", "Mammad ogly") that one side leaves out counts
// a fifth: lists and queries drop it all the time.
inline constexpr double kPatronymicFactor = 0.2;
// Two patronymics that differ, one on each side, name different fathers: they count in full.
inline constexpr double kDifferingPatronymicFactor = 1.0;
// List words after the point where a long query was cut off: the query cannot have them.
inline constexpr double kCutOffFactor = 0.1;
// Words left over on both sides: one name changed for another, counted in full.
inline constexpr double kChangedWordFactor = 1.0;
bool is_patronymic(const NameToken& token);

// Arabic and Berber names chain a person to their father with "bin", "ibn", "ben" or "ould":
// in "Saeed bin Rashid" Saeed is the child and Rashid the father. The same two given names in
// the other order name the father, not the son, so a child is never paired with a father.
enum class NasabRole : unsigned char { none, child, parent };
bool is_nasab_connector(std::string_view word);
void nasab_roles(const std::vector<NameToken>& tokens, std::vector<NasabRole>& roles);

// Words that differ only in a final vowel or an added final "a" are the masculine and
// feminine forms of one name (Angelo / Angela, Aleksandr / Aleksandra, Ivanov / Ivanova): two
// people, not a spelling variant, so no rule pairs them.
bool gender_forms(std::string_view a, std::string_view b);

// The best score over both names' readings (PreparedName::alternatives).
NameScore score_names(const PreparedName& query, const PreparedName& listed,
                      const TokenWeight& weight);

// What the screening request says about the party besides its name.
struct QueryFacts {
  std::string birth_date;  // "YYYY", "YYYY-MM" or "YYYY-MM-DD", or empty.
  std::string country;     // ISO alpha-2, lower or upper case, or empty.
  EntityType type = EntityType::unknown;
};

struct QualifierEffect {
  std::string name;    // "date_of_birth", "country", "type"
  double delta = 0.0;  // Added to the name score.
  std::string detail;  // "1965 matches 1965-03-02"
};

// The qualifier adjustments for one entity; empty where the query or list says nothing.
std::vector<QualifierEffect> qualify(const QueryFacts& facts, const Entity& entity);

// Name score plus qualifier deltas, clamped to [0, 1].
double combine(double name_score, const std::vector<QualifierEffect>& effects);

// One line an officer can read: 'putin = putin (exact); vladimir ~ wladimir (fuzzy 0.93);
// list has also: vladimirovich; date of birth 1952-10-07 matches: +0.05'.
std::string explain(const NameScore& name, const std::vector<QualifierEffect>& effects);

}  // namespace candor::screening
