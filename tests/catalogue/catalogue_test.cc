// Loading and validating the control-list data: the built-in files, and one test per kind
// of mistake an editor of data/controls/ can make, each naming the file and line.
#include "catalogue/catalogue.h"

#include <gtest/gtest.h>

#include <set>

#include "catalogue/classify.h"

namespace candor::catalogue {
namespace {

const char* kFacts = R"(facts:
  - id: kind
    type: kind
    question: What kind?
  - id: spies
    type: boolean
    question: Does it spy?
)";

const char* kCatchAll = R"(catch_all:
  code: Art. 5
  title: Unlisted
  summary: s
  when: {fact: spies, is: true, text: spies}
  citation: {act: A, entry: Article 5, url: "https://example.org"}
)";

Result<Catalogue> load_with(const std::string& entries) {
  const std::vector<SourceFile> files = {
      {"facts.yaml", kFacts}, {"art5.yaml", kCatchAll}, {"entries.yaml", entries}};
  return Catalogue::load(files);
}

const std::string kGoodEntry = R"(entries:
  - code: 9X999
    title: t
    category: c
    summary: s
    kinds: [software]
    criteria: {fact: spies, is: true, text: spies}
    source: {regime: R, year: 2020}
    citation: {act: A, annex: Annex I, entry: 9X999, url: "https://example.org"}
)";

TEST(BuiltinCatalogue, LoadsEveryRequiredEntry) {
  const Catalogue& c = Catalogue::builtin();
  for (const char* code :
       {"4A005", "4D004", "4E001.a", "4E001.c", "5A001.f.1", "5A001.f.2", "5A001.f.3", "5A001.f.4",
        "5A001.j", "5D001.a", "5D001.e", "5A004.b", "5D002", "5E002"}) {
    const ControlEntry* e = c.entry(code);
    ASSERT_NE(e, nullptr) << code;
    EXPECT_FALSE(e->title.empty()) << code;
    EXPECT_FALSE(e->summary.empty()) << code;
    EXPECT_EQ(e->citation.act, "Regulation (EU) 2021/821") << code;
    EXPECT_FALSE(e->citation.url.empty()) << code;
    EXPECT_GT(e->year, 2000) << code;
  }
  EXPECT_EQ(c.catch_all().code, "Art. 5");
  EXPECT_TRUE(c.data_version().starts_with("controls@"));
  EXPECT_EQ(c.data_version().size(), std::string("controls@").size() + 12);
}

TEST(BuiltinCatalogue, UsesTheFactVocabularyOfTheIssue) {
  const std::set<std::string> required = {"kind",
                                          "covert_surveillance_of_persons",
                                          "application_layer_analysis",
                                          "extracts_metadata_and_content",
                                          "indexes_extracted_data",
                                          "searches_hard_selectors",
                                          "maps_relational_networks",
                                          "designed_for_marketing_qos_qoe",
                                          "over_the_air_interception",
                                          "extracts_subscriber_identifiers_over_air",
                                          "jamming",
                                          "intrusion_software_generation_c2_delivery",
                                          "updates_only_with_owner_authorisation",
                                          "vulnerability_disclosure_or_incident_response",
                                          "extracts_device_data_circumventing_authentication",
                                          "handover_interface_analysis",
                                          "biometric_identification",
                                          "location_tracking"};
  for (const auto& id : required) EXPECT_NE(Catalogue::builtin().fact(id), nullptr) << id;
}

TEST(CatalogueLoad, AcceptsAWellFormedEntry) {
  auto c = load_with(kGoodEntry);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_NE(c->entry("9X999"), nullptr);
}

struct Broken {
  const char* rule;
  std::string from;
  std::string to;
  const char* where;    // Expected error context.
  const char* message;  // Expected part of the message.
};

TEST(CatalogueLoad, ErrorsNameTheFileAndLine) {
  const Broken cases[] = {
      {"unknown field", "    summary: s\n", "    summary: s\n    colour: red\n", "entries.yaml:6",
       "unknown field 'colour'"},
      {"unknown fact in a condition", "{fact: spies,", "{fact: flies,", "entries.yaml:2",
       "unknown fact 'flies'"},
      {"missing field", "    title: t\n", "", "entries.yaml:2", "missing field 'title'"},
      {"bad kind", "kinds: [software]", "kinds: [firmware]", "entries.yaml:6",
       "unknown kind 'firmware'"},
      {"fact test without is", "{fact: spies, is: true, text: spies}", "{fact: spies, text: spies}",
       "entries.yaml:7", "is: true"},
      {"reference to an unknown entry", "{fact: spies, is: true, text: spies}",
       "{entry: 1A001, text: x}", "entries.yaml:2", "unknown entry '1A001'"},
      {"YAML syntax", "kinds: [software]", "kinds: [software", "entries.yaml:", ""},
  };
  for (const auto& b : cases) {
    SCOPED_TRACE(b.rule);
    std::string text = kGoodEntry;
    const auto pos = text.find(b.from);
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, b.from.size(), b.to);
    auto c = load_with(text);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind(), ErrorKind::invalid_argument);
    EXPECT_TRUE(c.error().context().starts_with(b.where)) << c.error().to_string();
    EXPECT_NE(c.error().message().find(b.message), std::string::npos) << c.error().to_string();
  }
}

TEST(CatalogueLoad, RefusesDuplicateCodesAndReferenceLoops) {
  auto twice = load_with(kGoodEntry + kGoodEntry.substr(kGoodEntry.find("  - code")));
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message().find("defined twice"), std::string::npos);

  std::string loop = kGoodEntry;
  loop.replace(loop.find("{fact: spies, is: true, text: spies}"), 36, "{entry: 9X999, text: self}");
  auto looped = load_with(loop);
  ASSERT_FALSE(looped.ok());
  EXPECT_NE(looped.error().message().find("loop"), std::string::npos) << looped.error().to_string();
}

TEST(ParseItem, ErrorsNameTheField) {
  const auto& c = Catalogue::builtin();
  struct BadItem {
    nlohmann::json json;
    const char* field;
  };
  const BadItem cases[] = {
      {{{"name", "x"}, {"facts", {{"flies", true}}}}, "facts.flies"},
      {{{"name", "x"}, {"facts", {{"jamming", "yes"}}}}, "facts.jamming"},
      {{{"name", "x"}, {"facts", {{"kind", "firmware"}}}}, "facts.kind"},
      {{{"name", "x"}, {"facts", {"jamming"}}}, "facts"},
      {{{"name", 7}}, "name"},
      {{{"description", "no name"}}, "name"},
      {{{"name", "x"}, {"colour", "red"}}, "colour"},
      {nlohmann::json::array(), "item"},
  };
  for (const auto& b : cases) {
    auto item = parse_item(b.json, c);
    ASSERT_FALSE(item.ok()) << b.json.dump();
    EXPECT_EQ(item.error().context(), b.field) << b.json.dump();
  }
  auto ok = parse_item({{"name", "x"}, {"facts", {{"jamming", nullptr}, {"kind", "software"}}}}, c);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(ok->facts.has("jamming"));  // null means unknown.
}

}  // namespace
}  // namespace candor::catalogue
