#include "catalogue/classify.h"

#include <algorithm>
#include <cctype>

#include "catalogue/evaluate.h"

namespace candor::catalogue {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// True when `word` stands in `text` on word boundaries ("rat" is not in "operator").
bool mentions(const std::string& text, const std::string& word) {
  for (auto pos = text.find(word); pos != std::string::npos; pos = text.find(word, pos + 1)) {
    const bool start_ok = pos == 0 || std::isalnum(static_cast<unsigned char>(text[pos - 1])) == 0;
    const std::size_t end = pos + word.size();
    const bool end_ok =
        end == text.size() || std::isalnum(static_cast<unsigned char>(text[end])) == 0;
    if (start_ok && end_ok) return true;
  }
  return false;
}

Result<void> read_fact_value(const std::string& id, const nlohmann::json& value,
                             const Catalogue& catalogue, FactSet& facts) {
  const std::string field = "facts." + id;
  const FactDefinition* fact = catalogue.fact(id);
  if (fact == nullptr) {
    return Error::invalid_argument("unknown fact (see 'candor controls facts' for the list)",
                                   field);
  }
  if (value.is_null()) return {};  // Explicitly unknown.
  if (fact->type == FactType::kind) {
    const auto kind = value.is_string() ? parse_item_kind(value.get<std::string>()) : std::nullopt;
    if (!kind)
      return Error::invalid_argument("must be \"hardware\", \"software\" or \"technology\"", field);
    facts.set(id, *kind);
    return {};
  }
  if (!value.is_boolean()) return Error::invalid_argument("must be true or false", field);
  facts.set(id, value.get<bool>());
  return {};
}

EntryResult judge(const ControlEntry& entry, const FactSet& facts, const Catalogue& catalogue,
                  std::vector<AppliedExclusion>& exclusions) {
  EntryResult result{&entry, EntryStatus::not_applicable, {}, {}, {}, {}};
  const auto kind = facts.kind();
  if (kind && std::find(entry.kinds.begin(), entry.kinds.end(), *kind) == entry.kinds.end()) {
    return result;
  }
  const Evaluation criteria = evaluate(entry.criteria, facts, catalogue);
  if (criteria.truth == Truth::no) return result;
  for (const auto& x : entry.exclusions) {
    Evaluation e = evaluate(x.when, facts, catalogue);
    if (e.truth == Truth::yes) {
      exclusions.push_back({&entry, &x, std::move(e.reasons)});
      result.status = EntryStatus::excluded;
      return result;
    }
    if (e.truth == Truth::unknown) {
      result.open_exclusions.push_back(&x);
      append_unique(result.lifting_facts, e.unknown_facts);
    }
  }
  append_unique(result.lifting_facts, criteria.lifting_facts);
  if (kind) {
    result.reasons.push_back(
        {"The item is " + std::string(to_string(*kind)) + ", as " + entry.code + " requires",
         entry.code, "kind"});
  } else {
    result.unknown_facts.emplace_back("kind");
  }
  result.reasons.insert(result.reasons.end(), criteria.reasons.begin(), criteria.reasons.end());
  append_unique(result.unknown_facts, criteria.unknown_facts);
  if (kind && criteria.truth == Truth::yes) {
    result.status = EntryStatus::applies;
  } else {
    result.status = EntryStatus::possible;
    append_unique(result.unknown_facts, result.lifting_facts);
  }
  return result;
}

void add_question(std::vector<Question>& questions, const Catalogue& catalogue,
                  const std::string& fact, const std::string& because_of) {
  for (auto& q : questions) {
    if (q.fact->id == fact) {
      if (std::find(q.entries.begin(), q.entries.end(), because_of) == q.entries.end()) {
        q.entries.push_back(because_of);
      }
      return;
    }
  }
  questions.emplace_back(Question{catalogue.fact(fact), {}, {because_of}});
}

// Questions the description points to come first; then the order of facts.yaml.
void order_questions(std::vector<Question>& questions, const Catalogue& catalogue,
                     const std::string& description) {
  const std::string text = lower(description);
  for (auto& q : questions) {
    for (const auto& word : q.fact->keywords) {
      if (mentions(text, word)) q.suggested_by.push_back(word);
    }
  }
  const auto position = [&](const Question& q) {
    return static_cast<std::size_t>(q.fact - catalogue.facts().data());
  };
  std::stable_sort(questions.begin(), questions.end(), [&](const Question& a, const Question& b) {
    if (a.fact->id == "kind" || b.fact->id == "kind")
      return a.fact->id == "kind" && b.fact->id != "kind";
    const bool sa = !a.suggested_by.empty();
    const bool sb = !b.suggested_by.empty();
    if (sa != sb) return sa;
    return position(a) < position(b);
  });
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::controlled: return "controlled";
    case Outcome::not_controlled: return "not_controlled";
    case Outcome::undetermined: return "undetermined";
  }
  return "undetermined";
}

Result<Item> parse_item(const nlohmann::json& json, const Catalogue& catalogue) {
  if (!json.is_object()) return Error::invalid_argument("an item is a JSON object", "item");
  Item item;
  for (const auto& [key, value] : json.items()) {
    if (key == "name" || key == "description") {
      if (!value.is_string()) return Error::invalid_argument("must be a string", key);
      (key == "name" ? item.name : item.description) = value.get<std::string>();
    } else if (key == "facts") {
      if (!value.is_object()) return Error::invalid_argument("must be an object", "facts");
      for (const auto& [id, fact] : value.items()) {
        CANDOR_TRY(read_fact_value(id, fact, catalogue, item.facts));
      }
    } else {
      return Error::invalid_argument("unknown field; an item has name, description and facts", key);
    }
  }
  if (item.name.empty())
    return Error::invalid_argument("is required and must not be empty", "name");
  return item;
}

Classification classify(const Catalogue& catalogue, const Item& item) {
  Classification result;
  result.item_name = item.name;
  result.data_version = catalogue.data_version();
  for (const auto& entry : catalogue.entries()) {
    EntryResult judged = judge(entry, item.facts, catalogue, result.exclusions);
    if (judged.status == EntryStatus::applies) {
      result.applies.push_back(std::move(judged));
    } else if (judged.status == EntryStatus::possible) {
      result.possible.push_back(std::move(judged));
    }
  }
  if (!result.applies.empty()) {
    result.outcome = Outcome::controlled;
    for (const auto& a : result.applies) {
      for (const auto& fact : a.lifting_facts)
        add_question(result.questions, catalogue, fact, a.entry->code);
    }
    // The application must list every entry, so related entries still open are asked about.
    for (const auto& p : result.possible) {
      const bool related =
          std::any_of(result.applies.begin(), result.applies.end(),
                      [&](const EntryResult& a) { return a.entry->category == p.entry->category; });
      if (!related) continue;
      for (const auto& fact : p.unknown_facts)
        add_question(result.questions, catalogue, fact, p.entry->code);
    }
  } else {
    for (const auto& p : result.possible) {
      for (const auto& fact : p.unknown_facts)
        add_question(result.questions, catalogue, fact, p.entry->code);
    }
    const CatchAll& art5 = catalogue.catch_all();
    Evaluation e = evaluate(art5.when, item.facts, catalogue);
    result.catch_all = e.truth == Truth::yes;
    result.catch_all_reasons = std::move(e.reasons);
    if (result.catch_all) {
      for (const auto& indicator : art5.indicators) {
        Evaluation i = evaluate(indicator, item.facts, catalogue);
        if (i.truth == Truth::yes) {
          result.catch_all_reasons.insert(result.catch_all_reasons.end(), i.reasons.begin(),
                                          i.reasons.end());
        }
      }
    }
    if (e.truth == Truth::unknown) {
      for (const auto& fact : e.unknown_facts)
        add_question(result.questions, catalogue, fact, art5.code);
    }
    result.outcome = result.possible.empty() ? Outcome::not_controlled : Outcome::undetermined;
  }
  order_questions(result.questions, catalogue, item.description);
  return result;
}

}  // namespace candor::catalogue
