// Internals of the exchange that run inside the licensing service's transactions: queueing
// messages with the decision that causes them, this authority's own denials, and the
// denials an application matches (the hold on its grant). Not part of the module's interface.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/timestamp.h"
#include "licensing/accounts.h"
#include "licensing/case_store.h"
#include "licensing/exchange.h"
#include "store/database.h"

namespace candor::licensing {

class Checks;

// "DE-" and 32 random hex digits.
std::string new_message_id(std::string_view member_state);

}  // namespace candor::licensing

namespace candor::licensing::detail {

// Denials count for three years from the decision unless withdrawn earlier (the practice of
// the EU's denial notifications).
inline constexpr int kDenialValidYears = 3;

// The JSON in `text`, or `fallback` when it is not JSON (stored columns this program wrote).
nlohmann::json parse_or(const std::string& text, nlohmann::json fallback);

// This authority's member state: the exchange's, else the settings', else "XX".
Result<std::string> own_member_state(store::Connection& c, const ExchangeConfig* exchange);

// Writes a message to the outbox for `to`, or for every peer when `to` is empty. Does nothing
// without an exchange. Returns the message id.
Result<std::string> queue_message(store::Connection& c, const ExchangeConfig* exchange,
                                  MessageKind kind, const std::string& to,
                                  const nlohmann::json& body, const Timestamp& now);

// The control entries of the case's latest classification, each once, in order.
Result<std::vector<std::string>> classified_entries(store::Connection& c, std::int64_t case_id);

// A refusal or revocation: recorded as this authority's denial and notified to every peer.
Result<void> record_own_denial(store::Connection& c, const ExchangeConfig* exchange,
                               const CaseRow& row, std::string_view decision,
                               const std::vector<std::string>& criteria, const std::string& reasons,
                               const Timestamp& now);
// An annulled refusal: its denial is withdrawn, and every peer told.
Result<void> withdraw_own_denial(store::Connection& c, const ExchangeConfig* exchange,
                                 const CaseRow& row, const std::string& reason,
                                 const Timestamp& now);

// Compares the case with every valid denial of another authority; records new matches and
// asks each denying authority for consultation. Returns how many matches are new.
Result<std::size_t> refresh_denial_matches(store::Connection& c, const ExchangeConfig* exchange,
                                           const Checks& checks, const CaseRow& row,
                                           const User& actor, const Timestamp& now);

// The matches still holding the grant: neither answered nor overridden. One line each.
Result<std::vector<std::string>> open_holds(store::Connection& c, std::int64_t case_id);

// The officer's reasons for granting despite the open matches.
Result<std::size_t> override_holds(store::Connection& c, std::int64_t case_id, const User& actor,
                                   const std::string& reason, const Timestamp& now);

// After a grant: when the case matched denials, every peer is told, with the reasons.
Result<void> queue_grant_notice(store::Connection& c, const ExchangeConfig* exchange,
                                const CaseRow& row, const std::string& reasons,
                                const Timestamp& now);

// The case page's section: the denials the case matches and their consultations.
Result<nlohmann::json> case_denials(store::Connection& c, std::int64_t case_id);

}  // namespace candor::licensing::detail
