// The PostgreSQL backend of Database: a pool of libpqxx connections to the database a
// postgresql:// URI names. Internal to store; callers reach it through Database::open.
#pragma once

#include <memory>

#include "store/database.h"

namespace candor::store {

Result<std::unique_ptr<Database>> open_postgresql(const OpenOptions& options);

}  // namespace candor::store
