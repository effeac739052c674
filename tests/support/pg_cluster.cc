#include "support/pg_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

namespace candor::testing {
namespace {

// The newest PostgreSQL's programs, as Debian installs them.
std::string find_bin() {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    if (std::filesystem::exists(entry.path() / "bin" / "initdb")) {
      found.push_back((entry.path() / "bin").string());
    }
  }
  if (found.empty()) return "";
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return std::atoi(std::filesystem::path(a).parent_path().filename().c_str()) <
           std::atoi(std::filesystem::path(b).parent_path().filename().c_str());
  });
  return found.back();
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

}  // namespace

bool PgCluster::run(const std::string& command) const {
  const std::string line = as_user_ + command + " >>" + quoted(folder_ + "/commands.log") + " 2>&1";
  return std::system(line.c_str()) == 0;
}

std::unique_ptr<PgCluster> PgCluster::attach(const std::string& folder, int port) {
  std::unique_ptr<PgCluster> cluster(new PgCluster());
  cluster->bin_ = find_bin();
  cluster->folder_ = folder;
  cluster->port_ = port;
  cluster->keep_ = true;
  if (::geteuid() == 0) cluster->as_user_ = "runuser -u postgres -- ";
  return cluster;
}

std::unique_ptr<PgCluster> PgCluster::start(std::string& why) {
  std::unique_ptr<PgCluster> cluster(new PgCluster());
  cluster->bin_ = find_bin();
  if (cluster->bin_.empty()) {
    why = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)";
    return nullptr;
  }
  char pattern[] = "/tmp/candor-pg.XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    why = "cannot make a temporary folder";
    return nullptr;
  }
  cluster->folder_ = pattern;
  if (::geteuid() == 0) {
    const passwd* postgres = ::getpwnam("postgres");
    if (postgres == nullptr) {
      why = "running as root and there is no postgres user to own the cluster";
      return nullptr;
    }
    if (::chown(cluster->folder_.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
      why = "cannot give the cluster's folder to the postgres user";
      return nullptr;
    }
    cluster->as_user_ = "runuser -u postgres -- ";
  }
  cluster->port_ = free_port();
  const std::string data = cluster->folder_ + "/data";
  if (!cluster->run(quoted(cluster->bin_ + "/initdb") + " -D " + quoted(data) +
                    " -A trust -U candor -E UTF8 --locale=C --no-sync")) {
    why = "initdb failed (see " + cluster->folder_ + "/commands.log)";
    return nullptr;
  }
  if (!cluster->restart()) {
    why = "the PostgreSQL server did not start (see " + cluster->folder_ + "/commands.log)";
    return nullptr;
  }
  return cluster;
}

bool PgCluster::restart() {
  // fsync off: a killed server must lose nothing it acknowledged, which the kernel's page
  // cache keeps; only a crash of the machine would need the disk. Commits stay synchronous.
  const std::string options = "-p " + std::to_string(port_) + " -k " + folder_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off -c "
                              "full_page_writes=off";
  return run(quoted(bin_ + "/pg_ctl") + " -D " + quoted(folder_ + "/data") + " -l " +
             quoted(folder_ + "/server.log") + " -o " + quoted(options) + " -w start");
}

bool PgCluster::running() const {
  return run(quoted(bin_ + "/pg_ctl") + " -D " + quoted(folder_ + "/data") + " status");
}

bool PgCluster::stop(bool immediate) {
  return run(quoted(bin_ + "/pg_ctl") + " -D " + quoted(folder_ + "/data") + " -m " +
             (immediate ? "immediate" : "fast") + " -w stop");
}

std::string PgCluster::create_database(const std::string& name) {
  run(quoted(bin_ + "/createdb") + " -h 127.0.0.1 -p " + std::to_string(port_) + " -U candor " +
      quoted(name));
  return "postgresql://candor@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

void PgCluster::drop_database(const std::string& name) {
  run(quoted(bin_ + "/dropdb") + " --force --if-exists -h 127.0.0.1 -p " + std::to_string(port_) +
      " -U candor " + quoted(name));
}

PgCluster::~PgCluster() {
  if (keep_) return;
  stop(/*immediate=*/true);
  std::error_code ec;
  std::filesystem::remove_all(folder_, ec);
}

PgCluster* shared_pg_cluster(std::string& why) {
  static std::mutex mutex;
  static std::unique_ptr<PgCluster> cluster;
  static std::string failure;
  static bool tried = false;
  std::lock_guard lock(mutex);
  if (!tried) {
    tried = true;
    const char* named = std::getenv("CANDOR_TEST_PG_STATE");
    const std::string state =
        named != nullptr && *named != '\0' ? named : CANDOR_TEST_PG_STATE_FILE;
    cluster = read_cluster_state(state);
    // A state file left behind by an interrupted ctest names a cluster that is gone.
    if (cluster == nullptr || !cluster->running()) cluster = PgCluster::start(failure);
  }
  why = failure;
  return cluster.get();
}

std::string fresh_pg_database(const std::string& name) {
  std::string why;
  PgCluster* cluster = shared_pg_cluster(why);
  static std::atomic<int> counter{0};
  return cluster == nullptr ? ""
                            : cluster->create_database(name + "_" + std::to_string(::getpid()) +
                                                       "_" + std::to_string(++counter));
}

bool write_cluster_state(const std::string& path, const PgCluster& cluster) {
  std::ofstream out(path, std::ios::trunc);
  out << cluster.folder() << ' ' << cluster.port() << '\n';
  return static_cast<bool>(out);
}

std::unique_ptr<PgCluster> read_cluster_state(const std::string& path) {
  std::ifstream in(path);
  std::string folder;
  int port = 0;
  if (!(in >> folder >> port) || port <= 0) return nullptr;
  return PgCluster::attach(folder, port);
}

}  // namespace candor::testing
