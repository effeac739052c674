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
  // A cluster another program started and left running (see keep_running), by its folder and
  // port; this object will not stop it.
  static std::unique_ptr<PgCluster> attach(const std::string& folder, int port);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A new empty database in the cluster; its connection URI
  // (postgresql://candor@127.0.0.1:PORT/NAME).
  std::string create_database(const std::string& name);
  // Drops it, closing whatever connections remain.
  void drop_database(const std::string& name);
  int port() const { return port_; }
  // Stops the server at once (as a crash would) or cleanly, and starts it again.
  bool stop(bool immediate);
  bool restart();
  // Whether its server is up.
  bool running() const;
  // Leaves the server running and its folder in place when this object goes, for a later
  // `attach` (ctest's fixture starts one cluster for every test program).
  void keep_running() { keep_ = true; }
  const std::string& folder() const { return folder_; }

 private:
  PgCluster() = default;
  bool run(const std::string& command) const;

  std::string bin_;      // Folder of initdb and pg_ctl.
  std::string folder_;   // Data, socket and log.
  std::string as_user_;  // Command prefix running as the cluster's owner, or empty.
  int port_ = 0;
  bool keep_ = false;
};

// The shared cluster of one test program, or null with `why` set: the one ctest's fixture
// started (its state file named by CANDOR_TEST_PG_STATE, else the build folder's, when that
// cluster is up), else one started on first use and stopped at exit.
PgCluster* shared_pg_cluster(std::string& why);

// A new database in the shared cluster, named `name` and a suffix unique to this process, or
// empty when there is no cluster (the test then skips).
std::string fresh_pg_database(const std::string& name);

// The state file of a kept cluster: its folder and port on one line.
bool write_cluster_state(const std::string& path, const PgCluster& cluster);
std::unique_ptr<PgCluster> read_cluster_state(const std::string& path);

}  // namespace candor::testing
