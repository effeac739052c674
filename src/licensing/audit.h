// The audit trail (table audit_events, append-only by trigger): every action taken in Candor
// and every read of a confidential document, with who, when and on what.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/timestamp.h"
#include "store/database.h"

namespace candor::licensing {

// `actor` is "user:<id> <email>" or "system"; `subject` names the thing acted on
// ("case:C-2026-0001", "document:12", "user:3").
Result<void> audit(store::Connection& connection, Timestamp at, std::string_view actor,
                   std::string_view action, std::string_view subject,
                   const nlohmann::json& detail = nlohmann::json::object());

// The whole trail as CSV (RFC 4180) with the header id,occurred_at,actor,action,subject,detail,
// oldest first.
Result<std::string> audit_csv(store::Database& db);

}  // namespace candor::licensing
