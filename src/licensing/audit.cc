#include "licensing/audit.h"

#include "core/csv.h"

namespace candor::licensing {

Result<void> audit(store::Connection& connection, Timestamp at, std::string_view actor,
                   std::string_view action, std::string_view subject,
                   const nlohmann::json& detail) {
  CANDOR_TRY(
      connection.execute("INSERT INTO audit_events (occurred_at, actor, action, subject, detail) "
                         "VALUES ($1, $2, $3, $4, $5)",
                         {at.to_rfc3339(), std::string(actor), std::string(action),
                          std::string(subject), detail.dump()}));
  return {};
}

Result<std::string> audit_csv(store::Database& db) {
  auto lease = CANDOR_TRY(db.acquire());
  auto rows = CANDOR_TRY(lease->query(
      "SELECT id, occurred_at, actor, action, subject, detail FROM audit_events ORDER BY id"));
  std::string out =
      csv::format_spreadsheet_record({"id", "occurred_at", "actor", "action", "subject", "detail"});
  for (const auto& row : rows) {
    out += csv::format_spreadsheet_record(
        {std::to_string(CANDOR_TRY(row.get<std::int64_t>(0))), CANDOR_TRY(row.get<std::string>(1)),
         CANDOR_TRY(row.get<std::string>(2)), CANDOR_TRY(row.get<std::string>(3)),
         CANDOR_TRY(row.get<std::string>(4)), CANDOR_TRY(row.get<std::string>(5))});
  }
  return out;
}

}  // namespace candor::licensing
