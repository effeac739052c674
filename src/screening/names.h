// Names prepared for matching: normalised tokens, each marked as a word, a number, an
// initial or a company legal form, with the alternative spellings some scripts call for.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "screening/entity.h"

namespace candor::screening {

enum class TokenKind : unsigned char { word, number, initial, legal_form };

struct NameToken {
  std::string text;  // Lower-case ASCII; for a legal form, its class ("llc", "jsc").
  TokenKind kind = TokenKind::word;
  std::string source;                 // The words the token stands for, for explanations.
  std::vector<std::string> variants;  // Other usual spellings ("kim": none; "lee": "ri", "yi").
  // Han characters in a Japanese reading of the name: text is the characters themselves,
  // variants their possible readings ("山田": "yamada", "yamata", "santa", ...).
  bool han = false;
  // Letters written apart that spell one word ("N.S.O." read as "nso"): such a word matches
  // only as spelled, since the order of an initialism's letters is all it has.
  bool acronym = false;
  // An acronym Candor made from a name's words (acronym_readings), not one written: it
  // matches a word as spelled, never another made one ("Bank General Trading Co" and
  // "Bashair Global Textile Corp" are not alike for both giving "bgtc").
  bool made = false;
  // The last word of a long name, which a field limit may have cut ("COMP" for "COMPANY"):
  // it also matches a list word it begins.
  bool cut = false;
};

// A name longer than this may have been cut at a field limit (payment messages: 35); its
// last word, if this long, may be the start of a longer one.
inline constexpr std::size_t kCutNameLength = 30;
inline constexpr std::size_t kMinCutWord = 3;

struct PreparedName {
  std::vector<NameToken> tokens;
  // Written in a script whose romanisation drops short vowels (Arabic, Hebrew, Thai...):
  // consonant skeletons are compared too.
  bool vowelless = false;
  // Other readings of the same name, when it has Han characters: the Korean reading
  // (金正恩: kim jong un) and Japanese readings grouped as family and given names (山田太郎:
  // 山田 太郎). The primary tokens read Han as Mandarin pinyin (ICU).
  std::vector<std::vector<NameToken>> alternatives;
};

// One-word legal forms this long or longer are recognised with a slip ("compny").
inline constexpr std::size_t kMinFuzzyForm = 5;

// Company legal forms by class, read from YAML shaped like OpenSanctions' org_types.yml
// (types: - generic, aliases). Aliases are matched as whole token sequences at the start or
// end of a name.
class LegalForms {
 public:
  // Candor's own table, compiled in (data/screening/legal_forms.yaml).
  static const LegalForms& builtin();
  // Another table of the same shape; errors name the file's line.
  static Result<LegalForms> parse(std::string_view yaml, std::string_view where);

  // The class of the legal form spelled by tokens[begin, begin + length), or empty.
  std::string_view lookup(const std::vector<std::string>& tokens, std::size_t begin,
                          std::size_t length) const;
  // The class of the one-word form of kMinFuzzyForm letters or more that `start` begins
  // ("comp": company), or empty.
  std::string_view completing(const std::string& start) const;
  std::size_t longest_alias() const { return longest_; }
  std::size_t size() const { return aliases_.size(); }

 private:
  std::unordered_map<std::string, std::string> aliases_;     // "obsestvo s ...": "llc"
  std::vector<std::pair<std::string, std::string>> single_;  // One-word aliases, for slips.
  std::size_t longest_ = 0;
};

// Titles before persons' names ("Gen.", "His Excellency") and the short forms of given names
// ("Bill": William), read from YAML: titles in the shape of OpenSanctions' name_stopwords.yml
// (PERSON_NAME_PREFIXES), short forms as `names: {full: [short, ...]}`.
class NameFacts {
 public:
  // Candor's own tables, compiled in (data/screening/name_titles.yaml, given_names.yaml).
  static const NameFacts& builtin();
  static Result<NameFacts> parse(std::string_view titles_yaml, std::string_view given_yaml,
                                 std::string_view where);
  // Adds the titles of another file of the name_stopwords.yml shape.
  Result<void> add_titles(std::string_view yaml, std::string_view where);

  // How many tokens from `begin` spell a title, or 0.
  std::size_t title_at(const std::vector<NameToken>& tokens, std::size_t begin) const;
  // The full names a short form stands for ("sasha": aleksandr, alexander), or null.
  const std::vector<std::string>* full_names(const std::string& short_form) const;

 private:
  std::unordered_map<std::string, bool> titles_;  // Normalised title: true.
  std::size_t longest_title_ = 0;
  std::unordered_map<std::string, std::vector<std::string>> full_names_;
};

class NamePreparer {
 public:
  NamePreparer() : NamePreparer(LegalForms::builtin()) {}
  explicit NamePreparer(const LegalForms& forms, const NameFacts& facts = NameFacts::builtin())
      : forms_(&forms), facts_(&facts) {}

  // type decides whether legal forms are folded (not for persons) and titles dropped
  // (persons and unknown).
  PreparedName prepare(std::string_view name, EntityType type) const;

 private:
  void finish(std::vector<NameToken>& tokens, EntityType type) const;
  void fold_legal_forms(std::vector<NameToken>& tokens) const;

  const LegalForms* forms_;
  const NameFacts* facts_;
};

}  // namespace candor::screening
