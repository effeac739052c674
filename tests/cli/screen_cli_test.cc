// Black-box tests of `candor screen`, `candor screen batch` and `candor screen pairs`, in
// exactly the forms the issue names.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace candor {
namespace {

const std::string kCandor = CANDOR_BINARY_PATH;
const std::string kEuSample =
    std::string(CANDOR_SOURCE_DIR) + "/tests/screening/data/eu_fsf_sample.xml";

testing::Finished candor(std::vector<std::string> args) {
  args.insert(args.begin(), kCandor);
  return testing::run_to_end(args, ".", "");
}

class ScreenCli : public ::testing::Test {
 protected:
  void SetUp() override {
    list_ = (dir_.path() / "parties.csv").string();
    std::ofstream(list_) << "id,name,aliases,type,country,dob\n"
                            "P1,Ivan PETROV,,person,RU,1960\n"
                            "P2,Ivan PETROV,,person,UA,1985\n"
                            "C1,Example Signal Systems OAO,,organization,BY,\n";
  }
  std::string write(const char* name, const std::string& text) {
    const std::string path = (dir_.path() / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  testing::TempDir dir_;
  std::string list_;
};

TEST_F(ScreenCli, JsonArrayHasTheNamedKeysBestFirst) {
  auto result = candor({"screen", "--list", list_, "--list", kEuSample, "--json", "--dob", "1985",
                        "--country", "UA", "--type", "person", "Petrov Ivan"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto hits = nlohmann::json::parse(result.out);
  ASSERT_TRUE(hits.is_array());
  ASSERT_EQ(hits.size(), 1U);  // The 1960 namesake falls below the threshold.
  for (const char* key : {"score", "list", "entity_id", "matched_name", "explanation"}) {
    EXPECT_TRUE(hits[0].contains(key)) << key;
  }
  EXPECT_EQ(hits[0]["entity_id"], "P2");
  EXPECT_EQ(hits[0]["list"], "parties");
  EXPECT_DOUBLE_EQ(hits[0]["score"].get<double>(), 1.0);
  EXPECT_EQ(hits[0]["band"], "block");
  EXPECT_NE(hits[0]["explanation"].get<std::string>().find("date of birth 1985 matches 1985"),
            std::string::npos);
}

TEST_F(ScreenCli, TextReportAndAutoFormatAcrossLists) {
  auto result = candor({"screen", "--list", list_, "--list", kEuSample, "Иван Тестов"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("EU Financial Sanctions  EU.9001.01"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("testov = testov (exact)"), std::string::npos) << result.out;
  auto none = candor({"screen", "--list", list_, "--format", "csv", "Zebedee Quux"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(none.out.find("0 hits"), std::string::npos);
  auto threshold = candor({"screen", "--list", list_, "--threshold", "0.3", "--json", "Ivan"});
  ASSERT_EQ(threshold.exit_code, 0) << threshold.err;
  EXPECT_EQ(nlohmann::json::parse(threshold.out).size(), 2U);
}

TEST_F(ScreenCli, BadArgumentsAndFilesExitTwoWithOneLine) {
  const auto expect_usage = [](const testing::Finished& r, const char* what) {
    EXPECT_EQ(r.exit_code, 2) << what << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << what;
  };
  expect_usage(candor({"screen", "Ivan"}), "no list");
  expect_usage(candor({"screen", "--list", list_}), "no name");
  expect_usage(candor({"screen", "--list", list_, "--threshold", "2", "x"}), "threshold");
  expect_usage(candor({"screen", "--list", list_, "--dob", "1985-13", "x"}), "dob");
  expect_usage(candor({"screen", "--list", list_, "--country", "Atlantis", "x"}), "country");
  expect_usage(candor({"screen", "--list", list_, "--type", "ship", "x"}), "type");
  expect_usage(candor({"screen", "--list", list_, "--format", "pdf", "x"}), "format");
  expect_usage(candor({"screen", "--list", "/nonexistent.csv", "x"}), "missing list");
  const std::string broken = write("broken.xml", "<CONSOLIDATED_LIST><INDIVIDUALS>");
  auto bad = candor({"screen", "--list", broken, "x"});
  expect_usage(bad, "malformed list");
  EXPECT_NE(bad.err.find("offset"), std::string::npos) << bad.err;
  expect_usage(candor({"screen", "--list", list_, "--format", "un-xml", "x"}), "wrong format");
}

TEST_F(ScreenCli, BatchWritesTheNamedColumns) {
  const std::string queries = write("queries.csv",
                                    "full_name,date_of_birth,nationality,schema\n"
                                    "Ivan Petrov,1985,ua,Person\n"
                                    "Nobody Atall,,,\n"
                                    "\"Example Signal Systems, JSC\",,by,Company\n");
  const std::string out = (dir_.path() / "hits.csv").string();
  auto result = candor({"screen", "batch", "--list", list_, "--queries", queries, "--out", out});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read(out),
            "query_row,query_name,rank,score,list,entity_id,matched_name\n"
            "0,Ivan Petrov,1,1.0000,parties,P2,Ivan PETROV\n"
            "2,\"Example Signal Systems, JSC\",1,1.0000,parties,C1,Example Signal Systems OAO\n");
  EXPECT_NE(result.err.find("2 of 3 queries have hits"), std::string::npos) << result.err;

  const std::string no_name = write("bad.csv", "name\nx\n");
  auto bad = candor({"screen", "batch", "--list", list_, "--queries", no_name, "--out", out});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("full_name"), std::string::npos);
  // The earlier output is untouched by the failed run.
  EXPECT_NE(read(out).find("P2"), std::string::npos);
}

TEST_F(ScreenCli, PairsAddsScoreAndMatch) {
  const std::string pairs = write("pairs.csv",
                                  "id,name1,name2,schema\n"
                                  "1,Владимир Путин,Vladimir Putin,Person\n"
                                  "2,BELLETECH CORP,11420 CORP.,Company\n"
                                  "3,\"PUTIN, Vladimir\",Vladimir Putin,\n");
  auto result = candor({"screen", "pairs", "--in", pairs});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "id,name1,name2,schema,score,match\n"
            "1,Владимир Путин,Vladimir Putin,Person,1.0000,true\n"
            "2,BELLETECH CORP,11420 CORP.,Company,0.1304,false\n"
            "3,\"PUTIN, Vladimir\",Vladimir Putin,,1.0000,true\n");
  const std::string bad = write("bad_pairs.csv", "a,b\n1,2\n");
  auto missing = candor({"screen", "pairs", "--in", bad});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("name1"), std::string::npos);
}

TEST_F(ScreenCli, PairsWeighWordsByTheListsGiven) {
  // "Ahmed" is on every name of this list, "Qasimi" and "Zarkawi" on one each: against it, a
  // pair sharing only "Ahmed" is further apart than with every word weighing the same.
  std::string text = "id,name,aliases,type,country,dob\n";
  for (int i = 0; i < 30; ++i) {
    text += "A" + std::to_string(i) + ",Ahmed Name" +
            std::string(1, static_cast<char>('a' + i % 26)) + std::to_string(i) + ",,person,,\n";
  }
  text += "Q,Ahmed Qasimi,,person,,\nZ,Ahmed Zarkawi,,person,,\n";
  const std::string list = write("ahmeds.csv", text);
  const std::string pairs = write("pairs.csv",
                                  "name1,name2,schema\n"
                                  "Ahmed Zarkawi,Ahmed Qasimi,Person\n"
                                  "Ahmed Zarkawi,Ahmad Zarkawi,Person\n");
  const auto scores = [](const std::string& out) {
    std::vector<double> got;
    std::istringstream lines(out);
    std::string line;
    std::getline(lines, line);  // Header.
    while (std::getline(lines, line)) {
      const auto comma = line.rfind(',', line.rfind(',') - 1);
      got.push_back(std::stod(line.substr(comma + 1)));
    }
    return got;
  };
  auto plain = candor({"screen", "pairs", "--in", pairs});
  auto weighed = candor({"screen", "pairs", "--in", pairs, "--list", list});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(weighed.exit_code, 0) << weighed.err;
  const auto a = scores(plain.out);
  const auto b = scores(weighed.out);
  ASSERT_EQ(a.size(), 2U);
  ASSERT_EQ(b.size(), 2U);
  EXPECT_LT(b[0], a[0]) << plain.out << weighed.out;  // Only the common word is shared.
  EXPECT_GE(b[1], 0.8) << weighed.out;                // A spelling of the same name still is.
  auto missing = candor({"screen", "pairs", "--in", pairs, "--list", "no-such-list.csv"});
  EXPECT_NE(missing.exit_code, 0);
}

TEST_F(ScreenCli, NameStopwordsAddTitlesAndBadFilesAreRefused) {
  const std::string pairs = write("titled.csv",
                                  "name1,name2,schema\n"
                                  "Grand Vizier Ali Karimi,ALI KARIMI,Person\n");
  auto plain = candor({"screen", "pairs", "--in", pairs});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find(",false\n"), std::string::npos) << plain.out;
  // A title of the user's own file, in name_stopwords.yml's shape, is dropped as the built-in
  // ones are.
  const std::string titles = write("titles.yml", "PERSON_NAME_PREFIXES:\n  - Grand Vizier\n");
  auto titled = candor({"screen", "pairs", "--in", pairs, "--name-stopwords", titles});
  ASSERT_EQ(titled.exit_code, 0) << titled.err;
  EXPECT_NE(titled.out.find(",1.0000,true\n"), std::string::npos) << titled.out;

  const std::string wrong = write("wrong.yml", "titles:\n  - Vizier\n");
  auto refused = candor({"screen", "pairs", "--in", pairs, "--name-stopwords", wrong});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("PERSON_NAME_PREFIXES"), std::string::npos) << refused.err;
  const std::string broken = write("broken.yml", "PERSON_NAME_PREFIXES: [\n");
  auto unreadable = candor({"screen", "pairs", "--in", pairs, "--name-stopwords", broken});
  EXPECT_EQ(unreadable.exit_code, 2);
  EXPECT_NE(unreadable.err.find("broken.yml:"), std::string::npos) << unreadable.err;
}

}  // namespace
}  // namespace candor
