#include "store/pg_database.h"

#include "store/pg_connection.h"
#include "store/pool.h"

namespace candor::store {
namespace {

class PgDatabase final : public PooledDatabase {
 public:
  PgDatabase(OpenOptions options, std::string described, std::unique_ptr<PgConnection> first)
      : PooledDatabase(options.max_connections, options.busy_timeout, std::move(first)),
        options_(std::move(options)),
        described_(std::move(described)) {}

  Backend backend() const override { return Backend::postgresql; }
  std::string describe() const override { return described_; }

 private:
  Result<std::unique_ptr<Connection>> open_connection() override {
    return std::unique_ptr<Connection>(CANDOR_TRY(PgConnection::open(options_.location)));
  }

  OpenOptions options_;
  std::string described_;
};

// Refuses a database holding tables of another program: Candor's has schema_version, or no
// table at all yet.
Result<void> claim(Connection& c) {
  auto rows = CANDOR_TRY(c.query(
      "SELECT COUNT(*) FILTER (WHERE tablename = 'schema_version'), COUNT(*) FROM pg_tables "
      "WHERE schemaname = current_schema()"));
  const auto ours = CANDOR_TRY(rows.at(0).get<std::int64_t>(0));
  const auto all = CANDOR_TRY(rows.at(0).get<std::int64_t>(1));
  if (all > 0 && ours == 0) {
    return Error::failed_precondition(
        "the database has tables that Candor did not create; give Candor a database of its own");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Database>> open_postgresql(const OpenOptions& options) {
  auto first = CANDOR_TRY(PgConnection::open(options.location));
  // Host, port and database, never the password a URI may carry.
  auto where =
      CANDOR_TRY(first->query("SELECT COALESCE(host(inet_server_addr()), 'local') || ':' || "
                              "COALESCE(inet_server_port()::text, '') || '/' || current_database()",
                              std::span<const Value>{}));
  const std::string described = "postgresql://" + CANDOR_TRY(where.at(0).get<std::string>(0));
  CANDOR_TRY(claim(*first));
  return std::unique_ptr<Database>(
      std::make_unique<PgDatabase>(options, described, std::move(first)));
}

}  // namespace candor::store
