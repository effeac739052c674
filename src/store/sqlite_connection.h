// One SQLite connection with its prepared-statement cache. Internal to store.
// Not thread-safe: the pool hands it to one thread at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>

#include "store/database.h"
#include "store/text_map.h"

namespace candor::store {

// The application_id Candor writes into its SQLite files ("CAND"), to tell them from others.
inline constexpr int kSqliteApplicationId = 0x43414E44;

Error sqlite_error(sqlite3* db, int code, std::string_view context);

class SqliteConnection final : public Connection {
 public:
  // Opens and configures a connection. Errors: see Database::open.
  // Write transactions of connections sharing `writer` take turns on it (one pool, one
  // process) instead of polling SQLite's lock, which serves waiting writers in no order.
  static Result<std::unique_ptr<SqliteConnection>> open(
      const OpenOptions& options, bool create, std::shared_ptr<std::timed_mutex> writer = nullptr);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  using Connection::execute;
  using Connection::query;
  Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override;
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override;
  Result<void> execute_script(std::string_view sql) override;
  Result<void> begin(TransactionMode mode) override;
  Result<void> commit() override;
  Result<void> rollback() override;

 private:
  struct Prepared {
    sqlite3_stmt* statement = nullptr;
    std::vector<int> parameter_slots;  // SQLite's index for $1, $2, ...
    std::shared_ptr<const std::vector<std::string>> columns;
  };

  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Result<void> configure(std::chrono::milliseconds busy_timeout);
  void release_writer();
  Result<Prepared*> prepare(std::string_view sql);
  Result<void> bind(Prepared& prepared, std::span<const Value> params, std::string_view sql);
  static Value column_value(sqlite3_stmt* statement, int column);

  sqlite3* db_;
  std::shared_ptr<std::timed_mutex> writer_;
  std::chrono::milliseconds writer_wait_{0};
  bool holds_writer_ = false;
  // Looked up by the statement's text without copying it (std::string_view keys).
  TextMap<Prepared> cache_;
};

}  // namespace candor::store
