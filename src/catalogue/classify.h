// Classification: from what an exporter says about an item, which control entries it falls
// under and why, which notes take it out of control and why, whether the Art. 5 catch-all may
// apply, and which questions are still open. Every conclusion carries its reason and citation.
// Words in the description may put a question first; they never decide anything.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue/catalogue.h"

namespace candor::catalogue {

struct Item {
  std::string name;
  std::string description;
  FactSet facts;
};

// Reads {"name", "description", "facts": {...}}. Errors: invalid_argument naming the field,
// e.g. "facts.jamming: must be true or false".
Result<Item> parse_item(const nlohmann::json& json, const Catalogue& catalogue);

// One statement that held, with where it comes from.
struct Reason {
  std::string text;
  std::string ref;
  std::string fact;  // Empty for reasons that are not a single fact.
};

enum class EntryStatus { applies, excluded, possible, not_applicable };

struct AppliedExclusion {
  const ControlEntry* entry;
  const Exclusion* exclusion;
  std::vector<Reason> reasons;
};

// An exclusion takes effect only once its conditions are established. While they are
// unknown the entry applies, and the exclusion is listed as open: answering its questions
// could lift the control.
struct EntryResult {
  const ControlEntry* entry;
  EntryStatus status;
  std::vector<Reason> reasons;             // Why it applies (or would, for possible).
  std::vector<std::string> unknown_facts;  // What decides it, when possible.
  std::vector<const Exclusion*> open_exclusions;
  std::vector<std::string> lifting_facts;  // Facts that could establish an open exclusion.
};

struct Question {
  const FactDefinition* fact;
  std::vector<std::string> suggested_by;  // Description words that pointed to it.
  std::vector<std::string> entries;       // Entry codes (or "Art. 5") it matters for.
};

enum class Outcome { controlled, not_controlled, undetermined };
std::string_view to_string(Outcome outcome);

struct Classification {
  std::string item_name;
  Outcome outcome = Outcome::undetermined;
  std::vector<EntryResult> applies;
  std::vector<EntryResult> possible;
  std::vector<AppliedExclusion> exclusions;
  bool catch_all = false;  // Art. 5 may apply (only when no listed entry applies).
  std::vector<Reason> catch_all_reasons;
  // Most useful first. When the item is controlled: the questions that could lift the
  // control, and those that decide related entries (same category), since the application
  // lists every entry. Otherwise every question that could still change the outcome.
  std::vector<Question> questions;
  std::string data_version;
};

Classification classify(const Catalogue& catalogue, const Item& item);

nlohmann::json to_json(const Classification& result, const Catalogue& catalogue);
// A report a person reads, in plain text.
std::string to_text(const Classification& result, const Catalogue& catalogue);

}  // namespace candor::catalogue
