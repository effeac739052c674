// Screening speed: one query at a time on one core against OFAC SDN (with aliases) + UN,
// about 30,000 names; p50 and p99 latency over real queries (positives and negatives, all
// scripts). Usage: screening_speed [DATA_DIR] [QUERIES]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/csv.h"
#include "core/files.h"
#include "screening/index.h"
#include "screening/load.h"

using namespace candor;
using namespace candor::screening;

int main(int argc, char** argv) {
  const std::string dir =
      argc > 1 ? argv[1] : std::string(CANDOR_SOURCE_DIR) + "/../shared/data/screening";
  const std::size_t max_queries = argc > 2 ? std::stoul(argv[2]) : 20000;
  auto negatives = read_file(dir + "/negatives_global.csv");
  if (!negatives.ok()) {
    std::printf("screening_speed: skipped, no data in %s\n", dir.c_str());
    return 0;
  }
  std::vector<SanctionsList> lists;
  for (const char* file : {"ofac_sdn_2021.csv", "un_consolidated_2026.xml"}) {
    lists.push_back(load_list(dir + "/" + file, ListFormat::automatic).value());
  }
  const NamePreparer preparer;
  const auto build_start = std::chrono::steady_clock::now();
  Index index(std::move(lists), preparer);
  const double build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build_start)
          .count();
  std::vector<Query> queries;
  for (const auto* text : {&negatives.value()}) {
    csv::Reader reader(*text);
    std::vector<std::string> fields;
    (void)reader.next(fields);
    while (queries.size() < max_queries) {
      auto more = reader.next(fields);
      if (!more.ok() || !more.value()) break;
      queries.push_back({fields[0], {}});
    }
  }
  std::vector<double> prepare_micros;
  for (const auto& q : queries) {
    const auto start = std::chrono::steady_clock::now();
    const auto prepared = preparer.prepare(q.name, q.facts.type);
    prepare_micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    if (prepared.tokens.size() > 1000) std::printf("!");
  }
  std::sort(prepare_micros.begin(), prepare_micros.end());
  std::printf("name preparation alone: p50 %.1f us, p90 %.1f us, p99 %.1f us\n",
              prepare_micros[prepare_micros.size() / 2],
              prepare_micros[prepare_micros.size() * 9 / 10],
              prepare_micros[prepare_micros.size() * 99 / 100]);
  // Without the per-thread token cache first: every query pays every lookup.
  {
    index.set_token_cache(false);
    std::vector<double> cold;
    for (const auto& q : queries) {
      const auto start = std::chrono::steady_clock::now();
      (void)index.search(q, {});
      cold.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::sort(cold.begin(), cold.end());
    std::printf("candor, token cache off: p50 %.1f us, p90 %.1f us, p99 %.1f us\n",
                cold[cold.size() / 2], cold[cold.size() * 9 / 10], cold[cold.size() * 99 / 100]);
    index.set_token_cache(true);
  }
  std::vector<double> micros;
  micros.reserve(queries.size());
  SearchStats stats;
  std::size_t hits = 0;
  for (const auto& q : queries) {
    const auto start = std::chrono::steady_clock::now();
    const auto found = index.search(q, {}, &stats);
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    hits += found.size();
  }
  if (std::getenv("CANDOR_SLOWEST") != nullptr) {
    std::vector<std::size_t> order(micros.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return micros[a] > micros[b]; });
    for (std::size_t k = 0; k < 15 && k < order.size(); ++k) {
      std::printf("  slow: %.0f us  %s\n", micros[order[k]], queries[order[k]].name.c_str());
    }
  }
  {
    std::vector<double> ascii;
    for (std::size_t k = 0; k < queries.size(); ++k) {
      const auto& n = queries[k].name;
      if (std::all_of(n.begin(), n.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        ascii.push_back(micros[k]);
      }
    }
    std::sort(ascii.begin(), ascii.end());
    if (!ascii.empty()) {
      std::printf("candor, Latin-script queries only: %zu, p50 %.1f us, p99 %.1f us\n",
                  ascii.size(), ascii[ascii.size() / 2], ascii[ascii.size() * 99 / 100]);
    }
  }
  std::sort(micros.begin(), micros.end());
  const auto pct = [&](double p) {
    return micros[static_cast<std::size_t>(p * static_cast<double>(micros.size() - 1))];
  };
  std::printf("index: %zu names, %zu tokens, %.1f MB, built in %.0f ms\n", index.name_count(),
              index.vocabulary_size(), static_cast<double>(index.index_bytes()) / 1e6, build_ms);
  std::printf(
      "candor, token cache on (default): %zu queries, p50 %.1f us, p90 %.1f us, p99 %.1f us, max "
      "%.0f us; per query %.1f "
      "similar tokens, %.0f postings, %.1f names scored; %zu hits\n",
      micros.size(), pct(0.5), pct(0.9), pct(0.99), micros.back(),
      static_cast<double>(stats.similar_tokens) / static_cast<double>(queries.size()),
      static_cast<double>(stats.postings) / static_cast<double>(queries.size()),
      static_cast<double>(stats.candidates) / static_cast<double>(queries.size()), hits);
  return 0;
}
