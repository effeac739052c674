// Internals shared by the licensing service's files (cases.cc, case_views.cc): the case row,
// the access rule, and writing the timeline. Not part of the module's interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/timestamp.h"
#include "licensing/accounts.h"
#include "licensing/state.h"
#include "store/database.h"

namespace candor::licensing {
class Checks;
}

namespace candor::licensing::detail {

struct CaseRow {
  std::int64_t id = 0;
  std::string reference;
  std::int64_t organisation_id = 0;
  std::string organisation;
  CaseState state = CaseState::draft;
  std::string licence_type;
  std::string title;
  std::string destination;
  std::string end_use;
  std::string end_user_type;
  std::optional<std::int64_t> assigned_to;
  std::string assigned_name;
  std::string target_date;
  std::string submitted_at;
  std::string decided_at;
  std::string licence_number;
  std::string decision_reasons;
  std::string criteria;    // JSON array
  std::string conditions;  // JSON array
  std::string red_flags;   // JSON array
  std::string withheld;    // JSON array of {"field", "rule"}
  std::string created_at;
};

// Errors: permission_denied "a <role> may not <what>" unless the actor has one of the roles.
Result<void> require_role(const User& actor, std::initializer_list<Role> roles,
                          std::string_view what);

// The case, when `actor` may see it. Errors: not_found for a missing case and for one the
// actor may not see (the same message, so references do not leak); permission_denied for
// admins, who see no case content.
Result<CaseRow> load_visible(store::Connection& c, const User& actor, const std::string& reference);

// Appends to the timeline and the audit trail.
Result<void> record(store::Connection& c, Timestamp at, const User& actor, const CaseRow& row,
                    std::string_view action, std::string_view from, std::string_view to,
                    std::string_view reason, bool visible_to_exporter,
                    const nlohmann::json& detail = nlohmann::json::object());

// Classification, screening and risk assessment, stored as the case's current checks.
Result<void> run_checks_in(store::Connection& c, const Checks& checks, const Timestamp& now,
                           const User& actor, const CaseRow& row);

// Builds the register entry of the decision just taken and queues it for publication.
Result<void> queue_publication(store::Connection& c, const Checks& checks, const CaseRow& row,
                               Action action, const Timestamp& at,
                               const std::vector<std::string>& criteria);

// Days from 1970-01-01 of a "YYYY-MM-DD" date, or nullopt when it is not one.
std::optional<std::int64_t> days_of(std::string_view date);
std::string date_of_days(std::int64_t days);

}  // namespace candor::licensing::detail
