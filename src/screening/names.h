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
};

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
  std::size_t longest_alias() const { return longest_; }
  std::size_t size() const { return aliases_.size(); }

 private:
  std::unordered_map<std::string, std::string> aliases_;  // "obsestvo s ...": "llc"
  std::size_t longest_ = 0;
};

class NamePreparer {
 public:
  NamePreparer() : NamePreparer(LegalForms::builtin()) {}
  explicit NamePreparer(const LegalForms& forms) : forms_(&forms) {}

  // type decides whether legal forms are folded (not for persons) and titles dropped
  // (persons and unknown).
  PreparedName prepare(std::string_view name, EntityType type) const;

 private:
  void finish(std::vector<NameToken>& tokens, EntityType type) const;

  const LegalForms* forms_;
};

}  // namespace candor::screening
