#include "store/database.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>

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

namespace {

std::uint32_t big_endian(const unsigned char* bytes, int count) {
  std::uint32_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | bytes[i];
  return value;
}

// A file cut short: shorter than its header says, or ending inside a page. SQLite reads a
// short last page as zeros, so quick_check alone can miss it. Only checked when no write-ahead
// log holds pages (after a crash, the log may hold what the file still lacks).
Result<void> check_length(const std::string& path) {
  std::error_code ec;
  const auto wal = std::filesystem::file_size(path + "-wal", ec);
  if (!ec && wal > 0) return {};
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) return {};
  unsigned char header[100] = {};
  std::ifstream file(path, std::ios::binary);
  file.read(reinterpret_cast<char*>(header), sizeof header);
  if (file.gcount() != sizeof header) {
    return Error::data_loss("the database file " + path + " is cut short (" + std::to_string(size) +
                            " bytes, less than its header)");
  }
  std::uint64_t page_size = big_endian(header + 16, 2);
  if (page_size == 1) page_size = 65536;
  const std::uint64_t pages = big_endian(header + 28, 4);
  // The header's page count is only kept when these two counters agree (SQLite's format).
  const bool counted = big_endian(header + 24, 4) == big_endian(header + 92, 4) && pages > 0;
  if (page_size < 512 || size % page_size != 0 || (counted && size < pages * page_size)) {
    return Error::data_loss("the database file " + path + " is cut short: " + std::to_string(size) +
                            " bytes where its header says " +
                            std::to_string(counted ? pages * page_size : size) + " in " +
                            std::to_string(page_size) +
                            "-byte pages; restore the last backup into a new file (candor "
                            "restore)");
  }
  return {};
}

}  // namespace

Result<void> check_integrity(Database& db) {
  if (db.backend() != Backend::sqlite) return {};
  if (db.describe() != ":memory:") CANDOR_TRY(check_length(db.describe()));
  auto lease = CANDOR_TRY(db.acquire());
  auto rows = CANDOR_TRY(lease->query("PRAGMA quick_check(5)"));
  std::string found;
  for (const auto& row : rows) {
    std::string line = CANDOR_TRY(row.get<std::string>(0));
    if (line == "ok") continue;
    std::replace(line.begin(), line.end(), '\n', ' ');
    found += (found.empty() ? "" : "; ") + line;
  }
  if (found.empty()) return {};
  return Error::data_loss("the database file " + db.describe() + " is damaged (" + found +
                          "); restore the last backup into a new file (candor restore)");
}

}  // namespace candor::store
