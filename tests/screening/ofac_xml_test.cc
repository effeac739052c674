#include <gtest/gtest.h>

#include "screening/importers.h"
#include "support/shared_data.h"

namespace candor::screening {
namespace {

const char* kSmall = R"(<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>04/06/2018</Publish_Date><Record_Count>2</Record_Count></publshInformation>
  <sdnEntry>
    <uid>4632</uid><lastName>BANK MARKAZI JOMHOURI ISLAMI IRAN</lastName><sdnType>Entity</sdnType>
    <programList><program>IRAN</program></programList>
    <idList><id><uid>1</uid><idType>For more information, please see:</idType><idNumber>https://example.org</idNumber></id></idList>
    <akaList>
      <aka><uid>3553</uid><type>a.k.a.</type><category>strong</category><lastName>CENTRAL BANK OF IRAN</lastName></aka>
      <aka><uid>3554</uid><type>a.k.a.</type><category>weak</category><lastName>CBI</lastName></aka>
    </akaList>
    <addressList><address><uid>2898</uid><city>Tehran</city><country>Iran</country></address></addressList>
  </sdnEntry>
  <sdnEntry>
    <uid>7001</uid><firstName>John</firstName><lastName>DOE</lastName><sdnType>Individual</sdnType>
    <idList><id><uid>2</uid><idType>Passport</idType><idNumber>X123</idNumber><idCountry>Syria</idCountry></id></idList>
    <dateOfBirthList><dateOfBirthItem><uid>3</uid><dateOfBirth>01 Jan 1970</dateOfBirth></dateOfBirthItem></dateOfBirthList>
    <nationalityList><nationality><uid>4</uid><country>Syria</country></nationality></nationalityList>
  </sdnEntry>
</sdnList>)";

TEST(OfacXml, ImportsEntriesAliasesAndQualifiers) {
  auto list = import_ofac_xml(kSmall, "OFAC consolidated");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  EXPECT_EQ(list->published, "2018-04-06");
  ASSERT_EQ(list->entities.size(), 2U);
  const Entity& bank = list->entities[0];
  EXPECT_EQ(bank.type, EntityType::organization);
  ASSERT_EQ(bank.names.size(), 3U);
  EXPECT_EQ(bank.names[2].strength, NameStrength::weak);
  EXPECT_EQ(bank.countries, (std::vector<std::string>{"IR"}));
  EXPECT_TRUE(bank.identifiers.empty());  // The "more information" link is not an identifier.
  const Entity& doe = list->entities[1];
  EXPECT_EQ(doe.names[0].text, "John DOE");
  EXPECT_EQ(doe.type, EntityType::person);
  EXPECT_EQ(doe.birth_dates, (std::vector<std::string>{"1970-01-01"}));
  EXPECT_EQ(doe.countries, (std::vector<std::string>{"SY"}));
  ASSERT_EQ(doe.identifiers.size(), 1U);
  EXPECT_EQ(doe.identifiers[0].value, "X123");
}

TEST(OfacXml, MalformedXmlGivesTheOffset) {
  auto broken = import_ofac_xml("<sdnList><sdnEntry><uid>1</uid></sdnList>", "x");
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(broken.error().context().starts_with("offset ")) << broken.error().to_string();
  EXPECT_FALSE(import_ofac_xml("<CONSOLIDATED_LIST/>", "x").ok());
  EXPECT_FALSE(import_ofac_xml("<sdnList><sdnEntry><uid>1</uid></sdnEntry></sdnList>", "x").ok());
}

TEST(OfacXml, ImportsTheReal2018ConsolidatedList) {
  CANDOR_READ_SHARED_OR_SKIP(xml, "screening/ofac_cons_2018.xml");
  auto list = import_ofac_xml(xml, "OFAC consolidated");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  EXPECT_EQ(list->entities.size(), 639U);  // As its Record_Count and the data README state.
  EXPECT_EQ(list->published, "2018-04-06");
}

}  // namespace
}  // namespace candor::screening
