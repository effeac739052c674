#include <gtest/gtest.h>

#include "screening/importers.h"
#include "screening/remarks.h"
#include "support/shared_data.h"

namespace candor::screening {
namespace {

const Entity* find(const SanctionsList& list, const std::string& id) {
  for (const auto& e : list.entities) {
    if (e.entity_id == id) return &e;
  }
  return nullptr;
}

TEST(OfacRemarks, ReadsDatesCountriesIdentifiersAndWeakAliases) {
  Entity e;
  e.names.push_back({"TEST, Person", NameStrength::strong});
  apply_ofac_remarks(
      "DOB 12 Feb 1962; alt. DOB 1963; POB Tehran, Iran; nationality Iran; "
      "Passport A1234567 (Iran); a.k.a. 'ABU TEST'; a.k.a. 'T.P.'.",
      e);
  EXPECT_EQ(e.birth_dates, (std::vector<std::string>{"1962-02-12"}));
  EXPECT_EQ(e.countries, (std::vector<std::string>{"IR"}));
  ASSERT_EQ(e.identifiers.size(), 1U);
  EXPECT_EQ(e.identifiers[0].type, "passport");
  EXPECT_EQ(e.identifiers[0].value, "A1234567");
  EXPECT_EQ(e.identifiers[0].country, "Iran");
  ASSERT_EQ(e.names.size(), 3U);
  EXPECT_EQ(e.names[1].text, "ABU TEST");
  EXPECT_EQ(e.names[1].strength, NameStrength::weak);
  EXPECT_EQ(e.names[2].text, "T.P.");
}

TEST(OfacRemarks, ParsesLooseDates) {
  EXPECT_EQ(parse_loose_date("12 Feb 1962"), "1962-02-12");
  EXPECT_EQ(parse_loose_date("Feb 1962"), "1962-02");
  EXPECT_EQ(parse_loose_date("1962"), "1962");
  EXPECT_EQ(parse_loose_date("circa 1960"), "1960");
  EXPECT_EQ(parse_loose_date("1958 to 1960"), "1958");
  EXPECT_EQ(parse_loose_date("sometime"), "");
}

TEST(OfacCsv, ImportsASmallAuthoredFile) {
  const char* sdn =
      "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
      "7000,\"DOE, John\",\"individual\",\"SDGT] [SYRIA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
      "\"DOB 01 Jan 1970; nationality Syria.\"\n";
  const char* alt = "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \n";
  const char* add = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n\x1a";  // DOS end-of-file mark.
  auto list = import_ofac_csv(sdn, alt, add, "OFAC SDN");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  ASSERT_EQ(list->entities.size(), 2U);
  const Entity* airline = find(list.value(), "36");
  ASSERT_NE(airline, nullptr);
  EXPECT_EQ(airline->type, EntityType::organization);
  ASSERT_EQ(airline->names.size(), 2U);
  EXPECT_EQ(airline->names[1].text, "AERO-CARIBBEAN");
  EXPECT_EQ(airline->countries, (std::vector<std::string>{"CU"}));
  const Entity* doe = find(list.value(), "7000");
  ASSERT_NE(doe, nullptr);
  EXPECT_EQ(doe->type, EntityType::person);
  EXPECT_EQ(doe->birth_dates, (std::vector<std::string>{"1970-01-01"}));
  EXPECT_EQ(doe->countries, (std::vector<std::string>{"SY"}));
  EXPECT_EQ(doe->programs, (std::vector<std::string>{"SDGT", "SYRIA"}));
}

// Rule: a malformed file is an error naming the file and line; nothing is returned.
TEST(OfacCsv, MalformedFilesNameTheLine) {
  const std::string good = "36,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
  struct Bad {
    std::string sdn, alt, where;
  };
  const Bad cases[] = {
      {good + "37,\"B\",-0- \n", "", "sdn: line 2"},
      {good + "x,\"B\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", "", "sdn: line 2"},
      {good + good, "", "sdn: line 2"},
      {good + "\"unclosed,\n", "", "sdn: line 2"},
      {good, "99,1,\"aka\",\"NOBODY\",-0- \n", "alt: line 1"},
  };
  for (const auto& b : cases) {
    auto list = import_ofac_csv(b.sdn, b.alt, "", "OFAC SDN");
    ASSERT_FALSE(list.ok()) << b.sdn;
    EXPECT_EQ(list.error().kind(), ErrorKind::invalid_argument);
    EXPECT_TRUE(list.error().context().starts_with(b.where)) << list.error().to_string();
  }
}

TEST(OfacCsv, ImportsTheRealSdnList2021) {
  CANDOR_READ_SHARED_OR_SKIP(sdn, "screening/ofac_sdn_2021.csv");
  CANDOR_READ_SHARED_OR_SKIP(alt, "screening/ofac_alt_2021.csv");
  CANDOR_READ_SHARED_OR_SKIP(add, "screening/ofac_add_2021.csv");
  auto list = import_ofac_csv(sdn, alt, add, "OFAC SDN");
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  EXPECT_EQ(list->entities.size(), 8976U);  // As the data README states.
  std::size_t aliases = 0;
  std::size_t people = 0;
  std::size_t with_dob = 0;
  for (const auto& e : list->entities) {
    for (const auto& n : e.names) aliases += n.strength == NameStrength::strong ? 1 : 0;
    people += e.type == EntityType::person ? 1 : 0;
    with_dob += e.birth_dates.empty() ? 0 : 1;
  }
  EXPECT_EQ(aliases, 8976U + 11910U);  // Primary names plus the alt file's aliases.
  EXPECT_GT(people, 3000U);
  EXPECT_GT(with_dob, people * 9 / 10);
  const Entity* bnc = find(list.value(), "306");
  ASSERT_NE(bnc, nullptr);
  EXPECT_EQ(bnc->names[0].text, "BANCO NACIONAL DE CUBA");
  // Its branches abroad, from the add file; "CUBA" in the SDN row is the programme.
  EXPECT_EQ(bnc->countries, (std::vector<std::string>{"CH", "ES", "JP", "PA"}));
  EXPECT_EQ(bnc->programs, (std::vector<std::string>{"CUBA"}));
}

}  // namespace
}  // namespace candor::screening
