// The storage interface every other module uses. A Database is a thread-safe pool of
// Connections to one SQLite file or PostgreSQL server; a Connection is used by one thread at a
// time and is returned to the pool when its Lease ends.
//
// SQL is written once for every backend: parameters are $1, $2, ... (PostgreSQL's form, which
// SQLite also reads), inserted ids come back through RETURNING, and migrations use the types
// both backends share. Statements are prepared once per connection and cached by their text.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/value.h"

namespace candor::store {

enum class Backend { sqlite, postgresql };
std::string_view to_string(Backend backend);

// What a transaction will do, so SQLite can take the write lock up front (BEGIN IMMEDIATE)
// instead of failing half-way when a reader tries to upgrade.
enum class TransactionMode { read, write };

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) = 0;
  // Runs several statements separated by semicolons, without parameters (migrations).
  virtual Result<void> execute_script(std::string_view sql) = 0;

  Result<std::vector<Row>> query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<std::int64_t> execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }

  virtual Result<void> begin(TransactionMode mode) = 0;
  virtual Result<void> commit() = 0;
  virtual Result<void> rollback() = 0;
  // True once the connection cannot be used again (its server restarted): the pool then
  // closes it rather than lend it to the next caller.
  virtual bool broken() const { return false; }
};

// Rolls back on destruction unless commit() succeeded. Transactions do not nest.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& connection, TransactionMode mode);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;  // nullptr once committed, rolled back or moved from.
};

class Database;

// A connection borrowed from a Database, returned to it when the Lease is destroyed.
// REQUIRES: the Database outlives the Lease.
class Lease {
 public:
  Lease(Database& owner, std::unique_ptr<Connection> connection)
      : owner_(&owner), connection_(std::move(connection)) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  Database* owner_;
  std::unique_ptr<Connection> connection_;
};

enum class CreateMode { create_if_missing, must_exist };

struct OpenOptions {
  // A file path for SQLite (":memory:" for a private in-memory database).
  std::string location;
  CreateMode create = CreateMode::create_if_missing;
  std::size_t max_connections = 8;
  std::chrono::milliseconds busy_timeout{5000};
};

class Database {
 public:
  // Opens the backend that `options.location` names and checks that it is usable, without
  // migrating it. A SQLite file that did not exist and could not be set up is removed again.
  // Errors: unavailable when it cannot be opened, data_loss when it is not a database,
  // failed_precondition when it is some other program's database.
  static Result<std::unique_ptr<Database>> open(const OpenOptions& options);

  virtual ~Database() = default;
  virtual Backend backend() const = 0;
  // Human-readable location without secrets (file path, or host and database name).
  virtual std::string describe() const = 0;

  // Waits for a free connection. Errors: unavailable when none frees up in time.
  virtual Result<Lease> acquire() = 0;

  // Runs `work` in one transaction on a pooled connection; commits when it returns success.
  template <typename T>
  Result<T> transact(TransactionMode mode, const std::function<Result<T>(Connection&)>& work);

 private:
  friend class Lease;
  virtual void release(std::unique_ptr<Connection> connection) = 0;
};

// Reads the whole database file looking for damage (a torn or overwritten page, a broken
// index): SQLite's quick_check, about 0.4 s per million register entries. PostgreSQL checks
// its own pages. Errors: data_loss saying what is damaged.
Result<void> check_integrity(Database& db);

template <typename T>
Result<T> Database::transact(TransactionMode mode,
                             const std::function<Result<T>(Connection&)>& work) {
  auto lease = CANDOR_TRY(acquire());
  auto transaction = CANDOR_TRY(Transaction::begin(*lease, mode));
  if constexpr (std::is_void_v<T>) {
    CANDOR_TRY(work(*lease));
    return transaction.commit();
  } else {
    auto result = CANDOR_TRY(work(*lease));
    CANDOR_TRY(transaction.commit());
    return result;
  }
}

}  // namespace candor::store
