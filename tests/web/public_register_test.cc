// The register's public pages as a visitor without an account uses them: search, entry pages
// with proofs, statistics, the annual report, the feed and the downloads.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <thread>

#include "core/csv.h"
#include "register/log.h"
#include "register/merkle.h"
#include "register/note.h"
#include "register/publish.h"
#include "store/migrations.h"
#include "support/fixed_clock.h"
#include "support/register_server.h"
#include "support/temp_dir.h"
#include "web/server.h"

namespace candor::web {
namespace {

using nlohmann::json;

json decision(const std::string& id, const std::string& destination, const std::string& decision,
              const std::string& date, const std::string& control, const std::string& exporter) {
  return {{"entry_id", id},
          {"schema", "candor.register.entry/1"},
          {"authority", {{"member_state", "DE"}, {"name", "Test authority"}}},
          {"decision", decision},
          {"decision_date", date},
          {"destination", destination},
          {"end_user_type", "police"},
          {"item_category", "mobile_interception"},
          {"item_description", "Mobile telecommunications interception equipment"},
          {"control_entries", {control}},
          {"value_band", "100k-1M EUR"},
          {"exporter", exporter}};
}

class PublicRegisterTest : public candor::testing::RegisterServerTest {
 protected:
  void append(const std::vector<json>& entries) {
    std::vector<reg::NewEntry> batch;
    for (const auto& e : entries) batch.push_back(reg::columns_of(e, e.dump()));
    ASSERT_TRUE(reg::Log(*db_, clock_).append(batch).ok());
  }
  void seed() {
    append({decision("DE-1", "MX", "granted", "2024-02-01", "5A001.f", "Acme Interception GmbH"),
            decision("DE-2", "MX", "refused", "2025-03-01", "5A001.f", "Acme Interception GmbH"),
            decision("DE-3", "EG", "refused", "2025-04-01", "4A005", "<b>Bold</b> & Co"),
            decision("DE-4", "AE", "granted", "2025-05-01", "5A001.j", "Other AG")});
  }
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TEST_F(PublicRegisterTest, SearchFiltersWithoutSigningIn) {
  seed();
  auto all = get("/register");
  ASSERT_EQ(all->status, 200);
  EXPECT_NE(all->body.find("4 decisions"), std::string::npos);
  EXPECT_EQ(count_of(all->body, "class=\"candor-result\""), 4U);
  // Names are escaped, never markup.
  EXPECT_NE(all->body.find("&lt;b&gt;Bold&lt;/b&gt; &amp; Co"), std::string::npos);
  EXPECT_EQ(all->body.find("<b>Bold</b>"), std::string::npos);

  auto mexico = get("/register?destination=MX&control=5A001.f&decision=refused");
  ASSERT_EQ(mexico->status, 200);
  EXPECT_NE(mexico->body.find("Refused decisions under 5A001.f to Mexico"), std::string::npos);
  EXPECT_EQ(count_of(mexico->body, "class=\"candor-result\""), 1U);
  EXPECT_NE(mexico->body.find("/register/decisions/DE-2"), std::string::npos);
  // The feed and downloads of the same search are linked.
  EXPECT_NE(mexico->body.find(
                "/register/feed.atom?destination=MX&amp;control=5A001.f&amp;decision=refused"),
            std::string::npos);

  auto exporter = get("/register?exporter=acme");
  EXPECT_EQ(count_of(exporter->body, "class=\"candor-result\""), 2U);
  auto year = get("/register?year=2024");
  EXPECT_EQ(count_of(year->body, "class=\"candor-result\""), 1U);

  // Bad filters: a page explaining, with 400, not JSON.
  for (const char* bad : {"/register?destination=ZZ", "/register?year=20x4", "/register?page=0",
                          "/register?page=501", "/register?control=%27%3B"}) {
    auto r = get(bad);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos) << bad;
  }
}

TEST_F(PublicRegisterTest, PagesThroughManyResults) {
  std::vector<json> many;
  for (int i = 0; i < 45; ++i) {
    many.push_back(
        decision("P-" + std::to_string(i), "BR", "granted", "2025-01-01", "5A001.f", "X"));
  }
  append(many);
  auto first = get("/register?destination=BR");
  EXPECT_NE(first->body.find("45 decisions, page 1 of 3"), std::string::npos);
  EXPECT_NE(first->body.find("/register/decisions/P-44\""), std::string::npos);
  EXPECT_NE(first->body.find("href=\"/register?destination=BR&amp;page=2\""), std::string::npos);
  auto third = get("/register?destination=BR&page=3");
  EXPECT_EQ(count_of(third->body, "class=\"candor-result\""), 5U);
  EXPECT_NE(third->body.find("/register/decisions/P-0\""), std::string::npos);
  EXPECT_EQ(third->body.find("rel=\"next\""), std::string::npos);
}

TEST_F(PublicRegisterTest, EntryPageShowsTheBytesAndAProofThatVerifies) {
  seed();
  auto page = get("/register/decisions/DE-3");
  ASSERT_EQ(page->status, 200);
  const auto body = page->body;
  EXPECT_NE(body.find("Refused: 4A005 to Egypt"), std::string::npos);
  // The proof shown is the one the endpoint serves, for a signed tree holding the entry.
  auto proof = json::parse(get("/register/proof/inclusion?index=2&tree_size=4")->body);
  ASSERT_FALSE(proof["inclusion_path"].empty());
  for (const auto& hash : proof["inclusion_path"]) {
    EXPECT_NE(body.find(hash.get<std::string>()), std::string::npos) << hash;
  }
  EXPECT_NE(body.find("register.test/candor\n4\n"), std::string::npos);
  EXPECT_NE(body.find("candor register verify --url http://127.0.0.1:" + std::to_string(port_)),
            std::string::npos);
  EXPECT_EQ(get("/register/decisions/DE-99")->status, 404);
  EXPECT_EQ(get("/register/decisions/..%2Fetc")->status, 404);

  // A correction: the old entry stays and says what corrected it.
  json corrected = decision("DE-3-c", "EG", "granted", "2025-04-01", "4A005", "<b>Bold</b> & Co");
  corrected["corrects"] = "DE-3";
  append({corrected});
  auto old_page = get("/register/decisions/DE-3");
  EXPECT_NE(old_page->body.find("This entry was corrected by"), std::string::npos);
  EXPECT_NE(old_page->body.find("/register/decisions/DE-3-c"), std::string::npos);
  auto refused = get("/register?decision=refused");
  EXPECT_EQ(count_of(refused->body, "class=\"candor-result\""), 1U);
}

TEST_F(PublicRegisterTest, AtomFeedOfASearch) {
  seed();
  auto feed = get("/register/feed.atom?decision=refused");
  ASSERT_EQ(feed->status, 200);
  EXPECT_EQ(feed->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(feed->body.c_str())) << feed->body;
  auto root = doc.child("feed");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
  EXPECT_NE(std::string(root.child_value("title")).find("Refused decisions"), std::string::npos);
  std::vector<std::string> titles;
  for (auto entry : root.children("entry")) titles.emplace_back(entry.child_value("title"));
  EXPECT_EQ(titles,
            (std::vector<std::string>{"Refused: 4A005 to Egypt", "Refused: 5A001.f to Mexico"}));
  EXPECT_NE(feed->body.find("&lt;b&gt;Bold&lt;/b&gt; &amp; Co"), std::string::npos);
  // A hostile Host header does not get into the feed.
  httplib::Client client("127.0.0.1", port_);
  auto hostile = client.Get("/register/feed.atom", {{"Host", "evil\"><x"}});
  EXPECT_EQ(hostile->body.find("evil"), std::string::npos);
}

TEST_F(PublicRegisterTest, CsvAndJsonDownloadsHoldEveryMatchAcrossChunks) {
  std::vector<json> many;
  for (int i = 0; i < 2500; ++i) {
    many.push_back(decision("D-" + std::to_string(i), i % 2 == 0 ? "MX" : "EG", "granted",
                            "2025-01-01", "5A001.f", "Exporter, \"quoted\""));
  }
  append(many);
  auto csv_answer = get("/register/search.csv?destination=MX");
  ASSERT_EQ(csv_answer->status, 200);
  csv::Reader reader(csv_answer->body);
  auto header = csv::read_header(reader, {"entry_id", "destination", "exporter"}).value();
  std::vector<std::string> fields;
  std::size_t rows = 0;
  while (reader.next(fields).value()) {
    ++rows;
    EXPECT_EQ(header.value(fields, "destination"), "MX");
    EXPECT_EQ(header.value(fields, "exporter"), "Exporter, \"quoted\"");
  }
  EXPECT_EQ(rows, 1250U);

  auto json_answer = get("/register/search.json?destination=EG");
  ASSERT_EQ(json_answer->status, 200);
  const auto doc = json::parse(json_answer->body);
  ASSERT_EQ(doc["entries"].size(), 1250U);
  EXPECT_EQ(doc["entries"][0]["entry"]["entry_id"], "D-2499");
  EXPECT_EQ(doc["query"], "destination=EG");
  EXPECT_EQ(get("/register/search.json?year=x")->status, 400);
}

TEST_F(PublicRegisterTest, StatisticsDrawChartsAndTheMap) {
  seed();
  auto page = get("/register/statistics");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("class=\"candor-map\""), std::string::npos);
  EXPECT_NE(page->body.find("<title>Mexico: 2</title>"), std::string::npos);
  EXPECT_NE(page->body.find("<title>Egypt: 1</title>"), std::string::npos);
  EXPECT_NE(page->body.find("<title>Brazil: 0</title>"), std::string::npos);
  EXPECT_GE(count_of(page->body, "class=\"candor-chart\""), 4U);
  auto refused_2025 = get("/register/statistics?decision=refused&year=2025");
  EXPECT_NE(refused_2025->body.find("<title>Mexico: 1</title>"), std::string::npos);
  EXPECT_NE(refused_2025->body.find("Refused decisions in 2025: 2"), std::string::npos);
}

TEST_F(PublicRegisterTest, AnnualReportNamesTheCheckpointItCounts) {
  seed();
  auto page = get("/register/report?year=2025");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("register.test/candor\n4\n"), std::string::npos);
  auto csv_answer = get("/register/report.csv?year=2025");
  ASSERT_EQ(csv_answer->status, 200);
  csv::Reader reader(csv_answer->body);
  auto header = csv::read_header(reader, {"destination", "refused", "granted", "total",
                                          "checkpoint_size", "checkpoint_root"})
                    .value();
  std::vector<std::string> fields;
  std::map<std::string, std::string> refused;
  const std::string root = reg::base64(reg::to_bytes(reg::Log(*db_, clock_).root(4).value()));
  while (reader.next(fields).value()) {
    refused[header.value(fields, "destination")] = header.value(fields, "refused");
    EXPECT_EQ(header.value(fields, "checkpoint_size"), "4");
    EXPECT_EQ(header.value(fields, "checkpoint_root"), root);
  }
  EXPECT_EQ(refused, (std::map<std::string, std::string>{{"AE", "0"}, {"EG", "1"}, {"MX", "1"}}));
  // Without a year: the latest year with decisions.
  EXPECT_NE(get("/register/report")->body.find("Annual report 2025"), std::string::npos);
}

}  // namespace
}  // namespace candor::web

#include "core/utf8.h"
#include "web/charts.h"

namespace candor::web {
namespace {

TEST(Charts, LongLabelsAreCutOnCharacterBoundariesAndEscaped) {
  // 37 ASCII letters, then two-byte letters across the cut.
  const std::string label = std::string(37, 'a') + "éééééé <b>";
  const std::string svg = bar_chart_svg("A & B", {{label, 3}, {"Two", 1}});
  EXPECT_FALSE(utf8::first_invalid(svg).has_value());
  EXPECT_NE(svg.find("aria-label=\"A &amp; B\""), std::string::npos);
  EXPECT_NE(svg.find("…"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  // The full label stays in the bar's tooltip.
  EXPECT_NE(svg.find("&lt;b&gt;: 3</title>"), std::string::npos);
}

}  // namespace
}  // namespace candor::web
