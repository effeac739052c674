// Test helper: appends batches to the register at DB (a file or a URI) for ever, printing the log's
// size after each commit, until it is killed (tests/register/crash_test.cc kills it with SIGKILL).
#include <cstdio>
#include <string>

#include "register/log.h"
#include "store/migrations.h"

int main(int argc, char** argv) {
  using namespace candor;
  if (argc != 2) return 2;
  auto db = store::Database::open({.location = argv[1]}).value();
  const SystemClock clock;
  if (!store::migrate(*db, clock).ok()) return 1;
  reg::Log log(*db, clock);
  for (std::uint64_t batch = 0;; ++batch) {
    const std::uint64_t start = log.size().value();
    std::vector<reg::NewEntry> entries;
    for (std::uint64_t i = 0; i < 1 + batch % 13; ++i) {
      reg::NewEntry e;
      e.entry_id = "K-" + std::to_string(start + i);
      e.leaf_input = R"({"entry_id":")" + e.entry_id + R"(","decision":"refused"})";
      e.decision = "refused";
      e.destination = "MX";
      e.control_entries = "5A001.f 5D001";
      entries.push_back(std::move(e));
    }
    if (!log.append(entries).ok()) return 1;
    std::printf("%llu\n", static_cast<unsigned long long>(start + entries.size()));
    std::fflush(stdout);
  }
}
