#include "register/search.h"

#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "register/log.h"
#include "register/publish.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"

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
    db_ = store::Database::open({.location = dir_.file("candor.db")}).value();
    ASSERT_TRUE(store::migrate(*db_, store::builtin_migrations(), clock_).ok());
    Log log(*db_, clock_);
    ASSERT_TRUE(log.append({make("A", "MX", "granted", "2024-03-01", "5A001.f", "Acme Lawful GmbH"),
                            make("B", "MX", "refused", "2025-01-02", "5A001.f 5D001", "Other AG"),
                            make("C", "AE", "refused", "2025-02-03", "4A005", "acme lawful gmbh"),
                            make("D", "EG", "granted", "2025-05-06", "5A004", "Zeta SpA")})
                    .ok());
  }
  std::vector<std::string> ids(const Query& q, std::uint64_t offset = 0, std::uint64_t limit = 10) {
    auto lease = db_->acquire().value();
    auto page = search(*lease, q, offset, limit).value();
    std::vector<std::string> out;
    for (const auto& hit : page.hits) out.push_back(hit.entry_id);
    return out;
  }
  std::uint64_t total(const Query& q) {
    auto lease = db_->acquire().value();
    return count(*lease, q).value().value_or(999);
  }

  candor::testing::TempDir dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
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
  // Not counted when the summary cannot count it; `more` says whether a page follows.
  EXPECT_EQ(total(q({{"control", "5A001.f"}})), 999U);
  {
    auto lease = db_->acquire().value();
    EXPECT_TRUE(search(*lease, q({{"control", "5A001.f"}}), 0, 1).value().more);
    EXPECT_FALSE(search(*lease, q({{"control", "5A001.f"}}), 1, 1).value().more);
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
  // The old entry is still in the log: nothing is edited.
  EXPECT_EQ(log.size().value(), 5U);
  // A correction must point at an entry that exists.
  auto bad = log.append({make("X", "MX", "granted", "2025-01-02", "", "", "nope")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(log.size().value(), 5U);
}

TEST(SearchQuery, ReadsFiltersAndRefusesBadOnes) {
  const auto from = [](std::map<std::string, std::string> params) {
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
