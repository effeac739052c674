// Screening at scale: a list of 1,000,000 names generated reproducibly from the real OFAC
// and UN names (each synthetic name takes every token from a different real entry of the
// same kind, so the vocabulary and its frequencies stay realistic), then:
//   index build time (all cores) and memory; p50/p99 of one query on one thread;
//   a batch of 50,000 queries (negatives_global.csv) on every core.
// Usage: screening_scale [DATA_DIR] [NAMES]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "core/csv.h"
#include "core/files.h"
#include "screening/index.h"
#include "screening/load.h"

using namespace candor;
using namespace candor::screening;

namespace {

double rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0.0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<std::string> split(const std::string& name) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < name.size()) {
    auto end = name.find(' ', start);
    if (end == std::string::npos) end = name.size();
    if (end > start) words.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 && argv[1][0] != '\0'
                              ? argv[1]
                              : std::string(CANDOR_SOURCE_DIR) + "/../shared/data/screening";
  const std::size_t target = argc > 2 ? std::stoul(argv[2]) : 1000000;
  auto negatives = read_file(dir + "/negatives_global.csv");
  if (!negatives.ok()) {
    std::printf("screening_scale: skipped, no data in %s\n", dir.c_str());
    return 0;
  }
  // Real names by kind, as word lists.
  std::vector<std::vector<std::string>> persons, others;
  for (const char* file : {"ofac_sdn_2021.csv", "un_consolidated_2026.xml"}) {
    const auto list = load_list(dir + "/" + file, ListFormat::automatic).value();
    for (const auto& e : list.entities) {
      for (const auto& n : e.names) {
        auto words = split(n.text);
        if (words.empty()) continue;
        (e.type == EntityType::person ? persons : others).push_back(std::move(words));
      }
    }
  }
  std::mt19937_64 random(20261129);
  SanctionsList synthetic;
  synthetic.name = "synthetic";
  std::size_t names = 0;
  while (names < target) {
    Entity entity;
    const bool person = random() % 3 != 0;
    auto& pool = person ? persons : others;
    entity.type = person ? EntityType::person : EntityType::organization;
    entity.entity_id = "S" + std::to_string(synthetic.entities.size());
    const std::size_t aliases = 1 + random() % 3;
    for (std::size_t a = 0; a < aliases && names < target; ++a) {
      const auto& shape = pool[random() % pool.size()];
      std::string name;
      for (std::size_t w = 0; w < shape.size(); ++w) {
        const auto& donor = pool[random() % pool.size()];
        if (!name.empty()) name += ' ';
        name += donor[std::min(w, donor.size() - 1)];
      }
      entity.names.push_back({name, NameStrength::strong});
      ++names;
    }
    if (person) entity.birth_dates.push_back(std::to_string(1940 + random() % 60));
    synthetic.entities.push_back(std::move(entity));
  }
  std::vector<Query> queries;
  csv::Reader reader(negatives.value());
  std::vector<std::string> fields;
  (void)reader.next(fields);
  while (reader.next(fields).value()) {
    queries.push_back({fields[0], {fields.size() > 5 ? fields[5] : "", "", EntityType::person}});
  }
  // Listed names with one letter changed, so that the timed queries also find things.
  std::vector<Query> timed;
  for (std::size_t k = 0; k < 1000; ++k) timed.push_back(queries[k]);
  for (std::size_t k = 0; k < 1000; ++k) {
    const auto& entity = synthetic.entities[random() % synthetic.entities.size()];
    std::string name = entity.names[0].text;
    name[random() % name.size()] = 'x';
    timed.push_back({name, {}});
  }

  const double rss_before = rss_mb();
  const NamePreparer preparer;
  const auto build_start = std::chrono::steady_clock::now();
  const Index index({std::move(synthetic)}, preparer);
  const double build_s = seconds_since(build_start);
  const double rss_after = rss_mb();
  std::printf("1M list: %zu names, %zu entities, %zu distinct tokens\n", index.name_count(),
              index.lists()[0].entities.size(), index.vocabulary_size());
  std::printf(
      "index build: %.2f s on %u threads; index structures %.0f MB; process RSS %.0f MB "
      "(entities and index %.0f MB)\n",
      build_s, std::thread::hardware_concurrency(), static_cast<double>(index.index_bytes()) / 1e6,
      rss_after, rss_after - rss_before);

  std::vector<double> micros;
  std::size_t hits = 0;
  SearchStats stats;
  for (const auto& q : timed) {
    const auto start = std::chrono::steady_clock::now();
    hits += index.search(q, {}, &stats).empty() ? 0 : 1;
    micros.push_back(seconds_since(start) * 1e6);
  }
  std::sort(micros.begin(), micros.end());
  std::printf(
      "one query, one thread: %zu queries, p50 %.0f us, p90 %.0f us, p99 %.0f us; "
      "%.0f postings and %.1f names scored a query; %zu with hits\n",
      micros.size(), micros[micros.size() / 2], micros[micros.size() * 9 / 10],
      micros[micros.size() * 99 / 100],
      static_cast<double>(stats.postings) / static_cast<double>(timed.size()),
      static_cast<double>(stats.candidates) / static_cast<double>(timed.size()), hits);

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> with_hits{0};
  const auto batch_start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < std::thread::hardware_concurrency(); ++t) {
    threads.emplace_back([&] {
      for (std::size_t k; (k = next.fetch_add(1)) < queries.size();) {
        if (!index.search(queries[k], {}).empty()) ++with_hits;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::printf("batch: %zu queries on %u threads in %.1f s (%.0f a second); %zu with hits\n",
              queries.size(), std::thread::hardware_concurrency(), seconds_since(batch_start),
              static_cast<double>(queries.size()) / seconds_since(batch_start), with_hits.load());
  return 0;
}
