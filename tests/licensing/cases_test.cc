#include "licensing/cases.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/digest.h"
#include "licensing/audit.h"
#include "licensing/fixture.h"
#include "register/log.h"
#include "register/publish.h"

namespace candor::licensing {
namespace {

using testing::LicensingTest;

ActionInput act(Action action, std::string reason = "", std::vector<std::string> criteria = {},
                std::vector<std::string> conditions = {}) {
  return {action, std::move(reason), std::move(criteria), std::move(conditions)};
}

std::int64_t first_open_hit(const nlohmann::json& view) {
  for (const auto& hit : view["screening_hits"]) {
    if (hit["cleared"].is_null()) return hit["id"].get<std::int64_t>();
  }
  return 0;
}

class CasesTest : public LicensingTest {};

TEST_F(CasesTest, SubmitRunsEveryCheckAndStoresItsDataVersions) {
  const auto reference = submitted_case();
  EXPECT_EQ(reference, "C-2026-0001");
  const auto view = cases_->view(officer_, reference).value();
  EXPECT_EQ(view["state"], "submitted");
  EXPECT_EQ(view["destination"]["code"], "AE");
  const auto& checks = view["checks"];
  ASSERT_FALSE(checks["classification"].is_null());
  EXPECT_EQ(checks["classification"]["result"][0]["entries"][0], "4D004");
  EXPECT_TRUE(checks["classification"]["data_versions"]["controls"].get<std::string>().starts_with(
      "controls@"));
  EXPECT_EQ(checks["screening"]["data_versions"]["lists"][0]["name"], "Test sanctions list");
  EXPECT_TRUE(checks["risk"]["data_versions"]["risk"].get<std::string>().starts_with("risk@"));
  EXPECT_FALSE(checks["risk"]["result"]["level"].get<std::string>().empty());
  ASSERT_EQ(view["screening_hits"].size(), 1U);
  EXPECT_EQ(view["screening_hits"][0]["entity_id"], "T-1");
  EXPECT_EQ(view["screening_hits"][0]["party"], "Gulf Secure Integration FZE");
  EXPECT_FALSE(view["screening_hits"][0]["explanation"].get<std::string>().empty());
  EXPECT_EQ(view["open_hits"], 1);
  EXPECT_EQ(view["due"]["date"], "2026-12-02");
  EXPECT_EQ(view["due"]["label"], "30 days left");
}

TEST_F(CasesTest, AHitBlocksTheDecisionUntilAnOfficerClearsItWithAReason) {
  const auto reference = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::start_review)).ok());
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::recommend, "Refuse: criterion 2")).ok());
  auto blocked =
      cases_->act(officer_, reference, act(Action::refuse, "Clear risk", {"criterion_2"}));
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().kind(), ErrorKind::failed_precondition);
  EXPECT_NE(blocked.error().message().find("screening hit"), std::string::npos);

  const auto hit = first_open_hit(cases_->view(officer_, reference).value());
  EXPECT_EQ(cases_->clear_hit(officer_, reference, hit, "confirmed_match", "").error().kind(),
            ErrorKind::invalid_argument);
  EXPECT_EQ(cases_->clear_hit(officer_, reference, hit, "maybe", "x").error().kind(),
            ErrorKind::invalid_argument);
  ASSERT_TRUE(cases_
                  ->clear_hit(officer_, reference, hit, "confirmed_match",
                              "Same free-zone licence number as the listed company.")
                  .ok());
  EXPECT_EQ(cases_->clear_hit(officer_, reference, hit, "confirmed_match", "again").error().kind(),
            ErrorKind::conflict);

  auto no_criteria = cases_->act(officer_, reference, act(Action::refuse, "Clear risk"));
  ASSERT_FALSE(no_criteria.ok());
  EXPECT_EQ(no_criteria.error().kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(
      cases_->act(officer_, reference, act(Action::refuse, "x", {"criterion_99"})).error().kind(),
      ErrorKind::invalid_argument);
  EXPECT_EQ(
      cases_->act(officer_, reference, act(Action::refuse, "", {"criterion_2"})).error().kind(),
      ErrorKind::invalid_argument);
  ASSERT_TRUE(cases_
                  ->act(officer_, reference,
                        act(Action::refuse, "Clear risk of use against journalists.",
                            {"criterion_1", "criterion_2"}))
                  .ok());

  const auto seen = cases_->view(exporter_, reference).value();
  EXPECT_EQ(seen["state"], "refused");
  EXPECT_EQ(seen["due"]["label"], "Decided 2026-11-02");
  EXPECT_EQ(seen["licence_type_label"], "Individual licence");
  EXPECT_EQ(seen["decision"]["reasons"], "Clear risk of use against journalists.");
  ASSERT_EQ(seen["decision"]["criteria"].size(), 2U);
  EXPECT_EQ(seen["decision"]["criteria"][1]["code"], "criterion_2");
  EXPECT_FALSE(seen.contains("checks"));
  EXPECT_FALSE(seen.contains("screening_hits"));
  EXPECT_FALSE(seen.contains("advice"));
  for (const auto& event : seen["events"]) {
    EXPECT_NE(event["action"], "recommend");
    EXPECT_NE(event["action"], "clear_hit");
  }
  EXPECT_EQ(seen["events"].back()["actor"], "Licensing authority");
}

nlohmann::json register_entries(store::Database& db) {
  auto lease = db.acquire().value();
  nlohmann::json out = nlohmann::json::array();
  const auto rows = lease->query("SELECT leaf_input FROM register_entries ORDER BY idx").value();
  for (const auto& row : rows) {
    const auto blob = row.get<store::Blob>(0).value();
    out.push_back(nlohmann::json::parse(std::string(blob.bytes.begin(), blob.bytes.end())));
  }
  return out;
}

std::string decide_refusal(Cases& cases, const User& officer, const std::string& reference) {
  EXPECT_TRUE(cases.act(officer, reference, act(Action::start_review)).ok());
  const auto hit = first_open_hit(cases.view(officer, reference).value());
  EXPECT_TRUE(cases.clear_hit(officer, reference, hit, "confirmed_match", "Same firm").ok());
  EXPECT_TRUE(cases.act(officer, reference, act(Action::recommend, "Refuse")).ok());
  EXPECT_TRUE(
      cases.act(officer, reference, act(Action::refuse, "Clear risk", {"criterion_2"})).ok());
  return reference;
}

TEST_F(CasesTest, EveryDecisionIsPublishedInTheRegisterWithoutConfidentialDetail) {
  decide_refusal(*cases_, officer_, submitted_case());
  const auto entries = register_entries(*db_);
  ASSERT_EQ(entries.size(), 1U);
  const auto& e = entries[0];
  EXPECT_EQ(e["entry_id"], "XX-C-2026-0001-1");
  EXPECT_EQ(e["decision"], "refused");
  EXPECT_EQ(e["decision_date"], "2026-11-02");
  EXPECT_EQ(e["criteria"], nlohmann::json({"criterion_2"}));
  EXPECT_EQ(e["control_entries"], nlohmann::json({"4D004"}));
  EXPECT_EQ(e["item_category"], "intrusion_software");
  EXPECT_EQ(e["destination"], "AE");
  EXPECT_EQ(e["end_user_type"], "intelligence");
  EXPECT_EQ(e["value_band"], "1M-10M EUR");
  EXPECT_EQ(e["exporter"], "Acme Lawful Tech");
  const std::string text = e.dump();
  for (const char* secret : {"Gulf Secure", "Signals Intelligence Directorate", "Remote intrusion",
                             "implants", "1200000"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " must not be published";
  }
}

TEST_F(CasesTest, AWithheldExporterNameIsLeftOutAndTheRuleNamed) {
  auto input = application();
  input.withhold_exporter = true;
  const auto reference = cases_->create(exporter_, input).value();
  ASSERT_TRUE(cases_->act(exporter_, reference, act(Action::submit)).ok());
  decide_refusal(*cases_, officer_, reference);
  const auto e = register_entries(*db_).at(0);
  EXPECT_FALSE(e.contains("exporter"));
  EXPECT_EQ(e["withheld"][0]["field"], "exporter");
  EXPECT_NE(e["withheld"][0]["rule"].get<std::string>().find("Art. 26(2)"), std::string::npos);
}

TEST_F(CasesTest, APublicationDelayHoldsEntriesBackUntilItPasses) {
  {
    auto lease = db_->acquire().value();
    ASSERT_TRUE(lease
                    ->execute("INSERT INTO settings (key, value, updated_at) VALUES "
                              "('publication_delay_days', '10', '2026-11-01T00:00:00Z')")
                    .ok());
  }
  decide_refusal(*cases_, officer_, submitted_case());
  EXPECT_EQ(register_entries(*db_).size(), 0U);
  reg::Log log(*db_, clock_);
  clock_.advance_days(9);
  EXPECT_EQ(reg::publish_due(*db_, log, clock_.now()).value(), 0U);
  clock_.advance_days(2);
  EXPECT_EQ(reg::publish_due(*db_, log, clock_.now()).value(), 1U);
  EXPECT_EQ(register_entries(*db_).size(), 1U);
  EXPECT_EQ(reg::publish_due(*db_, log, clock_.now()).value(), 0U) << "published once";
}

TEST_F(CasesTest, AGrantWithConditionsIssuesANumberedLicence) {
  const auto reference = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::start_review)).ok());
  const auto hit = first_open_hit(cases_->view(officer_, reference).value());
  ASSERT_TRUE(
      cases_->clear_hit(officer_, reference, hit, "false_positive", "Different company").ok());
  ASSERT_TRUE(
      cases_->act(officer_, reference, act(Action::recommend, "Grant with conditions")).ok());
  EXPECT_EQ(cases_->licence(officer_, reference).error().kind(), ErrorKind::not_found)
      << "no licence before the grant";
  EXPECT_EQ(
      cases_->act(officer_, reference, act(Action::grant_with_conditions, "ok")).error().kind(),
      ErrorKind::invalid_argument);
  EXPECT_EQ(
      cases_->act(officer_, reference, act(Action::grant, "", {}, {"no_re_export"})).error().kind(),
      ErrorKind::invalid_argument);
  ASSERT_TRUE(cases_
                  ->act(officer_, reference,
                        act(Action::grant_with_conditions, "Acceptable with safeguards", {},
                            {"no_re_export", "Quarterly audit of the operator's logs"}))
                  .ok());
  const auto view = cases_->view(officer_, reference).value();
  EXPECT_EQ(view["state"], "granted_with_conditions");
  EXPECT_EQ(view["licence_number"], "EL-2026-0001");
  EXPECT_EQ(view["decision"]["conditions"].size(), 2U);
  EXPECT_EQ(view["decision"]["conditions"][1], "Quarterly audit of the operator's logs");
}

TEST_F(CasesTest, TheLicenceDocumentCarriesNumberConditionsAndValidity) {
  const auto reference = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::start_review)).ok());
  const auto hit = first_open_hit(cases_->view(officer_, reference).value());
  ASSERT_TRUE(
      cases_->clear_hit(officer_, reference, hit, "false_positive", "Different company").ok());
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::recommend, "Grant")).ok());
  ASSERT_TRUE(cases_
                  ->act(officer_, reference,
                        act(Action::grant_with_conditions, "Acceptable", {}, {"no_re_export"}))
                  .ok());
  const auto licence = cases_->licence(exporter_, reference).value();
  EXPECT_EQ(licence["licence_number"], "EL-2026-0001");
  EXPECT_EQ(licence["holder"], "Acme Lawful Tech");
  EXPECT_EQ(licence["issued_on"], "2026-11-02");
  EXPECT_EQ(licence["valid_until"], "2028-11-01");
  ASSERT_EQ(licence["conditions"].size(), 1U);
  EXPECT_NE(licence["conditions"][0].get<std::string>().find("re-export"), std::string::npos);
  EXPECT_EQ(cases_->licence(other_exporter_, reference).error().kind(), ErrorKind::not_found);
}

TEST_F(CasesTest, InformationRequestsGoToTheExporterAndAnswersComeBack) {
  const auto reference = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::start_review)).ok());
  ASSERT_TRUE(cases_
                  ->act(officer_, reference,
                        act(Action::request_information, "Who operates the system day to day?"))
                  .ok());
  const auto asked = cases_->view(exporter_, reference).value();
  EXPECT_EQ(asked["open_question"], "Who operates the system day to day?");
  EXPECT_EQ(asked["actions"], nlohmann::json({"withdraw", "answer"}));
  EXPECT_EQ(cases_->act(exporter_, reference, act(Action::answer, " ")).error().kind(),
            ErrorKind::invalid_argument);
  ASSERT_TRUE(
      cases_->act(exporter_, reference, act(Action::answer, "The directorate's own staff.")).ok());
  EXPECT_EQ(state_of(reference), "answered");
  EXPECT_EQ(cases_->view(exporter_, reference).value()["state_label"], "Under review");
}

TEST_F(CasesTest, AdviceIsAskedOfANamedAdviserAndTheAnswerIsOnRecord) {
  const auto reference = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::start_review)).ok());
  EXPECT_EQ(cases_->view(adviser_, reference).error().kind(), ErrorKind::not_found);
  EXPECT_EQ(cases_->request_advice(officer_, reference, officer2_.id, "?").error().kind(),
            ErrorKind::invalid_argument);
  const auto advice =
      cases_->request_advice(officer_, reference, adviser_.id, "Criterion 2 risk for AE?");
  ASSERT_TRUE(advice.ok()) << advice.error().to_string();
  EXPECT_EQ(state_of(reference), "advice_requested");
  EXPECT_TRUE(cases_->view(adviser_, reference).ok());
  EXPECT_EQ(cases_->view(adviser2_, reference).error().kind(), ErrorKind::not_found);
  const auto inbox = cases_->advice_inbox(adviser_).value();
  ASSERT_EQ(inbox["requests"].size(), 1U);
  EXPECT_FALSE(inbox["requests"][0]["answered"].get<bool>());
  EXPECT_EQ(cases_->answer_advice(adviser2_, *advice, "No").error().kind(), ErrorKind::not_found);
  ASSERT_TRUE(cases_->answer_advice(adviser_, *advice, "Clear risk: Ahmed Mansoor case.").ok());
  EXPECT_EQ(cases_->answer_advice(adviser_, *advice, "Changed my mind").error().kind(),
            ErrorKind::conflict);
  const auto view = cases_->view(officer_, reference).value();
  EXPECT_EQ(view["advice"][0]["answer"], "Clear risk: Ahmed Mansoor case.");
  EXPECT_EQ(view["advice"][0]["adviser"], "Ada Adviser");
}

TEST_F(CasesTest, DocumentsKeepTheirHashAndEveryReadIsAudited) {
  const auto reference = cases_->create(exporter_, application()).value();
  DocumentInput doc{"end_user_certificate", "euc.pdf", "application/pdf", "%PDF-1.4 signed"};
  const auto id = cases_->add_document(exporter_, reference, doc);
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_EQ(cases_->read_document(other_exporter_, *id).error().kind(), ErrorKind::not_found);
  const auto read = cases_->read_document(exporter_, *id).value();
  EXPECT_EQ(read.content, "%PDF-1.4 signed");
  EXPECT_EQ(read.sha256, sha256_of("%PDF-1.4 signed"));
  const auto csv = audit_csv(*db_).value();
  EXPECT_NE(csv.find("document.read,document:" + std::to_string(*id)), std::string::npos);

  doc.content.assign(kMaxDocumentBytes + 1, 'x');
  EXPECT_EQ(cases_->add_document(exporter_, reference, doc).error().kind(),
            ErrorKind::resource_exhausted);
  doc.content = "x";
  doc.filename = "../../etc/passwd";
  EXPECT_EQ(cases_->add_document(exporter_, reference, doc).error().kind(),
            ErrorKind::invalid_argument);
  doc.filename = "a.pdf";
  doc.kind = "selfie";
  EXPECT_EQ(cases_->add_document(exporter_, reference, doc).error().kind(),
            ErrorKind::invalid_argument);
}

TEST_F(CasesTest, ApplicationsAreValidatedFieldByField) {
  auto input = application();
  input.items[0].value = "lots";
  auto bad = cases_->create(exporter_, input);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("items[0].value"), std::string::npos);
  input = application();
  input.parties[0].country = "XX";
  EXPECT_NE(cases_->create(exporter_, input).error().message().find("parties[0].country"),
            std::string::npos);
  input = application();
  input.items[0].facts = {{"jamming", "perhaps"}};
  const auto facts_error = cases_->create(exporter_, input).error().message();
  EXPECT_NE(facts_error.find("items[0].facts.jamming"), std::string::npos) << facts_error;
  input = application();
  input.items[0].declared_entry = "9Z999";
  EXPECT_EQ(cases_->create(exporter_, input).error().kind(), ErrorKind::invalid_argument);
  input = application();
  input.end_user_type = "friends";
  EXPECT_EQ(cases_->create(exporter_, input).error().kind(), ErrorKind::invalid_argument);

  CaseInput empty = application();
  empty.items.clear();
  const auto reference = cases_->create(exporter_, empty).value();
  auto submit = cases_->act(exporter_, reference, act(Action::submit));
  ASSERT_FALSE(submit.ok());
  EXPECT_NE(submit.error().message().find("items"), std::string::npos);
  EXPECT_EQ(cases_->view(exporter_, reference).value()["state"], "draft");
}

TEST_F(CasesTest, ItemsAndPartiesAreRemovedFromDraftsOnly) {
  const auto reference = cases_->create(exporter_, application()).value();
  const auto draft = cases_->view(exporter_, reference).value();
  const auto item = draft["items"][0]["id"].get<std::int64_t>();
  const auto party = draft["parties"][1]["id"].get<std::int64_t>();
  EXPECT_EQ(cases_->remove_item(other_exporter_, reference, item).error().kind(),
            ErrorKind::not_found);
  ASSERT_TRUE(cases_->remove_party(exporter_, reference, party).ok());
  EXPECT_EQ(cases_->remove_party(exporter_, reference, party).error().kind(), ErrorKind::not_found);
  EXPECT_EQ(cases_->view(exporter_, reference).value()["parties"].size(), 1U);
  ASSERT_TRUE(cases_->add_item(exporter_, reference, application().items[0]).ok());
  ASSERT_TRUE(cases_->remove_item(exporter_, reference, item).ok());
  EXPECT_EQ(cases_->view(exporter_, reference).value()["items"].size(), 1U);
  ASSERT_TRUE(cases_->act(exporter_, reference, act(Action::submit)).ok());
  const auto left =
      cases_->view(exporter_, reference).value()["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(cases_->remove_item(exporter_, reference, left).error().kind(), ErrorKind::conflict);
  EXPECT_NE(audit_csv(*db_).value().find("case.remove_party"), std::string::npos);
}

TEST_F(CasesTest, TheCountdownTurnsOverdueAfterTheTargetDate) {
  const auto reference = submitted_case();
  clock_.advance_days(31);
  const auto view = cases_->view(officer_, reference).value();
  EXPECT_EQ(view["due"]["label"], "1 day overdue");
  EXPECT_TRUE(view["due"]["overdue"].get<bool>());
  ASSERT_TRUE(cases_->assign(officer_, reference, officer2_.id, "2026-12-15").ok());
  const auto reassigned = cases_->view(officer_, reference).value();
  EXPECT_EQ(reassigned["assigned_to"]["name"], "Oscar Officer");
  EXPECT_EQ(reassigned["due"]["label"], "12 days left");
  EXPECT_EQ(cases_->assign(officer_, reference, adviser_.id, "").error().kind(),
            ErrorKind::invalid_argument);
  EXPECT_EQ(cases_->assign(officer_, reference, std::nullopt, "2027-02-30").error().kind(),
            ErrorKind::invalid_argument);
  const auto mine = cases_->list(officer2_, {"", "me", ""}).value();
  EXPECT_EQ(mine["count"], 1);
  EXPECT_EQ(cases_->list(officer_, {"", "me", ""}).value()["count"], 0);
}

// Two servers over one database (two pools, as two processes have) taking applications at
// the same moment: each gets a reference of its own, none is refused.
TEST_F(CasesTest, TwoServersTakingApplicationsAtOnceGiveEachItsOwnReference) {
  auto second_db = store::Database::open({.location = location_}).value();
  Cases second(*second_db, clock_, *checks_);
  constexpr int kEach = 15;
  std::vector<std::string> references[2];
  std::atomic<int> failures{0};
  const auto take = [&](Cases& cases, std::vector<std::string>& into) {
    for (int i = 0; i < kEach; ++i) {
      auto made = cases.create(exporter_, application());
      if (made.ok()) {
        into.push_back(*made);
      } else {
        ++failures;
        ADD_FAILURE() << made.error().to_string();
      }
    }
  };
  std::thread other([&] { take(second, references[1]); });
  take(*cases_, references[0]);
  other.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<std::string> distinct(references[0].begin(), references[0].end());
  distinct.insert(references[1].begin(), references[1].end());
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(2 * kEach));
  EXPECT_EQ(cases_->list(officer_, {}).value()["count"], 0);  // Drafts stay with the exporter.
  EXPECT_EQ(cases_->list(exporter_, {}).value()["count"], 2 * kEach);
}

// The search box finds text whatever its case, and "%" or "_" typed into it are characters,
// not wildcards, on either backend.
TEST_F(CasesTest, SearchIgnoresCaseAndTakesWildcardsLiterally) {
  submitted_case();
  const auto count = [&](const std::string& query) {
    return cases_->list(officer_, {"", "", query}).value()["count"].get<int>();
  };
  EXPECT_EQ(count("remote monitoring"), 1);
  EXPECT_EQ(count("SIGNALS DIRECTORATE"), 1);
  EXPECT_EQ(count("acme lawful"), 1);
  EXPECT_EQ(count("%"), 0);
  EXPECT_EQ(count("_"), 0);
  EXPECT_EQ(count("remote_monitoring"), 0);
  EXPECT_EQ(count("\\"), 0);
}

TEST_F(CasesTest, ChecksCanBeRunAgainAndEvidenceAddedByStaffCounts) {
  const auto reference = submitted_case();
  const auto before = cases_->view(officer_, reference).value();
  const auto hit = first_open_hit(before);
  ASSERT_TRUE(cases_->clear_hit(officer_, reference, hit, "false_positive", "Other firm").ok());
  EvidenceInput evidence{reference,
                         "AE",
                         "Signals Intelligence Directorate",
                         "targeting",
                         "Phone of a human-rights defender infected in 2016.",
                         "Citizen Lab: The Million Dollar Dissident",
                         "https://citizenlab.ca/2016/08/million-dollar-dissident-iphone-zero-day-"
                         "nso-group-uae/",
                         "2016-08-24"};
  ASSERT_TRUE(cases_->add_evidence(adviser_, evidence).error().kind() == ErrorKind::not_found)
      << "an adviser not asked about the case cannot attach evidence to it";
  ASSERT_TRUE(cases_->add_evidence(officer_, evidence).ok());
  evidence.source_url = "javascript:alert(1)";
  EXPECT_EQ(cases_->add_evidence(officer_, evidence).error().kind(), ErrorKind::invalid_argument);
  ASSERT_TRUE(cases_->run_checks(officer_, reference).ok());
  const auto after = cases_->view(officer_, reference).value();
  EXPECT_GT(after["checks"]["risk"]["id"].get<int>(), before["checks"]["risk"]["id"].get<int>());
  EXPECT_EQ(after["checks"]["risk"]["data_versions"]["added_evidence"], 1);
  EXPECT_EQ(after["open_hits"], 1) << "a new screening run is reviewed afresh";
  EXPECT_EQ(after["evidence"].size(), 1U);
}

TEST_F(CasesTest, EveryChangeIsInTheAppendOnlyAuditTrail) {
  const auto reference = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::start_review)).ok());
  const auto csv = audit_csv(*db_).value();
  EXPECT_TRUE(csv.starts_with("id,occurred_at,actor,action,subject,detail\n"));
  for (const char* action :
       {"case.create", "case.submit", "case.run_checks", "case.start_review", "user.create"}) {
    EXPECT_NE(csv.find(action), std::string::npos) << action;
  }
  auto lease = db_->acquire().value();
  EXPECT_FALSE(lease->execute("UPDATE audit_events SET actor = 'x'").ok());
  EXPECT_FALSE(lease->execute("DELETE FROM audit_events").ok());
  EXPECT_FALSE(lease->execute("DELETE FROM case_events").ok());
}

TEST_F(CasesTest, RegressionEvidenceStaysWithTheCaseItWasFiledWith) {
  const auto first = submitted_case();
  const auto second = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, second, act(Action::start_review)).ok());
  ASSERT_TRUE(cases_->request_advice(officer_, second, adviser_.id, "Risk?").ok());
  EvidenceInput filed{first,
                      "AE",
                      "Signals Intelligence Directorate",
                      "targeting",
                      "Filed with the first case.",
                      "Source A",
                      "https://example.org/a",
                      "2016"};
  ASSERT_TRUE(cases_->add_evidence(officer_, filed).ok());
  EvidenceInput general{"",
                        "AE",
                        "",
                        "other",
                        "About the country, for every case.",
                        "Source B",
                        "https://example.org/b",
                        "2020"};
  ASSERT_TRUE(cases_->add_evidence(officer_, general).ok());
  const auto summaries = [](const nlohmann::json& view) {
    std::vector<std::string> out;
    for (const auto& e : view["evidence"]) out.push_back(e["summary"].get<std::string>());
    return out;
  };
  EXPECT_EQ(summaries(cases_->view(officer_, first).value()),
            (std::vector<std::string>{"Filed with the first case.",
                                      "About the country, for every case."}));
  EXPECT_EQ(summaries(cases_->view(officer_, second).value()),
            (std::vector<std::string>{"About the country, for every case."}));
  EXPECT_EQ(summaries(cases_->view(adviser_, second).value()),
            (std::vector<std::string>{"About the country, for every case."}));
}

TEST_F(CasesTest, RegressionExportersSeeNeitherInternalStatesNorOfficersNames) {
  const auto reference = submitted_case();
  ASSERT_TRUE(cases_->act(officer_, reference, act(Action::start_review)).ok());
  ASSERT_TRUE(cases_->request_advice(officer_, reference, adviser_.id, "Risk?").ok());
  ASSERT_TRUE(cases_
                  ->add_document(officer_, reference,
                                 {"other", "note.pdf", "application/pdf", "%PDF officer note"})
                  .ok());
  const auto staff = cases_->view(officer_, reference).value();
  EXPECT_EQ(staff["state"], "advice_requested");
  const auto exporter = cases_->view(exporter_, reference).value();
  EXPECT_EQ(exporter["state"], "under_review");
  const std::string shown = exporter.dump();
  for (const char* internal : {"advice_requested", "recommended", "\"answered\"", "Olga Officer"}) {
    EXPECT_EQ(shown.find(internal), std::string::npos) << internal;
  }
  bool authority_document = false;
  for (const auto& d : exporter["documents"]) {
    authority_document |= d["uploaded_by"] == "Licensing authority";
  }
  EXPECT_TRUE(authority_document);
  const auto listed = cases_->list(exporter_, {}).value();
  EXPECT_EQ(listed.dump().find("advice_requested"), std::string::npos);
}

TEST_F(CasesTest, RegressionValuesPastATrillionAreRefused) {
  const auto reference = cases_->create(exporter_, application()).value();
  ItemInput item;
  item.name = "Overflow";
  item.quantity = 1;
  item.value = "92233720368547758.07";
  EXPECT_EQ(cases_->add_item(exporter_, reference, item).error().kind(),
            ErrorKind::invalid_argument);
  item.value = "999999999999.99";
  EXPECT_TRUE(cases_->add_item(exporter_, reference, item).ok());
}

}  // namespace
}  // namespace candor::licensing
