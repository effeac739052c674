// Realistic products as public reporting describes them (data/examples/items/), each with the
// classification an officer would expect. These files double as examples in the user guide.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "catalogue/classify.h"

namespace candor::catalogue {
namespace {

struct Product {
  const char* file;
  Outcome outcome;
  std::vector<std::string> entries;
  std::vector<std::string> exclusions;
  bool catch_all;
};

Classification classify_file(const std::string& name) {
  const std::string path = std::string(CANDOR_SOURCE_DIR) + "/data/examples/items/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  auto item = parse_item(nlohmann::json::parse(text.str()), Catalogue::builtin());
  EXPECT_TRUE(item.ok()) << name << ": " << item.error().to_string();
  return classify(Catalogue::builtin(), item.value());
}

TEST(Products, ClassifyAsPublicReportingSuggests) {
  const Product products[] = {
      {"imsi_catcher.json", Outcome::controlled, {"5A001.f.1", "5A001.f.2"}, {}, false},
      {"monitoring_centre.json", Outcome::controlled, {"5D001.e"}, {}, false},
      {"dpi_for_qos.json", Outcome::not_controlled, {}, {"5A001.j-note"}, false},
      {"dpi_for_surveillance.json", Outcome::controlled, {"5A001.j"}, {}, false},
      {"spyware_platform.json", Outcome::controlled, {"4D004"}, {}, false},
      {"spyware_delivery_appliance.json", Outcome::controlled, {"4A005"}, {}, false},
      {"phone_forensic_kit.json", Outcome::controlled, {"5A004.b"}, {}, false},
      {"city_facial_recognition.json", Outcome::not_controlled, {}, {}, true},
      {"vulnerability_report.json", Outcome::not_controlled, {}, {"4E001-note-1"}, false},
      {"endpoint_security_update.json", Outcome::not_controlled, {}, {"4D004-note"}, false},
  };
  for (const auto& p : products) {
    SCOPED_TRACE(p.file);
    const Classification c = classify_file(p.file);
    EXPECT_EQ(to_string(c.outcome), to_string(p.outcome));
    std::vector<std::string> entries;
    for (const auto& e : c.applies) entries.push_back(e.entry->code);
    EXPECT_EQ(entries, p.entries);
    std::vector<std::string> exclusions;
    for (const auto& x : c.exclusions) exclusions.push_back(x.exclusion->id);
    EXPECT_EQ(exclusions, p.exclusions);
    EXPECT_EQ(c.catch_all, p.catch_all);
    if (c.outcome == Outcome::not_controlled) {
      for (const auto& q : c.questions) ADD_FAILURE() << "open question: " << q.fact->id;
    }
  }
}

// Security research is a first-class outcome: not controlled, naming the note that grounds it.
TEST(Products, SecurityResearchNamesItsNote) {
  const Classification report = classify_file("vulnerability_report.json");
  ASSERT_FALSE(report.exclusions.empty());
  EXPECT_EQ(report.exclusions.front().exclusion->ref, "Note 1 to 4E001.a and 4E001.c");
  EXPECT_NE(report.exclusions.front().exclusion->note.find("vulnerability disclosure"),
            std::string::npos);
  const auto json = to_json(report, Catalogue::builtin());
  EXPECT_EQ(json["controlled"], false);
  EXPECT_EQ(json["exclusions"][0]["note"], report.exclusions.front().exclusion->note);
}

}  // namespace
}  // namespace candor::catalogue
