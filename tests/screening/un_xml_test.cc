#include <gtest/gtest.h>

#include "screening/importers.h"
#include "support/shared_data.h"

namespace candor::screening {
namespace {

const char* kSmall = R"(<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>Эрик Бадеге</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Democratic Republic of the Congo</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>E. Badege</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>The General</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OB0123</NUMBER>
        <ISSUING_COUNTRY>Rwanda</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <FIRST_NAME>ACME TRADING LLC</FIRST_NAME><REFERENCE_NUMBER>KPe.099</REFERENCE_NUMBER>
      <ENTITY_ADDRESS><COUNTRY>Korea, Democratic People's Republic of</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>)";

TEST(UnXml, ImportsIndividualsAndEntities) {
  auto list = import_un_xml(kSmall);
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  EXPECT_EQ(list->published, "2026-02-27");
  ASSERT_EQ(list->entities.size(), 2U);
  const Entity& eric = list->entities[0];
  EXPECT_EQ(eric.entity_id, "CDi.001");
  EXPECT_EQ(eric.type, EntityType::person);
  ASSERT_EQ(eric.names.size(), 4U);
  EXPECT_EQ(eric.names[0].text, "ERIC BADEGE");
  EXPECT_EQ(eric.names[1].text, "Эрик Бадеге");
  EXPECT_EQ(eric.names[2].strength, NameStrength::strong);
  EXPECT_EQ(eric.names[3].strength, NameStrength::weak);
  EXPECT_EQ(eric.countries, (std::vector<std::string>{"CD"}));
  EXPECT_EQ(eric.birth_dates, (std::vector<std::string>{"1971"}));
  ASSERT_EQ(eric.identifiers.size(), 1U);
  EXPECT_EQ(eric.identifiers[0].value, "OB0123");
  const Entity& acme = list->entities[1];
  EXPECT_EQ(acme.type, EntityType::organization);
  EXPECT_EQ(acme.countries, (std::vector<std::string>{"KP"}));
}

TEST(UnXml, MalformedXmlGivesTheOffset) {
  auto broken = import_un_xml("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL></INDIVIDUALS>");
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(broken.error().context().starts_with("offset ")) << broken.error().to_string();
  auto wrong_root = import_un_xml("<sdnList/>");
  ASSERT_FALSE(wrong_root.ok());
  auto nameless = import_un_xml(
      "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>X</REFERENCE_NUMBER>"
      "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>");
  ASSERT_FALSE(nameless.ok());
}

TEST(UnXml, ImportsTheReal2026List) {
  CANDOR_READ_SHARED_OR_SKIP(xml, "screening/un_consolidated_2026.xml");
  auto list = import_un_xml(xml);
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  std::size_t people = 0;
  std::size_t with_nationality = 0;
  for (const auto& e : list->entities) {
    if (e.type == EntityType::person) {
      ++people;
      with_nationality += e.countries.empty() ? 0 : 1;
    }
  }
  EXPECT_EQ(people, 730U);  // As the data README states.
  EXPECT_EQ(list->entities.size() - people, 273U);
  EXPECT_GT(with_nationality, people * 3 / 4);  // Country names map to ISO codes.
  EXPECT_EQ(list->published, "2026-02-27");
}

}  // namespace
}  // namespace candor::screening
