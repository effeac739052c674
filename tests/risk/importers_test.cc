// Every importer on the publishers' real files (skipped when ../shared/data is absent), and
// on small broken inputs.
#include <gtest/gtest.h>

#include <algorithm>

#include "risk/evidence.h"
#include "risk/indicators.h"
#include "support/shared_data.h"

namespace candor::risk {
namespace {

const IndicatorValue* find(const std::vector<IndicatorValue>& values, const std::string& country,
                           int year = 0) {
  const IndicatorValue* best = nullptr;
  for (const auto& v : values) {
    if (v.country != country || (year != 0 && v.year != year)) continue;
    if (best == nullptr || v.year > best->year) best = &v;
  }
  return best;
}

TEST(Indicators, FreedomHouse2023) {
  CANDOR_READ_SHARED_OR_SKIP(text, "risk/freedom_in_the_world_2023.csv");
  auto imported = import_freedom_house(text, 2023);
  ASSERT_TRUE(imported.ok()) << imported.error().to_string();
  const auto* uae = find(imported->values, "AE");
  ASSERT_NE(uae, nullptr);
  EXPECT_EQ(uae->year, 2023);
  EXPECT_DOUBLE_EQ(uae->value, 18);
  EXPECT_EQ(uae->label, "Not Free");
  EXPECT_DOUBLE_EQ(uae->risk, 0.82);
  EXPECT_GT(imported->values.size(), 180U);
  EXPECT_GT(imported->skipped_places, 10U);  // Territories and disputed places.
}

TEST(Indicators, RsfRanksUseTheNewestYearAndItsCountryCount) {
  CANDOR_READ_SHARED_OR_SKIP(text, "risk/rsf_ranks_2002_2025.csv");
  auto imported = import_rsf(text);
  ASSERT_TRUE(imported.ok()) << imported.error().to_string();
  const auto newest_values = newest(imported->values);
  const auto* norway = find(newest_values, "NO");
  ASSERT_NE(norway, nullptr);
  EXPECT_EQ(norway->year, 2025);
  EXPECT_DOUBLE_EQ(norway->value, 1);
  EXPECT_DOUBLE_EQ(norway->risk, 0.0);
  EXPECT_EQ(norway->label, "rank 1 of 180");
  const auto* uae = find(newest_values, "AE");
  ASSERT_NE(uae, nullptr);
  EXPECT_NEAR(uae->risk, 163.0 / 179.0, 1e-9);
}

TEST(Indicators, PoliticalTerrorScaleAveragesTheSourcesAndSkipsMissingYears) {
  CANDOR_READ_SHARED_OR_SKIP(text, "risk/pts_1976_2018.csv");
  auto imported = import_pts(text);
  ASSERT_TRUE(imported.ok()) << imported.error().to_string();
  const auto* uae = find(imported->values, "AE", 2018);
  ASSERT_NE(uae, nullptr);
  EXPECT_DOUBLE_EQ(uae->value, 3.0);
  EXPECT_DOUBLE_EQ(uae->risk, 0.5);
  // Romania is "ROM" in the file (the World Bank's code): found by name.
  EXPECT_NE(find(imported->values, "RO", 2018), nullptr);
}

TEST(Indicators, CivicusRatings) {
  CANDOR_READ_SHARED_OR_SKIP(text, "risk/civicus_2021-03-19.json");
  auto imported = import_civicus(text, 2021);
  ASSERT_TRUE(imported.ok()) << imported.error().to_string();
  const auto* uae = find(imported->values, "AE");
  ASSERT_NE(uae, nullptr);
  EXPECT_EQ(uae->label, "Closed");
  EXPECT_DOUBLE_EQ(uae->risk, 1.0);
  EXPECT_EQ(uae->url, "https://monitor.civicus.org/country/united-arab-emirates/");
  EXPECT_EQ(find(imported->values, "GL"), nullptr);  // Listed but not rated: missing.
}

TEST(Indicators, VdemAndLatentScores) {
  CANDOR_READ_SHARED_OR_SKIP(vdem, "risk/vdem_pts_panel_1990_2013.csv");
  auto v = import_vdem(vdem);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  const auto values = newest(v->values);
  std::size_t uae = 0;
  for (const auto& value : values) uae += value.country == "AE" ? 1 : 0;
  EXPECT_EQ(uae, 3U);  // CSO repression, media censorship, privacy
  CANDOR_READ_SHARED_OR_SKIP(latent, "risk/latent_hr_protection_v4.01.csv");
  auto l = import_latent_hr(latent);
  ASSERT_TRUE(l.ok()) << l.error().to_string();
  const auto* norway = find(l->values, "NO");
  const auto* north_korea = find(l->values, "KP");
  ASSERT_NE(norway, nullptr);
  ASSERT_NE(north_korea, nullptr);
  EXPECT_EQ(norway->year, 2019);
  EXPECT_LT(norway->risk, 0.05);
  EXPECT_GT(north_korea->risk, 0.9);
}

TEST(Indicators, BadFilesNameTheLine) {
  auto fh =
      import_freedom_house("name,region,country_or_territory,status,score\nX,Y,c,NF,abc\n", 2023);
  ASSERT_FALSE(fh.ok());
  EXPECT_EQ(fh.error().context(), "line 2");
  EXPECT_FALSE(import_rsf("year,iso3\n").ok());
  auto pts = import_pts("Country,Year,WordBank_Code_A,PTS_A,PTS_H,PTS_S\nFrance,2018,FRA,9,NA,1\n");
  ASSERT_FALSE(pts.ok());
  EXPECT_NE(pts.error().message().find("PTS_A"), std::string::npos);
  EXPECT_FALSE(import_civicus("[1]", 2021).ok());
  EXPECT_FALSE(import_civicus(R"({"FRA": {"fillKey": "9"}})", 2021).ok());
  EXPECT_FALSE(import_vdem("year,iso2,v2csreprss,v2mecenefm,v2x_clpriv\n2013,FR,x,1,1\n").ok());
  EXPECT_FALSE(import_latent_hr("YEAR,theta_mean,country_name\nabc,1,France\n").ok());
}

TEST(Evidence, PegasusTargetsWithOperatorCountries) {
  CANDOR_READ_SHARED_OR_SKIP(text, "evidence/pegasus_targets_2014_2021.csv");
  auto records = import_targets_csv(text, "NSO Group", "pegasus");
  ASSERT_TRUE(records.ok()) << records.error().to_string();
  const auto mansoor = std::find_if(records->begin(), records->end(), [](const EvidenceRecord& r) {
    return r.id == "pegasus:ahmed-mansoor-2016-ae";
  });
  ASSERT_NE(mansoor, records->end());
  EXPECT_EQ(mansoor->country, "AE");
  EXPECT_EQ(mansoor->vendor, "NSO Group");
  EXPECT_EQ(mansoor->technology, Technology::intrusion_software);
  EXPECT_EQ(mansoor->target_roles, (std::vector<std::string>{"activist"}));
  EXPECT_EQ(mansoor->confidence, Confidence::confirmed);
  EXPECT_EQ(
      mansoor->sources.front(),
      "https://citizenlab.ca/2016/08/million-dollar-dissident-iphone-zero-day-nso-group-uae/");
  // "Mexico; El Salvador" gives a record for each state.
  EXPECT_GT(std::count_if(records->begin(), records->end(),
                          [](const EvidenceRecord& r) { return r.country == "MX"; }),
            20);
  EXPECT_EQ(records->size(), 79U);  // Rows naming an operator country, one per country.
}

TEST(Evidence, FinFisherCustomers) {
  CANDOR_READ_SHARED_OR_SKIP(text, "evidence/finfisher_customers_spyfiles4.tsv");
  auto records = import_finfisher_tsv(text);
  ASSERT_TRUE(records.ok()) << records.error().to_string();
  const auto qatar = std::find_if(records->begin(), records->end(),
                                  [](const EvidenceRecord& r) { return r.country == "QA"; });
  ASSERT_NE(qatar, records->end());
  EXPECT_EQ(qatar->end_user, "SSB");
  EXPECT_EQ(qatar->kind, EvidenceKind::procurement);
  EXPECT_NE(qatar->summary.find("FinSpy"), std::string::npos);
  EXPECT_GE(records->size(), 15U);
}

TEST(Evidence, CandorCsvRoundTripsAndNamesBadFields) {
  EvidenceRecord r;
  r.id = "case-1";
  r.country = "AE";
  r.end_user = "State Security";
  r.end_user_type = "intelligence";
  r.vendor = "Example Vendor";
  r.technology = Technology::network_surveillance;
  r.target_roles = {"journalist", "lawyer"};
  r.year = 2020;
  r.sources = {"https://example.org/report"};
  r.confidence = Confidence::probable;
  r.publisher = "Example NGO";
  r.summary = "Monitoring centre used against reporters, \"with\" quotes, and commas";
  const std::string text = to_evidence_csv({r});
  auto back = import_evidence_csv(text);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_EQ(back->size(), 1U);
  EXPECT_EQ(to_evidence_csv(back.value()), text);

  const std::string header = text.substr(0, text.find('\n') + 1);
  const auto error_of = [&](const std::string& row) {
    auto bad = import_evidence_csv(header + row + "\n");
    EXPECT_FALSE(bad.ok()) << row;
    return bad.ok() ? std::string() : bad.error().to_string();
  };
  EXPECT_NE(error_of("x,targeting,Atlantis,,,,other,,2020,https://a.b,confirmed,,").find("country"),
            std::string::npos);
  EXPECT_NE(error_of("x,targeting,AE,,,,laser,,2020,https://a.b,confirmed,,").find("technology"),
            std::string::npos);
  EXPECT_NE(error_of("x,targeting,AE,,,,other,,20,https://a.b,confirmed,,").find("year"),
            std::string::npos);
  EXPECT_NE(error_of("x,targeting,AE,,,,other,,2020,not a url,confirmed,,").find("sources"),
            std::string::npos);
  EXPECT_NE(error_of("x,rumour,AE,,,,other,,2020,https://a.b,confirmed,,").find("kind"),
            std::string::npos);
  EXPECT_NE(
      error_of("x,targeting,AE,,spies,,other,,2020,https://a.b,confirmed,,").find("end_user_type"),
      std::string::npos);
}

}  // namespace
}  // namespace candor::risk
