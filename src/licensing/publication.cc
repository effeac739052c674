// The register entry of a decision (docs/register.md): what the public may know of it. The
// items appear as their control entries and the entries' titles (a generalised description,
// never the exporter's own words), the value as a band, the exporter unless withheld under a
// named rule.
#include <set>

#include "catalogue/catalogue.h"
#include "core/money.h"
#include "licensing/case_store.h"
#include "licensing/cases.h"
#include "licensing/exchange_store.h"
#include "register/publish.h"

namespace candor::licensing::detail {

Result<void> queue_publication(store::Connection& c, const Checks& checks, const CaseRow& row,
                               Action action, const Timestamp& at,
                               const std::vector<std::string>& criteria) {
  auto settings = CANDOR_TRY(
      c.query("SELECT key, value FROM settings WHERE key IN ('authority', 'member_state')"));
  std::string authority = "Licensing authority";
  std::string member_state = "XX";  // ISO 3166 user-assigned: not set by the authority.
  for (const auto& s : settings) {
    const auto key = CANDOR_TRY(s.get<std::string>(0));
    (key == "authority" ? authority : member_state) = CANDOR_TRY(s.get<std::string>(1));
  }
  const std::vector<std::string> entries = CANDOR_TRY(classified_entries(c, row.id));
  std::string category = entries.empty() ? "unclassified" : "catch_all";
  std::string description;
  for (const auto& code : entries) {
    const auto* entry = checks.catalogue().entry(code);
    if (entry == nullptr) continue;
    if (category == "catch_all" || category == "unclassified") category = entry->category;
    if (!description.empty()) description += "; ";
    description += entry->title;
  }
  if (description.empty()) {
    description = entries.empty() ? "Item not classified"
                                  : "Unlisted cyber-surveillance item (Art. 5 catch-all)";
  }
  // The total value, as a band, in the first item's currency.
  auto values = CANDOR_TRY(c.query(
      "SELECT value_minor, currency FROM case_items WHERE case_id = $1 ORDER BY id", {row.id}));
  std::int64_t total = 0;
  std::string currency = "EUR";
  int digits = 2;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto code = CANDOR_TRY(values[i].get<std::string>(1));
    if (i == 0) {
      currency = code;
      if (auto parsed = Currency::parse(code); parsed.ok()) digits = parsed->minor_digits();
    }
    // Saturates rather than wraps: a wrapped sum would publish a vast export as a small one.
    if (code == currency &&
        __builtin_add_overflow(total, CANDOR_TRY(values[i].get<std::int64_t>(0)), &total)) {
      total = INT64_MAX;
    }
  }
  const auto queued =
      CANDOR_TRY(c.query("SELECT COUNT(*) FROM register_queue WHERE entry_id LIKE $1",
                         {member_state + "-" + row.reference + "-%"}));
  const auto sequence = CANDOR_TRY(queued.at(0).get<std::int64_t>(0)) + 1;

  std::string decision(to_string(action));
  static const std::pair<Action, const char*> kDecisions[] = {
      {Action::grant, "granted"},     {Action::grant_with_conditions, "granted_with_conditions"},
      {Action::refuse, "refused"},    {Action::amend, "amended"},
      {Action::suspend, "suspended"}, {Action::reinstate, "reinstated"},
      {Action::revoke, "revoked"},    {Action::annul, "annulled"}};
  for (const auto& [a, name] : kDecisions) {
    if (a == action) decision = name;
  }
  nlohmann::json entry = {
      {"entry_id", member_state + "-" + row.reference + "-" + std::to_string(sequence)},
      {"schema", "candor.register.entry/1"},
      {"authority", {{"member_state", member_state}, {"name", authority}}},
      {"decision", decision},
      {"decision_date", at.date()},
      {"licence_type", row.licence_type},
      {"control_entries", entries},
      {"item_category", category},
      {"item_description", description},
      {"destination", row.destination},
      {"end_user_type", row.end_user_type},
      {"value_band", reg::value_band(total, digits, currency)}};
  if (!row.licence_number.empty()) entry["licence_number"] = row.licence_number;
  if (action == Action::refuse) entry["criteria"] = criteria;
  const auto withheld = nlohmann::json::parse(row.withheld, nullptr, false);
  bool exporter_withheld = false;
  if (withheld.is_array() && !withheld.empty()) {
    entry["withheld"] = withheld;
    for (const auto& w : withheld) exporter_withheld |= w.value("field", "") == "exporter";
  }
  if (!exporter_withheld) entry["exporter"] = row.organisation;
  return reg::queue_entry(c, entry, at);
}

}  // namespace candor::licensing::detail
