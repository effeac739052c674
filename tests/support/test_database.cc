#include "support/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>

#include "support/pg_cluster.h"

namespace candor::testing {

bool postgresql_run() {
  const char* backend = std::getenv("CANDOR_TEST_BACKEND");
  return backend != nullptr && std::string_view(backend) == "postgresql";
}

std::string test_database(TempDir& dir, const std::string& name, std::string& why) {
  if (!postgresql_run()) return dir.file(name);
  PgCluster* cluster = shared_pg_cluster(why);
  if (cluster == nullptr) return "";
  // Unique across the test processes ctest runs side by side on the one cluster.
  static std::atomic<int> counter{0};
  std::string database = "t" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_";
  for (char ch : name) {
    if (database.size() >= 60) break;
    database += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  }
  std::string uri = cluster->create_database(database);
  dir.on_removal([cluster, database] { cluster->drop_database(database); });
  return uri;
}

}  // namespace candor::testing
