#include <cstdio>

#include "cli/cli.h"
#include "cli/database_setup.h"

namespace candor::cli {

int run_init(const InitOptions& options) {
  auto opened = open_and_migrate(options.db_path);
  if (!opened.ok()) return report(opened.error());
  // Named as the database describes itself: a postgresql:// URI may hold a password.
  const std::string where = opened->db->describe();
  if (opened->from_version == opened->to_version) {
    std::printf("Database %s is up to date at schema version %d.\n", where.c_str(),
                opened->to_version);
  } else {
    std::printf("Database %s migrated from schema version %d to %d.\n", where.c_str(),
                opened->from_version, opened->to_version);
  }
  return kExitOk;
}

}  // namespace candor::cli
