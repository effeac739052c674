// ctest's fixture for the PostgreSQL runs of the test suites: `start STATE` starts one
// throwaway cluster and writes where it is to STATE; `stop STATE` stops and removes it. Every
// test process in between makes its own databases in it (CANDOR_TEST_PG_STATE=STATE), instead
// of running initdb once per test.
#include <cstdio>
#include <filesystem>
#include <string>

#include "support/pg_cluster.h"

int main(int argc, char** argv) {
  using candor::testing::PgCluster;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s start|stop STATE\n", argv[0]);
    return 2;
  }
  const std::string command = argv[1];
  const std::string state = argv[2];
  if (command == "start") {
    std::string why;
    auto cluster = PgCluster::start(why);
    if (cluster == nullptr) {
      // Not a failure: the suites then skip their PostgreSQL runs, saying why.
      std::fprintf(stderr, "no PostgreSQL cluster: %s\n", why.c_str());
      std::filesystem::remove(state);
      return 77;
    }
    cluster->keep_running();
    if (!candor::testing::write_cluster_state(state, *cluster)) {
      std::fprintf(stderr, "cannot write %s\n", state.c_str());
      return 1;
    }
    std::printf("PostgreSQL cluster on port %d in %s\n", cluster->port(),
                cluster->folder().c_str());
    return 0;
  }
  if (command == "stop") {
    auto cluster = candor::testing::read_cluster_state(state);
    if (cluster == nullptr) return 0;  // None was started.
    cluster->stop(/*immediate=*/true);
    std::error_code ignored;
    std::filesystem::remove_all(cluster->folder(), ignored);
    std::filesystem::remove(state, ignored);
    return 0;
  }
  std::fprintf(stderr, "unknown command %s\n", command.c_str());
  return 2;
}
