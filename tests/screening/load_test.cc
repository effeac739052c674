#include <gtest/gtest.h>

#include <fstream>

#include "screening/load.h"
#include "screening/names.h"
#include "support/shared_data.h"
#include "support/temp_dir.h"

namespace candor::screening {
namespace {

TEST(Load, DetectsFormatsFromContent) {
  EXPECT_EQ(detect_list_format("<?xml version=\"1.0\"?>\n<sdnList>").value(), ListFormat::ofac_xml);
  EXPECT_EQ(detect_list_format("\xEF\xBB\xBF<CONSOLIDATED_LIST>").value(), ListFormat::un_xml);
  EXPECT_EQ(detect_list_format("<!-- x --><fsd:export xmlns:fsd=\"x\">").value(),
            ListFormat::eu_xml);
  EXPECT_EQ(detect_list_format("{\"id\": 1}").value(), ListFormat::ftm);
  EXPECT_EQ(detect_list_format("36,\"AEROCARIBBEAN AIRLINES\",-0-").value(), ListFormat::ofac_csv);
  EXPECT_EQ(detect_list_format("id,Name,aliases\n").value(), ListFormat::csv);
  EXPECT_FALSE(detect_list_format("").ok());
  EXPECT_FALSE(detect_list_format("<html>").ok());
  EXPECT_FALSE(detect_list_format("hello world").ok());
  EXPECT_EQ(parse_list_format("eu-xml").value(), ListFormat::eu_xml);
  EXPECT_FALSE(parse_list_format("xml").ok());
}

TEST(Load, OfacCsvFindsItsAliasAndAddressFilesBesideIt) {
  testing::TempDir dir;
  const auto write = [&](const char* name, const char* text) {
    std::ofstream(dir.path() / name) << text;
  };
  write("sdn.csv", "10,\"DOE, John\",\"individual\",\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n");
  write("alt.csv", "10,1,\"aka\",\"DOE, Johnny\",-0-\n");
  auto list = load_list((dir.path() / "sdn.csv").string(), ListFormat::automatic);
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  ASSERT_EQ(list->entities.size(), 1U);
  EXPECT_EQ(list->entities[0].names.size(), 2U);
  EXPECT_EQ(list->name, "OFAC sdn");
}

TEST(Load, ErrorsNameTheFile) {
  auto missing = load_list("/nonexistent/list.xml", ListFormat::automatic);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().to_string().find("/nonexistent/list.xml"), std::string::npos);
  testing::TempDir dir;
  std::ofstream(dir.path() / "bad.xml") << "<CONSOLIDATED_LIST><INDIVIDUALS>";
  auto bad = load_list((dir.path() / "bad.xml").string(), ListFormat::automatic);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().to_string().find("bad.xml"), std::string::npos);
  EXPECT_NE(bad.error().to_string().find("offset"), std::string::npos);
}

TEST(Load, ReadsOrgTypesFromTheSharedData) {
  CANDOR_READ_SHARED_OR_SKIP(org_types, "screening/org_types.yml");
  auto forms = LegalForms::parse(org_types, "org_types.yml");
  ASSERT_TRUE(forms.ok()) << forms.error().to_string();
  EXPECT_GT(forms->size(), 1500U);
  const NamePreparer preparer(*forms);
  const auto a = preparer.prepare("Romashka Obshchestvo s ogranichennoy otvetstvennostyu",
                                  EntityType::organization);
  const auto b = preparer.prepare("Romashka LLC", EntityType::organization);
  ASSERT_EQ(a.tokens.size(), 2U);
  EXPECT_EQ(a.tokens[1].kind, TokenKind::legal_form);
  EXPECT_EQ(a.tokens[1].text, b.tokens[1].text);
}

}  // namespace
}  // namespace candor::screening
