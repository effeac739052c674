// The licensing service's state changes after the application is made: transitions, checks,
// screening clearance, advice and evidence.
#include <algorithm>
#include <set>

#include "core/country.h"
#include "licensing/audit.h"
#include "licensing/case_store.h"
#include "licensing/cases.h"
#include "licensing/exchange_store.h"
#include "register/log.h"
#include "register/publish.h"

namespace candor::licensing {

using detail::CaseRow;
using detail::require_role;

namespace {

constexpr std::int64_t kTargetDays = 30;  // The authority's service standard for a decision.

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The decisions the public register records (Art. 26 and the civil-society ask: all of them).
bool published_decision(Action action) {
  switch (action) {
    case Action::grant:
    case Action::grant_with_conditions:
    case Action::refuse:
    case Action::amend:
    case Action::suspend:
    case Action::reinstate:
    case Action::revoke:
    case Action::annul: return true;
    default: return false;
  }
}

bool is_decision(Action action) {
  return action == Action::grant || action == Action::grant_with_conditions ||
         action == Action::refuse;
}

// Officers' notes and the internal steps stay off the exporter's timeline.
bool visible_to_exporter(Action action) {
  return action != Action::recommend && action != Action::request_advice;
}

Timestamp plus_days(Timestamp t, std::int64_t days) {
  return Timestamp::from_unix_micros(t.unix_micros() + days * 86400 * 1'000'000).value();
}

Result<std::string> next_licence_number(store::Connection& c, const Timestamp& now) {
  const std::string stem = "EL-" + now.date().substr(0, 4) + "-";
  auto rows =
      CANDOR_TRY(c.query("SELECT COUNT(*) FROM cases WHERE licence_number LIKE $1", {stem + "%"}));
  std::string digits = std::to_string(CANDOR_TRY(rows.at(0).get<std::int64_t>(0)) + 1);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return stem + digits;
}

Result<std::int64_t> open_blockers(store::Connection& c, std::int64_t case_id) {
  auto rows = CANDOR_TRY(
      c.query("SELECT COUNT(*) FROM screening_hits WHERE case_id = $1 AND cleared_at IS NULL AND "
              "check_id = (SELECT MAX(id) FROM checks WHERE case_id = $1 AND kind = 'screening')",
              {case_id}));
  return rows.at(0).get<std::int64_t>(0);
}

std::vector<std::string> json_strings(const std::string& text) {
  std::vector<std::string> out;
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& value : parsed) {
    if (value.is_string()) out.push_back(value.get<std::string>());
  }
  return out;
}

class StoredDecisions final : public risk::PastDecisionSource {
 public:
  explicit StoredDecisions(std::vector<risk::PastDecision> decisions)
      : decisions_(std::move(decisions)) {}
  std::vector<risk::PastDecision> comparable(const risk::Case& c) const override {
    std::set<std::string> families;
    for (const auto& item : c.items) {
      for (const auto& entry : item.control_entries) families.insert(entry.substr(0, 5));
    }
    std::vector<risk::PastDecision> out;
    for (const auto& d : decisions_) {
      if (d.destination != c.destination) continue;
      if (families.contains(d.entry_family) || d.end_user_type == c.end_user_type) {
        out.push_back(d);
      }
    }
    return out;
  }

 private:
  std::vector<risk::PastDecision> decisions_;
};

// This authority's own decisions on other cases to the same destination.
Result<std::vector<risk::PastDecision>> past_decisions(store::Connection& c, const CaseRow& row,
                                                       const std::string& authority) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT k.id, COALESCE(k.licence_number, k.reference), k.state, "
      "SUBSTR(COALESCE(k.decided_at, ''), 1, 10), k.end_user_type, "
      "(SELECT result FROM checks WHERE case_id = k.id AND kind = 'classification' "
      "ORDER BY id DESC LIMIT 1) FROM cases k WHERE k.destination = $1 AND k.id <> $2 AND "
      "k.state IN ('granted', 'granted_with_conditions', 'refused', 'amended', 'suspended', "
      "'revoked', 'annulled') ORDER BY k.id",
      {row.destination, row.id}));
  std::vector<risk::PastDecision> out;
  for (const auto& r : rows) {
    const std::string state = CANDOR_TRY(r.get<std::string>(2));
    std::set<std::string> families;
    const auto classification = CANDOR_TRY(r.get<std::optional<std::string>>(5));
    if (classification) {
      const auto parsed = nlohmann::json::parse(*classification, nullptr, false);
      if (parsed.is_array()) {
        for (const auto& item : parsed) {
          for (const auto& e : item.value("entries", nlohmann::json::array())) {
            if (e.is_string()) families.insert(e.get<std::string>().substr(0, 5));
          }
        }
      }
    }
    if (families.empty()) families.insert("");
    for (const auto& family : families) {
      out.push_back({CANDOR_TRY(r.get<std::string>(1)), authority,
                     state == "refused" ? "refused" : "granted", CANDOR_TRY(r.get<std::string>(3)),
                     family, row.destination, CANDOR_TRY(r.get<std::string>(4))});
    }
  }
  return out;
}

Result<std::vector<risk::EvidenceRecord>> added_evidence(store::Connection& c,
                                                         const std::string& country) {
  auto rows = CANDOR_TRY(
      c.query("SELECT id, kind, end_user, summary, source_title, source_url, occurred_on "
              "FROM evidence_records WHERE country = $1 AND kind IN ('targeting', 'procurement') "
              "ORDER BY id",
              {country}));
  std::vector<risk::EvidenceRecord> out;
  for (const auto& r : rows) {
    risk::EvidenceRecord e;
    e.id = "candor:" + std::to_string(CANDOR_TRY(r.get<std::int64_t>(0)));
    e.kind = CANDOR_TRY(r.get<std::string>(1)) == "procurement" ? risk::EvidenceKind::procurement
                                                                : risk::EvidenceKind::targeting;
    e.country = country;
    e.end_user = CANDOR_TRY(r.get<std::string>(2));
    e.summary = CANDOR_TRY(r.get<std::string>(3));
    e.publisher = CANDOR_TRY(r.get<std::string>(4));
    e.sources = {CANDOR_TRY(r.get<std::string>(5))};
    const std::string on = CANDOR_TRY(r.get<std::string>(6));
    e.year = on.size() >= 4 ? std::atoi(on.substr(0, 4).c_str()) : 0;
    e.confidence = risk::Confidence::alleged;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

namespace detail {

Result<void> run_checks_in(store::Connection& c, const Checks& checks, const Timestamp& now,
                           const User& actor, const CaseRow& row) {
  auto item_rows = CANDOR_TRY(
      c.query("SELECT name, description, declared_entry, facts FROM case_items WHERE case_id = $1 "
              "ORDER BY id",
              {row.id}));
  std::vector<CheckInputItem> items;
  items.reserve(item_rows.size());
  for (const auto& r : item_rows) {
    items.push_back({CANDOR_TRY(r.get<std::string>(0)), CANDOR_TRY(r.get<std::string>(1)),
                     CANDOR_TRY(r.get<std::string>(2)),
                     nlohmann::json::parse(CANDOR_TRY(r.get<std::string>(3)), nullptr, false)});
  }
  auto party_rows = CANDOR_TRY(c.query(
      "SELECT id, role, name, country, kind FROM case_parties WHERE case_id = $1 ORDER BY id",
      {row.id}));
  std::vector<CheckInputParty> parties;
  parties.reserve(party_rows.size());
  for (const auto& r : party_rows) {
    parties.push_back({CANDOR_TRY(r.get<std::int64_t>(0)), CANDOR_TRY(r.get<std::string>(1)),
                       CANDOR_TRY(r.get<std::string>(2)), CANDOR_TRY(r.get<std::string>(3)),
                       CANDOR_TRY(r.get<std::string>(4))});
  }
  const auto store_check = [&](std::string_view kind,
                               const CheckResult& result) -> Result<std::int64_t> {
    auto rows = CANDOR_TRY(c.query(
        "INSERT INTO checks (case_id, kind, run_at, run_by, data_versions, result) VALUES ($1, "
        "$2, $3, $4, $5, $6) RETURNING id",
        {row.id, std::string(kind), now.to_rfc3339(), actor.id, result.data_versions.dump(),
         result.result.dump()}));
    return rows.at(0).get<std::int64_t>(0);
  };

  const CheckResult classification = checks.classify(items);
  CANDOR_TRY(store_check("classification", classification));

  std::vector<ScreeningHitRecord> hits;
  const CheckResult screening = checks.screen(parties, hits);
  const auto screening_id = CANDOR_TRY(store_check("screening", screening));
  if (!checks.screening_available()) {
    hits.push_back({0, "all parties", "none", "", "", 0.0, "unscreened",
                    "No sanctions lists were loaded when the case was checked. Screen the "
                    "parties by other means and record here how it was done."});
  }
  for (const auto& hit : hits) {
    CANDOR_TRY(c.execute(
        "INSERT INTO screening_hits (check_id, case_id, party_id, party_name, list, entity_id, "
        "matched_name, score, band, explanation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        {screening_id, row.id, hit.party_id == 0 ? store::null_value() : store::Value{hit.party_id},
         hit.party_name, hit.list, hit.entity_id, hit.matched_name, hit.score, hit.band,
         hit.explanation}));
  }

  risk::Case rc;
  rc.destination = row.destination;
  rc.end_user_type = row.end_user_type;
  rc.red_flags = json_strings(row.red_flags);
  for (const auto& party : parties) {
    const risk::Party p{party.name, party.country};
    if (party.role == "end_user") rc.end_user = p;
    if (party.role == "consignee") rc.consignee = p;
    if (party.role == "intermediary") rc.intermediaries.push_back(p);
  }
  const auto& classified = classification.result;
  for (std::size_t i = 0; i < items.size() && i < classified.size(); ++i) {
    rc.items.push_back(
        {classified[i].value("entries", std::vector<std::string>{}), items[i].description});
  }
  for (const auto& hit : hits) {
    if (hit.band == "unscreened") continue;
    rc.screening_hits.push_back({hit.party_name, hit.list, hit.entity_id, hit.score});
  }
  auto authority_rows = CANDOR_TRY(c.query("SELECT value FROM settings WHERE key = 'authority'"));
  const std::string authority =
      authority_rows.empty() ? "this authority" : CANDOR_TRY(authority_rows[0].get<std::string>(0));
  const StoredDecisions past(CANDOR_TRY(past_decisions(c, row, authority)));
  const auto evidence = CANDOR_TRY(added_evidence(c, row.destination));
  CANDOR_TRY(store_check("risk", checks.assess(rc, &past, evidence)));
  return record(c, now, actor, row, "run_checks", "", "", "", false,
                {{"screening_hits", hits.size()}});
}

}  // namespace detail

Result<void> Cases::act(const User& actor, const std::string& reference, const ActionInput& input) {
  if (input.action == Action::request_advice) {
    return Error::invalid_argument("action: advice is asked of a named adviser (request_advice)");
  }
  const Timestamp now = clock_.now();
  const bool grants =
      input.action == Action::grant || input.action == Action::grant_with_conditions;
  if (grants) {
    // Denials that arrived since the checks ran are found now, and their authorities asked,
    // in a transaction of its own: the consultation goes out even though the grant waits.
    CANDOR_TRY(db_.transact<void>(
        store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
          const CaseRow row = CANDOR_TRY(detail::load_visible(c, actor, reference));
          if (actor.role != Role::officer || row.state != CaseState::recommended) return {};
          CANDOR_TRY(detail::refresh_denial_matches(c, exchange_, checks_, row, actor, now));
          return {};
        }));
  }
  CANDOR_TRY(db_.transact<
             void>(store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
    CaseRow row = CANDOR_TRY(detail::load_visible(c, actor, reference));
    const CaseState to = CANDOR_TRY(apply(row.state, input.action, actor.role, input.reason));
    if (input.action == Action::answer && blank(input.reason)) {
      return Error::invalid_argument("reason: write your answer to the authority's question");
    }
    std::vector<std::string> criteria;
    for (const auto& code : input.criteria) {
      const auto& known = refusal_criteria();
      if (std::none_of(known.begin(), known.end(),
                       [&](const Criterion& k) { return k.code == code; })) {
        return Error::invalid_argument("criteria: '" + code + "' is not a refusal criterion");
      }
      criteria.push_back(code);
    }
    if (input.action == Action::refuse && criteria.empty()) {
      return Error::invalid_argument("criteria: a refusal cites at least one criterion");
    }
    std::vector<std::string> conditions;
    for (const auto& condition : input.conditions) {
      if (!blank(condition)) conditions.push_back(condition);
    }
    if (input.action == Action::grant_with_conditions && conditions.empty()) {
      return Error::invalid_argument("conditions: a grant with conditions names at least one");
    }
    if (input.action == Action::grant && !conditions.empty()) {
      return Error::invalid_argument(
          "conditions: a licence with conditions is granted with grant_with_conditions");
    }
    if (is_decision(input.action)) {
      const auto blockers = CANDOR_TRY(open_blockers(c, row.id));
      if (blockers > 0) {
        return Error::failed_precondition(
            "clear the " + std::to_string(blockers) +
            " open screening hit(s) before deciding: each needs an officer's reason");
      }
    }
    if (grants) {
      const auto holds = CANDOR_TRY(detail::open_holds(c, row.id));
      if (!holds.empty()) {
        std::string list;
        for (const auto& hold : holds) list += (list.empty() ? "" : "; ") + hold;
        return Error::failed_precondition(
            "the grant is held (Art. 16(5)): the case matches " + list +
            ". Wait for the answer, or record your reasons for granting anyway");
      }
    }
    if (input.action == Action::submit) {
      auto items =
          CANDOR_TRY(c.query("SELECT COUNT(*) FROM case_items WHERE case_id = $1", {row.id}));
      auto end_users = CANDOR_TRY(c.query(
          "SELECT COUNT(*) FROM case_parties WHERE case_id = $1 AND role = 'end_user'", {row.id}));
      if (CANDOR_TRY(items.at(0).get<std::int64_t>(0)) == 0) {
        return Error::invalid_argument("items: add at least one item before submitting");
      }
      if (CANDOR_TRY(end_users.at(0).get<std::int64_t>(0)) == 0) {
        return Error::invalid_argument("parties: name the end user before submitting");
      }
      if (blank(row.end_use)) {
        return Error::invalid_argument("end_use: describe the end use before submitting");
      }
      const std::string target = plus_days(now, kTargetDays).date();
      CANDOR_TRY(c.execute("UPDATE cases SET submitted_at = $1, target_date = $2 WHERE id = $3",
                           {now.to_rfc3339(), target, row.id}));
    }
    if (input.action == Action::start_review && !row.assigned_to) {
      // Whoever starts the review holds the case until someone reassigns it.
      CANDOR_TRY(c.execute("UPDATE cases SET assigned_to = $1 WHERE id = $2", {actor.id, row.id}));
    }
    std::string licence_number = row.licence_number;
    if ((input.action == Action::grant || input.action == Action::grant_with_conditions) &&
        licence_number.empty()) {
      licence_number = CANDOR_TRY(next_licence_number(c, now));
    }
    const bool decides = is_decision(input.action) || input.action == Action::withdraw;
    const bool sets_conditions = input.action == Action::grant_with_conditions ||
                                 (input.action == Action::amend && !conditions.empty());
    CANDOR_TRY(c.execute(
        "UPDATE cases SET state = $1, updated_at = $2, "
        "decided_at = CASE WHEN $3 = 1 THEN $2 ELSE decided_at END, "
        "licence_number = CASE WHEN $4 = '' THEN licence_number ELSE $4 END, "
        "decision_reasons = CASE WHEN $3 = 1 THEN $5 ELSE decision_reasons END, "
        "criteria = CASE WHEN $6 = 1 THEN $7 ELSE criteria END, "
        "conditions = CASE WHEN $8 = 1 THEN $9 ELSE conditions END WHERE id = $10",
        {std::string(to_string(to)), now.to_rfc3339(), std::int64_t{decides ? 1 : 0},
         licence_number, input.reason, std::int64_t{input.action == Action::refuse ? 1 : 0},
         nlohmann::json(criteria).dump(), std::int64_t{sets_conditions ? 1 : 0},
         nlohmann::json(conditions).dump(), row.id}));
    nlohmann::json detail = nlohmann::json::object();
    if (!criteria.empty()) detail["criteria"] = criteria;
    if (!conditions.empty()) detail["conditions"] = conditions;
    if (licence_number != row.licence_number) detail["licence_number"] = licence_number;
    CANDOR_TRY(detail::record(c, now, actor, row, to_string(input.action), to_string(row.state),
                              to_string(to), input.reason, visible_to_exporter(input.action),
                              detail));
    if (input.action == Action::submit) {
      row.state = to;
      CANDOR_TRY(detail::run_checks_in(c, checks_, now, actor, row));
      CANDOR_TRY(detail::refresh_denial_matches(c, exchange_, checks_, row, actor, now));
    }
    if (published_decision(input.action)) {
      row.licence_number = licence_number;
      CANDOR_TRY(detail::queue_publication(c, checks_, row, input.action, now, criteria));
    }
    // Art. 16: denials are notified to every authority; a grant despite one too.
    if (input.action == Action::refuse || input.action == Action::revoke) {
      CANDOR_TRY(detail::record_own_denial(c, exchange_, row,
                                           input.action == Action::refuse ? "refused" : "revoked",
                                           criteria, input.reason, now));
    }
    if (input.action == Action::annul && row.state == CaseState::refused) {
      CANDOR_TRY(detail::withdraw_own_denial(c, exchange_, row, input.reason, now));
    }
    if (grants) {
      row.licence_number = licence_number;
      CANDOR_TRY(detail::queue_grant_notice(c, exchange_, row, input.reason, now));
    }
    return {};
  }));
  // Published in a transaction of its own: if this fails the entry stays queued, and the
  // next decision or checkpoint publishes it.
  reg::Log log(db_, clock_);
  (void)reg::publish_due(db_, log, now);
  return {};
}

Result<void> Cases::assign(const User& actor, const std::string& reference,
                           std::optional<std::int64_t> officer_id, const std::string& target_date) {
  CANDOR_TRY(require_role(actor, {Role::officer}, "assign cases"));
  if (!target_date.empty() && !detail::days_of(target_date)) {
    return Error::invalid_argument("target_date: enter a date as YYYY-MM-DD");
  }
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        if (row.state == CaseState::draft) {
          return Error::conflict("a draft is not with the authority yet");
        }
        std::string name;
        if (officer_id) {
          auto officers = CANDOR_TRY(
              c.query("SELECT name FROM users WHERE id = $1 AND role = 'officer' AND disabled = 0",
                      {*officer_id}));
          if (officers.empty()) return Error::invalid_argument("officer: choose an officer");
          name = CANDOR_TRY(officers[0].get<std::string>(0));
        }
        CANDOR_TRY(c.execute(
            "UPDATE cases SET assigned_to = $1, target_date = CASE WHEN $2 = '' THEN target_date "
            "ELSE $2 END, updated_at = $3 WHERE id = $4",
            {officer_id ? store::Value{*officer_id} : store::null_value(), target_date,
             now.to_rfc3339(), row.id}));
        const std::string note = (officer_id ? "Assigned to " + name : std::string("Unassigned")) +
                                 (target_date.empty() ? "" : "; target date " + target_date);
        return detail::record(c, now, actor, row, "assign", "", "", note, false);
      });
}

Result<void> Cases::run_checks(const User& actor, const std::string& reference) {
  CANDOR_TRY(require_role(actor, {Role::officer}, "run the checks"));
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        if (row.state == CaseState::draft) {
          return Error::conflict("checks run once the case is submitted");
        }
        CANDOR_TRY(detail::run_checks_in(c, checks_, now, actor, row));
        if (!decided(row.state)) {
          CANDOR_TRY(detail::refresh_denial_matches(c, exchange_, checks_, row, actor, now));
        }
        return {};
      });
}

Result<void> Cases::clear_hit(const User& actor, const std::string& reference, std::int64_t hit_id,
                              const std::string& outcome, const std::string& reason) {
  CANDOR_TRY(require_role(actor, {Role::officer}, "clear screening hits"));
  if (outcome != "false_positive" && outcome != "confirmed_match" && outcome != "screened") {
    return Error::invalid_argument("outcome: must be false_positive, confirmed_match or screened");
  }
  if (blank(reason)) return Error::invalid_argument("reason: say why the hit is cleared");
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        auto hits =
            CANDOR_TRY(c.query("SELECT party_name, list, entity_id, cleared_at FROM screening_hits "
                               "WHERE id = $1 AND case_id = $2",
                               {hit_id, row.id}));
        if (hits.empty()) return Error::not_found("no such screening hit on this case");
        if (CANDOR_TRY(hits[0].get<std::optional<std::string>>(3))) {
          return Error::conflict("this hit was already cleared");
        }
        const std::string full_reason = outcome + ": " + reason;
        CANDOR_TRY(c.execute(
            "UPDATE screening_hits SET cleared_by = $1, cleared_at = $2, clear_reason = $3 "
            "WHERE id = $4",
            {actor.id, now.to_rfc3339(), full_reason, hit_id}));
        return detail::record(c, now, actor, row, "clear_hit", "", "",
                              CANDOR_TRY(hits[0].get<std::string>(0)) + " / " +
                                  CANDOR_TRY(hits[0].get<std::string>(1)) + " " +
                                  CANDOR_TRY(hits[0].get<std::string>(2)) + " — " + full_reason,
                              false, {{"hit", hit_id}, {"outcome", outcome}});
      });
}

Result<std::int64_t> Cases::request_advice(const User& actor, const std::string& reference,
                                           std::int64_t adviser_id, const std::string& question) {
  CANDOR_TRY(require_role(actor, {Role::officer}, "request advice"));
  if (blank(question))
    return Error::invalid_argument("question: write what the adviser should assess");
  const Timestamp now = clock_.now();
  return db_.transact<std::int64_t>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<std::int64_t> {
        const auto row = CANDOR_TRY(detail::load_visible(c, actor, reference));
        auto advisers = CANDOR_TRY(
            c.query("SELECT name FROM users WHERE id = $1 AND role = 'adviser' AND disabled = 0",
                    {adviser_id}));
        if (advisers.empty()) return Error::invalid_argument("adviser: choose an adviser");
        const CaseState to =
            CANDOR_TRY(apply(row.state, Action::request_advice, actor.role, question));
        CANDOR_TRY(c.execute("UPDATE cases SET state = $1, updated_at = $2 WHERE id = $3",
                             {std::string(to_string(to)), now.to_rfc3339(), row.id}));
        auto rows = CANDOR_TRY(
            c.query("INSERT INTO advice_requests (case_id, requested_by, adviser_id, question, "
                    "requested_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    {row.id, actor.id, adviser_id, question, now.to_rfc3339()}));
        const auto id = CANDOR_TRY(rows.at(0).get<std::int64_t>(0));
        CANDOR_TRY(detail::record(
            c, now, actor, row, "request_advice", to_string(row.state), to_string(to),
            "Advice asked of " + CANDOR_TRY(advisers[0].get<std::string>(0)) + ": " + question,
            false, {{"advice", id}}));
        return id;
      });
}

Result<void> Cases::answer_advice(const User& actor, std::int64_t advice_id,
                                  const std::string& answer) {
  CANDOR_TRY(require_role(actor, {Role::adviser}, "answer advice requests"));
  if (blank(answer)) return Error::invalid_argument("answer: write your advice");
  if (answer.size() > 20000)
    return Error::invalid_argument("answer: must be at most 20000 characters");
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        auto rows = CANDOR_TRY(c.query(
            "SELECT k.reference, a.adviser_id, a.answered_at FROM advice_requests a JOIN cases k "
            "ON k.id = a.case_id WHERE a.id = $1",
            {advice_id}));
        if (rows.empty() || CANDOR_TRY(rows[0].get<std::int64_t>(1)) != actor.id) {
          return Error::not_found("no such advice request in your inbox");
        }
        if (CANDOR_TRY(rows[0].get<std::optional<std::string>>(2))) {
          return Error::conflict("this request was already answered; the answer is on record");
        }
        const auto row =
            CANDOR_TRY(detail::load_visible(c, actor, CANDOR_TRY(rows[0].get<std::string>(0))));
        CANDOR_TRY(
            c.execute("UPDATE advice_requests SET answer = $1, answered_at = $2 WHERE id = $3",
                      {answer, now.to_rfc3339(), advice_id}));
        return detail::record(c, now, actor, row, "answer_advice", "", "", answer, false,
                              {{"advice", advice_id}});
      });
}

Result<std::int64_t> Cases::add_evidence(const User& actor, const EvidenceInput& input) {
  CANDOR_TRY(require_role(actor, {Role::officer, Role::adviser}, "add misuse evidence"));
  if (!CountryCode::parse(input.country).ok()) {
    return Error::invalid_argument("country: choose a country (ISO 3166 alpha-2 code)");
  }
  if (input.kind != "targeting" && input.kind != "procurement" && input.kind != "other") {
    return Error::invalid_argument("kind: must be targeting, procurement or other");
  }
  if (blank(input.summary)) return Error::invalid_argument("summary: describe what happened");
  if (blank(input.source_title)) return Error::invalid_argument("source_title: name the source");
  if (!input.source_url.starts_with("https://") && !input.source_url.starts_with("http://")) {
    return Error::invalid_argument("source_url: enter the source's web address (https://...)");
  }
  if (!input.occurred_on.empty() && input.occurred_on.size() != 4 &&
      !detail::days_of(input.occurred_on)) {
    return Error::invalid_argument("occurred_on: enter a year (2021) or a date (2021-07-18)");
  }
  if (input.summary.size() > 4000 || input.source_url.size() > 2000 ||
      input.source_title.size() > 300 || input.end_user.size() > 300) {
    return Error::invalid_argument("summary: the record is too long");
  }
  std::string country = input.country;
  std::transform(country.begin(), country.end(), country.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  const Timestamp now = clock_.now();
  return db_.transact<std::int64_t>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<std::int64_t> {
        store::Value case_id = store::null_value();
        std::optional<CaseRow> row;
        if (!input.case_reference.empty()) {
          row = CANDOR_TRY(detail::load_visible(c, actor, input.case_reference));
          case_id = row->id;
        }
        auto rows = CANDOR_TRY(c.query(
            "INSERT INTO evidence_records (case_id, country, end_user, kind, summary, "
            "source_title, source_url, occurred_on, added_by, added_at) VALUES ($1, $2, $3, $4, "
            "$5, $6, $7, $8, $9, $10) RETURNING id",
            {case_id, country, input.end_user, input.kind, input.summary, input.source_title,
             input.source_url, input.occurred_on, actor.id, now.to_rfc3339()}));
        const auto id = CANDOR_TRY(rows.at(0).get<std::int64_t>(0));
        if (row) {
          CANDOR_TRY(detail::record(c, now, actor, *row, "add_evidence", "", "",
                                    input.source_title + ": " + input.summary, false,
                                    {{"evidence", id}}));
        } else {
          CANDOR_TRY(audit(c, now, actor_label(actor), "evidence.add",
                           "evidence:" + std::to_string(id), {{"country", country}}));
        }
        return id;
      });
}

}  // namespace candor::licensing
