// The register at a million entries: a batch import of 1,000,000 decisions (the UK licences of
// ../shared/data/licences read 16 times with distinct entry ids, cut at 1,000,000), timed as
// reading and building the entries, then appending them to the log in one transaction.
// Arguments: the database path (default /tmp/candor-register-bench.db) and the number of
// entries (default 1,000,000). The database is left for the HTTP measurements.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <sqlite3.h>

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
  db.reset();  // Closing checkpoints the WAL into the file the HTTP measurements serve.

  // The floor under it, in the same run: the same entries' bytes stored by SQLite with no
  // hashing, no tree, no search columns and no index but the entry id's, through one
  // prepared statement (what any SQLite-backed register must at least do).
  const std::string floor_path = db_path + ".floor";
  sqlite3* raw = nullptr;
  if (sqlite3_open(floor_path.c_str(), &raw) != SQLITE_OK) return 1;
  sqlite3_exec(raw,
               "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE entries (idx "
               "INTEGER PRIMARY KEY, entry_id TEXT NOT NULL UNIQUE, leaf_input BLOB NOT NULL)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(raw, "INSERT INTO entries VALUES (?, ?, ?)", -1, &insert, nullptr);
  start = std::chrono::steady_clock::now();
  sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i));
    sqlite3_bind_text(insert, 2, entries[i].entry_id.data(),
                      static_cast<int>(entries[i].entry_id.size()), SQLITE_STATIC);
    sqlite3_bind_blob(insert, 3, entries[i].leaf_input.data(),
                      static_cast<int>(entries[i].leaf_input.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) return 1;
    sqlite3_reset(insert);
  }
  sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  const double floor = seconds_since(start);
  sqlite3_finalize(insert);
  sqlite3_close(raw);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(floor_path + suffix);
  std::printf(
      "baseline, bare SQLite insert of the same bytes: %.2f s (the log's append is %.1fx)\n", floor,
      append / floor);
  return 0;
}
