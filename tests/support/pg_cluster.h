// A throwaway PostgreSQL cluster for tests (issue 8): initdb into a temporary folder, the
// server on a free loopback port with its socket in that folder, stopped and removed at the
// end. No pre-existing server and no docker. When run as root (CI containers), the cluster
// belongs to the `postgres` system user, since PostgreSQL refuses to run as root.
#pragma once

#include <memory>
#include <string>

namespace candor::testing {

class PgCluster {
 public:
  // Starts a cluster, or returns null with `why` set when this machine cannot (no
  // PostgreSQL binaries, or root without a postgres user): tests then skip saying so.
  static std::unique_ptr<PgCluster> start(std::string& why);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A new empty database in the cluster; its connection URI
  // (postgresql://candor@127.0.0.1:PORT/NAME).
  std::string create_database(const std::string& name);
  int port() const { return port_; }
  // Stops the server at once (as a crash would) or cleanly, and starts it again.
  bool stop(bool immediate);
  bool restart();

 private:
  PgCluster() = default;
  bool run(const std::string& command) const;

  std::string bin_;      // Folder of initdb and pg_ctl.
  std::string folder_;   // Data, socket and log.
  std::string as_user_;  // Command prefix running as the cluster's owner, or empty.
  int port_ = 0;
};

// The shared cluster of one test program (started on first use, stopped at exit), or null
// with `why` set.
PgCluster* shared_pg_cluster(std::string& why);

// A new database named `name` in the shared cluster, or empty when there is no cluster (the
// test then skips).
std::string fresh_pg_database(const std::string& name);

}  // namespace candor::testing
