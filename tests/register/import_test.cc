#include "register/import.h"

#include <gtest/gtest.h>

#include <tuple>

#include <nlohmann/json.hpp>

#include "core/canonical_json.h"
#include "register/fields.h"
#include "register/publish.h"
#include "support/shared_data.h"

namespace candor::reg {
namespace {

// Every field an entry is read into, to compare two readings at once.
auto fields(const NewEntry& e) {
  return std::tie(e.entry_id, e.authority, e.decision, e.decision_date, e.destination,
                  e.end_user_type, e.category, e.control_entries, e.exporter, e.value_band,
                  e.corrects, e.description, e.destination_name);
}

const std::map<std::string, std::string> kRatings = {{"5A002", "Information security"},
                                                     {"ML10", "Aircraft, helicopters, drones"}};

TEST(CaatUk, OneEntryPerLicenceWithItsRatingsValueBandAndDecision) {
  const std::string csv =
      "licence_group,date,rating,count,value,country,refused\n"
      "15,2008-01-03,5A002,1,293260,Egypt,0\n"
      "15,2008-01-03,5D002,1,41610,Egypt,0\n"
      "16,2009-02-01,ML10,1,,\"Hong Kong Special Administrative Region\",1\n"
      "17,2010-05-05,ML10,2,10,Channel Islands,0\n";
  ImportReport report;
  auto entries = read_caat_uk(csv, kRatings, report).value();
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(report.rows, 4U);
  EXPECT_EQ(report.refusals, 1U);
  EXPECT_EQ(report.unmapped_destinations.at("Channel Islands"), 1U);

  const auto egypt = nlohmann::json::parse(entries[0].leaf_input);
  EXPECT_EQ(egypt["entry_id"], "GB-CAAT-15");
  EXPECT_EQ(egypt["decision"], "granted");
  EXPECT_EQ(egypt["destination"], "EG");
  EXPECT_EQ(egypt["control_entries"], (nlohmann::json{"5A002", "5D002"}));
  EXPECT_EQ(egypt["item_category"], "dual_use_5");
  // A rating without a description is named by its code.
  EXPECT_EQ(egypt["item_description"], "Information security; 5D002");
  EXPECT_EQ(egypt["value_band"], "100k-1M GBP");  // 293,260 + 41,610.
  EXPECT_EQ(entries[0].control_entries, "5A002 5D002");
  EXPECT_EQ(entries[0].destination, "EG");
  // The bytes are canonical: keys sorted, no spaces.
  EXPECT_EQ(entries[0].leaf_input.substr(0, 12), R"({"authority")");

  const auto refusal = nlohmann::json::parse(entries[1].leaf_input);
  EXPECT_EQ(refusal["decision"], "refused");
  EXPECT_EQ(refusal["destination"], "HK");
  EXPECT_FALSE(refusal.contains("value_band"));
  EXPECT_EQ(refusal["item_category"], "military");

  const auto islands = nlohmann::json::parse(entries[2].leaf_input);
  EXPECT_FALSE(islands.contains("destination"));
  EXPECT_EQ(islands["destination_name"], "Channel Islands");
}

TEST(CaatUk, BadRowsAreRefusedNamingTheLine) {
  const std::string header = "licence_group,date,rating,count,value,country,refused\n";
  for (const auto& [row, what] : std::vector<std::pair<std::string, std::string>>{
           {"1,2008-13-01,ML1,1,5,Italy,0\n", "date"},
           {"1,2008-01-01,ML1,1,-5,Italy,0\n", "value"},
           {"1,2008-01-01,ML1,1,5x,Italy,0\n", "value"},
           {"1,2008-01-01,ML1,1,5,Italy,2\n", "refused"},
           {"1,2008-01-01,,1,5,Italy,0\n", "rating"},
           {"1,2008-01-01,ML1\n", "fields"},
           {"1,2008-01-01,ML1,1,5,Italy,0\n1,2008-01-02,ML2,1,5,Italy,0\n", "disagrees"}}) {
    ImportReport report;
    auto result = read_caat_uk(header + row, kRatings, report);
    ASSERT_FALSE(result.ok()) << row;
    EXPECT_EQ(result.error().kind(), ErrorKind::invalid_argument);
    EXPECT_NE(result.error().message().find("line "), std::string::npos)
        << result.error().message();
    EXPECT_NE(result.error().message().find(what), std::string::npos) << result.error().message();
  }
  ImportReport report;
  EXPECT_FALSE(read_caat_uk("date,rating\n", kRatings, report).ok());
}

TEST(CaatUk, ReadsTheWholePublishedFile) {
  CANDOR_READ_SHARED_OR_SKIP(licences, "licences/uk_licences_2008_2015.csv");
  CANDOR_READ_SHARED_OR_SKIP(ratings_csv, "licences/uk_ratings.csv");
  const auto ratings = read_uk_ratings(ratings_csv).value();
  EXPECT_EQ(ratings.size(), 317U);
  ImportReport report;
  auto entries = read_caat_uk(licences, ratings, report).value();
  // The figures the data's README gives: 96,311 rows, 63,408 licences, 1,411 refused rows.
  EXPECT_EQ(report.rows, 96'311U);
  EXPECT_EQ(entries.size(), 63'408U);
  EXPECT_EQ(report.refusals, 1'107U);
  std::size_t egypt_5a002 = 0;
  for (const auto& e : entries) {
    if (e.destination == "EG" && e.control_entries.find("5A002") != std::string::npos) {
      ++egypt_5a002;
    }
  }
  EXPECT_GT(egypt_5a002, 0U);
  // The entries' bytes are written directly: each must be exactly what the general
  // canonicaliser makes of the same JSON, and its columns what publication reads from it.
  for (const auto& e : entries) {
    const auto parsed = nlohmann::json::parse(e.leaf_input);
    ASSERT_EQ(json::canonical(parsed).value(), e.leaf_input);
    ASSERT_EQ(fields(columns_of(parsed, e.leaf_input)), fields(e));
    // What the search index reads from the stored bytes, without a document.
    ASSERT_EQ(fields(fields_of(e.leaf_input).value()), fields(e));
  }
}

// fields_of reads what columns_of reads, whatever the shape around the fields.
TEST(EntryFields, ReadFromBytesAsFromTheDocument) {
  for (
      const std::string text :
      {R"({"entry_id":"A","decision":"refused","authority":{"member_state":"DE","name":"x"},"control_entries":["5A001.f","5D001"],"corrects":"Z"})",
       R"({"entry_id":"B","authority":"DE","control_entries":"5A001","destination":7})",
       R"({"entry_id":"C","control_entries":["5A001",["nested"],3,{"x":"y"},"5D001"],"source":{"member_state":"FR","decision":"no"}})",
       R"({"criteria":[{"decision":"x"}],"entry_id":"D","exporter":"Acme \"Lawful\" GmbH","item_description":"caf\u00e9"})",
       R"({"authority":{"nested":{"member_state":"XX"},"member_state":"AT"},"entry_id":"E"})"}) {
    const auto doc = nlohmann::json::parse(text);
    EXPECT_EQ(fields(fields_of(text).value()), fields(columns_of(doc, text))) << text;
  }
  EXPECT_FALSE(fields_of("not json").ok());
  EXPECT_FALSE(fields_of(R"({"decision":"refused"})").ok());
  EXPECT_FALSE(fields_of(R"(["entry_id"])").ok());
}

TEST(CaatUk, WritesCanonicalBytesForAnyText) {
  // Quotes, backslashes, control characters, non-ASCII text and a licence group that needs
  // escaping, through the direct writer and the general canonicaliser alike.
  const std::string csv =
      "licence_group,date,rating,count,value,country,refused\n"
      "\"g\\1\"\"x\",2008-01-03,5A002,1,5,\"C\xC3\xB4te d\"\"Ivoire\tX\",0\n"
      "\xE2\x82\xAC,2008-01-03,ML10,1,,\xF0\x9F\x8C\x8D Land,1\n";
  ImportReport report;
  auto entries = read_caat_uk(csv, kRatings, report).value();
  ASSERT_EQ(entries.size(), 2U);
  for (const auto& e : entries) {
    EXPECT_EQ(json::canonical(nlohmann::json::parse(e.leaf_input)).value(), e.leaf_input);
  }
  EXPECT_EQ(nlohmann::json::parse(entries[0].leaf_input)["destination_name"],
            "C\xC3\xB4te d\"Ivoire\tX");
  // Text that is not UTF-8 is refused, not written.
  EXPECT_FALSE(read_caat_uk("licence_group,date,rating,count,value,country,refused\n"
                            "1,2008-01-03,ML10,1,,Bad \xFF,0\n",
                            kRatings, report)
                   .ok());
}

TEST(EntryFields, RegressionEntriesPastTheDepthLimitAreRefusedByEveryReader) {
  const auto nested = [](int depth) {
    return "{\"entry_id\":\"X-1\",\"deep\":" + std::string(depth, '[') + std::string(depth, ']') +
           "}";
  };
  EXPECT_TRUE(fields_of(nested(kMaxEntryDepth - 2)).ok());
  EXPECT_FALSE(parse_entry(nested(kMaxEntryDepth - 2)).is_discarded());
  EXPECT_FALSE(fields_of(nested(kMaxEntryDepth + 1)).ok());
  EXPECT_TRUE(parse_entry(nested(kMaxEntryDepth + 1)).is_discarded());
  EXPECT_TRUE(parse_entry(nested(200'000)).is_discarded());  // And no stack is spent on it.
  EXPECT_FALSE(fields_of(nested(200'000)).ok());
}

}  // namespace
}  // namespace candor::reg
