// Candor's tables of facts about names, read from YAML: company legal forms by class, titles
// before persons' names and the short forms of given names (names.h).
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "core/embedded.h"
#include "screening/name_parts.h"
#include "screening/names.h"
#include "screening/normalize.h"
#include "screening/similarity.h"

namespace candor::screening {

std::span<const EmbeddedFile> embedded_legal_forms();
std::span<const EmbeddedFile> embedded_name_titles();
std::span<const EmbeddedFile> embedded_given_names();

namespace {

// Words of legal forms that registers abbreviate.
std::string abbreviate_form(const std::string& form) {
  static const std::pair<std::string_view, std::string_view> kShort[] = {
      {"company", "co"}, {"corporation", "corp"}, {"limited", "ltd"}, {"incorporated", "inc"}};
  std::string out;
  bool changed = false;
  std::size_t start = 0;
  while (start <= form.size()) {
    auto end = form.find(' ', start);
    if (end == std::string::npos) end = form.size();
    std::string_view word(form.data() + start, end - start);
    for (const auto& [full, abbreviation] : kShort) {
      if (word == full && form.find(' ') != std::string::npos) {
        word = abbreviation;
        changed = true;
      }
    }
    if (!out.empty()) out.push_back(' ');
    out += word;
    start = end + 1;
  }
  return changed ? out : std::string();
}

std::string yaml_scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

// The file's text as YAML, or an error naming the file and line.
Result<YAML::Node> load_yaml(std::string_view yaml, std::string_view where) {
  try {
    return YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Error::invalid_argument(e.msg,
                                   std::string(where) + ":" + std::to_string(e.mark.line + 1));
  }
}

std::string at_line(std::string_view where, const YAML::Node& node) {
  return std::string(where) + ":" + std::to_string(node.Mark().line + 1);
}

}  // namespace

const LegalForms& LegalForms::builtin() {
  static const LegalForms forms = [] {
    const auto files = embedded_legal_forms();
    auto parsed = parse(files.front().content, files.front().name);
    // The table is compiled in and tested; failing here is a build defect.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return forms;
}

Result<LegalForms> LegalForms::parse(std::string_view yaml, std::string_view where) {
  const YAML::Node root = CANDOR_TRY(load_yaml(yaml, where));
  const YAML::Node types = root.IsMap() ? root["types"] : YAML::Node();
  if (!types || !types.IsSequence()) {
    return Error::invalid_argument("expected a map with a 'types' list", std::string(where));
  }
  LegalForms forms;
  for (const auto& type : types) {
    const std::string at = at_line(where, type);
    if (!type.IsMap()) return Error::invalid_argument("each type must be a map", at);
    const YAML::Node aliases = type["aliases"];
    if (aliases && !aliases.IsSequence()) {
      return Error::invalid_argument("aliases must be a list", at);
    }
    std::vector<std::string> spellings;
    for (const char* key : {"generic", "compare", "display"}) {
      if (auto value = yaml_scalar(type, key); !value.empty()) spellings.push_back(value);
    }
    if (aliases) {
      for (const auto& alias : aliases) {
        if (!alias.IsScalar()) return Error::invalid_argument("each alias must be text", at);
        spellings.push_back(alias.as<std::string>());
      }
    }
    if (spellings.empty()) continue;
    const std::string klass = normalise_name(spellings.front());
    if (klass.empty()) continue;
    for (const auto& spelling : spellings) {
      std::string key = normalise_name(spelling);
      if (key.empty()) continue;
      forms.longest_ = std::max<std::size_t>(
          forms.longest_, static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1);
      if (key.find(' ') == std::string::npos && key.size() >= kMinFuzzyForm) {
        forms.single_.emplace_back(key, klass);
      }
      // The same form with its words abbreviated as registers do ("joint stock co").
      std::string abbreviated = abbreviate_form(key);
      // The first class listed for an alias wins, as in the source file's order.
      forms.aliases_.emplace(std::move(key), klass);
      if (!abbreviated.empty()) forms.aliases_.emplace(std::move(abbreviated), klass);
    }
  }
  return forms;
}

std::string_view LegalForms::completing(const std::string& start) const {
  // The shortest one-word form beginning so, the first class in file order among equals.
  const std::pair<std::string, std::string>* best = nullptr;
  for (const auto& form : single_) {
    if (form.first.size() > start.size() && form.first.starts_with(start) &&
        (best == nullptr || form.first.size() < best->first.size())) {
      best = &form;
    }
  }
  return best == nullptr ? std::string_view() : std::string_view(best->second);
}

std::string_view LegalForms::lookup(const std::vector<std::string>& tokens, std::size_t begin,
                                    std::size_t length) const {
  const auto found = aliases_.find(join_words(tokens, begin, length));
  if (found != aliases_.end()) return found->second;
  // A long one-word form misspelled ("compny", "aktiengesellshaft", "corproation"): one
  // slip in a word of up to seven letters, two in a longer one, with the first letter kept.
  const std::string& word = tokens[begin];
  if (length != 1 || word.size() < kMinFuzzyForm) return {};
  const int slips = word.size() >= 8 ? 2 : 1;
  for (const auto& [alias, klass] : single_) {
    if (alias.front() != word.front() ||
        alias.size() + static_cast<std::size_t>(slips) < word.size() ||
        word.size() + static_cast<std::size_t>(slips) < alias.size()) {
      continue;
    }
    if (bounded_levenshtein(alias, word, slips) <= slips) return klass;
  }
  return {};
}

const NameFacts& NameFacts::builtin() {
  static const NameFacts facts = [] {
    auto parsed = parse(embedded_name_titles().front().content,
                        embedded_given_names().front().content, "builtin name tables");
    // The tables are compiled in and tested; failing here is a build defect.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return facts;
}

Result<void> NameFacts::add_titles(std::string_view yaml, std::string_view where) {
  const YAML::Node root = CANDOR_TRY(load_yaml(yaml, where));
  const YAML::Node titles = root.IsMap() ? root["PERSON_NAME_PREFIXES"] : YAML::Node();
  if (!titles || !titles.IsSequence()) {
    return Error::invalid_argument("expected a map with a 'PERSON_NAME_PREFIXES' list",
                                   std::string(where));
  }
  for (const auto& title : titles) {
    if (!title.IsScalar()) {
      return Error::invalid_argument(
          "each title must be text",
          std::string(where) + ":" + std::to_string(title.Mark().line + 1));
    }
    std::string key = normalise_name(title.as<std::string>());
    if (key.empty()) continue;
    longest_title_ = std::max<std::size_t>(
        longest_title_, static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1);
    titles_.emplace(std::move(key), true);
  }
  return {};
}

Result<NameFacts> NameFacts::parse(std::string_view titles_yaml, std::string_view given_yaml,
                                   std::string_view where) {
  NameFacts facts;
  CANDOR_TRY(facts.add_titles(titles_yaml, where));
  const YAML::Node root = CANDOR_TRY(load_yaml(given_yaml, where));
  const YAML::Node names = root.IsMap() ? root["names"] : YAML::Node();
  if (!names || !names.IsMap()) {
    return Error::invalid_argument("expected a map with a 'names' map", std::string(where));
  }
  for (const auto& entry : names) {
    const std::string full = normalise_name(entry.first.as<std::string>());
    if (full.empty() || !entry.second.IsSequence()) {
      return Error::invalid_argument(
          "each name needs a list of short forms",
          std::string(where) + ":" + std::to_string(entry.first.Mark().line + 1));
    }
    for (const auto& short_form : entry.second) {
      const std::string key = normalise_name(short_form.as<std::string>());
      if (key.empty() || key == full) continue;
      auto& fulls = facts.full_names_[key];
      if (std::find(fulls.begin(), fulls.end(), full) == fulls.end()) fulls.push_back(full);
    }
  }
  return facts;
}

std::size_t NameFacts::title_at(const std::vector<NameToken>& tokens, std::size_t begin) const {
  std::string key;
  std::size_t found = 0;
  for (std::size_t n = 1; n <= longest_title_ && begin + n <= tokens.size(); ++n) {
    if (tokens[begin + n - 1].kind == TokenKind::legal_form) break;
    if (n > 1) key.push_back(' ');
    key += tokens[begin + n - 1].text;
    if (titles_.contains(key)) found = n;
  }
  return found;
}

const std::vector<std::string>* NameFacts::full_names(const std::string& short_form) const {
  const auto found = full_names_.find(short_form);
  return found == full_names_.end() ? nullptr : &found->second;
}

}  // namespace candor::screening
