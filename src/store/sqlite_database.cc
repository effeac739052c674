#include "store/sqlite_database.h"

#include <filesystem>

#include "core/files.h"
#include "store/pool.h"
#include "store/sqlite_connection.h"

namespace candor::store {
namespace {

class SqliteDatabase final : public PooledDatabase {
 public:
  SqliteDatabase(OpenOptions options, std::unique_ptr<SqliteConnection> first,
                 std::shared_ptr<std::timed_mutex> writer)
      // A private in-memory database exists only in its one connection.
      : PooledDatabase(options.location == ":memory:" ? 1 : options.max_connections,
                       options.busy_timeout, std::move(first)),
        options_(std::move(options)),
        writer_(std::move(writer)) {}

  Backend backend() const override { return Backend::sqlite; }
  std::string describe() const override { return options_.location; }

 private:
  Result<std::unique_ptr<Connection>> open_connection() override {
    return std::unique_ptr<Connection>(
        CANDOR_TRY(SqliteConnection::open(options_, /*create=*/false, writer_)));
  }

  OpenOptions options_;
  std::shared_ptr<std::timed_mutex> writer_;
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
  // SQLite would create the file 0644: cases, sessions and sign-in records readable by every
  // account on the machine. Created 0600 first, SQLite keeps that mode for its WAL and SHM.
  if (!existed && options.location.rfind("file:", 0) != 0) {
    if (auto made = create_private_file(options.location); !made.ok()) {
      return Error::unavailable("cannot open the database: " + made.error().message() +
                                    " (does the folder exist and may candor write to it?)",
                                options.location);
    }
  }
  auto writer = std::make_shared<std::timed_mutex>();
  auto connection = SqliteConnection::open(options, /*create=*/true, writer);
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
      std::make_unique<SqliteDatabase>(options, std::move(connection).value(), std::move(writer)));
}

}  // namespace candor::store
