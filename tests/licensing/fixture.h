// A licensing service over a fresh SQLite database, with one account per role, a small
// sanctions list and the built-in control list and risk data. Shared by the licensing tests.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "catalogue/catalogue.h"
#include "licensing/accounts.h"
#include "licensing/cases.h"
#include "licensing/checks.h"
#include "risk/snapshot.h"
#include "screening/index.h"
#include "store/migrations.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace candor::licensing::testing {

class SettableClock final : public Clock {
 public:
  Timestamp now() const override { return Timestamp::from_unix_micros(micros_.load()).value(); }
  void set(std::string_view rfc3339) {
    micros_ = Timestamp::parse_rfc3339(rfc3339).value().unix_micros();
  }
  void advance_days(int days) { micros_ += std::int64_t{days} * 86400 * 1'000'000; }

 private:
  std::atomic<std::int64_t> micros_{
      Timestamp::parse_rfc3339("2026-11-02T09:00:00Z").value().unix_micros()};
};

inline std::vector<screening::SanctionsList> test_lists() {
  screening::SanctionsList list;
  list.name = "Test sanctions list";
  list.published = "2026-10-01";
  screening::Entity listed;
  listed.entity_id = "T-1";
  listed.type = screening::EntityType::organization;
  listed.names = {{"Gulf Secure Integration FZE"}};
  listed.countries = {"AE"};
  list.entities.push_back(listed);
  screening::Entity person;
  person.entity_id = "T-2";
  person.type = screening::EntityType::person;
  person.names = {{"Ivan Petrovich Sidorov"}};
  list.entities.push_back(person);
  return {list};
}

class LicensingTest : public ::testing::Test {
 public:
  // A complete application: a spyware platform for an intelligence service, its consignee on
  // the test sanctions list.
  static CaseInput application();

 protected:
  void SetUp() override {
    CANDOR_ASSIGN_TEST_DATABASE(location_, dir_, "candor.db");
    db_ = store::Database::open({.location = location_}).value();
    ASSERT_TRUE(store::migrate(*db_, clock_).ok());
    index_ = std::make_unique<screening::Index>(test_lists(), preparer_);
    checks_ = std::make_unique<Checks>(catalogue::Catalogue::builtin(), index_.get(),
                                       risk::Snapshot::builtin());
    accounts_ = std::make_unique<Accounts>(*db_, clock_, PasswordCost::minimal);
    cases_ = std::make_unique<Cases>(*db_, clock_, *checks_);
    exporter_ = make({"ex@acme.example", "Erin Exporter", Role::exporter, "Acme Lawful Tech", "DE",
                      "exporter-password"});
    other_exporter_ = make({"ex@other.example", "Otto Other", Role::exporter, "Other Systems", "FR",
                            "exporter-password"});
    officer_ = make(
        {"officer@authority.example", "Olga Officer", Role::officer, "", "", "officer-password"});
    officer2_ = make(
        {"officer2@authority.example", "Oscar Officer", Role::officer, "", "", "officer-password"});
    adviser_ = make(
        {"adviser@authority.example", "Ada Adviser", Role::adviser, "", "", "adviser-password"});
    adviser2_ = make(
        {"adviser2@authority.example", "Abe Adviser", Role::adviser, "", "", "adviser-password"});
    admin_ = make({"admin@authority.example", "Alex Admin", Role::admin, "", "", "admin-password"});
  }

  User make(const NewUser& input) {
    auto user = accounts_->create_user(input);
    EXPECT_TRUE(user.ok()) << user.error().to_string();
    return user.value();
  }

  std::string submitted_case() {
    auto reference = cases_->create(exporter_, application());
    EXPECT_TRUE(reference.ok()) << reference.error().to_string();
    auto submitted = cases_->act(exporter_, *reference, {Action::submit, "", {}, {}});
    EXPECT_TRUE(submitted.ok()) << submitted.error().to_string();
    return *reference;
  }

  std::string state_of(const std::string& reference) {
    return cases_->view(officer_, reference).value()["state"].get<std::string>();
  }

  candor::testing::TempDir dir_;
  std::string location_;  // Of the database, for a second pool over it (a second process).
  SettableClock clock_;
  std::unique_ptr<store::Database> db_;
  screening::NamePreparer preparer_;
  std::unique_ptr<screening::Index> index_;
  std::unique_ptr<Checks> checks_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Cases> cases_;
  User exporter_, other_exporter_, officer_, officer2_, adviser_, adviser2_, admin_;
};

inline CaseInput LicensingTest::application() {
  CaseInput input;
  input.title = "Remote monitoring platform for the signals directorate";
  input.end_use = "Lawful interception of communications of persons under investigation.";
  input.end_user_type = "intelligence";
  ItemInput item;
  item.name = "Remote intrusion platform";
  item.description = "Delivers and controls implants on mobile devices.";
  item.facts = {{"kind", "software"},
                {"intrusion_software_generation_c2_delivery", true},
                {"updates_only_with_owner_authorisation", false}};
  item.quantity = 1;
  item.value = "1200000.00";
  input.items.push_back(item);
  input.parties.push_back(
      {"end_user", "Signals Intelligence Directorate", "AE", "organisation", "Abu Dhabi"});
  input.parties.push_back(
      {"consignee", "Gulf Secure Integration FZE", "AE", "organisation", "Dubai"});
  return input;
}

}  // namespace candor::licensing::testing
