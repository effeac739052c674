// Classification rules, one table per entry: positives, negatives and each exclusion, every
// case naming the rule it checks. Facts not listed in a case are unknown.
#include "catalogue/classify.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace candor::catalogue {
namespace {

using nlohmann::json;

struct Case {
  const char* rule;
  json facts;
  Outcome outcome;
  std::vector<std::string> entries;     // Codes that apply, in catalogue order.
  std::vector<std::string> exclusions;  // Exclusion ids that took effect.
  bool catch_all = false;
};

Classification run(const json& facts, const std::string& description = "") {
  const auto& catalogue = Catalogue::builtin();
  auto item = parse_item({{"name", "test item"}, {"description", description}, {"facts", facts}},
                         catalogue);
  EXPECT_TRUE(item.ok()) << item.error().to_string();
  return classify(catalogue, item.value());
}

std::vector<std::string> codes(const std::vector<EntryResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(r.entry->code);
  return out;
}

std::vector<std::string> exclusion_ids(const Classification& c) {
  std::vector<std::string> out;
  for (const auto& x : c.exclusions) out.push_back(x.exclusion->id);
  return out;
}

std::vector<std::string> question_ids(const Classification& c) {
  std::vector<std::string> out;
  for (const auto& q : c.questions) out.push_back(q.fact->id);
  return out;
}

// A completed questionnaire: every true/false fact the case does not mention is false, so
// each case isolates its rule. A null in the case keeps that fact unknown.
json complete(const json& facts) {
  json out = facts;
  for (const auto& fact : Catalogue::builtin().facts()) {
    if (fact.type == FactType::boolean && !out.contains(fact.id)) out[fact.id] = false;
  }
  return out;
}

void check(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.rule);
    const Classification result = run(complete(c.facts));
    EXPECT_EQ(to_string(result.outcome), to_string(c.outcome))
        << "possible: " << ::testing::PrintToString(codes(result.possible))
        << " questions: " << ::testing::PrintToString(question_ids(result));
    EXPECT_EQ(codes(result.applies), c.entries);
    EXPECT_EQ(exclusion_ids(result), c.exclusions);
    EXPECT_EQ(result.catch_all, c.catch_all);
  }
}

// Facts that rule out every note of 5A004.b, which a forensic kit's exporter states.
json forensic_facts(json extra) {
  json facts = {{"extracts_device_data_circumventing_authentication", true},
                {"designed_for_device_development_or_production", false},
                {"debugger_or_hypervisor", false},
                {"logical_extraction_only", false},
                {"chip_off_or_jtag_extraction", false},
                {"jailbreak_or_rooting_only", false},
                {"covert_surveillance_of_persons", false}};
  facts.update(extra);
  return facts;
}

TEST(Classify4A005, IntrusionSoftwareSystems) {
  check({
      {"4A005 applies to hardware for generating, commanding or delivering intrusion software",
       {{"kind", "hardware"}, {"intrusion_software_generation_c2_delivery", true}},
       Outcome::controlled,
       {"4A005"},
       {}},
      {"4A005 does not apply to hardware without that capability",
       {{"kind", "hardware"},
        {"intrusion_software_generation_c2_delivery", false},
        {"covert_surveillance_of_persons", false}},
       Outcome::not_controlled,
       {},
       {}},
  });
}

TEST(Classify4D004, IntrusionSoftwareSoftware) {
  check({
      {"4D004 applies to software for generating, commanding or delivering intrusion software",
       {{"kind", "software"}, {"intrusion_software_generation_c2_delivery", true}},
       Outcome::controlled,
       {"4D004"},
       {}},
      {"4D004 is for software: the same capability in hardware is 4A005, not 4D004",
       {{"kind", "hardware"}, {"intrusion_software_generation_c2_delivery", true}},
       Outcome::controlled,
       {"4A005"},
       {}},
      {"4D004 note: owner-authorised updates that confer no intrusion capability are excluded",
       {{"kind", "software"},
        {"intrusion_software_generation_c2_delivery", true},
        {"updates_only_with_owner_authorisation", true},
        {"update_confers_intrusion_capability", false},
        {"covert_surveillance_of_persons", false}},
       Outcome::not_controlled,
       {},
       {"4D004-note"}},
      {"4D004 note does not help an update that makes the target intrusion software",
       {{"kind", "software"},
        {"intrusion_software_generation_c2_delivery", true},
        {"updates_only_with_owner_authorisation", true},
        {"update_confers_intrusion_capability", true}},
       Outcome::controlled,
       {"4D004"},
       {}},
  });
}

TEST(Classify4E001, TechnologyAndSecurityResearch) {
  check({
      {"4E001.a applies to technology for 4D004 software",
       {{"kind", "technology"},
        {"intrusion_software_generation_c2_delivery", true},
        {"intrusion_software", false},
        {"vulnerability_disclosure_or_incident_response", false}},
       Outcome::controlled,
       {"4E001.a"},
       {}},
      {"4E001.c applies to technology for developing intrusion software",
       {{"kind", "technology"},
        {"intrusion_software_generation_c2_delivery", false},
        {"intrusion_software", true},
        {"vulnerability_disclosure_or_incident_response", false}},
       Outcome::controlled,
       {"4E001.c"},
       {}},
      {"4E001 note 1: vulnerability disclosure is not controlled",
       {{"kind", "technology"},
        {"intrusion_software", true},
        {"vulnerability_disclosure_or_incident_response", true},
        {"covert_surveillance_of_persons", false}},
       Outcome::not_controlled,
       {},
       {"4E001-note-1"}},
      {"4E001 is for technology: software for developing exploits is not 4E001",
       {{"kind", "software"},
        {"intrusion_software", true},
        {"intrusion_software_generation_c2_delivery", false},
        {"covert_surveillance_of_persons", false}},
       Outcome::not_controlled,
       {},
       {}},
  });
}

TEST(Classify5A001f, MobileInterception) {
  check({
      {"5A001.f.1 applies to over-the-air voice or data interception",
       {{"kind", "hardware"},
        {"over_the_air_interception", true},
        {"pmr_or_wlan_interception_only", false},
        {"designed_for_network_operators", false},
        {"designed_for_device_development_or_production", false}},
       Outcome::controlled,
       {"5A001.f.1"},
       {}},
      {"5A001.f.2 applies to IMSI catchers",
       {{"kind", "hardware"},
        {"extracts_subscriber_identifiers_over_air", true},
        {"pmr_or_wlan_interception_only", false},
        {"designed_for_network_operators", false},
        {"designed_for_device_development_or_production", false}},
       Outcome::controlled,
       {"5A001.f.2"},
       {}},
      {"5A001.f.3 applies to selective jamming",
       {{"kind", "hardware"}, {"jamming", true}},
       Outcome::controlled,
       {"5A001.f.3"},
       {}},
      {"5A001.f.4 applies to RF monitoring of interception equipment",
       {{"kind", "hardware"}, {"rf_monitoring_of_interception_equipment", true}},
       Outcome::controlled,
       {"5A001.f.4"},
       {}},
      {"5A001.f note: equipment for network operators is excluded",
       {{"kind", "hardware"},
        {"extracts_subscriber_identifiers_over_air", true},
        {"designed_for_network_operators", true},
        {"over_the_air_interception", false},
        {"jamming", false},
        {"rf_monitoring_of_interception_equipment", false},
        {"covert_surveillance_of_persons", false}},
       Outcome::not_controlled,
       {},
       {"5A001.f-note"}},
      {"5A001.f note: WLAN-only interception is excluded",
       {{"kind", "hardware"},
        {"over_the_air_interception", true},
        {"pmr_or_wlan_interception_only", true},
        {"extracts_subscriber_identifiers_over_air", false},
        {"jamming", false},
        {"rf_monitoring_of_interception_equipment", false},
        {"covert_surveillance_of_persons", false}},
       Outcome::not_controlled,
       {},
       {"5A001.f-note"}},
  });
}

json ip_surveillance(json extra) {
  json facts = {{"kind", "hardware"},
                {"carrier_class_ip_network", true},
                {"application_layer_analysis", true},
                {"extracts_metadata_and_content", true},
                {"indexes_extracted_data", true},
                {"searches_hard_selectors", true},
                {"maps_relational_networks", true}};
  facts.update(extra);
  return facts;
}

TEST(Classify5A001j, IpNetworkSurveillance) {
  check({
      {"5A001.j applies when all six capabilities hold and it is not for marketing/QoS/QoE",
       ip_surveillance({{"designed_for_marketing_qos_qoe", false}}),
       Outcome::controlled,
       {"5A001.j"},
       {}},
      {"5A001.j needs every capability: no relational mapping, no control",
       ip_surveillance(
           {{"maps_relational_networks", false}, {"covert_surveillance_of_persons", false}}),
       Outcome::not_controlled,
       {},
       {}},
      {"5A001.j note: systems specially designed for QoS are excluded",
       ip_surveillance(
           {{"designed_for_marketing_qos_qoe", true}, {"covert_surveillance_of_persons", false}}),
       Outcome::not_controlled,
       {},
       {"5A001.j-note"}},
  });
}

TEST(Classify5D001, SoftwareAndMonitoringCentres) {
  check({
      {"5D001.a applies to software for 5A001.j equipment",
       ip_surveillance({{"kind", "software"},
                        {"designed_for_marketing_qos_qoe", false},
                        {"handover_interface_analysis", false}}),
       Outcome::controlled,
       {"5D001.a"},
       {}},
      {"5D001.a follows the 5A001.j note: software for a QoS system is not controlled",
       ip_surveillance({{"kind", "software"},
                        {"designed_for_marketing_qos_qoe", true},
                        {"handover_interface_analysis", false},
                        {"covert_surveillance_of_persons", false},
                        {"over_the_air_interception", false},
                        {"extracts_subscriber_identifiers_over_air", false},
                        {"jamming", false},
                        {"rf_monitoring_of_interception_equipment", false}}),
       Outcome::not_controlled,
       {},
       {}},
      {"5D001.e applies to handover-interface analysis with hard selectors and tracking",
       {{"kind", "software"},
        {"handover_interface_analysis", true},
        {"searches_hard_selectors", true},
        {"location_tracking", true},
        {"designed_for_billing_mediation_or_payment", false},
        {"designed_for_marketing_qos_qoe", false},
        {"carrier_class_ip_network", false},
        {"over_the_air_interception", false},
        {"extracts_subscriber_identifiers_over_air", false},
        {"jamming", false},
        {"rf_monitoring_of_interception_equipment", false}},
       Outcome::controlled,
       {"5D001.e"},
       {}},
      {"5D001.e note: billing software is excluded",
       {{"kind", "software"},
        {"handover_interface_analysis", true},
        {"searches_hard_selectors", true},
        {"maps_relational_networks", true},
        {"designed_for_billing_mediation_or_payment", true},
        {"carrier_class_ip_network", false},
        {"over_the_air_interception", false},
        {"extracts_subscriber_identifiers_over_air", false},
        {"jamming", false},
        {"rf_monitoring_of_interception_equipment", false},
        {"covert_surveillance_of_persons", false}},
       Outcome::not_controlled,
       {},
       {"5D001.e-note"}},
  });
}

TEST(Classify5A004b, ForensicExtraction) {
  check({
      {"5A004.b applies to extraction that circumvents device authentication",
       forensic_facts({{"kind", "hardware"}}),
       Outcome::controlled,
       {"5A004.b"},
       {}},
      {"5D002 applies to software performing the 5A004.b function",
       forensic_facts({{"kind", "software"}}),
       Outcome::controlled,
       {"5D002"},
       {}},
      {"5E002 applies to technology for 5A004.b items",
       forensic_facts({{"kind", "technology"}}),
       Outcome::controlled,
       {"5E002"},
       {}},
      {"5A004.b note 2: logical extraction only is excluded",
       forensic_facts({{"kind", "hardware"}, {"logical_extraction_only", true}}),
       Outcome::not_controlled,
       {},
       {"5A004.b-note-2"}},
      {"5A004.b note 1: production equipment for devices is excluded",
       forensic_facts(
           {{"kind", "hardware"}, {"designed_for_device_development_or_production", true}}),
       Outcome::not_controlled,
       {},
       {"5A004.b-note-1"}},
  });
}

TEST(ClassifyArt5, CatchAllForUnlistedItems) {
  check({
      {"Art. 5 may apply to unlisted biometric identification designed for covert surveillance",
       {{"kind", "software"},
        {"biometric_identification", true},
        {"covert_surveillance_of_persons", true},
        {"intrusion_software_generation_c2_delivery", false},
        {"handover_interface_analysis", false},
        {"carrier_class_ip_network", false},
        {"over_the_air_interception", false},
        {"extracts_subscriber_identifiers_over_air", false},
        {"jamming", false},
        {"rf_monitoring_of_interception_equipment", false},
        {"extracts_device_data_circumventing_authentication", false}},
       Outcome::not_controlled,
       {},
       {},
       true},
      {"Art. 5 needs an item specially designed for covert surveillance (Art. 2(20))",
       {{"kind", "software"}, {"biometric_identification", true}},
       Outcome::not_controlled,
       {},
       {},
       false},
      {"Art. 5 is not reported when a listed entry applies",
       {{"kind", "software"},
        {"intrusion_software_generation_c2_delivery", true},
        {"covert_surveillance_of_persons", true}},
       Outcome::controlled,
       {"4D004"},
       {},
       false},
  });
}

// Rule: an unknown fact is never taken as false; it becomes a question.
TEST(ClassifyQuestions, UnknownFactsBecomeQuestionsNotConclusions) {
  const Classification nothing = run(json::object());
  EXPECT_EQ(nothing.outcome, Outcome::undetermined);
  EXPECT_FALSE(nothing.catch_all);
  ASSERT_FALSE(nothing.questions.empty());
  EXPECT_EQ(nothing.questions.front().fact->id, "kind");

  const Classification dpi =
      run(complete(ip_surveillance({{"maps_relational_networks", nullptr}})));
  EXPECT_EQ(dpi.outcome, Outcome::undetermined);
  EXPECT_EQ(codes(dpi.possible), (std::vector<std::string>{"5A001.j"}));
  EXPECT_EQ(question_ids(dpi), (std::vector<std::string>{"maps_relational_networks"}));
}

// Rule: an exclusion takes effect only once established. While its facts are unknown the
// entry applies, and the only questions left are those that could lift the control.
TEST(ClassifyQuestions, AnUnestablishedExclusionLeavesTheEntryApplying) {
  const Classification c =
      run({{"kind", "software"}, {"intrusion_software_generation_c2_delivery", true}});
  EXPECT_EQ(c.outcome, Outcome::controlled);
  ASSERT_EQ(codes(c.applies), (std::vector<std::string>{"4D004"}));
  ASSERT_EQ(c.applies[0].open_exclusions.size(), 1U);
  EXPECT_EQ(c.applies[0].open_exclusions[0]->id, "4D004-note");
  EXPECT_EQ(question_ids(c), (std::vector<std::string>{"updates_only_with_owner_authorisation",
                                                       "update_confers_intrusion_capability"}));
}

// Rule: an exclusion that holds settles an entry without asking about its other criteria.
TEST(ClassifyQuestions, AnExclusionThatHoldsNeedsNoFurtherAnswers) {
  const Classification qos = run({{"kind", "hardware"},
                                  {"application_layer_analysis", true},
                                  {"designed_for_marketing_qos_qoe", true}});
  for (const auto& q : qos.questions) {
    EXPECT_NE(q.fact->id, "maps_relational_networks") << "asked although the note applies";
  }
}

// Rule: words in the description order the questions and never conclude anything.
TEST(ClassifyQuestions, DescriptionWordsSuggestQuestionsOnly) {
  const Classification c = run({{"kind", "hardware"}}, "Portable IMSI catcher for field teams");
  EXPECT_EQ(c.outcome, Outcome::undetermined);
  EXPECT_TRUE(c.applies.empty());
  ASSERT_FALSE(c.questions.empty());
  EXPECT_EQ(c.questions.front().fact->id, "extracts_subscriber_identifiers_over_air");
  EXPECT_EQ(c.questions.front().suggested_by, (std::vector<std::string>{"imsi", "imsi catcher"}));
  // "rat" must not match inside "operator".
  const Classification op = run({{"kind", "software"}}, "tool for a network operator");
  for (const auto& q : op.questions) {
    EXPECT_EQ(std::find(q.suggested_by.begin(), q.suggested_by.end(), "rat"), q.suggested_by.end());
  }
}

// Rule: answering the questions one by one always ends, as the interactive mode relies on.
TEST(ClassifyQuestions, AnsweringEveryQuestionTerminates) {
  const auto& catalogue = Catalogue::builtin();
  for (const bool answer : {false, true}) {
    Item item{"probe", "", {}};
    std::size_t steps = 0;
    for (;;) {
      const Classification c = classify(catalogue, item);
      if (c.questions.empty()) break;
      const FactDefinition* fact = c.questions.front().fact;
      ASSERT_FALSE(item.facts.has(fact->id)) << "asked twice: " << fact->id;
      if (fact->type == FactType::kind) {
        item.facts.set(fact->id, ItemKind::software);
      } else {
        item.facts.set(fact->id, answer);
      }
      ASSERT_LE(++steps, catalogue.facts().size());
    }
  }
}

TEST(Classify, EveryConclusionCarriesReasonsAndCitation) {
  const Classification c =
      run({{"kind", "software"}, {"intrusion_software_generation_c2_delivery", true}});
  ASSERT_EQ(c.applies.size(), 1U);
  const EntryResult& e = c.applies.front();
  ASSERT_EQ(e.reasons.size(), 2U);
  EXPECT_EQ(e.reasons[0].fact, "kind");
  EXPECT_EQ(e.reasons[1].fact, "intrusion_software_generation_c2_delivery");
  EXPECT_EQ(e.reasons[1].ref, "4D004");
  EXPECT_EQ(e.entry->citation.entry, "4D004");
  EXPECT_EQ(e.entry->citation.act, "Regulation (EU) 2021/821");
}

}  // namespace
}  // namespace candor::catalogue
