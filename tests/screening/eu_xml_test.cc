#include <gtest/gtest.h>

#include "core/files.h"
#include "screening/importers.h"

namespace candor::screening {
namespace {

std::string sample() {
  return read_file(std::string(CANDOR_SOURCE_DIR) + "/tests/screening/data/eu_fsf_sample.xml")
      .value();
}

TEST(EuXml, ImportsPersonsAndEnterprisesFromTheAuthoredSample) {
  auto list = import_eu_xml(sample());
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  EXPECT_EQ(list->name, "EU Financial Sanctions");
  EXPECT_EQ(list->published, "2026-11-20");
  ASSERT_EQ(list->entities.size(), 3U);

  const Entity& ivan = list->entities[0];
  EXPECT_EQ(ivan.entity_id, "EU.9001.01");
  EXPECT_EQ(ivan.type, EntityType::person);
  ASSERT_EQ(ivan.names.size(), 3U);
  EXPECT_EQ(ivan.names[0].text, "Ivan Petrovich TESTOV");
  EXPECT_EQ(ivan.names[1].text, "Иван Петрович Тестов");
  EXPECT_EQ(ivan.names[2].text, "Vanya");
  EXPECT_EQ(ivan.names[2].strength, NameStrength::weak);
  EXPECT_EQ(ivan.birth_dates, (std::vector<std::string>{"1971-03-14"}));
  EXPECT_EQ(ivan.countries, (std::vector<std::string>{"RU"}));
  ASSERT_EQ(ivan.identifiers.size(), 1U);
  EXPECT_EQ(ivan.identifiers[0].type, "passport");
  EXPECT_EQ(ivan.identifiers[0].value, "7100123456");
  EXPECT_EQ(ivan.programs, (std::vector<std::string>{"RUS"}));

  const Entity& company = list->entities[1];
  EXPECT_EQ(company.type, EntityType::organization);
  EXPECT_EQ(company.names.size(), 2U);
  EXPECT_EQ(company.countries, (std::vector<std::string>{"BY"}));
  EXPECT_EQ(company.identifiers.at(0).type, "regnumber");

  // No reference number: the logical id stands in; names from parts; partial dates; the
  // FSF's "00" (unknown country) is no country.
  const Entity& maria = list->entities[2];
  EXPECT_EQ(maria.entity_id, "900303");
  EXPECT_EQ(maria.names.at(0).text, "Maria Examplova");
  EXPECT_EQ(maria.birth_dates, (std::vector<std::string>{"1980", "1981-07"}));
  EXPECT_TRUE(maria.countries.empty());
}

TEST(EuXml, MalformedOrForeignFilesAreRefusedWithTheOffset) {
  std::string text = sample();
  text.resize(text.size() / 2);  // Cut in the middle of an element.
  auto cut = import_eu_xml(text);
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().kind(), ErrorKind::invalid_argument);
  EXPECT_TRUE(cut.error().context().starts_with("offset ")) << cut.error().to_string();

  EXPECT_FALSE(import_eu_xml("<sdnList/>").ok());
  auto nameless = import_eu_xml(
      "<export><sanctionEntity logicalId=\"1\"><subjectType code=\"person\"/></sanctionEntity>"
      "</export>");
  ASSERT_FALSE(nameless.ok());
  EXPECT_NE(nameless.error().message().find("sanctionEntity"), std::string::npos);
}

}  // namespace
}  // namespace candor::screening
