// Opens the database a command names and brings its schema up to date.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace candor::cli {

struct OpenedDatabase {
  std::unique_ptr<store::Database> db;
  int from_version;
  int to_version;
};

Result<OpenedDatabase> open_and_migrate(const std::string& location);

}  // namespace candor::cli
