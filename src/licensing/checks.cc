#include "licensing/checks.h"

#include "catalogue/classify.h"
#include "core/digest.h"

namespace candor::licensing {

Checks::Checks(const catalogue::Catalogue& catalogue, const screening::Index* index,
               const risk::Snapshot& snapshot)
    : catalogue_(catalogue), index_(index), snapshot_(snapshot) {}

CheckResult Checks::classify(const std::vector<CheckInputItem>& items) const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& input : items) {
    nlohmann::json item_json = {
        {"name", input.name},
        {"description", input.description},
        {"facts", input.facts.is_object() ? input.facts : nlohmann::json::object()}};
    auto item = catalogue::parse_item(item_json, catalogue_);
    nlohmann::json entry = {{"item", input.name}, {"declared_entry", input.declared_entry}};
    if (!item.ok()) {
      // Facts stored before a control-list update may no longer parse; the officer sees why.
      entry["error"] = item.error().message();
      entry["outcome"] = "undetermined";
    } else {
      const auto classification = catalogue::classify(catalogue_, item.value());
      entry["classification"] = catalogue::to_json(classification, catalogue_);
      entry["outcome"] = std::string(catalogue::to_string(classification.outcome));
    }
    entry["entries"] = entries_of(entry, input.declared_entry);
    out.push_back(std::move(entry));
  }
  return {out, {{"controls", catalogue_.data_version()}}};
}

std::vector<std::string> Checks::entries_of(const nlohmann::json& entry,
                                            const std::string& declared_entry) {
  std::vector<std::string> codes;
  if (entry.contains("classification")) {
    const auto& c = entry["classification"];
    for (const auto& applied : c.value("entries", nlohmann::json::array())) {
      codes.push_back(applied.value("code", ""));
    }
    if (codes.empty() && c.value("catch_all", false)) codes.emplace_back("Art. 5");
  }
  if (codes.empty() && !declared_entry.empty()) codes.push_back(declared_entry);
  return codes;
}

CheckResult Checks::screen(const std::vector<CheckInputParty>& parties,
                           std::vector<ScreeningHitRecord>& hits) const {
  nlohmann::json versions = nlohmann::json::array();
  if (index_ == nullptr) {
    return {{{"status", "unavailable"},
             {"message", "No sanctions lists are loaded: the parties were not screened."}},
            {{"lists", versions}}};
  }
  for (const auto& list : index_->lists()) {
    versions.push_back(
        {{"name", list.name}, {"published", list.published}, {"entities", list.entities.size()}});
  }
  nlohmann::json per_party = nlohmann::json::array();
  for (const auto& party : parties) {
    screening::Query query;
    query.name = party.name;
    query.facts.country = party.country;
    query.facts.type = party.kind == "person" ? screening::EntityType::person
                                              : screening::EntityType::organization;
    const auto found = index_->search(query, {});
    nlohmann::json party_hits = nlohmann::json::array();
    for (const auto& hit : found) {
      const auto& list = index_->lists()[hit.list];
      const auto& entity = list.entities[hit.entity];
      ScreeningHitRecord record{party.id,
                                party.name,
                                list.name,
                                entity.entity_id,
                                hit.matched_name,
                                hit.score,
                                hit.score >= screening::kBlockBand ? "block" : "review",
                                hit.explanation};
      party_hits.push_back({{"list", record.list},
                            {"entity_id", record.entity_id},
                            {"matched_name", record.matched_name},
                            {"primary_name", entity.names.front().text},
                            {"programs", entity.programs},
                            {"score", record.score},
                            {"band", record.band}});
      hits.push_back(std::move(record));
    }
    per_party.push_back({{"party", party.name}, {"role", party.role}, {"hits", party_hits}});
  }
  return {{{"status", "done"}, {"threshold", screening::kDefaultThreshold}, {"parties", per_party}},
          {{"lists", versions}}};
}

CheckResult Checks::assess(const risk::Case& c, const risk::PastDecisionSource* past,
                           const std::vector<risk::EvidenceRecord>& added) const {
  if (added.empty()) {
    const auto assessment = risk::assess(c, snapshot_, past);
    return {risk::to_json(assessment), {{"risk", snapshot_.version}}};
  }
  risk::Snapshot data = snapshot_;
  data.merge_evidence(added);
  const auto assessment = risk::assess(c, data, past);
  return {risk::to_json(assessment),
          {{"risk", snapshot_.version}, {"added_evidence", added.size()}}};
}

}  // namespace candor::licensing
