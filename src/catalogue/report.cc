// The two forms of a classification: JSON for programs, plain text for people.
#include <sstream>

#include "catalogue/classify.h"

namespace candor::catalogue {
namespace {

nlohmann::json citation_json(const Citation& c) {
  return {{"act", c.act}, {"annex", c.annex}, {"entry", c.entry}, {"url", c.url}};
}

std::string citation_text(const Citation& c) {
  std::string text = c.act;
  if (!c.annex.empty()) text += ", " + c.annex;
  if (!c.entry.empty()) text += ", " + c.entry;
  return text + " <" + c.url + ">";
}

nlohmann::json reasons_json(const std::vector<Reason>& reasons) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : reasons) {
    nlohmann::json reason = {{"text", r.text}, {"ref", r.ref}};
    if (!r.fact.empty()) reason["fact"] = r.fact;
    out.push_back(std::move(reason));
  }
  return out;
}

nlohmann::json entry_json(const EntryResult& e) {
  nlohmann::json out = {{"code", e.entry->code},
                        {"title", e.entry->title},
                        {"category", e.entry->category},
                        {"reasons", reasons_json(e.reasons)},
                        {"citation", citation_json(e.entry->citation)}};
  if (e.status == EntryStatus::possible) out["unknown_facts"] = e.unknown_facts;
  nlohmann::json open = nlohmann::json::array();
  for (const Exclusion* x : e.open_exclusions) {
    open.push_back({{"id", x->id}, {"ref", x->ref}, {"note", x->note}});
  }
  out["open_exclusions"] = open;
  return out;
}

std::string headline(const Classification& r) {
  switch (r.outcome) {
    case Outcome::controlled:
      return "CONTROLLED: listed in Annex I; an export licence is required (Art. 3).";
    case Outcome::not_controlled:
      return r.catch_all
                 ? "NOT LISTED, but the Art. 5 catch-all for cyber-surveillance items may apply."
                 : "NOT CONTROLLED by the cyber-surveillance entries.";
    case Outcome::undetermined: return "UNDETERMINED: answer the questions below to conclude.";
  }
  return "";
}

void write_reasons(std::ostringstream& out, const std::vector<Reason>& reasons) {
  for (const auto& r : reasons) {
    out << "    - " << r.text;
    if (!r.ref.empty()) out << " (" << r.ref << ")";
    out << "\n";
  }
}

}  // namespace

nlohmann::json to_json(const Classification& r, const Catalogue& catalogue) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : r.applies) entries.push_back(entry_json(e));
  nlohmann::json possible = nlohmann::json::array();
  for (const auto& e : r.possible) possible.push_back(entry_json(e));
  nlohmann::json exclusions = nlohmann::json::array();
  for (const auto& x : r.exclusions) {
    exclusions.push_back({{"code", x.entry->code},
                          {"id", x.exclusion->id},
                          {"ref", x.exclusion->ref},
                          {"note", x.exclusion->note},
                          {"reasons", reasons_json(x.reasons)},
                          {"citation", citation_json(x.entry->citation)}});
  }
  nlohmann::json questions = nlohmann::json::array();
  nlohmann::json details = nlohmann::json::array();
  for (const auto& q : r.questions) {
    questions.push_back(q.fact->id);
    details.push_back({{"fact", q.fact->id},
                       {"question", q.fact->question},
                       {"matters_for", q.entries},
                       {"suggested_by", q.suggested_by}});
  }
  const CatchAll& art5 = catalogue.catch_all();
  return {{"item", r.item_name},
          {"outcome", to_string(r.outcome)},
          {"controlled", r.outcome == Outcome::controlled},
          {"entries", entries},
          {"possible_entries", possible},
          {"exclusions", exclusions},
          {"catch_all", r.catch_all},
          {"catch_all_detail",
           {{"code", art5.code},
            {"reasons", reasons_json(r.catch_all_reasons)},
            {"citation", citation_json(art5.citation)},
            {"guidance", citation_json(art5.guidance)}}},
          {"questions", questions},
          {"question_details", details},
          {"data_version", r.data_version}};
}

std::string to_text(const Classification& r, const Catalogue& catalogue) {
  std::ostringstream out;
  out << "Classification of \"" << r.item_name << "\"\n\n" << headline(r) << "\n";
  if (!r.applies.empty()) out << "\nEntries that apply:\n";
  for (const auto& e : r.applies) {
    out << "  " << e.entry->code << "  " << e.entry->title << "\n";
    write_reasons(out, e.reasons);
    for (const Exclusion* x : e.open_exclusions) {
      out << "    Unless " << x->ref << " is shown to apply (see the questions below).\n";
    }
    out << "    Citation: " << citation_text(e.entry->citation) << "\n";
  }
  if (!r.exclusions.empty()) out << "\nNotes that take the item out of control:\n";
  for (const auto& x : r.exclusions) {
    out << "  " << x.entry->code << "  " << x.exclusion->ref << ": " << x.exclusion->note << "\n";
    write_reasons(out, x.reasons);
    out << "    Citation: " << citation_text(x.entry->citation) << "\n";
  }
  if (!r.possible.empty()) out << "\nEntries that may apply, depending on the answers below:\n";
  for (const auto& e : r.possible) out << "  " << e.entry->code << "  " << e.entry->title << "\n";
  const CatchAll& art5 = catalogue.catch_all();
  if (r.catch_all) {
    out << "\nArt. 5 catch-all may apply: " << art5.summary << "\n";
    write_reasons(out, r.catch_all_reasons);
    out << "    Citation: " << citation_text(art5.citation) << "\n"
        << "    Guidance: " << citation_text(art5.guidance) << "\n";
  }
  if (!r.questions.empty()) out << "\nQuestions still open:\n";
  int n = 0;
  for (const auto& q : r.questions) {
    out << "  " << ++n << ". " << q.fact->question << " [" << q.fact->id << "]\n";
    if (!q.suggested_by.empty()) {
      out << "     The description mentions:";
      for (const auto& w : q.suggested_by) out << " '" << w << "'";
      out << "\n";
    }
  }
  out << "\nControl-list data: " << r.data_version << "\n";
  return out.str();
}

}  // namespace candor::catalogue
