// The register at a million entries: a batch import of 1,000,000 decisions (the UK licences of
// ../shared/data/licences 16 times over with distinct licence groups, cut at 1,000,000), timed
// as `candor import decisions` runs it: read and check the CSV, then build the entries and
// append them in one transaction (overlapped), then close the database. Beside it, the floor:
// the same bytes inserted by bare SQLite. Medians of RUNS runs.
// Arguments: the database path (default /tmp/candor-register-bench.db), the number of entries
// (default 1,000,000) and RUNS (default 3). The database is left for the HTTP measurements.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <sqlite3.h>
#include <unistd.h>

#include "core/files.h"
#include "register/import.h"
#include "register/log.h"
#include "store/migrations.h"

using namespace candor;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
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

  // A file of a million licences: the published rows 16 times over, each copy's licence
  // groups renamed ("1" -> "1-r3"), as `candor import decisions` would read it.
  std::string big = "licence_group,date,rating,count,value,country,refused\n";
  const std::string body = text->substr(text->find('\n') + 1);
  for (int copy = 0; copy < 16; ++copy) {
    std::size_t start = 0;
    while (start < body.size()) {
      const std::size_t comma = body.find(',', start);
      const std::size_t end = body.find('\n', start);
      big.append(body, start, comma - start);
      big += "-r" + std::to_string(copy);
      big.append(body, comma, end + 1 - comma);
      start = end + 1;
    }
  }

  const SystemClock clock;
  std::vector<double> reads;
  std::vector<double> appends;
  std::vector<double> totals;
  std::vector<double> floors;
  std::size_t count = 0;
  std::uint64_t rows = 0;
  std::string root;
  // The import as `candor import decisions` runs it, from the CSV text in memory to the
  // database closed (its write-ahead log checkpointed into the file), RUNS times, each into a
  // fresh database and after the kernel has written out the last run's pages (a gigabyte of
  // write-back would otherwise throttle the next run: seconds of noise on this VM).
  const int runs = argc > 3 ? std::stoi(argv[3]) : 3;
  for (int run = 0; run < runs; ++run) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
    ::sync();
    const auto start = std::chrono::steady_clock::now();
    reg::ImportReport report;
    auto file = reg::CaatUkFile::read(big, ratings, report);
    if (!file.ok()) {
      std::printf("read: %s\n", file.error().to_string().c_str());
      return 1;
    }
    count = std::min<std::size_t>(target, file->size());
    rows = report.rows;
    const double read = seconds_since(start);
    auto db = store::Database::open({.location = db_path}).value();
    if (auto migrated = store::migrate(*db, store::builtin_migrations(), clock); !migrated.ok()) {
      std::printf("migrate: %s\n", migrated.error().to_string().c_str());
      return 1;
    }
    reg::Log log(*db, clock);
    const auto append_start = std::chrono::steady_clock::now();
    auto appended = log.append_built(
        count, [&](std::size_t begin, std::size_t end) { return file->entries(begin, end); });
    if (!appended.ok()) {
      std::printf("append: %s\n", appended.error().to_string().c_str());
      return 1;
    }
    root = reg::to_hex(log.root(count).value());
    db.reset();  // Closing checkpoints the WAL into the file the HTTP measurements serve.
    const double append = seconds_since(append_start);
    reads.push_back(read);
    appends.push_back(append);
    totals.push_back(seconds_since(start));
    std::printf("run %d: read %.2f s, build and append %.2f s, in all %.2f s\n", run + 1, read,
                append, totals.back());
  }

  // The floor under it, in the same runs: the same entries' bytes stored by SQLite with no
  // hashing, no tree and no index but the entry id's, through one prepared statement, with
  // the same page size (what any SQLite-backed register must at least do).
  reg::ImportReport again;
  const auto entries = reg::read_caat_uk(big, ratings, again).value();
  const std::string floor_path = db_path + ".floor";
  for (int run = 0; run < runs; ++run) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(floor_path + suffix);
    sqlite3* raw = nullptr;
    if (sqlite3_open(floor_path.c_str(), &raw) != SQLITE_OK) return 1;
    sqlite3_exec(raw,
                 "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                 "CREATE TABLE entries (idx INTEGER PRIMARY KEY, entry_id TEXT NOT NULL UNIQUE, "
                 "leaf_input BLOB NOT NULL)",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(raw, "INSERT INTO entries VALUES (?, ?, ?)", -1, &insert, nullptr);
    ::sync();
    const auto start = std::chrono::steady_clock::now();
    sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
    for (std::size_t i = 0; i < count; ++i) {
      sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i));
      sqlite3_bind_text(insert, 2, entries[i].entry_id.data(),
                        static_cast<int>(entries[i].entry_id.size()), SQLITE_STATIC);
      sqlite3_bind_blob(insert, 3, entries[i].leaf_input.data(),
                        static_cast<int>(entries[i].leaf_input.size()), SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) return 1;
      sqlite3_reset(insert);
    }
    sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_finalize(insert);
    sqlite3_close(raw);
    floors.push_back(seconds_since(start));
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(floor_path + suffix);

  std::printf("entries: %zu (UK licences 2008-2015, %zu rows read 16 times)\n", count,
              static_cast<std::size_t>(rows / 16));
  std::printf("root: %s\n", root.c_str());
  std::printf("medians of %d runs:\n", runs);
  std::printf("  read and check the CSV:                      %.2f s\n", median(reads));
  std::printf("  build entries and append them (overlapped):  %.2f s\n", median(appends));
  std::printf("  batch import in all:                         %.2f s (target <= 10 s)\n",
              median(totals));
  std::printf(
      "  baseline, bare SQLite insert of the same bytes: %.2f s (the log's append is %.2fx)\n",
      median(floors), median(appends) / median(floors));
  return 0;
}
