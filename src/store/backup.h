// Backups of a whole database, and restoring one (`candor backup` / `candor restore`).
//
// SQLite: the online backup API copies one consistent snapshot while servers keep writing;
// the copy is an ordinary SQLite file. PostgreSQL: pg_dump's custom archive, restored by
// pg_restore into an empty database in one transaction. A backup is written beside its final
// name and renamed only when complete, so a failed one never looks whole.
#pragma once

#include <functional>
#include <string>

#include "core/error.h"

namespace candor::store {

enum class BackupFormat { sqlite, pg_dump };

// What a backup file holds, from its first bytes. Errors: not_found when there is no such
// file, invalid_argument when it is neither a SQLite file nor a pg_dump archive.
Result<BackupFormat> backup_format_of(const std::string& path);

// Copies the database at `location` (a SQLite path or a postgresql:// URI) to the file `out`.
// `check` sees a SQLite copy before it takes its name (a copy it refuses is removed).
// Errors: conflict when `out` exists (a backup never overwrites), unavailable when the
// database or pg_dump cannot be reached or the disk is full; what
// `check` returns.
using BackupCheck = std::function<Result<void>(const std::string& copy)>;
Result<void> write_backup(const std::string& location, const std::string& out,
                          const BackupCheck& check = {});

// Puts the backup `from` into `location`: a SQLite file that does not exist yet, or a
// PostgreSQL database without tables. Errors: invalid_argument when the backup is of the
// other backend, conflict when the target exists or has tables, what the copy or pg_restore
// meets (data_loss for a damaged SQLite file).
Result<void> restore_backup(const std::string& from, const std::string& location);

}  // namespace candor::store
