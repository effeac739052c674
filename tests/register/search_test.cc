#include "register/search.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "register/index.h"
#include "register/log.h"
#include "register/publish.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::reg {
namespace {

using candor::testing::FixedClock;

NewEntry make(const std::string& id, const std::string& destination, const std::string& decision,
              const std::string& date, const std::string& controls, const std::string& exporter,
              const std::string& corrects = "") {
  nlohmann::json entry = {{"entry_id", id},
                          {"authority", {{"member_state", "DE"}}},
                          {"decision", decision},
                          {"decision_date", date},
                          {"destination", destination},
                          {"end_user_type", "government"},
                          {"item_category", "interception"},
                          {"control_entries", nlohmann::json::array()},
                          {"exporter", exporter}};
  std::string rest = controls;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    entry["control_entries"].push_back(rest.substr(0, space));
    rest = space == std::string::npos ? "" : rest.substr(space + 1);
  }
  if (!corrects.empty()) entry["corrects"] = corrects;
  return columns_of(entry, entry.dump());
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CANDOR_TEST_DATABASE(location, dir_, "candor.db");
    db_ = store::Database::open({.location = location}).value();
    ASSERT_TRUE(store::migrate(*db_, clock_).ok());
    Log log(*db_, clock_);
    ASSERT_TRUE(log.append({make("A", "MX", "granted", "2024-03-01", "5A001.f", "Acme Lawful GmbH"),
                            make("B", "MX", "refused", "2025-01-02", "5A001.f 5D001", "Other AG"),
                            make("C", "AE", "refused", "2025-02-03", "4A005", "acme lawful gmbh"),
                            make("D", "EG", "granted", "2025-05-06", "5A004", "Zeta SpA")})
                    .ok());
  }
  std::vector<std::string> ids(const Query& q, std::uint64_t offset = 0, std::uint64_t limit = 10) {
    auto lease = db_->acquire().value();
    auto page = index_.search(*lease, q, offset, limit).value();
    std::vector<std::string> out;
    for (const auto& hit : page.hits) out.push_back(hit.entry_id);
    return out;
  }
  std::uint64_t total(const Query& q) {
    auto lease = db_->acquire().value();
    return index_.count(*lease, q).value();
  }

  candor::testing::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  Index index_;
};

using V = std::vector<std::string>;

Query q(std::initializer_list<std::pair<std::string, std::string>> filters) {
  std::map<std::string, std::string> params(filters.begin(), filters.end());
  return Query::from([&](std::string_view name) -> std::optional<std::string> {
           const auto it = params.find(std::string(name));
           if (it == params.end()) return std::nullopt;
           return it->second;
         })
      .value();
}

TEST_F(SearchTest, EachFilterNarrowsNewestFirst) {
  EXPECT_EQ(ids(Query{}), (V{"D", "C", "B", "A"}));
  EXPECT_EQ(ids(q({{"destination", "MX"}})), (V{"B", "A"}));
  EXPECT_EQ(ids(q({{"control", "5A001.f"}})), (V{"B", "A"}));
  EXPECT_EQ(ids(q({{"control", "5D001"}})), (V{"B"}));
  EXPECT_EQ(ids(q({{"decision", "refused"}})), (V{"C", "B"}));
  EXPECT_EQ(ids(q({{"year", "2025"}})), (V{"D", "C", "B"}));
  EXPECT_EQ(ids(q({{"authority", "DE"}})).size(), 4U);
  EXPECT_EQ(ids(q({{"authority", "FR"}})), V{});
  EXPECT_EQ(ids(q({{"exporter", "acme"}})), (V{"C", "A"}));
  EXPECT_EQ(ids(q({{"exporter", "ACME LAWFUL"}})), (V{"C", "A"}));
  EXPECT_EQ(ids(q({{"destination", "MX"}, {"decision", "refused"}, {"year", "2025"}})), V{"B"});
  EXPECT_EQ(ids(q({{"end_user_type", "government"}, {"category", "interception"}})).size(), 4U);
  // A control entry with another filter reads whichever set is smaller: both ways agree.
  EXPECT_EQ(ids(q({{"control", "5A001.f"}, {"destination", "MX"}})), (V{"B", "A"}));
  EXPECT_EQ(ids(q({{"control", "5D001"}, {"destination", "MX"}})), V{"B"});
  EXPECT_EQ(ids(q({{"control", "5A001.f"}, {"destination", "EG"}})), V{});
  EXPECT_EQ(ids(q({{"control", "5A004"}, {"year", "2025"}})), V{"D"});
  EXPECT_EQ(ids(q({{"control", "5A001.f"}, {"year", "2025"}}), 1, 5), V{});
  EXPECT_EQ(ids(Query{}, 1, 2), (V{"C", "B"}));
  EXPECT_EQ(total(Query{}), 4U);
  EXPECT_EQ(total(q({{"destination", "MX"}})), 2U);
  EXPECT_EQ(total(q({{"control", "5A001.f"}})), 2U);
  EXPECT_EQ(total(q({{"exporter", "acme"}, {"decision", "refused"}})), 1U);
  EXPECT_EQ(total(q({{"destination", "FR"}})), 0U);
  {
    auto lease = db_->acquire().value();
    EXPECT_TRUE(index_.search(*lease, q({{"control", "5A001.f"}}), 0, 1).value().more);
    EXPECT_FALSE(index_.search(*lease, q({{"control", "5A001.f"}}), 1, 1).value().more);
    // `before` starts below an index (the downloads' cursor).
    auto below = index_.search(*lease, Query{}, 0, 10, 2).value();
    ASSERT_EQ(below.hits.size(), 2U);
    EXPECT_EQ(below.hits[0].entry_id, "B");
    EXPECT_EQ(below.hits[0].destination, "MX");
    EXPECT_EQ(below.hits[0].control_entries, "5A001.f 5D001");
  }
}

TEST_F(SearchTest, ACorrectionReplacesTheEntryItCorrectsInSearchesAndCounts) {
  Log log(*db_, clock_);
  ASSERT_TRUE(
      log.append({make("B-2", "MX", "granted", "2025-01-02", "5A001.f", "Other AG", "B")}).ok());
  EXPECT_EQ(ids(q({{"destination", "MX"}})), (V{"B-2", "A"}));
  EXPECT_EQ(ids(q({{"decision", "refused"}})), V{"C"});
  EXPECT_EQ(total(q({{"decision", "refused"}})), 1U);
  EXPECT_EQ(total(q({{"decision", "granted"}})), 3U);
  EXPECT_EQ(total(Query{}), 4U);
  {
    // Statistics as the log stood before the correction count the entry it corrects.
    auto lease = db_->acquire().value();
    const auto refused_at = [&](std::uint64_t size) {
      std::int64_t n = 0;
      const auto counts = index_.counts(*lease, q({{"decision", "refused"}}), size).value();
      for (const auto& c : counts) n += c.entries;
      return n;
    };
    EXPECT_EQ(refused_at(4), 2);
    EXPECT_EQ(refused_at(5), 1);
  }
  // The old entry is still in the log: nothing is edited.
  EXPECT_EQ(log.size().value(), 5U);
  // A correction must point at an entry that exists.
  auto bad = log.append({make("X", "MX", "granted", "2025-01-02", "", "", "nope")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(log.size().value(), 5U);
}

TEST_F(SearchTest, FollowsTheLogAsItGrowsAndStartsAgainWhenItShrinks) {
  EXPECT_EQ(total(Query{}), 4U);
  Log log(*db_, clock_);
  ASSERT_TRUE(log.append({make("E", "MX", "refused", "2026-01-01", "5A001.f", "New Ltd")}).ok());
  EXPECT_EQ(ids(q({{"destination", "MX"}})), (V{"E", "B", "A"}));
  EXPECT_EQ(ids(q({{"exporter", "new"}})), V{"E"});
  // The same index over another database with a shorter log (a restored backup) reads it
  // from the start rather than mixing the two.
  CANDOR_TEST_DATABASE(other_location, dir_, "other.db");
  auto other = store::Database::open({.location = other_location}).value();
  ASSERT_TRUE(store::migrate(*other, clock_).ok());
  ASSERT_TRUE(Log(*other, clock_).append({make("Z", "FR", "granted", "2020-01-01", "", "")}).ok());
  auto lease = other->acquire().value();
  auto page = index_.search(*lease, Query{}, 0, 10).value();
  ASSERT_EQ(page.hits.size(), 1U);
  EXPECT_EQ(page.hits[0].entry_id, "Z");
  EXPECT_EQ(index_.count(*lease, q({{"destination", "MX"}})).value(), 0U);
  // Another log of the same size: told apart by its newest entry.
  CANDOR_TEST_DATABASE(third_location, dir_, "third.db");
  auto third = store::Database::open({.location = third_location}).value();
  ASSERT_TRUE(store::migrate(*third, clock_).ok());
  ASSERT_TRUE(Log(*third, clock_).append({make("Y", "TR", "refused", "2021-01-01", "", "")}).ok());
  auto third_lease = third->acquire().value();
  auto same_size = index_.search(*third_lease, Query{}, 0, 10).value();
  ASSERT_EQ(same_size.hits.size(), 1U);
  EXPECT_EQ(same_size.hits[0].entry_id, "Y");
  EXPECT_EQ(index_.count(*third_lease, q({{"destination", "TR"}})).value(), 1U);
}

// Every search, count and tally of the index against a plain filter over the same entries:
// random entries (with corrections, several control entries, shared exporter prefixes) and
// random combinations of filters, at every offset.
TEST(SearchIndex, AgreesWithAPlainFilterOverRandomEntries) {
  candor::testing::TempDir dir;
  FixedClock clock;
  CANDOR_TEST_DATABASE(location, dir, "candor.db");
  auto db = store::Database::open({.location = location}).value();
  ASSERT_TRUE(store::migrate(*db, clock).ok());
  std::mt19937 random(7);
  const auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  };
  const std::vector<std::string> destinations = {"MX", "AE", "EG", "TR", "BR"};
  const std::vector<std::string> decisions = {"granted", "refused", "revoked"};
  const std::vector<std::string> dates = {"2023-05-01", "2024-02-02", "2025-07-03"};
  const std::vector<std::string> controls = {"5A001.f", "5D001", "4A005", "5A004"};
  const std::vector<std::string> exporters = {"Acme GmbH", "Acme Lawful", "Beta SA", ""};
  struct Plain {
    std::string id, destination, decision, year, exporter;
    std::set<std::string> controls;
    bool corrected = false;
  };
  std::vector<Plain> plain;
  Log log(*db, clock);
  for (int batch = 0; batch < 6; ++batch) {
    std::vector<NewEntry> entries;
    for (int i = 0; i < 50; ++i) {
      Plain p{.id = "E" + std::to_string(plain.size()),
              .destination = pick(destinations),
              .decision = pick(decisions),
              .year = pick(dates),
              .exporter = pick(exporters)};
      std::string list;
      for (const auto& c : controls) {
        if (random() % 3 == 0) {
          p.controls.insert(c);
          list += (list.empty() ? "" : " ") + c;
        }
      }
      std::string corrects;
      // A correction of an entry of an earlier batch that stands.
      const std::size_t earlier = plain.size() - static_cast<std::size_t>(i);
      if (earlier > 0 && random() % 8 == 0) {
        const std::size_t target = random() % earlier;
        if (!plain[target].corrected) {
          plain[target].corrected = true;
          corrects = plain[target].id;
        }
      }
      entries.push_back(make(p.id, p.destination, p.decision, p.year, list, p.exporter, corrects));
      p.year = p.year.substr(0, 4);
      plain.push_back(p);
    }
    ASSERT_TRUE(log.append(entries).ok());
  }
  Index index;
  auto lease = db->acquire().value();
  for (int trial = 0; trial < 300; ++trial) {
    std::map<std::string, std::string> params;
    if (random() % 2 == 0) params["destination"] = pick(destinations);
    if (random() % 3 == 0) params["decision"] = pick(decisions);
    if (random() % 3 == 0) params["year"] = pick(dates).substr(0, 4);
    if (random() % 3 == 0) params["control"] = pick(controls);
    if (random() % 4 == 0) params["exporter"] = random() % 2 == 0 ? "acme" : "acme l";
    const Query query = Query::from([&](std::string_view name) -> std::optional<std::string> {
                          const auto it = params.find(std::string(name));
                          if (it == params.end()) return std::nullopt;
                          return it->second;
                        }).value();
    std::vector<std::string> expected;
    for (std::size_t i = plain.size(); i-- > 0;) {
      const Plain& p = plain[i];
      const auto wants = [&](const char* name, const std::string& value) {
        return !params.contains(name) || params[name] == value;
      };
      if (p.corrected || !wants("destination", p.destination) || !wants("decision", p.decision) ||
          !wants("year", p.year)) {
        continue;
      }
      if (params.contains("control") && !p.controls.contains(params["control"])) continue;
      if (params.contains("exporter") && !search_key(p.exporter).starts_with(params["exporter"])) {
        continue;
      }
      expected.push_back(p.id);
    }
    const std::string what = query.to_params();
    EXPECT_EQ(index.count(*lease, query).value(), expected.size()) << what;
    std::int64_t tallied = 0;
    const auto counts = index.counts(*lease, query).value();
    for (const auto& c : counts) tallied += c.entries;
    EXPECT_EQ(static_cast<std::size_t>(tallied), expected.size()) << what;
    const std::uint64_t offset = random() % 10;
    auto page = index.search(*lease, query, offset, 7).value();
    std::vector<std::string> got;
    for (const auto& hit : page.hits) got.push_back(hit.entry_id);
    const auto from = std::min<std::size_t>(offset, expected.size());
    const auto to = std::min<std::size_t>(offset + 7, expected.size());
    EXPECT_EQ(got, std::vector<std::string>(expected.begin() + static_cast<long>(from),
                                            expected.begin() + static_cast<long>(to)))
        << what << " offset " << offset;
    EXPECT_EQ(page.more, expected.size() > offset + 7) << what;
  }
}

TEST(SearchQuery, ReadsFiltersAndRefusesBadOnes) {
  const auto from = [](const std::map<std::string, std::string>& params) {
    return Query::from([params](std::string_view name) -> std::optional<std::string> {
      const auto it = params.find(std::string(name));
      if (it == params.end()) return std::nullopt;
      return it->second;
    });
  };
  auto q = from({{"destination", "mx"}, {"year", "2014"}, {"exporter", "  Gamma  Int "}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->destination, "MX");
  EXPECT_EQ(q->year, 2014);
  EXPECT_EQ(q->exporter, "gamma int");
  EXPECT_EQ(q->to_params(), "destination=MX&year=2014&exporter=gamma%20int");
  EXPECT_TRUE(from({}).value().empty());
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"destination", "ZZ"},
                                                        {"destination", "Mexico"},
                                                        {"year", "20x4"},
                                                        {"year", "123"},
                                                        {"control", "5A001' OR 1=1"},
                                                        {"decision", "granted;"},
                                                        {"exporter", std::string(201, 'a')}}) {
    auto bad = from({{name, value}});
    ASSERT_FALSE(bad.ok()) << name << "=" << value;
    EXPECT_NE(bad.error().message().find(name), std::string::npos) << bad.error().message();
  }
}

}  // namespace
}  // namespace candor::reg

namespace candor::reg {
namespace {

TEST(Correction, CopiesTheEntryWithTheChangesAndPointsAtIt) {
  const nlohmann::json old = {{"entry_id", "DE-1"},
                              {"authority", {{"member_state", "DE"}}},
                              {"destination", "EG"},
                              {"value_band", "under 100k EUR"},
                              {"control_entries", {"5A001.f"}}};
  auto fixed =
      correction_of(
          old, {{"destination", "LY"}, {"value_band", ""}, {"control_entries", "5A001.f, 5D001 ,"}},
          "Transcription error", "2026-11-29", 1)
          .value();
  EXPECT_EQ(fixed["entry_id"], "DE-1-c1");
  EXPECT_EQ(fixed["corrects"], "DE-1");
  EXPECT_EQ(fixed["destination"], "LY");
  EXPECT_FALSE(fixed.contains("value_band"));
  EXPECT_EQ(fixed["control_entries"], (nlohmann::json{"5A001.f", "5D001"}));
  EXPECT_EQ(fixed["authority"], old["authority"]);
  EXPECT_EQ(fixed["correction"]["reason"], "Transcription error");
  // The next correction of the chain keeps the first entry's id as its base.
  auto again = correction_of(fixed, {{"destination", "TN"}}, "Again", "2026-11-30", 2).value();
  EXPECT_EQ(again["entry_id"], "DE-1-c2");
  EXPECT_EQ(again["corrects"], "DE-1-c1");

  EXPECT_FALSE(correction_of(old, {{"entry_id", "X"}}, "r", "d", 1).ok());
  EXPECT_FALSE(correction_of(old, {{"authority", "FR"}}, "r", "d", 1).ok());
  EXPECT_FALSE(correction_of(old, {{"unknown", "x"}}, "r", "d", 1).ok());
  EXPECT_FALSE(correction_of(old, {{"destination", "EG"}}, "r", "d", 1).ok());
  EXPECT_FALSE(correction_of(old, {{"destination", "LY"}}, "", "d", 1).ok());
  EXPECT_FALSE(correction_of(old, {}, "r", "d", 1).ok());
}

}  // namespace
}  // namespace candor::reg
