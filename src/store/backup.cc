#include "store/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/files.h"
#include "store/database.h"

namespace candor::store {
namespace {

bool is_postgresql(const std::string& location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Error sqlite_failure(sqlite3* db, int rc, const std::string& what) {
  const std::string message =
      what + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_FULL: return Error::unavailable(message + " (the disk is full)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Error::data_loss(message);
    default: return Error::unavailable(message);  // Cannot open, busy, locked, I/O.
  }
}

// Copies one SQLite database to another file with the online backup API, in one step: the
// source is read as one snapshot while writers in WAL mode carry on.
Result<void> copy_sqlite(const std::string& from, const std::string& to) {
  sqlite3* source = nullptr;
  sqlite3* target = nullptr;
  const auto close_both = [&] {
    sqlite3_close_v2(source);
    sqlite3_close_v2(target);
  };
  int rc = sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    Error error = sqlite_failure(source, rc, "cannot open " + from);
    close_both();
    return error;
  }
  sqlite3_busy_timeout(source, 5000);
  if (auto made = create_private_file(to); !made.ok()) {  // A backup is as private as the original.
    close_both();
    return made.error();
  }
  rc = sqlite3_open_v2(to.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    Error error = sqlite_failure(target, rc, "cannot create " + to);
    close_both();
    return error;
  }
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
  if (backup == nullptr) {
    Error error = sqlite_failure(target, sqlite3_errcode(target), "cannot start the copy");
    close_both();
    return error;
  }
  rc = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finished != SQLITE_OK) {
    Error error = sqlite_failure(nullptr, rc != SQLITE_DONE ? rc : finished, "copying " + from);
    close_both();
    return error;
  }
  // The copy keeps the source's journal mode; a lone file should not need a -wal beside it.
  char* message = nullptr;
  rc = sqlite3_exec(target, "PRAGMA journal_mode = DELETE", nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) {
    Error error = sqlite_failure(target, rc, "finishing " + to);
    close_both();
    return error;
  }
  rc = sqlite3_close_v2(target);
  target = nullptr;
  sqlite3_close_v2(source);
  source = nullptr;
  if (rc != SQLITE_OK) return sqlite_failure(nullptr, rc, "closing " + to);
  return {};
}

// Makes the file's contents durable before it is renamed into place.
Result<void> sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::unavailable("cannot open " + path + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    if (saved == ENOSPC) {
      return Error::unavailable("the disk is full while writing " + path);
    }
    return Error::unavailable("cannot write " + path + ": " + std::strerror(saved));
  }
  return {};
}

// The PostgreSQL program `name` (pg_dump, pg_restore): the newest installed server's own,
// else the one on PATH.
std::string pg_program(const std::string& name) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    if (std::filesystem::exists(entry.path() / "bin" / name)) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::atoi(a.filename().c_str()) < std::atoi(b.filename().c_str());
  });
  return found.empty() ? name : (found.back() / "bin" / name).string();
}

// Runs a program without a shell (a URI may hold any character), its standard output
// discarded and its standard error kept to explain a failure.
Result<void> run_program(const std::vector<std::string>& args) {
  char error_template[] = "/tmp/candor-program.XXXXXX";
  const int error_fd = ::mkstemp(error_template);
  if (error_fd < 0) return Error::unavailable("cannot make a temporary file");
  ::unlink(error_template);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, error_fd, 2);
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ::close(error_fd);
    return Error::unavailable("cannot run " + args[0] + ": " + std::strerror(spawned) +
                              " (install postgresql-client)");
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string errors;
  ::lseek(error_fd, 0, SEEK_SET);
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(error_fd, buffer, sizeof buffer)) > 0 && errors.size() < 8192) {
    errors.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(error_fd);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  while (!errors.empty() && (errors.back() == '\n' || errors.back() == ' ')) errors.pop_back();
  const std::string program = std::filesystem::path(args[0]).filename().string();
  if (errors.find("No space left") != std::string::npos) {
    return Error::unavailable(program + " failed, the disk is full: " + errors);
  }
  return Error::unavailable(program + " failed" + (errors.empty() ? "" : ": " + errors));
}

}  // namespace

Result<BackupFormat> backup_format_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::not_found("no backup file " + path);
  char head[16] = {};
  in.read(head, sizeof head);
  const std::string_view first(head, static_cast<std::size_t>(in.gcount()));
  if (first == std::string_view("SQLite format 3\0", 16)) return BackupFormat::sqlite;
  if (first.starts_with("PGDMP")) return BackupFormat::pg_dump;
  return Error::invalid_argument(path +
                                 " is not a candor backup (neither a SQLite file nor a "
                                 "pg_dump archive)");
}

Result<void> write_backup(const std::string& location, const std::string& out,
                          const BackupCheck& check) {
  std::error_code ec;
  if (std::filesystem::exists(out, ec)) {
    return Error::conflict(out + " exists; a backup never overwrites a file");
  }
  const std::string partial = out + ".partial";
  std::filesystem::remove(partial, ec);
  Result<void> written = [&]() -> Result<void> {
    if (is_postgresql(location)) {
      return run_program({pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                          "--file=" + partial, "--dbname=" + location});
    }
    if (!std::filesystem::is_regular_file(location, ec)) {
      return Error::not_found("no database file " + location);
    }
    return copy_sqlite(location, partial);
  }();
  if (written.ok()) written = sync_file(partial);
  if (written.ok() && is_postgresql(location)) {
    // pg_restore reads the archive's table of contents: a truncated archive fails here.
    written = run_program({pg_program("pg_restore"), "--list", partial});
  } else if (written.ok() && check) {
    written = check(partial);
  }
  if (!written.ok()) {
    std::filesystem::remove(partial, ec);
    return written;
  }
  std::filesystem::rename(partial, out, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    return Error::unavailable("cannot name the backup " + out + ": " + ec.message());
  }
  return {};
}

Result<void> restore_backup(const std::string& from, const std::string& location) {
  const BackupFormat format = CANDOR_TRY(backup_format_of(from));
  if (is_postgresql(location)) {
    if (format != BackupFormat::pg_dump) {
      return Error::invalid_argument(from +
                                     " is a SQLite backup; restore it into a SQLite file "
                                     "(--db with a file path)");
    }
    {
      auto db = CANDOR_TRY(Database::open({.location = location}));
      auto lease = CANDOR_TRY(db->acquire());
      auto tables = CANDOR_TRY(
          lease->query("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"));
      if (CANDOR_TRY(tables.at(0).get<std::int64_t>(0)) != 0) {
        return Error::conflict(
            "the database to restore into has tables already; restore into a new, empty "
            "database (createdb) so that nothing is overwritten");
      }
    }
    return run_program({pg_program("pg_restore"), "--exit-on-error", "--single-transaction",
                        "--no-owner", "--no-privileges", "--dbname=" + location, from});
  }
  if (format != BackupFormat::sqlite) {
    return Error::invalid_argument(from +
                                   " is a pg_dump archive; restore it into a PostgreSQL "
                                   "database (--db postgresql://...)");
  }
  std::error_code ec;
  if (std::filesystem::exists(location, ec)) {
    return Error::conflict(location +
                           " exists; restore into a new file so that nothing is "
                           "overwritten");
  }
  CANDOR_TRY(copy_sqlite(from, location));
  return sync_file(location);
}

}  // namespace candor::store
