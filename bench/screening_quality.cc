// Screening quality on the labelled sets in ../shared/data/screening (README there):
//   cross_script_pairs.csv  every pair must reach its minimum score (and the threshold),
//   positives_un.csv        UN-listed persons with DOB and nationality: the right UN entity
//                           must rank first (recall@1 >= 0.99),
//   negatives_global.csv    50,000 non-listed people: at most 0.5% with any hit against
//                           OFAC SDN + UN at the default threshold.
// Also measures retrieval recall apart from scoring: on a sample of queries, every entity a
// full scan scores at or above the threshold must come out of the index.
// Usage: screening_quality [DATA_DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "core/files.h"
#include "devset.h"
#include "screening/index.h"
#include "screening/load.h"
#include "screening_sets.h"

using namespace candor;
using namespace candor::screening;

namespace {

std::string data_dir;
constexpr double kSweep[] = {0.70, 0.75, 0.80, 0.85, 0.90, 0.95};
std::vector<double> positive_sweep;

SanctionsList load(const std::string& file) {
  auto list = load_list(data_dir + "/" + file, ListFormat::automatic);
  if (!list.ok()) {
    std::fprintf(stderr, "%s\n", list.error().to_string().c_str());
    std::exit(1);
  }
  return std::move(list).value();
}

std::vector<std::vector<std::string>> read_csv(const std::string& file, bool skip_comments) {
  // Row 0 is the header where there is one; the loops below start at 1.
  return bench::read_rows(data_dir + "/" + file, skip_comments, SIZE_MAX, false);
}

using bench::facts_of;

template <typename F>
void parallel(std::size_t count, F&& f) {
  const std::size_t workers = std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (std::size_t k = w; k < count; k += workers) f(k);
    });
  }
  for (auto& t : threads) t.join();
}

}  // namespace

int main(int argc, char** argv) {
  data_dir = argc > 1 ? argv[1] : std::string(CANDOR_SOURCE_DIR) + "/../shared/data/screening";
  if (!read_file(data_dir + "/cross_script_pairs.csv").ok()) {
    std::printf("screening_quality: skipped, no data in %s\n", data_dir.c_str());
    return 0;
  }
  const NamePreparer preparer;
  bool verbose = std::getenv("CANDOR_VERBOSE") != nullptr;

  // 1. Cross-script pairs, scored on their own.
  std::size_t pairs = 0;
  std::size_t reached_min = 0;
  std::size_t reached_threshold = 0;
  for (const auto& row : read_csv("cross_script_pairs.csv", true)) {
    if (row.size() < 3) continue;
    ++pairs;
    const double min_score = std::stod(row[2]);
    const auto a = preparer.prepare(row[0], EntityType::person);
    const auto b = preparer.prepare(row[1], EntityType::person);
    const auto s = score_names(a, b, default_token_weight);
    reached_min += s.score >= min_score ? 1 : 0;
    reached_threshold += s.score >= kDefaultThreshold ? 1 : 0;
    if (verbose || s.score < min_score) {
      std::printf("  pair %-22s %-18s %.2f (min %.2f)  %s\n", row[0].c_str(), row[1].c_str(),
                  s.score, min_score, explain(s, {}).c_str());
    }
  }
  std::printf(
      "cross_script_pairs: %zu/%zu reach their minimum score, %zu/%zu the default "
      "threshold %.2f\n",
      reached_min, pairs, reached_threshold, pairs, kDefaultThreshold);

  // 2. Positives against the UN list.
  {
    std::vector<SanctionsList> lists;
    lists.push_back(load("un_consolidated_2026.xml"));
    const Index index(std::move(lists), preparer);
    const auto rows = read_csv("positives_un.csv", false);
    // The right entity: the one whose name, prepared, has the query's tokens, preferring
    // one with the same date of birth. Queries with no such entity are reported apart.
    const auto& entities = index.lists()[0].entities;
    std::map<std::vector<std::string>, std::vector<std::size_t>> by_tokens;
    for (std::size_t e = 0; e < entities.size(); ++e) {
      for (const auto& name : entities[e].names) {
        std::vector<std::string> key;
        for (const auto& t : preparer.prepare(name.text, entities[e].type).tokens)
          key.push_back(t.text);
        std::sort(key.begin(), key.end());
        auto& ids = by_tokens[key];
        if (std::find(ids.begin(), ids.end(), e) == ids.end()) ids.push_back(e);
      }
    }
    std::size_t queries = 0, labelled = 0, first = 0, found = 0;
    std::vector<int> outcome(rows.size(), -1);
    std::vector<double> top_score(rows.size(), 0.0);
    std::vector<char> top_right(rows.size(), 0);
    parallel(rows.size(), [&](std::size_t k) {
      if (k == 0) return;
      const auto& row = rows[k];
      std::vector<std::string> key;
      for (const auto& t : preparer.prepare(row[0], EntityType::person).tokens)
        key.push_back(t.text);
      std::sort(key.begin(), key.end());
      const auto truth = by_tokens.find(key);
      if (truth == by_tokens.end()) {
        outcome[k] = 3;
        return;
      }
      Query query{row[0], facts_of(row)};
      const auto low = index.search(query, {0.70, 1});
      if (!low.empty()) {
        top_score[k] = low[0].score;
        top_right[k] = std::find(truth->second.begin(), truth->second.end(), low[0].entity) !=
                       truth->second.end();
      }
      const auto hits = index.search(query, {kDefaultThreshold, 10});
      const auto& ids = truth->second;
      const bool top =
          !hits.empty() && std::find(ids.begin(), ids.end(), hits[0].entity) != ids.end();
      bool any = false;
      for (const auto& h : hits)
        any = any || std::find(ids.begin(), ids.end(), h.entity) != ids.end();
      outcome[k] = top ? 0 : any ? 1 : 2;
    });
    for (std::size_t k = 1; k < rows.size(); ++k) {
      ++queries;
      if (outcome[k] == 3) continue;
      ++labelled;
      first += outcome[k] == 0 ? 1 : 0;
      found += outcome[k] <= 1 ? 1 : 0;
      if (outcome[k] != 0 && verbose)
        std::printf("  positive missed: %s (%d)\n", rows[k][0].c_str(), outcome[k]);
    }
    positive_sweep.assign(std::begin(kSweep), std::end(kSweep));
    for (std::size_t t = 0; t < positive_sweep.size(); ++t) {
      std::size_t right = 0;
      for (std::size_t k = 1; k < rows.size(); ++k) {
        if (outcome[k] != 3 && top_right[k] && top_score[k] >= kSweep[t]) ++right;
      }
      positive_sweep[t] = static_cast<double>(right) / static_cast<double>(labelled);
    }
    // The same persons with a typing error in one word (bench/devset.h, with_typo), screened
    // by name alone, three errors each: the right entity must be among the hits.
    constexpr std::size_t kTyposEach = 3;
    std::vector<std::size_t> typo_found(rows.size(), 0);
    std::vector<std::size_t> typo_asked(rows.size(), 0);
    parallel(rows.size(), [&](std::size_t k) {
      if (k == 0 || outcome[k] == 3) return;
      std::vector<std::string> key;
      for (const auto& t : preparer.prepare(rows[k][0], EntityType::person).tokens)
        key.push_back(t.text);
      std::sort(key.begin(), key.end());
      const auto& ids = by_tokens.find(key)->second;
      std::mt19937 random(static_cast<std::uint32_t>(k));
      for (std::size_t t = 0; t < kTyposEach; ++t) {
        const std::string typo = bench::with_typo(rows[k][0], random);
        const auto hits = index.search({typo, {}}, {kDefaultThreshold, 10});
        ++typo_asked[k];
        for (const auto& h : hits) {
          if (std::find(ids.begin(), ids.end(), h.entity) != ids.end()) {
            ++typo_found[k];
            break;
          }
        }
        if (verbose && (hits.empty() || std::none_of(hits.begin(), hits.end(), [&](const Hit& h) {
                          return std::find(ids.begin(), ids.end(), h.entity) != ids.end();
                        }))) {
          std::printf("  typo missed: %s (%s)\n", typo.c_str(), rows[k][0].c_str());
        }
      }
    });
    std::size_t typos = 0;
    std::size_t typos_found = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      typos += typo_asked[k];
      typos_found += typo_found[k];
    }
    std::printf(
        "positives_un with a typing error, name only: %zu of %zu found (%.4f, target 0.98)\n",
        typos_found, typos, static_cast<double>(typos_found) / static_cast<double>(typos));
    std::printf(
        "positives_un: %zu queries, %zu with a known entity; right entity first: %zu "
        "(recall@1 %.4f), among the hits: %zu (%.4f)\n",
        queries, labelled, first, static_cast<double>(first) / static_cast<double>(labelled), found,
        static_cast<double>(found) / static_cast<double>(labelled));
  }

  // 3. Negatives against OFAC SDN + UN.
  {
    std::vector<SanctionsList> lists;
    lists.push_back(load("ofac_sdn_2021.csv"));
    lists.push_back(load("un_consolidated_2026.xml"));
    const Index index(std::move(lists), preparer);
    const auto rows = read_csv("negatives_global.csv", false);
    std::vector<char> hit(rows.size(), 0);
    std::vector<double> best(rows.size(), 0.0);
    std::vector<std::string> examples(rows.size());
    const auto start = std::chrono::steady_clock::now();
    parallel(rows.size(), [&](std::size_t k) {
      if (k == 0) return;
      Query query{rows[k][0], facts_of(rows[k])};
      const auto low = index.search(query, {0.70, 1});
      if (!low.empty()) best[k] = low[0].score;
      const auto hits = index.search(query, {kDefaultThreshold, 1});
      if (!hits.empty()) {
        hit[k] = 1;
        examples[k] = rows[k][0] + " -> " + hits[0].matched_name + " " +
                      std::to_string(hits[0].score) + " " + hits[0].explanation;
      }
    });
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::size_t with_hit = 0;
    for (std::size_t k = 1; k < rows.size(); ++k) {
      with_hit += hit[k];
      if (hit[k] && verbose) std::printf("  negative hit: %s\n", examples[k].c_str());
    }
    std::printf(
        "negatives_global: %zu of %zu queries with any hit (%.3f%%), %.1f s on %u threads\n",
        with_hit, rows.size() - 1,
        100.0 * static_cast<double>(with_hit) / static_cast<double>(rows.size() - 1), seconds,
        std::thread::hardware_concurrency());
    std::printf("\nthreshold | positives recall@1 | negatives with a hit\n");
    for (std::size_t t = 0; t < std::size(kSweep); ++t) {
      std::size_t over = 0;
      for (std::size_t k = 1; k < rows.size(); ++k) over += best[k] >= kSweep[t] ? 1 : 0;
      std::printf("%.2f | %.4f | %.3f%%\n", kSweep[t], positive_sweep[t],
                  100.0 * static_cast<double>(over) / static_cast<double>(rows.size() - 1));
    }
  }
  return 0;
}
