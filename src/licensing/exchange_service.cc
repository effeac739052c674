// What the exchange between authorities does with messages: the outbox and its delivery,
// the inbox and what each kind of message changes, denials, consultations and the hold they
// put on a grant.
#include <algorithm>
#include <set>

#include "licensing/audit.h"
#include "licensing/checks.h"
#include "licensing/denials.h"
#include "licensing/exchange.h"
#include "licensing/exchange_store.h"

namespace candor::licensing {

using json = nlohmann::json;

namespace detail {
namespace {

json parse_or(const std::string& text, json fallback) {
  auto parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? std::move(fallback) : parsed;
}

json parse_or_object(const std::string& text) { return parse_or(text, json::object()); }
json parse_or_array(const std::string& text) { return parse_or(text, json::array()); }

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

// ---------------------------------------------------------------------------------------------

Exchange::Exchange(store::Database& db, const Clock& clock, const ExchangeConfig& config,
                   DeliveryPolicy policy)
    : db_(db), clock_(clock), config_(config), policy_(policy) {}

Result<void> Exchange::record_identity() {
  const std::string now = clock_.now().to_rfc3339();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        for (const auto& [key, value] :
             {std::pair<std::string, std::string>{"member_state", config_.member_state},
              {"authority", config_.name}}) {
          CANDOR_TRY(c.execute(
              "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) "
              "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
              {key, value, now}));
        }
        return {};
      });
}

Result<json> Exchange::receive(std::string_view envelope) {
  const Message message = CANDOR_TRY(open_envelope(envelope, config_));
  const Timestamp now = clock_.now();
  bool duplicate = false;
  CANDOR_TRY(db_.transact<
             void>(store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
    auto stored = CANDOR_TRY(c.query(
        "INSERT INTO exchange_inbox (sender, message_id, kind, envelope, received_at) VALUES ($1, "
        "$2, $3, $4, $5) ON CONFLICT (sender, message_id) DO NOTHING RETURNING id",
        {message.from, message.id, std::string(to_string(message.kind)), std::string(envelope),
         now.to_rfc3339()}));
    if (stored.empty()) {
      duplicate = true;
      return {};
    }
    const json& b = message.body;
    switch (message.kind) {
      case MessageKind::denial: {
        const json& user = b["end_user"];
        CANDOR_TRY(c.execute(
            "INSERT INTO denials (authority, reference, decision, denied_on, valid_until, "
            "destination, control_entries, end_user, end_user_country, end_use, criteria, reasons, "
            "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
            "ON CONFLICT (authority, reference) DO UPDATE SET decision = excluded.decision, "
            "denied_on = excluded.denied_on, valid_until = excluded.valid_until, "
            "withdrawn_at = NULL, criteria = excluded.criteria, reasons = excluded.reasons",
            {message.from, b["reference"].get<std::string>(), b["decision"].get<std::string>(),
             b["denied_on"].get<std::string>(), b["valid_until"].get<std::string>(),
             b["destination"].get<std::string>(), b["control_entries"].dump(),
             user["name"].get<std::string>(), user.value("country", ""), b.value("end_use", ""),
             b.value("criteria", json::array()).dump(), b.value("reasons", ""), now.to_rfc3339()}));
        break;
      }
      case MessageKind::denial_withdrawn:
        CANDOR_TRY(c.execute(
            "UPDATE denials SET withdrawn_at = $1, withdrawn_reason = $2 WHERE authority = $3 AND "
            "reference = $4",
            {now.to_rfc3339(), b["reason"].get<std::string>(), message.from,
             b["reference"].get<std::string>()}));
        break;
      case MessageKind::consultation_request: {
        const std::string reference = b["denial_reference"].get<std::string>();
        auto denial =
            CANDOR_TRY(c.query("SELECT id FROM denials WHERE authority = $1 AND reference = $2",
                               {config_.member_state, reference}));
        CANDOR_TRY(c.execute(
            "INSERT INTO consultations (direction, peer, message_id, denial_id, denial_reference, "
            "subject, question, requested_at) VALUES ('incoming', $1, $2, $3, $4, $5, $6, $7)",
            {message.from, message.id,
             denial.empty() ? store::null_value()
                            : store::Value{CANDOR_TRY(denial[0].get<std::int64_t>(0))},
             reference, b["case"].dump(), b.value("question", ""), now.to_rfc3339()}));
        break;
      }
      case MessageKind::consultation_reply: {
        const auto changed = CANDOR_TRY(c.execute(
            "UPDATE consultations SET position = $1, answer = $2, answered_at = $3 WHERE "
            "direction = 'outgoing' AND peer = $4 AND message_id = $5 AND answered_at IS NULL",
            {b["position"].get<std::string>(), b["answer"].get<std::string>(), now.to_rfc3339(),
             message.from, b["request"].get<std::string>()}));
        if (changed == 0) {
          auto asked = CANDOR_TRY(
              c.query("SELECT 1 FROM consultations WHERE direction = 'outgoing' AND peer = $1 AND "
                      "message_id = $2",
                      {message.from, b["request"].get<std::string>()}));
          if (asked.empty()) {
            return Error::conflict("body.request: " + config_.member_state +
                                   " asked no consultation " + b["request"].get<std::string>() +
                                   " of " + message.from);
          }
        }
        break;
      }
      case MessageKind::grant_notice: break;  // Kept in the inbox; shown on the exchange page.
    }
    CANDOR_TRY(audit(c, now, "peer:" + message.from,
                     "exchange.receive." + std::string(to_string(message.kind)),
                     "message:" + message.id, {{"from", message.from}}));
    return {};
  }));
  return json{{"acknowledged", message.id}, {"duplicate", duplicate}};
}

Result<DeliveryRound> Exchange::deliver_due(Transport& transport) {
  DeliveryRound round;
  const std::int64_t now_us = clock_.now().unix_micros();
  auto due = CANDOR_TRY(db_.transact<std::vector<store::Row>>(
      store::TransactionMode::read, [&](store::Connection& c) -> Result<std::vector<store::Row>> {
        return c.query(
            "SELECT id, message_id, peer, envelope, attempts, next_attempt_us FROM "
            "exchange_outbox WHERE delivered_at IS NULL AND next_attempt_us <= $1 ORDER BY "
            "next_attempt_us, id LIMIT $2",
            {now_us, static_cast<std::int64_t>(policy_.batch)});
      }));
  for (const auto& row : due) {
    const auto id = CANDOR_TRY(row.get<std::int64_t>(0));
    const auto message_id = CANDOR_TRY(row.get<std::string>(1));
    const auto peer_code = CANDOR_TRY(row.get<std::string>(2));
    const auto envelope = CANDOR_TRY(row.get<std::string>(3));
    const auto attempts = CANDOR_TRY(row.get<std::int64_t>(4));
    const auto was_due = CANDOR_TRY(row.get<std::int64_t>(5));
    // Claimed for a minute: another process delivering the same outbox skips it meanwhile.
    const auto claimed = CANDOR_TRY(db_.transact<std::int64_t>(
        store::TransactionMode::write, [&](store::Connection& c) -> Result<std::int64_t> {
          return c.execute(
              "UPDATE exchange_outbox SET next_attempt_us = $1 WHERE id = $2 AND "
              "next_attempt_us = $3 AND delivered_at IS NULL",
              {now_us + 60'000'000, id, was_due});
        }));
    if (claimed == 0) continue;
    std::string failure;
    const Peer* peer = config_.peer(peer_code);
    if (peer == nullptr) {
      failure = peer_code + " is no longer a configured peer";
    } else {
      auto answer = transport.post(*peer, envelope);
      if (!answer.ok()) {
        failure = answer.error().message();
      } else if (answer->status != 200) {
        failure = peer_code + " answered HTTP " + std::to_string(answer->status) + ": " +
                  answer->body.substr(0, 300);
      } else {
        const auto ack = json::parse(answer->body, nullptr, false);
        if (!ack.is_object() || ack.value("acknowledged", "") != message_id) {
          failure = peer_code;
          failure += " answered without acknowledging ";
          failure += message_id;
        }
      }
    }
    const Timestamp done = clock_.now();
    if (failure.empty()) {
      CANDOR_TRY(db_.transact<void>(
          store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
            CANDOR_TRY(
                c.execute("UPDATE exchange_outbox SET delivered_at = $1, "
                          "attempts = attempts + 1, last_error = '' WHERE id = $2",
                          {done.to_rfc3339(), id}));
            return {};
          }));
      ++round.delivered;
      continue;
    }
    std::int64_t wait = policy_.first_retry_us;
    for (std::int64_t i = 0; i < attempts && wait < policy_.max_retry_us; ++i) wait *= 2;
    wait = std::min(wait, policy_.max_retry_us);
    CANDOR_TRY(db_.transact<void>(
        store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
          CANDOR_TRY(
              c.execute("UPDATE exchange_outbox SET attempts = attempts + 1, next_attempt_us = $1, "
                        "last_error = $2 WHERE id = $3",
                        {done.unix_micros() + wait, failure.substr(0, 1000), id}));
          return {};
        }));
    ++round.failed;
  }
  auto next = CANDOR_TRY(db_.transact<std::optional<std::int64_t>>(
      store::TransactionMode::read,
      [&](store::Connection& c) -> Result<std::optional<std::int64_t>> {
        auto rows = CANDOR_TRY(
            c.query("SELECT MIN(next_attempt_us) FROM exchange_outbox WHERE delivered_at IS NULL"));
        if (rows.empty() || rows[0].is_null(0)) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(CANDOR_TRY(rows[0].get<std::int64_t>(0)));
      }));
  round.next_due_us = next;
  return round;
}

Result<json> Exchange::overview(const User& actor) {
  CANDOR_TRY(
      detail::require_role(actor, {Role::officer}, "read the exchange with other authorities"));
  return db_.transact<
      json>(store::TransactionMode::read, [&](store::Connection& c) -> Result<json> {
    const auto text = [](const store::Row& r, int i) -> std::string {
      return r.is_null(i) ? std::string() : r.get<std::string>(i).value();
    };
    json out = {{"member_state", config_.member_state},
                {"name", config_.name},
                {"key", config_.key.verifier().to_string()}};
    json peers = json::array();
    for (const auto& peer : config_.peers) {
      auto stats = CANDOR_TRY(c.query(
          "SELECT COUNT(*), COALESCE(SUM(CASE WHEN delivered_at IS NULL THEN 1 ELSE 0 END), 0), "
          "MAX(delivered_at) FROM exchange_outbox WHERE peer = $1",
          {peer.member_state}));
      auto failing = CANDOR_TRY(c.query(
          "SELECT last_error, attempts, next_attempt_us FROM exchange_outbox WHERE peer = $1 AND "
          "delivered_at IS NULL ORDER BY id LIMIT 1",
          {peer.member_state}));
      json p = {{"member_state", peer.member_state},
                {"name", peer.name},
                {"url", peer.url},
                {"key", peer.key.to_string()},
                {"sent", CANDOR_TRY(stats.at(0).get<std::int64_t>(0))},
                {"waiting", CANDOR_TRY(stats.at(0).get<std::int64_t>(1))},
                {"last_delivered_at", text(stats.at(0), 2)}};
      if (!failing.empty()) {
        p["last_error"] = text(failing[0], 0);
        p["attempts"] = CANDOR_TRY(failing[0].get<std::int64_t>(1));
        p["next_attempt_at"] =
            Timestamp::from_unix_micros(CANDOR_TRY(failing[0].get<std::int64_t>(2)))
                .value()
                .to_rfc3339();
      }
      peers.push_back(std::move(p));
    }
    out["peers"] = std::move(peers);

    json consultations = json::array();
    auto rows = CANDOR_TRY(c.query(
        "SELECT k.id, k.direction, k.peer, k.denial_reference, k.subject, k.question, "
        "k.requested_at, k.position, k.answer, k.answered_at, c.reference FROM consultations k "
        "LEFT JOIN cases c ON c.id = k.case_id ORDER BY k.answered_at IS NOT NULL, k.id DESC "
        "LIMIT 200"));
    for (const auto& r : rows) {
      json k = {{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
                {"direction", text(r, 1)},
                {"peer", text(r, 2)},
                {"denial_reference", text(r, 3)},
                {"subject", detail::parse_or_object(text(r, 4))},
                {"question", text(r, 5)},
                {"requested_at", text(r, 6)},
                {"answered", !r.is_null(9)}};
      if (!r.is_null(9)) {
        k["position"] = text(r, 7);
        k["answer"] = text(r, 8);
        k["answered_at"] = text(r, 9);
      }
      if (!r.is_null(10)) k["case_reference"] = text(r, 10);
      consultations.push_back(std::move(k));
    }
    out["consultations"] = std::move(consultations);

    json denials = json::array();
    auto drows = CANDOR_TRY(c.query(
        "SELECT authority, reference, decision, denied_on, valid_until, destination, "
        "control_entries, end_user, end_user_country, criteria, withdrawn_at, withdrawn_reason "
        "FROM denials ORDER BY denied_on DESC, id DESC LIMIT 500"));
    const std::string today = clock_.now().date();
    for (const auto& r : drows) {
      json d = {{"authority", text(r, 0)},
                {"own", text(r, 0) == config_.member_state},
                {"reference", text(r, 1)},
                {"decision", text(r, 2)},
                {"denied_on", text(r, 3)},
                {"valid_until", text(r, 4)},
                {"destination", text(r, 5)},
                {"control_entries", detail::parse_or_array(text(r, 6))},
                {"end_user", text(r, 7)},
                {"end_user_country", text(r, 8)},
                {"criteria", detail::parse_or_array(text(r, 9))},
                {"valid", r.is_null(10) && text(r, 4) >= today}};
      if (!r.is_null(10)) {
        d["withdrawn_at"] = text(r, 10);
        d["withdrawn_reason"] = text(r, 11);
      }
      denials.push_back(std::move(d));
    }
    out["denials"] = std::move(denials);

    json notices = json::array();
    auto nrows = CANDOR_TRY(c.query(
        "SELECT sender, envelope, received_at FROM exchange_inbox WHERE kind = 'grant_notice' "
        "ORDER BY id DESC LIMIT 200"));
    for (const auto& r : nrows) {
      const auto envelope = detail::parse_or_object(text(r, 1));
      json n = envelope.contains("message") ? envelope["message"].value("body", json::object())
                                            : json::object();
      n["authority"] = text(r, 0);
      n["received_at"] = text(r, 2);
      notices.push_back(std::move(n));
    }
    out["grant_notices"] = std::move(notices);
    return out;
  });
}

Result<void> Exchange::answer_consultation(const User& actor, std::int64_t id,
                                           const std::string& position, const std::string& answer) {
  CANDOR_TRY(detail::require_role(actor, {Role::officer}, "answer consultations"));
  if (position != "denial_maintained" && position != "no_objection") {
    return Error::invalid_argument(
        "position: say whether the denial is maintained (denial_maintained) or not "
        "(no_objection)");
  }
  if (answer.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid_argument("answer: give the reasons for your position");
  }
  if (answer.size() > 20000) return Error::invalid_argument("answer: at most 20,000 characters");
  const Timestamp now = clock_.now();
  return db_.transact<
      void>(store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
    auto rows = CANDOR_TRY(c.query(
        "SELECT peer, message_id, denial_reference, answered_at FROM consultations WHERE id = $1 "
        "AND direction = 'incoming'",
        {id}));
    if (rows.empty()) return Error::not_found("no such consultation");
    if (!rows[0].is_null(3)) return Error::conflict("this consultation is already answered");
    const auto peer = CANDOR_TRY(rows[0].get<std::string>(0));
    const auto request = CANDOR_TRY(rows[0].get<std::string>(1));
    const auto reference = CANDOR_TRY(rows[0].get<std::string>(2));
    CANDOR_TRY(c.execute(
        "UPDATE consultations SET position = $1, answer = $2, answered_by = $3, answered_at = $4 "
        "WHERE id = $5",
        {position, answer, actor.id, now.to_rfc3339(), id}));
    CANDOR_TRY(detail::queue_message(c, &config_, MessageKind::consultation_reply, peer,
                                     {{"request", request},
                                      {"denial_reference", reference},
                                      {"position", position},
                                      {"answer", answer}},
                                     now));
    CANDOR_TRY(audit(c, now, "user:" + std::to_string(actor.id) + " " + actor.email,
                     "consultation.answer", "consultation:" + std::to_string(id),
                     {{"peer", peer}, {"denial", reference}, {"position", position}}));
    return {};
  });
}

}  // namespace candor::licensing
