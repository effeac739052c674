// candor backup / candor restore: a copy of the whole database, and putting one back, with
// the register checked against its own signed checkpoints each way (register/check.h).
#include <cstdio>
#include <filesystem>

#include "cli/cli.h"
#include "cli/database_setup.h"
#include "register/check.h"
#include "store/backup.h"
#include "store/migrations.h"

namespace candor::cli {
namespace {

bool is_postgresql(const std::string& location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string describe_check(const reg::LogCheck& check) {
  return "register: " + std::to_string(check.entries) +
         (check.entries == 1 ? " entry" : " entries") + " and " +
         std::to_string(check.checkpoints) +
         (check.checkpoints == 1 ? " signed checkpoint" : " signed checkpoints") +
         " checked against the tree";
}

// The register of a database at this version's schema, checked.
Result<reg::LogCheck> check_database(store::Database& db) {
  const SystemClock clock;
  CANDOR_TRY(store::check_integrity(db));
  const int version = CANDOR_TRY(store::schema_version(db));
  const int expected = store::builtin_migrations(db.backend()).back().version;
  if (version != expected) {
    return Error::failed_precondition("the database is at schema version " +
                                      std::to_string(version) + ", this candor at " +
                                      std::to_string(expected) + "; run candor migrate first");
  }
  return reg::check_stored_log(db, clock);
}

}  // namespace

int run_backup(const BackupOptions& options) {
  auto source =
      store::Database::open({.location = options.db_path, .create = store::CreateMode::must_exist});
  if (!source.ok()) return report(source.error());
  const std::string where = (*source)->describe();
  // PostgreSQL's archive is checked only by reading it back (pg_restore --list); the
  // database it comes from is checked here. A SQLite copy is checked itself, below.
  reg::LogCheck checked;
  if ((*source)->backend() == store::Backend::postgresql) {
    auto check = check_database(**source);
    if (!check.ok()) return report(check.error());
    checked = *check;
  }
  source->reset();
  auto written = store::write_backup(
      options.db_path, options.out, [&](const std::string& copy) -> Result<void> {
        auto db = CANDOR_TRY(
            store::Database::open({.location = copy, .create = store::CreateMode::must_exist}));
        checked = CANDOR_TRY(check_database(*db));
        return {};
      });
  if (!written.ok()) return report(written.error());
  std::printf("Backed up %s to %s (%s; %s).\n", where.c_str(), options.out.c_str(),
              is_postgresql(options.db_path) ? "pg_dump archive" : "SQLite copy",
              describe_check(checked).c_str());
  return kExitOk;
}

int run_restore(const RestoreOptions& options) {
  const bool postgresql = is_postgresql(options.db_path);
  // A SQLite file is made under a temporary name and takes its own only once checked, so a
  // failed restore leaves nothing that looks like a database.
  const std::string target = postgresql ? options.db_path : options.db_path + ".restoring";
  std::error_code ec;
  if (!postgresql) {
    if (std::filesystem::exists(options.db_path, ec)) {
      return report(Error::conflict(options.db_path +
                                    " exists; restore into a new file so that nothing is "
                                    "overwritten (stop the service, move the old file away)"));
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(target + suffix, ec);
    }
  }
  const auto discard = [&] {
    if (postgresql) return;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(target + suffix, ec);
    }
  };
  if (auto restored = store::restore_backup(options.from, target); !restored.ok()) {
    discard();
    return report(restored.error());
  }
  // A backup from an earlier version is brought to this one's schema, then checked.
  auto opened = open_and_migrate(target);
  if (!opened.ok()) {
    discard();
    return report(opened.error());
  }
  auto checked = check_database(*opened->db);
  const std::string where = opened->db->describe();
  opened->db.reset();
  if (!checked.ok()) {
    discard();
    if (postgresql) {
      std::fprintf(stderr,
                   "candor: the backup was restored into %s but its register does not check; "
                   "drop that database and use another backup\n",
                   where.c_str());
    }
    return report(checked.error());
  }
  if (!postgresql) {
    std::filesystem::rename(target, options.db_path, ec);
    if (ec) {
      discard();
      return report(Error::unavailable("cannot name the restored database " + options.db_path +
                                       ": " + ec.message()));
    }
  }
  std::printf("Restored %s into %s (schema version %d; %s).\n", options.from.c_str(),
              postgresql ? where.c_str() : options.db_path.c_str(), opened->to_version,
              describe_check(*checked).c_str());
  return kExitOk;
}

}  // namespace candor::cli
