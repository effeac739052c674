// The SQLite backend of Database: one file in WAL mode, foreign keys on, a busy timeout, and
// a pool of connections (WAL lets readers run beside the one writer). Internal to store;
// callers reach it through Database::open.
#pragma once

#include <memory>

#include "store/database.h"

namespace candor::store {

Result<std::unique_ptr<Database>> open_sqlite(const OpenOptions& options);

}  // namespace candor::store
