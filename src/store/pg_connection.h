// One PostgreSQL connection (libpqxx), the PostgreSQL counterpart of SqliteConnection.
// Internal to store. Not thread-safe: the pool hands it to one thread at a time.
//
// Parameters go as text ($1, $2, ... as in SQLite), blobs in bytea's hex form; PostgreSQL
// infers their types from the statement. Results come back as Values by column type: integers
// and booleans as integers, floating and numeric as doubles, bytea as Blobs, the rest as text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <pqxx/pqxx>

#include "store/database.h"
#include "store/text_map.h"

namespace candor::store {

class PgConnection final : public Connection {
 public:
  // The advisory lock every write transaction holds until it ends (see begin).
  static constexpr std::int64_t kWriteLock = 7311002100;

  // Errors: unavailable when the server cannot be reached or refuses the connection.
  static Result<std::unique_ptr<PgConnection>> open(const std::string& uri);

  Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override;
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override;
  Result<void> execute_script(std::string_view sql) override;
  Result<void> begin(TransactionMode mode) override;
  Result<void> commit() override;
  Result<void> rollback() override;
  bool broken() const override;

 private:
  explicit PgConnection(std::unique_ptr<pqxx::connection> connection)
      : connection_(std::move(connection)) {}
  Result<pqxx::result> run(std::string_view sql, std::span<const Value> params);
  Error failed(const std::exception& e, std::string_view context);

  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::transaction_base> transaction_;  // The open transaction, if any.
  bool lost_ = false;                                    // The server ended the session.
  // Statement text to its prepared name on this connection.
  static constexpr std::size_t kMaxPrepared = 512;
  TextMap<std::string> prepared_;
};

// The error a libpqxx exception stands for (constraint violations are conflicts, as in SQLite).
Error pg_error(const std::exception& e, std::string_view context);

}  // namespace candor::store
