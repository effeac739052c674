#include "store/sqlite_database.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "store/sqlite_connection.h"

namespace candor::store {
namespace {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(OpenOptions options, std::unique_ptr<SqliteConnection> first)
      : options_(std::move(options)) {
    if (options_.location == ":memory:") options_.max_connections = 1;  // Each would be private.
    idle_.push_back(std::move(first));
    open_count_ = 1;
  }

  Backend backend() const override { return Backend::sqlite; }
  std::string describe() const override { return options_.location; }

  Result<Lease> acquire() override {
    std::unique_lock lock(mutex_);
    const bool ready = available_.wait_for(lock, options_.busy_timeout, [this] {
      return !idle_.empty() || open_count_ < options_.max_connections;
    });
    if (!ready) return Error::unavailable("all database connections are in use", describe());
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
    ++open_count_;
    lock.unlock();
    auto opened = SqliteConnection::open(options_, /*create=*/false);
    if (!opened.ok()) {
      std::lock_guard relock(mutex_);
      --open_count_;
      available_.notify_one();
      return std::move(opened).error();
    }
    return Lease(*this, std::move(opened).value());
  }

 private:
  void release(std::unique_ptr<Connection> connection) override {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
    available_.notify_one();
  }

  OpenOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  std::size_t open_count_ = 0;                     // GUARDED_BY(mutex_)
};

// Refuses files that belong to another program, and marks new ones as Candor's.
Result<void> claim(SqliteConnection& connection) {
  auto id_rows = CANDOR_TRY(connection.query("PRAGMA application_id"));
  const auto id = CANDOR_TRY(id_rows.at(0).get<std::int64_t>(0));
  if (id == kSqliteApplicationId) return {};
  if (id != 0) {
    return Error::failed_precondition("the file is a SQLite database of another program");
  }
  auto tables = CANDOR_TRY(connection.query("SELECT count(*) FROM sqlite_schema"));
  if (CANDOR_TRY(tables.at(0).get<std::int64_t>(0)) != 0) {
    return Error::failed_precondition(
        "the file is a SQLite database with tables that Candor did not create");
  }
  CANDOR_TRY(
      connection.execute_script("PRAGMA application_id = " + std::to_string(kSqliteApplicationId)));
  return {};
}

void remove_files(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const OpenOptions& options) {
  const bool in_memory = options.location == ":memory:";
  std::error_code ec;
  const bool existed = in_memory || std::filesystem::exists(options.location, ec);
  if (!existed && options.create == CreateMode::must_exist) {
    return Error::not_found("no database at this path; run 'candor init' first", options.location);
  }
  if (!in_memory && std::filesystem::is_directory(options.location, ec)) {
    return Error::unavailable("cannot open the database: the path is a folder", options.location);
  }
  auto connection = SqliteConnection::open(options, /*create=*/true);
  if (!connection.ok()) {
    if (!existed) remove_files(options.location);
    return std::move(connection).error();
  }
  if (auto claimed = claim(*connection.value()); !claimed.ok()) {
    connection.value().reset();  // Close the file before removing it.
    if (!existed) remove_files(options.location);
    return std::move(claimed).error().within(options.location);
  }
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(options, std::move(connection).value()));
}

}  // namespace candor::store
