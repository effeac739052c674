// The register at a million entries: a batch import of 1,000,000 decisions (the UK licences of
// ../shared/data/licences read 16 times with distinct entry ids, cut at 1,000,000), timed as
// reading and building the entries, then appending them to the log in one transaction.
// Leaves the database for register_http (argument: its path).
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/files.h"
#include "register/import.h"
#include "register/log.h"
#include "store/migrations.h"

using namespace candor;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string data = std::string(CANDOR_SOURCE_DIR) + "/../shared/data/licences/";
  const std::string db_path = argc > 1 ? argv[1] : "/tmp/candor-register-bench.db";
  const std::uint64_t target = argc > 2 ? std::stoull(argv[2]) : 1'000'000;
  auto text = read_file(data + "uk_licences_2008_2015.csv");
  auto ratings_text = read_file(data + "uk_ratings.csv");
  if (!text.ok() || !ratings_text.ok()) {
    std::printf("skipped: %s not found\n", data.c_str());
    return 0;
  }
  const auto ratings = reg::read_uk_ratings(*ratings_text).value();

  auto start = std::chrono::steady_clock::now();
  std::vector<reg::NewEntry> entries;
  for (int copy = 0; entries.size() < target; ++copy) {
    reg::ImportReport report;
    auto batch = reg::read_caat_uk(*text, ratings, report, "-r" + std::to_string(copy)).value();
    for (auto& e : batch) {
      if (entries.size() == target) break;
      entries.push_back(std::move(e));
    }
  }
  const double build = seconds_since(start);

  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
  auto db = store::Database::open({.location = db_path}).value();
  const SystemClock clock;
  if (auto migrated = store::migrate(*db, store::builtin_migrations(), clock); !migrated.ok()) {
    std::printf("migrate: %s\n", migrated.error().to_string().c_str());
    return 1;
  }
  reg::Log log(*db, clock);
  start = std::chrono::steady_clock::now();
  auto appended = log.append(entries);
  const double append = seconds_since(start);
  if (!appended.ok()) {
    std::printf("append: %s\n", appended.error().to_string().c_str());
    return 1;
  }
  std::printf("entries: %zu (UK licences 2008-2015, read %zu times)\n", entries.size(),
              (entries.size() + 63407) / 63408);
  std::printf("read CSV and build canonical entries: %.2f s\n", build);
  std::printf("append to the log (one transaction):  %.2f s\n", append);
  std::printf("batch import in all:                  %.2f s (target <= 10 s)\n", build + append);
  std::printf("root: %s\n", reg::to_hex(log.root(log.size().value()).value()).c_str());
  return 0;
}
