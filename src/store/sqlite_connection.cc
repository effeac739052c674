#include "store/sqlite_connection.h"

#include <cerrno>

namespace candor::store {
namespace {

constexpr std::size_t kMaxCachedStatements = 256;

std::string shorten(std::string_view sql) {
  constexpr std::size_t kMax = 80;
  std::string text(sql.substr(0, kMax));
  for (char& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return sql.size() > kMax ? text + "..." : text;
}

// Resets a statement when a call ends, so it holds no read snapshot between calls.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* statement) : statement_(statement) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() { sqlite3_reset(statement_); }

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

Error sqlite_error(sqlite3* db, int code, std::string_view context) {
  const std::string message =
      db != nullptr ? sqlite3_errmsg(db) : std::string(sqlite3_errstr(code));
  // A write the disk had no room for: SQLite says SQLITE_FULL for ENOSPC, but a plain I/O
  // error for a quota or a file size limit.
  const int system_errno = db != nullptr ? sqlite3_system_errno(db) : 0;
  if ((code & 0xFF) == SQLITE_FULL ||
      ((code & 0xFF) == SQLITE_IOERR &&
       (system_errno == ENOSPC || system_errno == EFBIG || system_errno == EDQUOT))) {
    // Unavailable, not a limit of the caller's: retrying once there is room will work, and
    // the transaction was rolled back, so nothing is half-written.
    return Error::unavailable("the disk is full; nothing was written (" + message + ")",
                              std::string(context));
  }
  switch (code & 0xFF) {
    case SQLITE_CONSTRAINT: return Error::conflict(message, std::string(context));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error::unavailable("database is busy: " + message, std::string(context));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error::data_loss("database file is damaged or not a database: " + message,
                              std::string(context));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_READONLY: return Error::unavailable(message, std::string(context));
    default: return Error::internal(message, std::string(context));
  }
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(
    const OpenOptions& options, bool create, std::shared_ptr<std::timed_mutex> writer) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(options.location.c_str(), &db, flags, nullptr);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  if (rc != SQLITE_OK) {
    auto error = sqlite_error(db, rc, options.location);
    return Error::unavailable("cannot open the database: " + error.message() +
                                  " (does the folder exist and may candor write to it?)",
                              options.location);
  }
  sqlite3_extended_result_codes(db, 1);
  connection->writer_ = std::move(writer);
  connection->writer_wait_ = options.busy_timeout;
  if (auto configured = connection->configure(options.busy_timeout); !configured.ok()) {
    // Named by the file, not the settings statement: here the first read of the file fails
    // when it is damaged or truncated.
    return Error(configured.error().kind(), configured.error().message(), options.location);
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  release_writer();
  for (auto& [sql, prepared] : cache_) sqlite3_finalize(prepared.statement);
  sqlite3_close(db_);
}

Result<void> SqliteConnection::configure(std::chrono::milliseconds busy_timeout) {
  sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
  // synchronous=FULL: a decision acknowledged to an officer survives a power cut, not only a
  // crash of the process.
  // 16 KiB pages for a new database (an existing one keeps its own): a bulk import writes a
  // quarter as many pages, WAL frames and system calls, a fifth less time at a million
  // register entries, while a decision's transaction still writes a few pages.
  CANDOR_TRY(
      execute_script("PRAGMA page_size = 16384; PRAGMA foreign_keys = ON; PRAGMA journal_mode = "
                     "WAL; PRAGMA synchronous = FULL; "
                     // Reads through a shared memory map of the file rather than a page cache per
                     // connection: the web server keeps dozens of connections.
                     "PRAGMA mmap_size = 2147418112;"));
  return {};
}

Result<SqliteConnection::Prepared*> SqliteConnection::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return &it->second;
  const std::string key(sql);
  if (cache_.size() >= kMaxCachedStatements) {
    for (auto& [text, prepared] : cache_) sqlite3_finalize(prepared.statement);
    cache_.clear();
  }
  Prepared prepared;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &prepared.statement, &tail);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, shorten(sql));
  if (prepared.statement == nullptr) return Error::internal("empty statement", shorten(sql));
  if (tail != nullptr &&
      std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(prepared.statement);
    return Error::internal("one statement per call; use execute_script for several", shorten(sql));
  }
  const int parameters = sqlite3_bind_parameter_count(prepared.statement);
  for (int i = 1; i <= parameters; ++i) {
    const std::string name = "$" + std::to_string(i);
    const int slot = sqlite3_bind_parameter_index(prepared.statement, name.c_str());
    if (slot == 0) {
      sqlite3_finalize(prepared.statement);
      return Error::internal("parameters must be numbered $1..$" + std::to_string(parameters),
                             shorten(sql));
    }
    prepared.parameter_slots.push_back(slot);
  }
  auto columns = std::make_shared<std::vector<std::string>>();
  for (int c = 0; c < sqlite3_column_count(prepared.statement); ++c) {
    columns->emplace_back(sqlite3_column_name(prepared.statement, c));
  }
  prepared.columns = std::move(columns);
  return &cache_.emplace(key, std::move(prepared)).first->second;
}

Result<void> SqliteConnection::bind(Prepared& prepared, std::span<const Value> params,
                                    std::string_view sql) {
  if (params.size() != prepared.parameter_slots.size()) {
    return Error::internal("statement takes " + std::to_string(prepared.parameter_slots.size()) +
                               " parameters, got " + std::to_string(params.size()),
                           shorten(sql));
  }
  sqlite3_stmt* s = prepared.statement;
  // SQLITE_STATIC: the parameters outlive every step of the statement (query and execute step
  // it to the end before returning), so SQLite need not copy each text and blob.
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int slot = prepared.parameter_slots[i];
    const Value& v = params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(s, slot);
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(s, slot, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(s, slot, *d);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(s, slot, t->data(), t->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      const auto& b = std::get<Blob>(v).bytes;
      rc = sqlite3_bind_blob64(s, slot, b.data(), b.size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, shorten(sql));
  }
  return {};
}

Value SqliteConnection::column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
    case SQLITE_FLOAT: return sqlite3_column_double(statement, column);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement, column));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return Blob{std::vector<std::uint8_t>(data, data + size)};
    }
    default: return std::monostate{};
  }
}

Result<std::vector<Row>> SqliteConnection::query(std::string_view sql,
                                                 std::span<const Value> params) {
  Prepared* prepared = CANDOR_TRY(prepare(sql));
  ResetOnExit reset(prepared->statement);
  sqlite3_clear_bindings(prepared->statement);
  CANDOR_TRY(bind(*prepared, params, sql));
  std::vector<Row> rows;
  const int columns = sqlite3_column_count(prepared->statement);
  for (;;) {
    const int rc = sqlite3_step(prepared->statement);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return sqlite_error(db_, rc, shorten(sql));
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) values.push_back(column_value(prepared->statement, c));
    rows.emplace_back(prepared->columns, std::move(values));
  }
  return rows;
}

Result<std::int64_t> SqliteConnection::execute(std::string_view sql,
                                               std::span<const Value> params) {
  Prepared* prepared = CANDOR_TRY(prepare(sql));
  ResetOnExit reset(prepared->statement);
  sqlite3_clear_bindings(prepared->statement);
  CANDOR_TRY(bind(*prepared, params, sql));
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) rc = sqlite3_step(prepared->statement);
  if (rc != SQLITE_DONE) return sqlite_error(db_, rc, shorten(sql));
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Result<void> SqliteConnection::execute_script(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    sqlite3_free(message);
    return sqlite_error(db_, rc, shorten(sql));
  }
  return {};
}

Result<void> SqliteConnection::begin(TransactionMode mode) {
  if (mode == TransactionMode::write && writer_ != nullptr) {
    if (!writer_->try_lock_for(writer_wait_)) {
      return Error::unavailable("database is busy: another write has taken longer than " +
                                std::to_string(writer_wait_.count()) + " ms");
    }
    holds_writer_ = true;
  }
  auto begun = execute(mode == TransactionMode::write ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begun.ok()) {
    release_writer();
    return std::move(begun).error();
  }
  return {};
}

Result<void> SqliteConnection::commit() {
  CANDOR_TRY(execute("COMMIT"));  // On failure the transaction stays open for rollback().
  release_writer();
  return {};
}

Result<void> SqliteConnection::rollback() {
  Result<void> done;
  // SQLite may have rolled back already on an error.
  if (sqlite3_get_autocommit(db_) == 0) {
    auto rolled_back = execute("ROLLBACK");
    if (!rolled_back.ok()) done = std::move(rolled_back).error();
  }
  release_writer();
  return done;
}

void SqliteConnection::release_writer() {
  if (holds_writer_) {
    holds_writer_ = false;
    writer_->unlock();
  }
}

}  // namespace candor::store
