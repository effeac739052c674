// Candor's screening side by side with the usual open approaches, on the same lists (OFAC
// SDN with aliases + UN, about 27,000 names) and the same queries, in one run:
//   candor          the index (src/screening), default threshold 0.80;
//   brute-force JW  every name scored by token Jaro-Winkler (moov-io/watchman's approach:
//                   each query token's best Jaro-Winkler, weighted by length), hit at 0.85;
//   SQLite FTS5     trigram tokenizer, OR of the query's trigrams ranked by bm25, hit when the
//                   best candidate's trigram similarity reaches pg_trgm's default 0.3;
//   pg_trgm         PostgreSQL GIN trigram index, `name % $1` (similarity >= 0.3) ordered by
//                   similarity; needs a server: scripts/run-benchmarks starts a throwaway one
//                   and passes CANDOR_PG.
// Every engine gets names normalised the same way (ICU transliteration to lower-case ASCII).
// Quality: recall@1 on positives_un.csv (right UN entity first) and the share of
// negatives_global.csv queries with any hit. Speed: one query at a time, one thread.
// Usage: screening_baselines [DATA_DIR] [NEGATIVES]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <unordered_set>

#include "core/country.h"
#include "core/csv.h"
#include "core/files.h"
#include "screening/index.h"
#include "screening/load.h"
#include "screening/normalize.h"
#include "screening/similarity.h"
#include "screening_sets.h"

using namespace candor;
using namespace candor::screening;

namespace {

struct Listed {
  std::size_t list;
  std::size_t entity;
  std::string normalised;
  std::vector<std::string> tokens;
};

struct Outcome {
  std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (list, entity), best first
  bool hit = false;
};

using Engine = std::function<Outcome(const std::string& name, const QueryFacts& facts)>;

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// pg_trgm's trigrams: each word padded with two spaces before and one after.
std::set<std::string> trigrams(const std::string& normalised) {
  std::set<std::string> out;
  for (const auto& word : split_words(normalised)) {
    const std::string padded = "  " + word + " ";
    for (std::size_t i = 0; i + 3 <= padded.size(); ++i) out.insert(padded.substr(i, 3));
  }
  return out;
}

double trigram_similarity(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::size_t common = 0;
  for (const auto& g : a) common += b.count(g);
  const std::size_t all = a.size() + b.size() - common;
  return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
}

struct Rows {
  std::vector<std::vector<std::string>> rows;
};

Rows read_csv(const std::string& path, std::size_t limit) {
  return {bench::read_rows(path, false, limit)};
}

using bench::facts_of;

void report(const char* engine, const Engine& run, const Rows& positives,
            const std::vector<std::vector<std::pair<std::size_t, std::size_t>>>& truth,
            const Rows& negatives) {
  std::vector<double> micros;
  std::size_t labelled = 0, first = 0, negative_hits = 0;
  for (std::size_t k = 0; k < positives.rows.size(); ++k) {
    if (truth[k].empty()) continue;
    ++labelled;
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = run(positives.rows[k][0], facts_of(positives.rows[k]));
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    if (outcome.hit && !outcome.ranked.empty() &&
        std::find(truth[k].begin(), truth[k].end(), outcome.ranked[0]) != truth[k].end()) {
      ++first;
    }
  }
  for (const auto& row : negatives.rows) {
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = run(row[0], facts_of(row));
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    negative_hits += outcome.hit ? 1 : 0;
  }
  std::sort(micros.begin(), micros.end());
  std::printf(
      "| %s | %.0f us | %.0f us | %.4f | %.2f%% |\n", engine, micros[micros.size() / 2],
      micros[micros.size() * 99 / 100], static_cast<double>(first) / static_cast<double>(labelled),
      100.0 * static_cast<double>(negative_hits) / static_cast<double>(negatives.rows.size()));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 && argv[1][0] != '\0'
                              ? argv[1]
                              : std::string(CANDOR_SOURCE_DIR) + "/../shared/data/screening";
  const std::size_t negative_count = argc > 2 ? std::stoul(argv[2]) : 2000;
  if (!read_file(dir + "/positives_un.csv").ok()) {
    std::printf("screening_baselines: skipped, no data in %s\n", dir.c_str());
    return 0;
  }
  std::vector<SanctionsList> lists;
  for (const char* file : {"ofac_sdn_2021.csv", "un_consolidated_2026.xml"}) {
    lists.push_back(load_list(dir + "/" + file, ListFormat::automatic).value());
  }
  const NamePreparer preparer;
  const Index index(std::move(lists), preparer);
  std::vector<Listed> listed;
  for (std::size_t l = 0; l < index.lists().size(); ++l) {
    for (std::size_t e = 0; e < index.lists()[l].entities.size(); ++e) {
      for (const auto& name : index.lists()[l].entities[e].names) {
        std::string normalised = normalise_name(name.text);
        if (normalised.empty()) continue;
        listed.push_back({l, e, normalised, split_words(normalised)});
      }
    }
  }
  const Rows positives = read_csv(dir + "/positives_un.csv", 100000);
  const Rows negatives = read_csv(dir + "/negatives_global.csv", negative_count);
  // The right entity for a positive: one with a name of the same tokens, on either list (many
  // UN-listed persons are on OFAC's list too).
  std::map<std::vector<std::string>, std::vector<std::pair<std::size_t, std::size_t>>> by_tokens;
  for (const auto& n : listed) {
    auto key = n.tokens;
    std::sort(key.begin(), key.end());
    auto& ids = by_tokens[key];
    if (std::find(ids.begin(), ids.end(), std::pair{n.list, n.entity}) == ids.end())
      ids.emplace_back(n.list, n.entity);
  }
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> truth;
  for (const auto& row : positives.rows) {
    auto key = split_words(normalise_name(row[0]));
    std::sort(key.begin(), key.end());
    const auto found = by_tokens.find(key);
    truth.push_back(found == by_tokens.end() ? std::vector<std::pair<std::size_t, std::size_t>>{}
                                             : found->second);
  }
  std::printf("%zu names; %zu positives (UN), %zu negatives\n\n", listed.size(),
              positives.rows.size(), negatives.rows.size());
  std::printf(
      "| engine | p50 | p99 | positives recall@1 | negatives with a hit "
      "|\n|---|---|---|---|---|\n");

  report(
      "candor (index, threshold 0.80, DOB and nationality)",
      [&](const std::string& name, const QueryFacts& facts) {
        Outcome out;
        for (const auto& hit : index.search({name, facts}, {}))
          out.ranked.emplace_back(hit.list, hit.entity);
        out.hit = !out.ranked.empty();
        return out;
      },
      positives, truth, negatives);

  report(
      "candor (name only)",
      [&](const std::string& name, const QueryFacts&) {
        Outcome out;
        for (const auto& hit : index.search({name, {}}, {}))
          out.ranked.emplace_back(hit.list, hit.entity);
        out.hit = !out.ranked.empty();
        return out;
      },
      positives, truth, negatives);

  report(
      "brute-force token Jaro-Winkler (hit >= 0.85)",
      [&](const std::string& name, const QueryFacts&) {
        const auto query = split_words(normalise_name(name));
        Outcome out;
        double best = 0.0;
        std::pair<std::size_t, std::size_t> best_entity{};
        double total_length = 0.0;
        for (const auto& q : query) total_length += static_cast<double>(q.size());
        for (const auto& n : listed) {
          double sum = 0.0;
          for (const auto& q : query) {
            double token_best = 0.0;
            for (const auto& t : n.tokens) token_best = std::max(token_best, jaro_winkler(q, t));
            sum += token_best * static_cast<double>(q.size());
          }
          const double score = total_length > 0 ? sum / total_length : 0.0;
          if (score > best) {
            best = score;
            best_entity = {n.list, n.entity};
          }
        }
        out.hit = best >= 0.85;
        out.ranked.push_back(best_entity);
        return out;
      },
      positives, truth, negatives);

  {
    sqlite3* db = nullptr;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db, "CREATE VIRTUAL TABLE names USING fts5(name, tokenize='trigram')", nullptr,
                 nullptr, nullptr);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO names(rowid, name) VALUES (?, ?)", -1, &insert, nullptr);
    for (std::size_t k = 0; k < listed.size(); ++k) {
      sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(k));
      sqlite3_bind_text(insert, 2, listed[k].normalised.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_stmt* search = nullptr;
    sqlite3_prepare_v2(db, "SELECT rowid FROM names WHERE names MATCH ? ORDER BY rank LIMIT 10", -1,
                       &search, nullptr);
    report(
        "SQLite FTS5 trigram (bm25, hit at similarity >= 0.3)",
        [&](const std::string& name, const QueryFacts&) {
          const std::string normalised = normalise_name(name);
          std::string match;
          std::set<std::string> seen;
          for (std::size_t i = 0; i + 3 <= normalised.size(); ++i) {
            const std::string g = normalised.substr(i, 3);
            if (g.find(' ') != std::string::npos || !seen.insert(g).second) continue;
            match += (match.empty() ? "\"" : " OR \"") + g + "\"";
          }
          Outcome out;
          if (match.empty()) return out;
          sqlite3_bind_text(search, 1, match.c_str(), -1, SQLITE_TRANSIENT);
          const auto query_grams = trigrams(normalised);
          double best = 0.0;
          while (sqlite3_step(search) == SQLITE_ROW) {
            const auto& n = listed[static_cast<std::size_t>(sqlite3_column_int64(search, 0))];
            out.ranked.emplace_back(n.list, n.entity);
            best = std::max(best, trigram_similarity(query_grams, trigrams(n.normalised)));
          }
          sqlite3_reset(search);
          out.hit = best >= 0.3;
          return out;
        },
        positives, truth, negatives);
    sqlite3_finalize(search);
    sqlite3_close(db);
  }

  const char* pg = std::getenv("CANDOR_PG");
  if (pg == nullptr) {
    std::printf(
        "| PostgreSQL pg_trgm | skipped: no server (scripts/run-benchmarks starts one) | | | |\n");
    return 0;
  }
  try {
    pqxx::connection connection(pg);
    {
      pqxx::work w(connection);
      w.exec("CREATE EXTENSION IF NOT EXISTS pg_trgm");
      w.exec("DROP TABLE IF EXISTS names");
      w.exec("CREATE TABLE names (id integer PRIMARY KEY, name text NOT NULL)");
      pqxx::stream_to stream(w, "names", std::vector<std::string>{"id", "name"});
      for (std::size_t k = 0; k < listed.size(); ++k) {
        stream << std::make_tuple(static_cast<int>(k), listed[k].normalised);
      }
      stream.complete();
      w.exec("CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops)");
      w.exec("ANALYZE names");
      w.commit();
    }
    connection.prepare("search",
                       "SELECT id, similarity(name, $1) AS s FROM names WHERE name % $1 "
                       "ORDER BY s DESC LIMIT 10");
    report(
        "PostgreSQL pg_trgm GIN (`%`, similarity >= 0.3)",
        [&](const std::string& name, const QueryFacts&) {
          Outcome out;
          pqxx::nontransaction n(connection);
          for (const auto& row : n.exec_prepared("search", normalise_name(name))) {
            const auto& l = listed[row[0].as<std::size_t>()];
            out.ranked.emplace_back(l.list, l.entity);
          }
          out.hit = !out.ranked.empty();
          return out;
        },
        positives, truth, negatives);
  } catch (const std::exception& e) {
    std::printf("| PostgreSQL pg_trgm | failed: %s | | | |\n", e.what());
    return 1;
  }
  return 0;
}
