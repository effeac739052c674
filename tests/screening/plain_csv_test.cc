#include <gtest/gtest.h>

#include "screening/importers.h"

namespace candor::screening {
namespace {

TEST(PlainCsv, ImportsEveryColumn) {
  const char* text =
      "id,name,aliases,type,country,dob,identifiers\n"
      "A1,Ivan Petrov,Ivan PETROFF; I. Petrov,person,RU;Belarus,1970-03-01,passport:712345678\n"
      "A2,Acme Surveillance LLC,,organization,AE,,registration:CN-12345\n";
  auto list = import_plain_csv(text, "Authority list");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  ASSERT_EQ(list->entities.size(), 2U);
  const Entity& ivan = list->entities[0];
  EXPECT_EQ(ivan.entity_id, "A1");
  ASSERT_EQ(ivan.names.size(), 3U);
  EXPECT_EQ(ivan.names[2].text, "I. Petrov");
  EXPECT_EQ(ivan.type, EntityType::person);
  EXPECT_EQ(ivan.countries, (std::vector<std::string>{"RU", "BY"}));
  EXPECT_EQ(ivan.birth_dates, (std::vector<std::string>{"1970-03-01"}));
  ASSERT_EQ(ivan.identifiers.size(), 1U);
  EXPECT_EQ(ivan.identifiers[0].type, "passport");
  EXPECT_EQ(list->entities[1].type, EntityType::organization);
}

TEST(PlainCsv, OnlyNameIsRequired) {
  auto list = import_plain_csv("Name\nSomebody\n\nSomeone Else\n", "x");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  ASSERT_EQ(list->entities.size(), 2U);
  EXPECT_EQ(list->entities[1].entity_id, "4");  // The line number when there is no id column.
}

// Rule: bad values are errors naming the line; nothing is returned.
TEST(PlainCsv, BadValuesNameTheLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"name,type\nX,robot\n", "line 2"},
      {"name,country\nX,ZZ\n", "line 2"},
      {"name,country\nX,Atlantis\n", "line 2"},
      {"name,dob\nX,yesterday\n", "line 2"},
      {"name,identifiers\nX,A123\n", "line 2"},
      {"name\nok\n\"\n", "line 3"},
      {"alias\nX\n", "line 1"},
      {"", "line 1"},
      {"name\n,\n", "line 2"},
  };
  for (const auto& [text, where] : cases) {
    auto list = import_plain_csv(text, "x");
    ASSERT_FALSE(list.ok()) << text;
    EXPECT_EQ(list.error().context(), where) << text << " -> " << list.error().to_string();
  }
}

}  // namespace
}  // namespace candor::screening
