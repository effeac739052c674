#include "cli/database_setup.h"

#include <filesystem>

#include "store/migrations.h"

namespace candor::cli {

Result<OpenedDatabase> open_and_migrate(const std::string& location) {
  std::error_code ec;
  const bool existed = std::filesystem::exists(location, ec);
  // As many connections as the web server may use at once (store's pool waits beyond it).
  auto db = CANDOR_TRY(store::Database::open({.location = location, .max_connections = 64}));
  const SystemClock clock;
  auto report = store::migrate(*db, clock);
  if (!report.ok()) {
    // A file this call created and could not set up is removed, so nothing half-made stays.
    if (!existed && db->backend() == store::Backend::sqlite) {
      db.reset();
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(location + suffix, ec);
      }
    }
    return std::move(report).error();
  }
  return OpenedDatabase{std::move(db), report->from_version, report->to_version};
}

}  // namespace candor::cli
