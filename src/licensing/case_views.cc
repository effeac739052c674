// The licensing service's read side: the queue, the case file, the adviser's inbox and the
// licence document, each shaped for the actor who reads it.
#include <algorithm>

#include "core/country.h"
#include "core/money.h"
#include "licensing/audit.h"
#include "licensing/case_store.h"
#include "licensing/cases.h"
#include "licensing/exchange_store.h"

namespace candor::licensing {

using detail::CaseRow;
using nlohmann::json;

namespace {

constexpr std::int64_t kLicenceValidityDays =
    std::int64_t{2} * 365;  // Art. 12(2): up to two years.

std::string state_label(CaseState state) {
  std::string text(to_string(state));
  std::replace(text.begin(), text.end(), '_', ' ');
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// Exporters see where their application stands, not the authority's internal steps.
std::string exporter_status(CaseState state) {
  switch (state) {
    case CaseState::answered:
    case CaseState::advice_requested:
    case CaseState::recommended: return "Under review";
    default: return state_label(state);
  }
}

// The same, as a code for the API: the authority's internal steps are "under_review".
std::string exporter_state(CaseState state) {
  switch (state) {
    case CaseState::answered:
    case CaseState::advice_requested:
    case CaseState::recommended: return "under_review";
    default: return std::string(to_string(state));
  }
}

std::string exporter_state(const std::string& state) {
  const auto parsed = state_from_string(state);
  return parsed ? exporter_state(*parsed) : state;
}

std::string action_label(std::string_view action) {
  static const std::pair<std::string_view, std::string_view> kLabels[] = {
      {"create", "Application started"},
      {"submit", "Application submitted"},
      {"withdraw", "Application withdrawn"},
      {"start_review", "Review started"},
      {"request_information", "Information requested"},
      {"answer", "Exporter answered"},
      {"resume_review", "Review resumed"},
      {"request_advice", "Advice requested"},
      {"answer_advice", "Adviser answered"},
      {"recommend", "Recommendation recorded"},
      {"grant", "Licence granted"},
      {"grant_with_conditions", "Licence granted with conditions"},
      {"refuse", "Licence refused"},
      {"amend", "Licence amended"},
      {"suspend", "Licence suspended"},
      {"reinstate", "Licence reinstated"},
      {"revoke", "Licence revoked"},
      {"annul", "Decision annulled"},
      {"assign", "Assignment changed"},
      {"run_checks", "Checks run"},
      {"clear_hit", "Screening hit cleared"},
      {"upload_document", "Document uploaded"},
      {"add_evidence", "Misuse evidence added"},
  };
  for (const auto& [key, label] : kLabels) {
    if (key == action) return std::string(label);
  }
  return std::string(action);
}

json country_json(const std::string& code) {
  const auto country = CountryCode::parse(code);
  return {{"code", code}, {"name", country.ok() ? std::string(country->name()) : code}};
}

std::string money_text(std::int64_t minor, const std::string& currency) {
  const auto c = Currency::parse(currency);
  if (!c.ok()) return currency + " " + std::to_string(minor);
  return Money::from_minor(c.value(), minor).to_string();
}

json due_json(const std::string& target_date, const Timestamp& now, CaseState state) {
  if (target_date.empty()) return nullptr;
  const auto target = detail::days_of(target_date);
  const auto today = detail::days_of(now.date());
  if (!target || !today) return nullptr;
  const std::int64_t left = *target - *today;
  const bool open = !decided(state) && state != CaseState::draft;
  std::string label;
  if (!open) {
    label = "Target date " + target_date;
  } else if (left < 0) {
    label = std::to_string(-left) + (left == -1 ? " day" : " days") + " overdue";
  } else if (left == 0) {
    label = "Due today";
  } else {
    label = std::to_string(left) + (left == 1 ? " day" : " days") + " left";
  }
  return {{"date", target_date},
          {"days_left", left},
          {"label", label},
          {"overdue", open && left < 0},
          {"soon", open && left >= 0 && left <= 5}};
}

json strings_json(const std::string& text) {
  const auto parsed = json::parse(text, nullptr, false);
  return parsed.is_array() ? parsed : json::array();
}

json criteria_json(const std::string& text) {
  json out = json::array();
  for (const auto& code : strings_json(text)) {
    if (!code.is_string()) continue;
    std::string label = code.get<std::string>();
    for (const auto& c : refusal_criteria()) {
      if (c.code == label) label = std::string(c.label);
    }
    out.push_back({{"code", code}, {"label", label}});
  }
  return out;
}

json conditions_json(const std::string& text) {
  json out = json::array();
  for (const auto& condition : strings_json(text)) {
    if (!condition.is_string()) continue;
    std::string label = condition.get<std::string>();
    for (const auto& c : standard_conditions()) {
      if (c.code == label) label = std::string(c.label);
    }
    out.push_back(label);
  }
  return out;
}

json case_summary(const CaseRow& row, const Timestamp& now, Role role) {
  json due = due_json(row.target_date, now, row.state);
  if (decided(row.state) && row.decided_at.size() >= 10) {
    // A decided case shows when it was decided, not a target date that no longer matters.
    due = {{"date", row.target_date},
           {"days_left", nullptr},
           {"label", std::string(row.state == CaseState::withdrawn ? "Withdrawn " : "Decided ") +
                         row.decided_at.substr(0, 10)},
           {"overdue", false},
           {"soon", false}};
  }
  json out = {
      {"reference", row.reference},
      {"title", row.title},
      {"licence_type", row.licence_type},
      {"licence_type_label",
       row.licence_type == "global" ? "Global licence" : "Individual licence"},
      {"state",
       role == Role::exporter ? exporter_state(row.state) : std::string(to_string(row.state))},
      {"state_label", role == Role::exporter ? exporter_status(row.state) : state_label(row.state)},
      {"organisation", row.organisation},
      {"destination", row.destination.empty() ? json(nullptr) : country_json(row.destination)},
      {"submitted_at", row.submitted_at.empty() ? json(nullptr) : json(row.submitted_at)},
      {"decided_at", row.decided_at.empty() ? json(nullptr) : json(row.decided_at)},
      {"licence_number", row.licence_number.empty() ? json(nullptr) : json(row.licence_number)},
      {"due", due}};
  if (role != Role::exporter) {
    out["assigned_to"] = row.assigned_to
                             ? json{{"id", *row.assigned_to}, {"name", row.assigned_name}}
                             : json(nullptr);
  }
  return out;
}

Result<json> latest_check(store::Connection& c, std::int64_t case_id, std::string_view kind) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT k.id, k.run_at, COALESCE(u.name, ''), k.data_versions, k.result FROM checks k "
      "LEFT JOIN users u ON u.id = k.run_by WHERE k.case_id = $1 AND k.kind = $2 "
      "ORDER BY k.id DESC LIMIT 1",
      {case_id, std::string(kind)}));
  if (rows.empty()) return json(nullptr);
  return json{
      {"id", CANDOR_TRY(rows[0].get<std::int64_t>(0))},
      {"run_at", CANDOR_TRY(rows[0].get<std::string>(1))},
      {"run_by", CANDOR_TRY(rows[0].get<std::string>(2))},
      {"data_versions", json::parse(CANDOR_TRY(rows[0].get<std::string>(3)), nullptr, false)},
      {"result", json::parse(CANDOR_TRY(rows[0].get<std::string>(4)), nullptr, false)}};
}

}  // namespace

Result<json> Cases::list(const User& actor, const CaseFilter& filter) {
  if (actor.role == Role::admin) {
    return Error::permission_denied("an administrator does not read case files");
  }
  const Timestamp now = clock_.now();
  auto lease = CANDOR_TRY(db_.acquire());
  std::string sql =
      "SELECT k.reference FROM cases k JOIN organisations o ON o.id = k.organisation_id WHERE 1 = "
      "1";
  std::vector<store::Value> params;
  const auto param = [&](store::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  switch (actor.role) {
    case Role::exporter: sql += " AND k.organisation_id = " + param(*actor.organisation_id); break;
    case Role::officer: sql += " AND k.state <> 'draft'"; break;
    case Role::adviser:
      sql +=
          " AND EXISTS (SELECT 1 FROM advice_requests a WHERE a.case_id = k.id AND "
          "a.adviser_id = " +
          param(actor.id) + ")";
      break;
    case Role::admin: break;
  }
  if (filter.state == "open") {
    sql +=
        " AND k.state IN ('submitted', 'under_review', 'information_requested', 'answered', "
        "'advice_requested', 'recommended')";
  } else if (filter.state == "decided") {
    sql +=
        " AND k.state IN ('granted', 'granted_with_conditions', 'refused', 'withdrawn', "
        "'amended', 'suspended', 'revoked', 'annulled')";
  } else if (!filter.state.empty()) {
    if (!state_from_string(filter.state)) {
      return Error::invalid_argument("state: '" + filter.state + "' is not a case state");
    }
    sql += " AND k.state = " + param(filter.state);
  }
  if (filter.assigned == "me") {
    sql += " AND k.assigned_to = " + param(actor.id);
  } else if (filter.assigned == "none") {
    sql += " AND k.assigned_to IS NULL";
  } else if (!filter.assigned.empty()) {
    return Error::invalid_argument("assigned: must be me or none");
  }
  if (!filter.query.empty()) {
    if (filter.query.size() > 200) return Error::invalid_argument("q: the search is too long");
    // Literal text, whatever the case, the same on both backends: SQLite's LIKE ignores
    // ASCII case and PostgreSQL's does not, and neither should treat "%" or "_" typed into
    // the box as wildcards.
    std::string like = "%";
    for (char ch : filter.query) {
      if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
      like += ch;
    }
    like += '%';
    const std::string p = "lower(" + param(like) + ")";
    sql += " AND (lower(k.reference) LIKE " + p + " ESCAPE '\\' OR lower(k.title) LIKE " + p +
           " ESCAPE '\\' OR lower(o.name) LIKE " + p + " ESCAPE '\\')";
  }
  sql += " ORDER BY CASE WHEN k.target_date IS NULL THEN 1 ELSE 0 END, k.target_date, k.id DESC";
  auto rows = CANDOR_TRY(lease->query(sql, params));
  json cases = json::array();
  for (const auto& r : rows) {
    const auto row =
        CANDOR_TRY(detail::load_visible(*lease, actor, CANDOR_TRY(r.get<std::string>(0))));
    json summary = case_summary(row, now, actor.role);
    if (actor.role == Role::officer) {
      auto open = CANDOR_TRY(lease->query(
          "SELECT COUNT(*) FROM screening_hits WHERE case_id = $1 AND cleared_at IS NULL AND "
          "check_id = (SELECT MAX(id) FROM checks WHERE case_id = $1 AND kind = 'screening')",
          {row.id}));
      summary["open_hits"] = CANDOR_TRY(open.at(0).get<std::int64_t>(0));
    }
    cases.push_back(std::move(summary));
  }
  return json{{"cases", cases}, {"count", cases.size()}};
}

Result<json> Cases::view(const User& actor, const std::string& reference) {
  const Timestamp now = clock_.now();
  auto lease = CANDOR_TRY(db_.acquire());
  auto& c = *lease;
  const CaseRow row = CANDOR_TRY(detail::load_visible(c, actor, reference));
  const bool staff = actor.role != Role::exporter;
  json out = case_summary(row, now, actor.role);
  out["end_use"] = row.end_use;
  out["end_user_type"] = row.end_user_type;
  out["created_at"] = row.created_at;
  out["decision"] = {{"reasons", row.decision_reasons},
                     {"criteria", criteria_json(row.criteria)},
                     {"conditions", conditions_json(row.conditions)}};

  json items = json::array();
  for (const auto& r : CANDOR_TRY(c.query(
           "SELECT id, name, description, declared_entry, facts, quantity, value_minor, currency "
           "FROM case_items WHERE case_id = $1 ORDER BY id",
           {row.id}))) {
    const auto minor = CANDOR_TRY(r.get<std::int64_t>(6));
    const auto currency = CANDOR_TRY(r.get<std::string>(7));
    items.push_back({{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
                     {"name", CANDOR_TRY(r.get<std::string>(1))},
                     {"description", CANDOR_TRY(r.get<std::string>(2))},
                     {"declared_entry", CANDOR_TRY(r.get<std::string>(3))},
                     {"facts", json::parse(CANDOR_TRY(r.get<std::string>(4)), nullptr, false)},
                     {"quantity", CANDOR_TRY(r.get<std::int64_t>(5))},
                     {"value_minor", minor},
                     {"currency", currency},
                     {"value", money_text(minor, currency)}});
  }
  out["items"] = items;

  json parties = json::array();
  for (const auto& r : CANDOR_TRY(c.query(
           "SELECT id, role, name, country, kind, address FROM case_parties WHERE case_id = $1 "
           "ORDER BY CASE role WHEN 'end_user' THEN 0 WHEN 'consignee' THEN 1 ELSE 2 END, id",
           {row.id}))) {
    std::string role = CANDOR_TRY(r.get<std::string>(1));
    std::string label = role == "end_user"    ? "End user"
                        : role == "consignee" ? "Consignee"
                                              : "Intermediary";
    parties.push_back({{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
                       {"role", role},
                       {"role_label", label},
                       {"name", CANDOR_TRY(r.get<std::string>(2))},
                       {"country", country_json(CANDOR_TRY(r.get<std::string>(3)))},
                       {"kind", CANDOR_TRY(r.get<std::string>(4))},
                       {"address", CANDOR_TRY(r.get<std::string>(5))}});
  }
  out["parties"] = parties;

  json documents = json::array();
  for (const auto& r : CANDOR_TRY(c.query(
           "SELECT d.id, d.kind, d.filename, d.content_type, d.size, d.sha256, d.uploaded_at, "
           "u.name, u.role FROM documents d JOIN users u ON u.id = d.uploaded_by "
           "WHERE d.case_id = $1 ORDER BY d.id",
           {row.id}))) {
    // Exporters see the authority, not which officer (as in the history below).
    const std::string uploader = !staff && CANDOR_TRY(r.get<std::string>(8)) != "exporter"
                                     ? "Licensing authority"
                                     : CANDOR_TRY(r.get<std::string>(7));
    documents.push_back({{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
                         {"kind", CANDOR_TRY(r.get<std::string>(1))},
                         {"filename", CANDOR_TRY(r.get<std::string>(2))},
                         {"content_type", CANDOR_TRY(r.get<std::string>(3))},
                         {"size", CANDOR_TRY(r.get<std::int64_t>(4))},
                         {"sha256", CANDOR_TRY(r.get<std::string>(5))},
                         {"uploaded_at", CANDOR_TRY(r.get<std::string>(6))},
                         {"uploaded_by", uploader}});
  }
  out["documents"] = documents;

  json events = json::array();
  std::string open_question;
  for (const auto& r : CANDOR_TRY(c.query(
           "SELECT e.occurred_at, COALESCE(u.name, 'Candor'), e.action, e.from_state, "
           "e.to_state, e.reason, e.visible_to_exporter, COALESCE(u.role, '') FROM case_events e "
           "LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = $1 ORDER BY e.id",
           {row.id}))) {
    if (!staff && !CANDOR_TRY(r.get<bool>(6))) continue;
    const std::string action = CANDOR_TRY(r.get<std::string>(2));
    const std::string reason = CANDOR_TRY(r.get<std::string>(5));
    if (action == "request_information") open_question = reason;
    // Exporters see the authority, not which officer; staff see the person.
    const std::string actor_role = CANDOR_TRY(r.get<std::string>(7));
    const std::string who = !staff && actor_role != "exporter" ? "Licensing authority"
                                                               : CANDOR_TRY(r.get<std::string>(1));
    events.push_back({{"at", CANDOR_TRY(r.get<std::string>(0))},
                      {"actor", who},
                      {"action", action},
                      {"label", action_label(action)},
                      {"from", staff ? CANDOR_TRY(r.get<std::string>(3))
                                     : exporter_state(CANDOR_TRY(r.get<std::string>(3)))},
                      {"to", staff ? CANDOR_TRY(r.get<std::string>(4))
                                   : exporter_state(CANDOR_TRY(r.get<std::string>(4)))},
                      {"reason", reason}});
  }
  out["events"] = events;
  out["open_question"] =
      row.state == CaseState::information_requested ? json(open_question) : json(nullptr);
  json actions = json::array();
  for (const Action a : available(row.state, actor.role)) actions.push_back(to_string(a));
  out["actions"] = actions;

  if (staff) {
    json checks = {{"classification", CANDOR_TRY(latest_check(c, row.id, "classification"))},
                   {"screening", CANDOR_TRY(latest_check(c, row.id, "screening"))},
                   {"risk", CANDOR_TRY(latest_check(c, row.id, "risk"))}};
    json hits = json::array();
    std::int64_t open_hits = 0;
    if (!checks["screening"].is_null()) {
      for (const auto& r : CANDOR_TRY(c.query(
               "SELECT h.id, h.party_name, h.list, h.entity_id, h.matched_name, h.score, h.band, "
               "h.explanation, h.cleared_at, COALESCE(u.name, ''), h.clear_reason FROM "
               "screening_hits h LEFT JOIN users u ON u.id = h.cleared_by WHERE h.check_id = $1 "
               "ORDER BY h.score DESC, h.id",
               {checks["screening"]["id"].get<std::int64_t>()}))) {
        const auto cleared_at = CANDOR_TRY(r.get<std::optional<std::string>>(8));
        if (!cleared_at) ++open_hits;
        hits.push_back(
            {{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
             {"party", CANDOR_TRY(r.get<std::string>(1))},
             {"list", CANDOR_TRY(r.get<std::string>(2))},
             {"entity_id", CANDOR_TRY(r.get<std::string>(3))},
             {"matched_name", CANDOR_TRY(r.get<std::string>(4))},
             {"score", CANDOR_TRY(r.get<double>(5))},
             {"band", CANDOR_TRY(r.get<std::string>(6))},
             {"explanation", CANDOR_TRY(r.get<std::string>(7))},
             {"cleared",
              cleared_at
                  ? json{{"at", *cleared_at},
                         {"by", CANDOR_TRY(r.get<std::string>(9))},
                         {"reason", CANDOR_TRY(r.get<std::optional<std::string>>(10)).value_or("")}}
                  : json(nullptr)}});
      }
    }
    out["checks"] = checks;
    out["screening_hits"] = hits;
    out["open_hits"] = open_hits;
    out["red_flags"] = strings_json(row.red_flags);

    json advice = json::array();
    for (const auto& r : CANDOR_TRY(c.query(
             "SELECT a.id, u.name, a.question, a.requested_at, a.answer, a.answered_at, r.name, "
             "a.adviser_id FROM advice_requests a JOIN users u ON u.id = a.adviser_id JOIN users "
             "r ON r.id = a.requested_by WHERE a.case_id = $1 ORDER BY a.id",
             {row.id}))) {
      advice.push_back(
          {{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
           {"adviser", CANDOR_TRY(r.get<std::string>(1))},
           {"question", CANDOR_TRY(r.get<std::string>(2))},
           {"requested_at", CANDOR_TRY(r.get<std::string>(3))},
           {"answer", CANDOR_TRY(r.get<std::optional<std::string>>(4)).value_or("")},
           {"answered_at", CANDOR_TRY(r.get<std::optional<std::string>>(5)).value_or("")},
           {"requested_by", CANDOR_TRY(r.get<std::string>(6))},
           {"mine", CANDOR_TRY(r.get<std::int64_t>(7)) == actor.id}});
    }
    out["advice"] = advice;
    if (actor.role == Role::officer) {
      const json denials = CANDOR_TRY(detail::case_denials(c, row.id));
      std::size_t holding = 0;
      for (const auto& d : denials) holding += d.value("holds_grant", false) ? 1 : 0;
      out["denials"] = denials;
      out["denials_holding"] = holding;
    }

    json evidence = json::array();
    for (const auto& r : CANDOR_TRY(c.query(
             "SELECT e.id, e.country, e.end_user, e.kind, e.summary, e.source_title, "
             "e.source_url, e.occurred_on, u.name, e.added_at FROM evidence_records e JOIN users "
             "u ON u.id = e.added_by WHERE e.case_id = $1 "
             // Evidence about the country that no case owns; what was filed with another
             // case stays with it (its adviser or exporter may not be this case's).
             "OR (e.case_id IS NULL AND e.country = $2 AND $2 <> '') "
             "ORDER BY e.id",
             {row.id, row.destination}))) {
      evidence.push_back({{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
                          {"country", country_json(CANDOR_TRY(r.get<std::string>(1)))},
                          {"end_user", CANDOR_TRY(r.get<std::string>(2))},
                          {"kind", CANDOR_TRY(r.get<std::string>(3))},
                          {"summary", CANDOR_TRY(r.get<std::string>(4))},
                          {"source_title", CANDOR_TRY(r.get<std::string>(5))},
                          {"source_url", CANDOR_TRY(r.get<std::string>(6))},
                          {"occurred_on", CANDOR_TRY(r.get<std::string>(7))},
                          {"added_by", CANDOR_TRY(r.get<std::string>(8))},
                          {"added_at", CANDOR_TRY(r.get<std::string>(9))}});
    }
    out["evidence"] = evidence;
  }
  return out;
}

Result<json> Cases::advice_inbox(const User& actor) {
  if (actor.role != Role::adviser) {
    return Error::permission_denied("only an adviser has an advice inbox");
  }
  auto lease = CANDOR_TRY(db_.acquire());
  json requests = json::array();
  for (const auto& r : CANDOR_TRY(lease->query(
           "SELECT a.id, k.reference, k.title, k.destination, a.question, a.requested_at, "
           "a.answered_at, u.name FROM advice_requests a JOIN cases k ON k.id = a.case_id JOIN "
           "users u ON u.id = a.requested_by WHERE a.adviser_id = $1 ORDER BY "
           "CASE WHEN a.answered_at IS NULL THEN 0 ELSE 1 END, a.id DESC",
           {actor.id}))) {
    const auto answered = CANDOR_TRY(r.get<std::optional<std::string>>(6));
    requests.push_back({{"id", CANDOR_TRY(r.get<std::int64_t>(0))},
                        {"reference", CANDOR_TRY(r.get<std::string>(1))},
                        {"title", CANDOR_TRY(r.get<std::string>(2))},
                        {"destination", country_json(CANDOR_TRY(r.get<std::string>(3)))},
                        {"question", CANDOR_TRY(r.get<std::string>(4))},
                        {"requested_at", CANDOR_TRY(r.get<std::string>(5))},
                        {"answered_at", answered.value_or("")},
                        {"answered", answered.has_value()},
                        {"requested_by", CANDOR_TRY(r.get<std::string>(7))}});
  }
  return json{{"requests", requests}};
}

Result<json> Cases::licence(const User& actor, const std::string& reference) {
  auto lease = CANDOR_TRY(db_.acquire());
  const CaseRow row = CANDOR_TRY(detail::load_visible(*lease, actor, reference));
  if (row.licence_number.empty()) {
    return Error::not_found("case " + reference + " has no licence");
  }
  auto settings = CANDOR_TRY(lease->query("SELECT value FROM settings WHERE key = 'authority'"));
  const std::string authority =
      settings.empty() ? "Licensing authority" : CANDOR_TRY(settings[0].get<std::string>(0));
  json file = CANDOR_TRY(view(actor, reference));
  const auto issued = row.decided_at.substr(0, 10);
  const auto from = detail::days_of(issued);
  json out = {{"licence_number", row.licence_number},
              {"reference", row.reference},
              {"authority", authority},
              {"holder", row.organisation},
              {"licence_type", row.licence_type},
              {"state", to_string(row.state)},
              {"in_force", in_force(row.state)},
              {"issued_on", issued},
              {"valid_until", from ? detail::date_of_days(*from + kLicenceValidityDays) : ""},
              {"destination", country_json(row.destination)},
              {"end_use", row.end_use},
              {"items", file["items"]},
              {"parties", file["parties"]},
              {"conditions", conditions_json(row.conditions)},
              {"legal_basis", "Regulation (EU) 2021/821, Articles 3, 5 and 12"}};
  CANDOR_TRY(audit(*lease, clock_.now(), actor_label(actor), "licence.read",
                   "case:" + row.reference, {{"licence_number", row.licence_number}}));
  return out;
}

}  // namespace candor::licensing
