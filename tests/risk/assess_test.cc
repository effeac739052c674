// The assessment on cases drawn from public reporting, with the compiled-in data; property
// tests that worse facts never lower the risk; case parsing errors naming the field.
#include <gtest/gtest.h>

#include <algorithm>

#include "risk/assess.h"

namespace candor::risk {
namespace {

using nlohmann::json;

Case parse(const json& j) {
  auto c = parse_case(j);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().to_string());
  return c.ok() ? c.value() : Case{};
}

bool cites(const Assessment& a, const std::string& factor, const std::string& url_part) {
  for (const auto& r : a.reasons) {
    if (r.factor != factor) continue;
    for (const auto& s : r.sources) {
      if (s.url.find(url_part) != std::string::npos) return true;
    }
  }
  return false;
}

int rank(const std::string& level) {
  static const std::vector<std::string> order = {"low", "elevated", "high", "clear_risk"};
  return static_cast<int>(std::find(order.begin(), order.end(), level) - order.begin());
}

struct Row {
  const char* name;
  json input;
  const char* level;
  const char* recommendation;
};

TEST(Assess, CasesFromPublicReporting) {
  const Row rows[] = {
      {"intrusion software for an intelligence service of a state where Pegasus was used "
       "against a dissident (Ahmed Mansoor, UAE, 2016)",
       {{"destination", "AE"},
        {"end_user", {{"name", "Signals intelligence directorate"}, {"type", "intelligence"}}},
        {"items", {{{"control_entries", {"4D004"}}}}}},
       "clear_risk",
       "deny"},
      {"lawful-interception mediation for a telecom operator in a state with strong indicators",
       {{"destination", "SE"},
        {"end_user", {{"name", "Nordic mobile operator"}, {"type", "telecom_operator"}}},
        {"items", {{{"control_entries", {"5A001.j"}}}}}},
       "low",
       "approve"},
      {"IP-network surveillance for police in a state with middling indicators and no "
       "documented misuse (South Africa)",
       {{"destination", "ZA"},
        {"end_user", {{"name", "Crime intelligence division"}, {"type", "police"}}},
        {"items", {{{"control_entries", {"5A001.j"}}}}}},
       "elevated",
       "approve_with_conditions"},
      {"forensic extraction for police in a state where spyware was used against journalists "
       "(Mexico, Pegasus 2016-2017)",
       {{"destination", "MX"},
        {"end_user", {{"name", "State prosecutor's forensic unit"}, {"type", "police"}}},
        {"items", {{{"control_entries", {"5A004.b"}}}}}},
       "high",
       "refer"},
      {"the same with a vague end use, an intermediary in a free-trade zone and prior misuse "
       "reported",
       {{"destination", "MX"},
        {"end_user", {{"name", "State prosecutor's forensic unit"}, {"type", "police"}}},
        {"items", {{{"control_entries", {"5A004.b"}}}}},
        {"red_flags", {"vague_end_use", "free_trade_zone_intermediary", "prior_misuse_reported"}},
        {"intermediaries", {{{"name", "Example Trading FZE"}, {"country", "AE"}}}}},
       "clear_risk",
       "deny"},
  };
  for (const auto& row : rows) {
    const auto a = assess(parse(row.input), Snapshot::builtin());
    EXPECT_EQ(a.level, row.level) << row.name << "\n" << to_text(a, parse(row.input));
    EXPECT_EQ(a.recommendation, row.recommendation) << row.name;
    EXPECT_EQ(a.data_version, Snapshot::builtin().version);
  }
}

TEST(Assess, ClearRiskCitesTheEvidence) {
  const auto c = parse({{"destination", "AE"},
                        {"end_user", {{"name", "State Security"}, {"type", "intelligence"}}},
                        {"items", {{{"control_entries", {"4D004"}}}}}});
  const auto a = assess(c, Snapshot::builtin());
  ASSERT_EQ(a.level, "clear_risk");
  EXPECT_TRUE(cites(a, "misuse_same_technology", "citizenlab.ca/2016/08/million-dollar-dissident"));
  EXPECT_TRUE(cites(a, "destination_record", "freedomhouse.org"));
  EXPECT_NE(std::find(a.criteria.begin(), a.criteria.end(),
                      "Criterion 2: risk of internal repression (Art. 15(1))"),
            a.criteria.end());
  for (const auto& r : a.reasons) EXPECT_GE(r.weight, 0.0) << r.factor;
}

TEST(Assess, EvidenceAboutTheSameEndUserAndAgencyTypeCounts) {
  Snapshot data = Snapshot::builtin();
  EvidenceRecord record;
  record.id = "adviser:2026-001";
  record.kind = EvidenceKind::targeting;
  record.country = "ZA";
  record.end_user = "Crime Intelligence Division";
  record.end_user_type = "police";
  record.vendor = "Example";
  record.technology = Technology::network_surveillance;
  record.target_roles = {"journalist"};
  record.year = 2024;
  record.sources = {"https://example.org/investigation"};
  record.confidence = Confidence::probable;
  record.publisher = "Example NGO";
  data.merge_evidence({record});
  const auto c = parse({{"destination", "ZA"},
                        {"end_user", {{"name", "crime intelligence division"}, {"type", "police"}}},
                        {"items", {{{"control_entries", {"5A001.j"}}}}}});
  const auto without = assess(c, Snapshot::builtin());
  const auto with = assess(c, data);
  const auto weight_of = [&](const char* factor) {
    for (const auto& r : with.reasons) {
      if (r.factor == factor) return r.weight;
    }
    return 0.0;
  };
  EXPECT_DOUBLE_EQ(weight_of("misuse_same_end_user"), 30 * 0.7);
  EXPECT_DOUBLE_EQ(weight_of("misuse_same_agency_type"), 15 * 0.7);
  EXPECT_DOUBLE_EQ(weight_of("misuse_same_technology"), 20 * 0.7);
  EXPECT_DOUBLE_EQ(weight_of("civil_society_targeted"), 10 * 0.7);
  EXPECT_TRUE(cites(with, "misuse_same_end_user", "example.org/investigation"));
  EXPECT_GT(rank(with.level), rank(without.level));
}

TEST(Assess, ConditionsAreNamedWhenRecommended) {
  const auto c = parse({{"destination", "ZA"},
                        {"end_user", {{"name", "Unit"}, {"type", "police"}}},
                        {"items", {{{"control_entries", {"5A001.j"}}}}}});
  const auto a = assess(c, Snapshot::builtin());
  ASSERT_EQ(a.recommendation, "approve_with_conditions") << to_text(a, c);
  for (const char* condition : {"end_use_statement", "no_re_export", "post_shipment_verification",
                                "training_and_remote_access_limits", "reporting"}) {
    EXPECT_NE(std::find(a.conditions.begin(), a.conditions.end(), condition), a.conditions.end())
        << condition;
  }
}

TEST(Assess, SameInputSameOutput) {
  const auto c = parse({{"destination", "AE"},
                        {"end_user", {{"name", "X"}, {"type", "police"}}},
                        {"items", {{{"control_entries", {"5A001.f"}}}}}});
  EXPECT_EQ(to_json(assess(c, Snapshot::builtin())).dump(),
            to_json(assess(c, Snapshot::builtin())).dump());
}

// Property: a worse indicator, for any indicator and any country, never lowers the score.
TEST(AssessProperties, AWorseIndicatorNeverLowersTheRisk) {
  const Snapshot& base = Snapshot::builtin();
  std::vector<std::string> countries;
  for (const auto& v : base.indicators) {
    if (countries.empty() || countries.back() != v.country) countries.push_back(v.country);
  }
  ASSERT_GT(countries.size(), 150U);
  for (std::size_t k = 0; k < countries.size(); k += 7) {
    const Case c = parse({{"destination", countries[k]},
                          {"end_user", {{"name", "Unit"}, {"type", "police"}}},
                          {"items", {{{"control_entries", {"5A001.j"}}}}}});
    const auto before = assess(c, base);
    for (std::size_t i = 0; i < base.indicators.size(); ++i) {
      if (base.indicators[i].country != countries[k]) continue;
      Snapshot worse = base;
      worse.indicators[i].risk = std::min(1.0, worse.indicators[i].risk + 0.3);
      const auto after = assess(c, worse);
      EXPECT_GE(after.score, before.score)
          << countries[k] << " " << to_string(base.indicators[i].indicator);
      EXPECT_GE(rank(after.level), rank(before.level));
    }
  }
}

// Property: adding any red flag to any case never lowers the score or the level.
TEST(AssessProperties, AnAddedRedFlagNeverLowersTheRisk) {
  const char* flags[] = {"covert_marketing",
                         "vague_end_use",
                         "free_trade_zone_intermediary",
                         "military_end_user_claims_civilian_use",
                         "customer_unfamiliar_with_product",
                         "reluctant_end_use_information",
                         "prior_misuse_reported"};
  for (const char* destination : {"SE", "MX", "AE", "FR", "IN"}) {
    for (const char* type : {"intelligence", "telecom_operator", "research"}) {
      json input = {{"destination", destination},
                    {"end_user", {{"name", "Unit"}, {"type", type}}},
                    {"items", {{{"control_entries", {"5A004.b"}}}}},
                    {"red_flags", json::array()}};
      auto previous = assess(parse(input), Snapshot::builtin());
      for (const char* flag : flags) {
        input["red_flags"].push_back(flag);
        const auto next = assess(parse(input), Snapshot::builtin());
        EXPECT_GT(next.score, previous.score) << destination << " " << type << " " << flag;
        EXPECT_GE(rank(next.level), rank(previous.level));
        previous = next;
      }
    }
  }
}

TEST(Assess, MissingIndicatorsAreShownNotCountedAsZero) {
  Snapshot empty;
  empty.version = "risk@test";
  const auto a = assess(parse({{"destination", "AE"},
                               {"end_user", {{"name", "X"}, {"type", "intelligence"}}},
                               {"items", {{{"control_entries", {"4D004"}}}}}}),
                        empty);
  EXPECT_EQ(a.missing.size(), 8U);
  EXPECT_EQ(a.reasons.front().factor, "destination_record");
  EXPECT_NE(a.reasons.front().text.find("No indicator"), std::string::npos);
}

class FixedPast : public PastDecisionSource {
 public:
  std::vector<PastDecision> comparable(const Case& c) const override {
    return {{"DE-2025-0042", "DE BAFA", "refused", "2025-03-01", "4D004", c.destination,
             "intelligence"}};
  }
};

TEST(Assess, ComparablePastDecisionsAreReported) {
  const FixedPast past;
  const auto c = parse({{"destination", "FR"},
                        {"end_user", {{"name", "X"}, {"type", "intelligence"}}},
                        {"items", {{{"control_entries", {"4D004"}}}}}});
  const auto without = assess(c, Snapshot::builtin());
  const auto with = assess(c, Snapshot::builtin(), &past);
  ASSERT_EQ(with.past_decisions.size(), 1U);
  EXPECT_EQ(to_json(with)["past_decisions"][0]["authority"], "DE BAFA");
  EXPECT_GT(with.score, without.score);
}

TEST(ParseCase, ErrorsNameTheField) {
  const json good = {{"destination", "AE"},
                     {"end_user", {{"name", "X"}, {"type", "intelligence"}}},
                     {"items", {{{"control_entries", {"4D004"}}}}}};
  const auto error_of = [&](const std::function<void(json&)>& change) {
    json j = good;
    change(j);
    auto c = parse_case(j);
    EXPECT_FALSE(c.ok()) << j.dump();
    return c.ok() ? std::string() : c.error().message();
  };
  EXPECT_EQ(error_of([](json& j) { j.erase("destination"); }), "destination: required");
  EXPECT_EQ(error_of([](json& j) { j["destination"] = "Atlantis"; }),
            "destination: unknown country 'Atlantis'");
  EXPECT_EQ(error_of([](json& j) { j["end_user"]["type"] = "spies"; }),
            "end_user.type: unknown type 'spies'");
  EXPECT_EQ(error_of([](json& j) { j["items"] = json::array(); }),
            "items: must be a non-empty list");
  EXPECT_EQ(error_of([](json& j) { j["items"][0]["control_entries"] = {1}; }),
            "items[0].control_entries: each entry must be text");
  EXPECT_EQ(error_of([](json& j) { j["items"][0]["control_entries"] = {"9Z999"}; }),
            "items[0].control_entries: '9Z999' is not an entry of the control list (see candor "
            "controls list)");
  EXPECT_EQ(error_of([](json& j) { j["red_flags"] = {"gut_feeling"}; }),
            "red_flags: unknown flag 'gut_feeling'");
  EXPECT_EQ(error_of([](json& j) { j["armed_conflict"] = "yes"; }),
            "armed_conflict: must be true or false");
  EXPECT_EQ(error_of([](json& j) { j["destinaton"] = "AE"; }), "destinaton: unknown field");
  EXPECT_EQ(error_of([](json& j) {
              j["screening_hits"] = {{{"score", 2}}};
            }),
            "screening_hits[0].score: must be 0 to 1");
}

}  // namespace
}  // namespace candor::risk
