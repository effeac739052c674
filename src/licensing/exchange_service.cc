// What the exchange between authorities does with messages: receiving them (checked, stored
// once, acted on), delivering the outbox with backoff, and the officers' overview and answers.
// The work done inside the licensing service's transactions is in exchange_store.cc.
#include <algorithm>

#include "licensing/audit.h"
#include "licensing/exchange.h"
#include "licensing/exchange_store.h"

namespace candor::licensing {

using json = nlohmann::json;

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
                {"subject", detail::parse_or(text(r, 4), json::object())},
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
                {"control_entries", detail::parse_or(text(r, 6), json::array())},
                {"end_user", text(r, 7)},
                {"end_user_country", text(r, 8)},
                {"criteria", detail::parse_or(text(r, 9), json::array())},
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
      const auto envelope = detail::parse_or(text(r, 1), json::object());
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
