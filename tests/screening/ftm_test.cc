#include <gtest/gtest.h>

#include "screening/importers.h"
#include "support/shared_data.h"

namespace candor::screening {
namespace {

TEST(Ftm, ReadsPartiesAndAttachesSanctionProgrammes) {
  const std::string text =
      R"({"id": "p1", "schema": "Person", "properties": {"name": ["Maria OSETROVA"], "alias": ["Мария Осетрова"], "weakAlias": ["Masha"], "birthDate": ["1988-01-07"], "nationality": ["ru"], "innCode": ["183116181362"]}})"
      "\n"
      R"({"id": "c1", "schema": "Company", "properties": {"name": ["Example Signal LLC"], "jurisdiction": ["by"], "country": ["eu"]}})"
      "\n\n"
      R"({"id": "a1", "schema": "Address", "properties": {"full": ["Somewhere 1"]}})"
      "\n"
      R"({"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "program": ["UK disqualification"]}})"
      "\n";
  auto list = import_ftm(text, "sample");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  ASSERT_EQ(list->entities.size(), 2U);
  const Entity& person = list->entities[0];
  EXPECT_EQ(person.entity_id, "p1");
  EXPECT_EQ(person.type, EntityType::person);
  ASSERT_EQ(person.names.size(), 3U);
  EXPECT_EQ(person.names[2].strength, NameStrength::weak);
  EXPECT_EQ(person.birth_dates, (std::vector<std::string>{"1988-01-07"}));
  EXPECT_EQ(person.countries, (std::vector<std::string>{"RU"}));
  EXPECT_EQ(person.identifiers.at(0).type, "inn");
  EXPECT_EQ(person.programs, (std::vector<std::string>{"UK disqualification"}));
  // "eu" is a region, not a country.
  EXPECT_EQ(list->entities[1].countries, (std::vector<std::string>{"BY"}));
}

TEST(Ftm, ErrorsNameTheLine) {
  const auto error_of = [](const std::string& text) {
    auto list = import_ftm(text, "x");
    EXPECT_FALSE(list.ok());
    return list.ok() ? std::string() : list.error().to_string();
  };
  EXPECT_NE(
      error_of(
          "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n{broken")
          .find("line 2"),
      std::string::npos);
  EXPECT_NE(error_of("[1, 2]").find("line 1"), std::string::npos);
  EXPECT_NE(
      error_of(R"({"id": "a", "schema": "Person", "properties": {"name": "A"}})").find("list"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"id": "a", "schema": "Person", "properties": {}})").find("without a name"),
            std::string::npos);
  EXPECT_NE(
      error_of("{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n"
               "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"B\"]}}")
          .find("twice"),
      std::string::npos);
}

TEST(Ftm, ImportsTheOpenSanctionsSamples) {
  CANDOR_READ_SHARED_OR_SKIP(zala, "screening/ftm_sample_zala.json");
  auto list = import_ftm(zala, "zala");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  EXPECT_EQ(list->entities.size(), 17U);
  bool found = false;
  for (const auto& entity : list->entities) {
    if (entity.entity_id != "NK-2Tbri3s6GgNtAwsSXh4qpL") continue;
    found = true;
    EXPECT_EQ(entity.type, EntityType::person);
    EXPECT_GE(entity.names.size(), 10U);
    EXPECT_EQ(entity.birth_dates, (std::vector<std::string>{"1988-01-07"}));
  }
  EXPECT_TRUE(found);
  CANDOR_READ_SHARED_OR_SKIP(donations, "screening/ftm_sample_parteispenden.json");
  auto donors = import_ftm(donations, "parteispenden");
  ASSERT_TRUE(donors.ok()) << donors.error().to_string();
  EXPECT_EQ(donors->entities.size(), 96U);
}

}  // namespace
}  // namespace candor::screening
