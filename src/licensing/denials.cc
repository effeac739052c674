#include "licensing/denials.h"

#include <cctype>
#include <cstdio>

#include "screening/match.h"
#include "screening/names.h"

namespace candor::licensing {
namespace {

std::string folded(const std::string& code) {
  std::string out;
  out.reserve(code.size());
  for (const char ch : code) {
    if (ch != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

// "5a001.f" is the parent of "5a001.f.1" (and of itself).
bool parent_of(const std::string& parent, const std::string& child) {
  return child.size() > parent.size() && child.compare(0, parent.size(), parent) == 0 &&
         child[parent.size()] == '.';
}

// The catalogue entry of `code` or of its nearest listed parent ("5A001.f.1" -> "5A001.f").
const catalogue::ControlEntry* listed(const std::string& code,
                                      const catalogue::Catalogue& catalogue) {
  std::string probe = code;
  for (;;) {
    if (const auto* entry = catalogue.entry(probe)) return entry;
    const auto dot = probe.rfind('.');
    if (dot == std::string::npos) return nullptr;
    probe.resize(dot);
  }
}

std::string category_words(std::string category) {
  for (auto& ch : category) {
    if (ch == '_') ch = ' ';
  }
  return category;
}

}  // namespace

std::optional<std::string> equivalent_entries(const std::string& a, const std::string& b,
                                              const catalogue::Catalogue& catalogue) {
  const std::string fa = folded(a);
  const std::string fb = folded(b);
  if (fa.empty() || fb.empty()) return std::nullopt;
  if (fa == fb) return a + " = " + b;
  if (parent_of(fa, fb) || parent_of(fb, fa))
    return a + " ~ " + b + " (an entry and its sub-entry)";
  const auto* ea = listed(a, catalogue);
  const auto* eb = listed(b, catalogue);
  if (ea != nullptr && eb != nullptr && !ea->category.empty() && ea->category == eb->category) {
    return a + " ~ " + b + " (both " + category_words(ea->category) + ")";
  }
  return std::nullopt;
}

double similar_name_threshold() { return screening::kDefaultThreshold; }

nlohmann::json DenialMatch::to_json() const {
  return {{"entries", entries},
          {"end_user", end_user},
          {"end_user_score", end_user_score},
          {"end_user_explanation", end_user_explanation}};
}

std::string DenialMatch::summary() const {
  char score[16];
  std::snprintf(score, sizeof score, "%.2f", end_user_score);
  return "Same destination; entries " + entries + "; end user \"" + end_user + "\" scores " +
         score + " (" + end_user_explanation + ")";
}

std::optional<DenialMatch> match_denial(const TransactionFacts& transaction,
                                        const DenialFacts& denial,
                                        const catalogue::Catalogue& catalogue) {
  if (folded(transaction.destination) != folded(denial.destination) ||
      transaction.destination.empty()) {
    return std::nullopt;
  }
  std::optional<std::string> entries;
  for (const auto& mine : transaction.control_entries) {
    for (const auto& theirs : denial.control_entries) {
      if (auto why = equivalent_entries(mine, theirs, catalogue)) {
        // An identical entry is the strongest reason to show.
        if (!entries || why->find(" = ") != std::string::npos) entries = std::move(why);
      }
    }
  }
  if (!entries) return std::nullopt;
  static const screening::NamePreparer preparer;
  const auto denied = preparer.prepare(denial.end_user.name, screening::EntityType::unknown);
  std::optional<DenialMatch> best;
  for (const auto& party : transaction.end_users) {
    const auto prepared = preparer.prepare(party.name, screening::EntityType::unknown);
    const auto score = screening::score_names(prepared, denied, screening::default_token_weight);
    if (score.score < similar_name_threshold()) continue;
    if (!best || score.score > best->end_user_score) {
      best = DenialMatch{*entries, party.name, score.score, screening::explain(score, {})};
    }
  }
  return best;
}

}  // namespace candor::licensing
