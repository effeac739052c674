// Black-box tests of `candor classify` and `candor controls`.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

const std::string kCandor = CANDOR_BINARY_PATH;
const std::string kItems = std::string(CANDOR_SOURCE_DIR) + "/data/examples/items/";

testing::Finished candor(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), kCandor);
  return testing::run_to_end(args, ".", input);
}

TEST(ClassifyCli, JsonHasTheKeysOtherPartsRelyOn) {
  auto result = candor({"classify", "--item", kItems + "imsi_catcher.json", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["controlled"], true);
  ASSERT_EQ(json["entries"].size(), 2U);
  EXPECT_EQ(json["entries"][0]["code"], "5A001.f.1");
  EXPECT_EQ(json["entries"][1]["code"], "5A001.f.2");
  EXPECT_FALSE(json["entries"][1]["reasons"].empty());
  EXPECT_EQ(json["entries"][1]["citation"]["entry"], "5A001.f.2");
  EXPECT_TRUE(json["exclusions"].is_array());
  EXPECT_EQ(json["catch_all"], false);
  EXPECT_TRUE(json["questions"].is_array());
  EXPECT_TRUE(json["data_version"].get<std::string>().starts_with("controls@"));
}

TEST(ClassifyCli, SecurityResearchComesOutNotControlledWithItsNote) {
  auto result = candor({"classify", "--item", kItems + "vulnerability_report.json", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["controlled"], false);
  ASSERT_EQ(json["exclusions"].size(), 1U);
  EXPECT_EQ(json["exclusions"][0]["code"], "4E001.c");
  EXPECT_NE(json["exclusions"][0]["note"].get<std::string>().find("vulnerability disclosure"),
            std::string::npos);
}

TEST(ClassifyCli, ReadableReportByDefault) {
  auto result = candor({"classify", "--item", kItems + "spyware_platform.json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("CONTROLLED"), std::string::npos);
  EXPECT_NE(result.out.find("4D004"), std::string::npos);
  EXPECT_NE(result.out.find("Citation: Regulation (EU) 2021/821"), std::string::npos);
}

// Rule: a bad item file is an error naming the field, exit code 2.
TEST(ClassifyCli, BadItemFilesNameTheFieldAndExitTwo) {
  testing::TempDir dir;
  struct Bad {
    const char* content;
    const char* expected;
  };
  const Bad cases[] = {
      {R"({"name": "x", "facts": {"flies": true}})", "facts.flies"},
      {R"({"name": "x", "facts": {"jamming": "yes"}})", "facts.jamming: must be true or false"},
      {R"({"name": "x", "facts": {"kind": "firmware"}})", "facts.kind"},
      {R"({"facts": {}})", "name"},
      {R"({"name": "x", "name": "y"})", "duplicate member name"},
      {R"({"name": "x",)", "malformed JSON"},
  };
  for (const auto& b : cases) {
    const std::string path = dir.file("item.json");
    { std::ofstream(path) << b.content; }
    auto result = candor({"classify", "--item", path});
    EXPECT_EQ(result.exit_code, 2) << b.content;
    EXPECT_NE(result.err.find(b.expected), std::string::npos) << b.content << " -> " << result.err;
    EXPECT_TRUE(result.out.empty()) << b.content;
  }
  auto missing = candor({"classify", "--item", dir.file("missing.json")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(candor({"classify"}).exit_code, 2);
  EXPECT_EQ(candor({"classify", "--item", "x.json", "--interactive"}).exit_code, 2);
}

TEST(ClassifyCli, InteractiveSkipsQuestionsThatNoLongerMatter) {
  // Name, description, then: kind software, covert yes, intrusion-software C2 yes, updates
  // only with the owner's authorisation no. Nothing else can change the outcome after that.
  auto result = candor({"classify", "--interactive"}, "Spy suite\n\ns\ny\ny\nn\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("4. "), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("\n5. "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("CONTROLLED"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("4D004"), std::string::npos) << result.out;
}

TEST(ClassifyCli, InteractiveStopsAtEndOfInput) {
  auto result = candor({"classify", "--interactive", "--json"}, "Half answered\n\nh\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto brace = result.out.find("\n{");
  ASSERT_NE(brace, std::string::npos) << result.out;
  auto json = nlohmann::json::parse(result.out.substr(brace));
  EXPECT_EQ(json["outcome"], "undetermined");
  EXPECT_FALSE(json["questions"].empty());
}

TEST(ControlsCli, ListAndShow) {
  auto list = candor({"controls", "list"});
  ASSERT_EQ(list.exit_code, 0);
  for (const char* code : {"4A005", "4D004", "5A001.j", "5A004.b", "Art. 5"}) {
    EXPECT_NE(list.out.find(code), std::string::npos) << code;
  }
  auto show = candor({"controls", "show", "5A001.j"});
  ASSERT_EQ(show.exit_code, 0);
  EXPECT_NE(show.out.find("Note to 5A001.j"), std::string::npos);
  EXPECT_NE(show.out.find("searches_hard_selectors"), std::string::npos);
  auto unknown = candor({"controls", "show", "9Z999"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("9Z999"), std::string::npos);
}

TEST(ControlsCli, AFolderWithAMistakeIsReportedWithFileAndLine) {
  testing::TempDir dir;
  {
    std::ofstream(dir.file("facts.yaml"))
        << "facts:\n  - id: kind\n    type: colour\n    question: q\n";
  }
  auto result = candor({"controls", "list", "--controls", dir.path().string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("facts.yaml:3"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace candor
