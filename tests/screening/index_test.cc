#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <unordered_map>

#include "core/files.h"
#include "screening/importers.h"
#include "screening/index.h"
#include "screening/load.h"
#include "support/shared_data.h"

namespace candor::screening {
namespace {

SanctionsList small_list() {
  auto list = import_plain_csv(
      "id,name,aliases,type,country,dob\n"
      "1,Vladimir Vladimirovich PUTIN,Владимир Путин,person,RU,1952-10-07\n"
      "2,Ivan PETROV,,person,RU,1960\n"
      "3,Ivan PETROV,,person,UA,1985\n"
      "4,Rosoboronexport OAO,Rosoboronexport JSC,organization,RU,\n"
      "5,Unit 8200,,organization,IL,\n"
      "6,Kim Jong Un,김정은;金正恩,person,KP,1984-01-08\n",
      "test list");
  return std::move(list).value();
}

TEST(Index, FindsTheEntityWithExplanation) {
  const NamePreparer preparer;
  std::vector<SanctionsList> lists;
  lists.push_back(small_list());
  const Index index(std::move(lists), preparer);
  auto hits = index.search({"Путин Владимир", {}}, {});
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(index.lists()[0].entities[hits[0].entity].entity_id, "1");
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
  EXPECT_EQ(hits[0].matched_name, "Владимир Путин");
  EXPECT_NE(hits[0].explanation.find("putin = putin (exact)"), std::string::npos);

  // Korean in Hangul, Han and Latin all find the same entity.
  for (const char* name : {"Kim Jong-un", "김정은", "金正恩"}) {
    auto korean = index.search({name, {}}, {});
    ASSERT_FALSE(korean.empty()) << name;
    EXPECT_EQ(index.lists()[0].entities[korean[0].entity].entity_id, "6") << name;
  }
}

TEST(Index, QualifiersRankNamesakes) {
  const NamePreparer preparer;
  std::vector<SanctionsList> lists;
  lists.push_back(small_list());
  const Index index(std::move(lists), preparer);
  Query query{"Ivan Petrov", {"1985-04-01", "ua", EntityType::person}};
  auto hits = index.search(query, {});
  ASSERT_EQ(hits.size(), 1U);  // The 1960 namesake drops below the threshold.
  EXPECT_EQ(index.lists()[0].entities[hits[0].entity].entity_id, "3");
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
  SearchOptions low;
  low.threshold = 0.5;
  auto both = index.search(query, low);
  ASSERT_EQ(both.size(), 2U);
  EXPECT_NEAR(both[1].score, 1.0 - 0.15 - 0.05, 1e-9);
  EXPECT_EQ(both[1].qualifiers.size(), 2U);
  // Asked about a company, the persons lose 0.25.
  auto as_company = index.search({"Ivan Petrov", {"", "", EntityType::organization}}, low);
  ASSERT_EQ(as_company.size(), 2U);
  EXPECT_DOUBLE_EQ(as_company[0].score, 0.75);
}

TEST(Index, NumbersAndLegalForms) {
  const NamePreparer preparer;
  std::vector<SanctionsList> lists;
  lists.push_back(small_list());
  const Index index(std::move(lists), preparer);
  EXPECT_TRUE(index.search({"Unit 8201", {}}, {}).empty());
  EXPECT_EQ(index.search({"UNIT 8200", {}}, {}).size(), 1U);
  auto pao = index.search({"ПАО Рособоронэкспорт", {}}, {});
  ASSERT_EQ(pao.size(), 1U);
  EXPECT_NE(pao[0].explanation.find("jsc = jsc (legal form)"), std::string::npos)
      << pao[0].explanation;
  EXPECT_TRUE(index.search({"", {}}, {}).empty());
  EXPECT_TRUE(index.search({"!!!", {}}, {}).empty());
}

TEST(Index, TheTokenCacheChangesNothingButSpeed) {
  const NamePreparer preparer;
  std::vector<SanctionsList> lists;
  lists.push_back(small_list());
  Index index(std::move(lists), preparer);
  const char* queries[] = {"Ivan Petrov", "Petrov",      "Ivan Petrof", "Putin",      "金正恩",
                           "Unit 8200",   "ООО Ромашка", "Ivan Petrov", "Petrov Ivan"};
  SearchOptions options;
  options.threshold = 0.3;
  const auto run = [&] {
    std::vector<std::string> out;
    for (const char* q : queries) {
      for (const auto& hit : index.search({q, {}}, options)) {
        out.push_back(std::string(q) + " " + hit.matched_name + " " + std::to_string(hit.score) +
                      " " + hit.explanation);
      }
    }
    return out;
  };
  index.set_token_cache(false);
  const auto uncached = run();
  index.set_token_cache(true);
  const auto first = run();   // fills the cache
  const auto second = run();  // served from it
  EXPECT_FALSE(uncached.empty());
  EXPECT_EQ(first, uncached);
  EXPECT_EQ(second, uncached);
  // Another index never sees this one's cached tokens.
  std::vector<SanctionsList> other_lists;
  other_lists.push_back(import_plain_csv("name\nIvan Petrovsky\n", "other").value());
  const Index other(std::move(other_lists), preparer);
  const auto hits = other.search({"Ivan Petrov", {}}, options);
  for (const auto& hit : hits) EXPECT_EQ(hit.matched_name, "Ivan Petrovsky");
}

TEST(Index, LimitAndOrder) {
  const NamePreparer preparer;
  std::vector<SanctionsList> lists;
  lists.push_back(small_list());
  const Index index(std::move(lists), preparer);
  SearchOptions options;
  options.threshold = 0.3;
  options.limit = 1;
  EXPECT_EQ(index.search({"Ivan Petrov", {}}, options).size(), 1U);
  options.limit = 10;
  auto hits = index.search({"Ivan Petrov", {}}, options);
  ASSERT_GE(hits.size(), 2U);
  for (std::size_t k = 1; k < hits.size(); ++k) EXPECT_GE(hits[k - 1].score, hits[k].score);
}

// Retrieval measured apart from scoring: every entity a full scan scores at or above the
// threshold must come out of the index. The full scan uses the same preparation and the
// pairwise scorer; the index may differ only where a list's two words are joined against
// one query word (documented in docs/screening.md).
TEST(Index, RetrievalFindsWhatAFullScanFinds) {
  CANDOR_READ_SHARED_OR_SKIP(negatives, "screening/negatives_global.csv");
  const std::string dir = testing::shared_data_dir() + "/screening/";
  std::vector<SanctionsList> lists;
  lists.push_back(load_list(dir + "un_consolidated_2026.xml", ListFormat::automatic).value());
  const NamePreparer preparer;
  const Index index(std::move(lists), preparer);
  const auto& entities = index.lists()[0].entities;
  std::vector<std::vector<PreparedName>> prepared(entities.size());
  for (std::size_t e = 0; e < entities.size(); ++e) {
    for (const auto& name : entities[e].names) {
      prepared[e].push_back(preparer.prepare(name.text, entities[e].type));
    }
  }
  // Queries: list names with one letter changed, and people who are not listed. Fewer under
  // the sanitizers, which make the full scan ten times slower.
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kPerKind = 12;
#else
  constexpr int kPerKind = 150;
#endif
  std::mt19937 random(7);
  std::vector<std::string> queries;
  for (int k = 0; k < kPerKind; ++k) {
    std::string name = entities[random() % entities.size()].names[0].text;
    const std::size_t at = random() % name.size();
    if (name[at] >= 'A' && name[at] <= 'Z') name[at] = static_cast<char>('A' + random() % 26);
    queries.push_back(name);
  }
  std::size_t start = 0;
  for (int k = 0; k < kPerKind; ++k) {
    start = negatives.find('\n', start) + 1;
    queries.push_back(negatives.substr(start, negatives.find(',', start) - start));
  }
  std::size_t expected = 0;
  std::size_t found = 0;
  for (const auto& text : queries) {
    const auto query = preparer.prepare(text, EntityType::unknown);
    std::unordered_map<std::string, double> weights;
    const auto weight = [&](const NameToken& token) {
      const std::string key = std::to_string(static_cast<int>(token.kind)) + token.text;
      auto found = weights.find(key);
      if (found == weights.end()) found = weights.emplace(key, index.token_weight(token)).first;
      return found->second;
    };
    SearchOptions options;
    options.threshold = 0.7;
    options.limit = 1000;
    const auto hits = index.search({text, {}}, options);
    for (std::size_t e = 0; e < entities.size(); ++e) {
      double best = 0.0;
      for (const auto& name : prepared[e])
        best = std::max(best, score_names(query, name, weight).score);
      if (best < options.threshold) continue;
      ++expected;
      const bool in =
          std::any_of(hits.begin(), hits.end(), [&](const Hit& h) { return h.entity == e; });
      found += in ? 1 : 0;
      EXPECT_TRUE(in) << text << " / " << entities[e].names[0].text << " " << best;
    }
  }
  EXPECT_GT(expected, static_cast<std::size_t>(kPerKind) / 2);
  RecordProperty("retrieval_recall",
                 std::to_string(static_cast<double>(found) / static_cast<double>(expected)));
}

}  // namespace
}  // namespace candor::screening
