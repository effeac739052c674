// Versioned schema migrations. Each migration is a numbered SQL file
// (src/store/migrations/NNNN_what_it_does.sql) compiled into the binary. migrate() applies the
// ones a database lacks, each in its own write transaction together with its row in the
// schema_version table, so a failure leaves the database at the last good version.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/embedded.h"
#include "core/timestamp.h"
#include "store/database.h"

namespace candor::store {

struct MigrationReport {
  int from_version;
  int to_version;
};

struct Migration {
  int version;       // 1, 2, 3, ... without gaps (or from a baseline).
  std::string name;  // "audit_events", from the file name.
  std::string sql;
};

// Reads migration files named NNNN_name.sql. Errors: invalid_argument naming the file for a
// bad name, a duplicate version or a gap.
Result<std::vector<Migration>> migrations_from_files(std::span<const EmbeddedFile> files);

// Candor's own migrations for a backend (SQLite's without an argument). PostgreSQL's begin
// with a baseline at the version SQLite had when PostgreSQL came (src/store/migrations/
// postgresql/); the same version means the same tables on both. REQUIRES: the embedded
// files are well named (a test checks).
const std::vector<Migration>& builtin_migrations();
const std::vector<Migration>& builtin_migrations(Backend backend);

// Brings `db` up to Candor's own migrations for its backend.
Result<MigrationReport> migrate(Database& db, const Clock& clock);

// The newest version applied; 0 for a database never migrated.
Result<int> schema_version(Database& db);

// Brings `db` up to the last of `migrations`. Safe to run from several processes at once.
// Errors: failed_precondition when the database is newer than these migrations know.
Result<MigrationReport> migrate(Database& db, std::span<const Migration> migrations,
                                const Clock& clock);

}  // namespace candor::store
