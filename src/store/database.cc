#include "store/database.h"

#include "store/pg_database.h"
#include "store/sqlite_database.h"

namespace candor::store {

std::string_view to_string(Backend backend) {
  switch (backend) {
    case Backend::sqlite: return "sqlite";
    case Backend::postgresql: return "postgresql";
  }
  return "unknown";
}

Result<Transaction> Transaction::begin(Connection& connection, TransactionMode mode) {
  CANDOR_TRY(connection.begin(mode));
  return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  if (connection_ != nullptr) {
    // A failed rollback leaves nothing to do here: the connection reports it on next use.
    (void)connection_->rollback();
  }
}

Result<void> Transaction::commit() {
  if (connection_ == nullptr) return Error::internal("transaction already finished");
  auto result = connection_->commit();
  if (result.ok()) connection_ = nullptr;
  return result;
}

Lease::~Lease() {
  if (connection_ != nullptr) owner_->release(std::move(connection_));
}

Result<std::unique_ptr<Database>> Database::open(const OpenOptions& options) {
  const std::string_view location = options.location;
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return open_postgresql(options);
  }
  if (location.empty()) return Error::invalid_argument("no database path given", "--db");
  return open_sqlite(options);
}

}  // namespace candor::store
