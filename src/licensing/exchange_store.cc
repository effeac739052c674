// The exchange's work inside the licensing service's transactions: messages queued with the
// decision that causes them, this authority's own denials, and the denials an application
// matches (the hold on its grant). What is done with messages received and sent is in
// exchange_service.cc.
#include <algorithm>
#include <set>

#include "licensing/audit.h"
#include "licensing/cases.h"
#include "licensing/checks.h"
#include "licensing/denials.h"
#include "licensing/exchange.h"
#include "licensing/exchange_store.h"

namespace candor::licensing {

using json = nlohmann::json;

namespace detail {

json parse_or(const std::string& text, json fallback) {
  auto parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? std::move(fallback) : parsed;
}

namespace {

std::vector<std::string> strings_of(const json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string plus_years(const std::string& date, int years) {
  const int year = std::stoi(date.substr(0, 4)) + years;
  std::string out = std::to_string(year) + date.substr(4);
  if (out.substr(5) == "02-29") out.replace(8, 2, "28");
  return out;
}

struct CaseParty {
  std::string name;
  std::string country;
};

Result<std::vector<CaseParty>> end_users_of(store::Connection& c, std::int64_t case_id) {
  auto rows = CANDOR_TRY(
      c.query("SELECT name, country FROM case_parties WHERE case_id = $1 AND role = 'end_user' "
              "ORDER BY id",
              {case_id}));
  std::vector<CaseParty> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back({CANDOR_TRY(r.get<std::string>(0)), CANDOR_TRY(r.get<std::string>(1))});
  }
  return out;
}

}  // namespace

Result<std::string> own_member_state(store::Connection& c, const ExchangeConfig* exchange) {
  if (exchange != nullptr) return exchange->member_state;
  auto rows = CANDOR_TRY(c.query("SELECT value FROM settings WHERE key = 'member_state'"));
  if (rows.empty()) return std::string("XX");
  return rows[0].get<std::string>(0);
}

Result<std::string> queue_message(store::Connection& c, const ExchangeConfig* exchange,
                                  MessageKind kind, const std::string& to, const json& body,
                                  const Timestamp& now) {
  if (exchange == nullptr) return std::string();
  const std::string id = new_message_id(exchange->member_state);
  for (const auto& peer : exchange->peers) {
    if (!to.empty() && peer.member_state != to) continue;
    Message message{id, kind, exchange->member_state, peer.member_state, now.to_rfc3339(), body};
    const std::string envelope = CANDOR_TRY(seal(message, exchange->key));
    CANDOR_TRY(
        c.execute("INSERT INTO exchange_outbox (message_id, peer, kind, envelope, created_at, "
                  "next_attempt_us) VALUES ($1, $2, $3, $4, $5, $6)",
                  {id, peer.member_state, std::string(to_string(kind)), envelope, now.to_rfc3339(),
                   now.unix_micros()}));
  }
  return id;
}

Result<std::vector<std::string>> classified_entries(store::Connection& c, std::int64_t case_id) {
  std::vector<std::string> entries;
  auto classified = CANDOR_TRY(c.query(
      "SELECT result FROM checks WHERE case_id = $1 AND kind = 'classification' ORDER BY id DESC "
      "LIMIT 1",
      {case_id}));
  std::set<std::string> seen;
  if (classified.empty()) return entries;
  const auto result = parse_or(CANDOR_TRY(classified[0].get<std::string>(0)), json::array());
  if (!result.is_array()) return entries;
  for (const auto& item : result) {
    if (!item.is_object()) continue;
    for (const auto& code : item.value("entries", json::array())) {
      if (code.is_string() && seen.insert(code.get<std::string>()).second) {
        entries.push_back(code.get<std::string>());
      }
    }
  }
  return entries;
}

Result<void> record_own_denial(store::Connection& c, const ExchangeConfig* exchange,
                               const CaseRow& row, std::string_view decision,
                               const std::vector<std::string>& criteria, const std::string& reasons,
                               const Timestamp& now) {
  const std::string authority = CANDOR_TRY(own_member_state(c, exchange));
  const std::string reference = authority + "-" + row.reference;
  const auto entries = CANDOR_TRY(classified_entries(c, row.id));
  const auto users = CANDOR_TRY(end_users_of(c, row.id));
  const CaseParty end_user = users.empty() ? CaseParty{} : users.front();
  const std::string denied_on = now.date();
  const std::string valid_until = plus_years(denied_on, kDenialValidYears);
  // A revocation after a refusal of the same case is one denial, renewed.
  CANDOR_TRY(c.execute(
      "INSERT INTO denials (authority, reference, case_id, decision, denied_on, valid_until, "
      "destination, control_entries, end_user, end_user_country, end_use, criteria, reasons, "
      "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
      "ON CONFLICT (authority, reference) DO UPDATE SET decision = excluded.decision, "
      "denied_on = excluded.denied_on, valid_until = excluded.valid_until, withdrawn_at = NULL, "
      "criteria = excluded.criteria, reasons = excluded.reasons",
      {authority, reference, row.id, std::string(decision), denied_on, valid_until, row.destination,
       json(entries).dump(), end_user.name, end_user.country, row.end_use, json(criteria).dump(),
       reasons, now.to_rfc3339()}));
  if (entries.empty() || end_user.name.empty()) return {};  // Nothing another could match.
  json body = {{"reference", reference},
               {"decision", std::string(decision)},
               {"denied_on", denied_on},
               {"valid_until", valid_until},
               {"destination", row.destination},
               {"control_entries", entries},
               {"end_user", {{"name", end_user.name}, {"country", end_user.country}}},
               {"end_use", row.end_use.substr(0, 4000)},
               {"criteria", criteria},
               {"reasons", reasons.substr(0, 20000)}};
  CANDOR_TRY(queue_message(c, exchange, MessageKind::denial, "", body, now));
  return {};
}

Result<void> withdraw_own_denial(store::Connection& c, const ExchangeConfig* exchange,
                                 const CaseRow& row, const std::string& reason,
                                 const Timestamp& now) {
  const std::string authority = CANDOR_TRY(own_member_state(c, exchange));
  const std::string reference = authority + "-" + row.reference;
  const auto changed = CANDOR_TRY(c.execute(
      "UPDATE denials SET withdrawn_at = $1, withdrawn_reason = $2 WHERE authority = $3 AND "
      "reference = $4 AND withdrawn_at IS NULL",
      {now.to_rfc3339(), reason, authority, reference}));
  if (changed == 0) return {};
  CANDOR_TRY(queue_message(c, exchange, MessageKind::denial_withdrawn, "",
                           {{"reference", reference}, {"reason", reason.substr(0, 20000)}}, now));
  return {};
}

Result<std::size_t> refresh_denial_matches(store::Connection& c, const ExchangeConfig* exchange,
                                           const Checks& checks, const CaseRow& row,
                                           const User& actor, const Timestamp& now) {
  const std::string own = CANDOR_TRY(own_member_state(c, exchange));
  TransactionFacts facts;
  facts.destination = row.destination;
  facts.control_entries = CANDOR_TRY(classified_entries(c, row.id));
  for (const auto& user : CANDOR_TRY(end_users_of(c, row.id))) {
    facts.end_users.push_back({user.name, user.country});
  }
  auto denials = CANDOR_TRY(c.query(
      "SELECT id, authority, reference, control_entries, end_user, end_user_country FROM denials "
      "WHERE destination = $1 AND withdrawn_at IS NULL AND valid_until >= $2 AND authority <> $3 "
      "AND id NOT IN (SELECT denial_id FROM denial_matches WHERE case_id = $4) ORDER BY id",
      {row.destination, now.date(), own, row.id}));
  std::size_t found = 0;
  for (const auto& d : denials) {
    DenialFacts denial;
    denial.destination = row.destination;
    denial.control_entries = strings_of(parse_or(CANDOR_TRY(d.get<std::string>(3)), json::array()));
    denial.end_user = {CANDOR_TRY(d.get<std::string>(4)), CANDOR_TRY(d.get<std::string>(5))};
    const auto match = match_denial(facts, denial, checks.catalogue());
    if (!match) continue;
    const auto denial_id = CANDOR_TRY(d.get<std::int64_t>(0));
    const auto authority = CANDOR_TRY(d.get<std::string>(1));
    const auto reference = CANDOR_TRY(d.get<std::string>(2));
    // Art. 16(5): the denying authority is consulted before anything is granted.
    const json subject = {{"reference", row.reference},
                          {"destination", row.destination},
                          {"control_entries", facts.control_entries},
                          {"end_users", json::array()},
                          {"end_use", row.end_use.substr(0, 4000)}};
    json case_subject = subject;
    for (const auto& user : facts.end_users) {
      case_subject["end_users"].push_back({{"name", user.name}, {"country", user.country}});
    }
    const std::string question = "Application " + row.reference + " to " + row.destination +
                                 " appears essentially identical to your denial " + reference +
                                 ": " + match->summary() +
                                 ". Do you maintain the denial for this transaction?";
    std::optional<std::int64_t> consultation_id;
    if (exchange != nullptr && exchange->peer(authority) != nullptr) {
      const std::string message_id = CANDOR_TRY(queue_message(
          c, exchange, MessageKind::consultation_request, authority,
          {{"denial_reference", reference}, {"case", case_subject}, {"question", question}}, now));
      auto inserted = CANDOR_TRY(c.query(
          "INSERT INTO consultations (direction, peer, message_id, denial_id, denial_reference, "
          "case_id, subject, question, requested_at) VALUES ('outgoing', $1, $2, $3, $4, $5, $6, "
          "$7, $8) RETURNING id",
          {authority, message_id, denial_id, reference, row.id, case_subject.dump(), question,
           now.to_rfc3339()}));
      consultation_id = CANDOR_TRY(inserted.at(0).get<std::int64_t>(0));
    }
    CANDOR_TRY(c.execute(
        "INSERT INTO denial_matches (case_id, denial_id, explanation, found_at, consultation_id) "
        "VALUES ($1, $2, $3, $4, $5)",
        {row.id, denial_id, match->to_json().dump(), now.to_rfc3339(),
         consultation_id ? store::Value{*consultation_id} : store::null_value()}));
    CANDOR_TRY(record(c, now, actor, row, "denial_match", "", "", match->summary(), false,
                      {{"denial", reference},
                       {"authority", authority},
                       {"consulted", consultation_id.has_value()}}));
    ++found;
  }
  return found;
}

Result<std::vector<std::string>> open_holds(store::Connection& c, std::int64_t case_id) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT d.authority, d.reference, k.id FROM denial_matches m JOIN denials d ON d.id = "
      "m.denial_id LEFT JOIN consultations k ON k.id = m.consultation_id WHERE m.case_id = $1 "
      "AND m.override_reason IS NULL AND (k.id IS NULL OR k.answered_at IS NULL) "
      "AND d.withdrawn_at IS NULL ORDER BY m.id",
      {case_id}));
  std::vector<std::string> out;
  for (const auto& r : rows) {
    const auto authority = CANDOR_TRY(r.get<std::string>(0));
    const auto reference = CANDOR_TRY(r.get<std::string>(1));
    std::string hold = "denial ";
    hold += reference;
    hold += " of ";
    hold += authority;
    hold += r.is_null(2) ? " (not consulted)" : " (consultation unanswered)";
    out.push_back(std::move(hold));
  }
  return out;
}

Result<std::size_t> override_holds(store::Connection& c, std::int64_t case_id, const User& actor,
                                   const std::string& reason, const Timestamp& now) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT m.id FROM denial_matches m JOIN denials d ON d.id = m.denial_id LEFT JOIN "
      "consultations k ON k.id = m.consultation_id WHERE m.case_id = $1 AND m.override_reason IS "
      "NULL AND (k.id IS NULL OR k.answered_at IS NULL) AND d.withdrawn_at IS NULL",
      {case_id}));
  for (const auto& r : rows) {
    CANDOR_TRY(c.execute(
        "UPDATE denial_matches SET override_reason = $1, overridden_by = $2, overridden_at = $3 "
        "WHERE id = $4",
        {reason, actor.id, now.to_rfc3339(), CANDOR_TRY(r.get<std::int64_t>(0))}));
  }
  return rows.size();
}

Result<void> queue_grant_notice(store::Connection& c, const ExchangeConfig* exchange,
                                const CaseRow& row, const std::string& reasons,
                                const Timestamp& now) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT d.authority, d.reference, m.override_reason, k.position, k.answer FROM "
      "denial_matches m JOIN denials d ON d.id = m.denial_id LEFT JOIN consultations k ON k.id = "
      "m.consultation_id WHERE m.case_id = $1 ORDER BY m.id",
      {row.id}));
  if (rows.empty()) return {};
  json denials = json::array();
  std::string all_reasons = reasons;
  const bool stated = all_reasons.find_first_not_of(" \t\r\n") != std::string::npos;
  for (const auto& r : rows) {
    json d = {{"authority", CANDOR_TRY(r.get<std::string>(0))},
              {"reference", CANDOR_TRY(r.get<std::string>(1))}};
    if (!r.is_null(2)) {
      const auto because = CANDOR_TRY(r.get<std::string>(2));
      d["granted_anyway_because"] = because;
      // The officer's reasons for overriding are the grant's reasons when it gave none.
      if (!stated && all_reasons.find(because) == std::string::npos) {
        all_reasons += (all_reasons.empty() ? "" : "; ") + because;
      }
    }
    if (!r.is_null(3)) {
      d["consultation"] = {{"position", CANDOR_TRY(r.get<std::string>(3))},
                           {"answer", CANDOR_TRY(r.get<std::string>(4))}};
    }
    denials.push_back(std::move(d));
  }
  if (all_reasons.find_first_not_of(" \t\r\n") == std::string::npos) {
    all_reasons = "Granted after consultation: the denying authorities answered.";
  }
  json body = {{"reference", row.reference},
               {"licence_number", row.licence_number},
               {"granted_on", now.date()},
               {"destination", row.destination},
               {"control_entries", CANDOR_TRY(classified_entries(c, row.id))},
               {"reasons", all_reasons.substr(0, 20000)},
               {"denials", std::move(denials)}};
  CANDOR_TRY(queue_message(c, exchange, MessageKind::grant_notice, "", body, now));
  return {};
}

Result<json> case_denials(store::Connection& c, std::int64_t case_id) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT d.authority, d.reference, d.decision, d.denied_on, d.end_user, d.control_entries, "
      "d.criteria, d.withdrawn_at, m.explanation, m.found_at, m.override_reason, m.overridden_at, "
      "k.id, k.requested_at, k.position, k.answer, k.answered_at FROM denial_matches m JOIN "
      "denials d ON d.id = m.denial_id LEFT JOIN consultations k ON k.id = m.consultation_id "
      "WHERE m.case_id = $1 ORDER BY m.id",
      {case_id}));
  json out = json::array();
  for (const auto& r : rows) {
    const auto text = [&](int i) -> std::string {
      return r.is_null(i) ? std::string() : r.get<std::string>(i).value();
    };
    json m = {{"authority", text(0)},
              {"reference", text(1)},
              {"decision", text(2)},
              {"denied_on", text(3)},
              {"end_user", text(4)},
              {"control_entries", parse_or(text(5), json::array())},
              {"criteria", parse_or(text(6), json::array())},
              {"match", parse_or(text(8), json::object())},
              {"found_at", text(9)}};
    std::string status = "held: not consulted";
    if (!r.is_null(7)) {
      m["withdrawn_at"] = text(7);
      status = "denial withdrawn";
    } else if (!r.is_null(10)) {
      m["override_reason"] = text(10);
      m["overridden_at"] = text(11);
      status = "granted anyway";
    }
    if (!r.is_null(12)) {
      json k = {{"requested_at", text(13)}};
      if (!r.is_null(16)) {
        k["position"] = text(14);
        k["answer"] = text(15);
        k["answered_at"] = text(16);
        if (r.is_null(7) && r.is_null(10)) status = "answered";
      } else if (r.is_null(7) && r.is_null(10)) {
        status = "held: consultation unanswered";
      }
      m["consultation"] = std::move(k);
    }
    m["status"] = status;
    m["holds_grant"] = status.rfind("held", 0) == 0;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace detail

// The officer's reasons lift every hold on the case at once; they go out with the grant.
Result<void> Cases::grant_despite_denials(const User& actor, const std::string& reference,
                                          const std::string& reason) {
  CANDOR_TRY(
      detail::require_role(actor, {Role::officer}, "grant despite another authority's denial"));
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid_argument(
        "reason: say why the licence should be granted despite the denial; every authority "
        "will read it");
  }
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        if (decided(row.state)) return Error::conflict("the case is decided already");
        const auto lifted = CANDOR_TRY(detail::override_holds(c, row.id, actor, reason, now));
        if (lifted == 0) {
          return Error::failed_precondition("no denial holds this case's grant");
        }
        return detail::record(c, now, actor, row, "grant_despite_denials", "", "", reason, false,
                              {{"denials", lifted}});
      });
}

}  // namespace candor::licensing
