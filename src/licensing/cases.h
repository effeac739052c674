// The licensing service: cases from application to decision. Every operation takes the
// signed-in user and enforces the access matrix (docs/access.md) itself, so the web pages and
// the JSON API cannot disagree about who may do what:
//
//   exporter  creates and edits its organisation's drafts, submits, answers, withdraws, uploads
//             documents, reads its own cases (not the internal checks, advice or notes) and
//             licences; another organisation's case is "not found".
//   officer   reads every case, assigns, runs and re-runs the checks, clears screening hits,
//             asks for advice, recommends and decides; adds misuse evidence.
//   adviser   reads the cases on which its advice is asked and answers; adds misuse evidence.
//   admin     manages accounts and reads the audit trail; no case content.
//
// Every change writes a case event (the timeline) and an audit event in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/timestamp.h"
#include "licensing/accounts.h"
#include "licensing/checks.h"
#include "licensing/exchange.h"
#include "licensing/state.h"
#include "store/database.h"

namespace candor::licensing {

struct ItemInput {
  std::string name;
  std::string description;
  std::string declared_entry;
  nlohmann::json facts = nlohmann::json::object();
  std::int64_t quantity = 1;
  std::string value;  // Decimal in the currency, e.g. "250000.00".
  std::string currency = "EUR";
};

struct PartyInput {
  std::string role;  // consignee | end_user | intermediary
  std::string name;
  std::string country;  // ISO alpha-2
  std::string kind = "organisation";
  std::string address;
};

struct CaseInput {
  std::string licence_type = "individual";  // individual | global
  std::string title;
  std::string end_use;
  std::string end_user_type = "other_government";
  std::vector<ItemInput> items;
  std::vector<PartyInput> parties;
  // The exporter asks that its name be left out of the public register entry.
  bool withhold_exporter = false;
};

// The rule a register entry cites when it leaves the exporter's name out.
inline constexpr const char* kExporterWithheldRule =
    "Art. 26(2) Regulation (EU) 2021/821: commercially sensitive information of the exporter";

struct DocumentInput {
  std::string kind;  // end_user_certificate | technical_specification | contract | other
  std::string filename;
  std::string content_type;
  std::string content;
};

struct Document {
  std::int64_t id = 0;
  std::string case_reference;
  std::string kind;
  std::string filename;
  std::string content_type;
  std::string sha256;
  std::string content;
};

struct ActionInput {
  Action action = Action::submit;
  std::string reason;
  std::vector<std::string> criteria;    // Codes from criteria(); a refusal names at least one.
  std::vector<std::string> conditions;  // A grant with conditions names at least one.
};

struct EvidenceInput {
  std::string case_reference;  // Optional: the case that prompted it.
  std::string country;
  std::string end_user;
  std::string kind;  // targeting | procurement | other
  std::string summary;
  std::string source_title;
  std::string source_url;
  std::string occurred_on;  // YYYY, YYYY-MM or YYYY-MM-DD, may be empty.
};

struct CaseFilter {
  std::string state;     // A state name, "open", "decided", or empty for all.
  std::string assigned;  // "me", "none", or empty.
  std::string query;     // Reference, title or organisation contains.
};

// A criterion a refusal may cite.
struct Criterion {
  std::string_view code;
  std::string_view label;
};
const std::vector<Criterion>& refusal_criteria();
// The standard licence conditions an officer may tick.
const std::vector<Criterion>& standard_conditions();

constexpr std::size_t kMaxDocumentBytes = std::size_t{5} * 1024 * 1024;

class Cases {
 public:
  // REQUIRES: all outlive the service. Without an exchange, denials are recorded but no
  // other authority is told or consulted.
  Cases(store::Database& db, const Clock& clock, const Checks& checks,
        const ExchangeConfig* exchange = nullptr);

  Result<std::string> create(const User& actor, const CaseInput& input);
  Result<void> add_item(const User& actor, const std::string& reference, const ItemInput& item);
  Result<void> add_party(const User& actor, const std::string& reference, const PartyInput& party);
  Result<void> remove_item(const User& actor, const std::string& reference, std::int64_t id);
  Result<void> remove_party(const User& actor, const std::string& reference, std::int64_t id);
  Result<std::int64_t> add_document(const User& actor, const std::string& reference,
                                    const DocumentInput& document);
  // Every read is in the audit trail. Errors: not_found also for a document the actor may
  // not see, so that ids do not reveal other organisations' documents.
  Result<Document> read_document(const User& actor, std::int64_t id);

  // Any transition of the state machine, with its rules: submit runs the checks; a decision
  // waits until every screening hit is cleared; a refusal cites criteria; a grant with
  // conditions names them; a grant issues the licence number. A grant is also held while the
  // case matches another authority's valid denial whose consultation is unanswered (Art. 16(5));
  // a refusal or revocation is notified to every peer as a denial.
  Result<void> act(const User& actor, const std::string& reference, const ActionInput& input);
  // The officer's reasons for granting despite the denials still holding the grant; they go to
  // every authority with the grant. Errors: failed_precondition when nothing is held.
  Result<void> grant_despite_denials(const User& actor, const std::string& reference,
                                     const std::string& reason);
  Result<void> assign(const User& actor, const std::string& reference,
                      std::optional<std::int64_t> officer_id, const std::string& target_date);
  Result<void> run_checks(const User& actor, const std::string& reference);
  Result<void> clear_hit(const User& actor, const std::string& reference, std::int64_t hit_id,
                         const std::string& outcome, const std::string& reason);
  Result<std::int64_t> request_advice(const User& actor, const std::string& reference,
                                      std::int64_t adviser_id, const std::string& question);
  Result<void> answer_advice(const User& actor, std::int64_t advice_id, const std::string& answer);
  Result<std::int64_t> add_evidence(const User& actor, const EvidenceInput& input);

  // Views, as JSON for the API and the page templates alike (docs/openapi.yaml).
  Result<nlohmann::json> list(const User& actor, const CaseFilter& filter);
  Result<nlohmann::json> view(const User& actor, const std::string& reference);
  Result<nlohmann::json> advice_inbox(const User& actor);
  Result<nlohmann::json> licence(const User& actor, const std::string& reference);

 private:
  // `table` is one of the two fixed table names above, never input.
  Result<void> remove_from_draft(const User& actor, const std::string& reference,
                                 std::string_view table, std::string_view what, std::int64_t id);

  store::Database& db_;
  const Clock& clock_;
  const Checks& checks_;
  const ExchangeConfig* exchange_;
};

}  // namespace candor::licensing
