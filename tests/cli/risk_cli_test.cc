// Black-box tests of `candor assess` and `candor import`.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/process.h"
#include "support/shared_data.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

const std::string kCandor = CANDOR_BINARY_PATH;
const std::string kCases = std::string(CANDOR_SOURCE_DIR) + "/data/examples/cases/";

testing::Finished candor(std::vector<std::string> args) {
  args.insert(args.begin(), kCandor);
  return testing::run_to_end(args, ".", "");
}

TEST(AssessCli, JsonHasTheNamedKeys) {
  auto result = candor({"assess", "--case", kCases + "uae_intelligence_spyware.json", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["level"], "clear_risk");
  EXPECT_EQ(json["recommendation"], "deny");
  EXPECT_TRUE(json["criteria"].is_array());
  EXPECT_TRUE(json["conditions"].is_array());
  ASSERT_FALSE(json["reasons"].empty());
  for (const auto& reason : json["reasons"]) {
    EXPECT_TRUE(reason.contains("factor"));
    EXPECT_TRUE(reason["weight"].is_number());
    for (const auto& source : reason["sources"]) {
      EXPECT_TRUE(source.contains("publisher"));
      EXPECT_TRUE(source.contains("year"));
      EXPECT_TRUE(source.contains("url"));
    }
  }
  EXPECT_TRUE(json["data_version"].get<std::string>().starts_with("risk@"));
}

TEST(AssessCli, ReadableReportByDefault) {
  auto result = candor({"assess", "--case", kCases + "sweden_operator_interception.json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Level: LOW"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Recommendation: approve"), std::string::npos);
  EXPECT_NE(result.out.find("Data version: risk@"), std::string::npos);
}

TEST(AssessCli, BadCasesNameTheFieldAndExitTwo) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "case.json").string();
  std::ofstream(path) << R"({"destination": "AE", "end_user": {"type": "spies"}, "items": [{}]})";
  auto result = candor({"assess", "--case", path});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("end_user.type"), std::string::npos) << result.err;
  EXPECT_EQ(candor({"assess", "--case", "/nonexistent.json"}).exit_code, 2);
  std::ofstream(path) << "{not json";
  EXPECT_EQ(candor({"assess", "--case", path}).exit_code, 2);
}

TEST(ImportCli, RefreshesASnapshotFolderThatAssessThenUses) {
  CANDOR_READ_SHARED_OR_SKIP(fh, "risk/freedom_in_the_world_2023.csv");
  ASSERT_FALSE(fh.empty());
  testing::TempDir dir;
  const std::string data = (dir.path() / "risk").string();
  const std::string shared = testing::shared_data_dir();
  auto imported = candor({"import", "indicators", "--source", "freedom-house", "--data", data,
                          shared + "/risk/freedom_in_the_world_2023.csv"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto evidence = candor({"import", "evidence", "--format", "targets-csv", "--vendor", "NSO Group",
                          "--data", data, shared + "/evidence/pegasus_targets_2014_2021.csv"});
  ASSERT_EQ(evidence.exit_code, 0) << evidence.err;
  auto result = candor(
      {"assess", "--case", kCases + "uae_intelligence_spyware.json", "--json", "--data", data});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["missing_indicators"].size(), 7U);  // Only Freedom House was imported.
  EXPECT_EQ(json["level"], "clear_risk");
  // A broken file changes nothing.
  const std::string broken = (dir.path() / "fh_2024.csv").string();
  std::ofstream(broken) << "name,region,country_or_territory,status,score\nX,Y,c,NF,abc\n";
  auto bad = candor({"import", "indicators", "--source", "freedom-house", "--data", data, broken});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("line 2"), std::string::npos) << bad.err;
  auto again = candor(
      {"assess", "--case", kCases + "uae_intelligence_spyware.json", "--json", "--data", data});
  EXPECT_EQ(nlohmann::json::parse(again.out)["data_version"], json["data_version"]);
}

}  // namespace
}  // namespace candor
