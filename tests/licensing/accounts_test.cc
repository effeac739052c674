#include "licensing/accounts.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "licensing/fixture.h"

namespace candor::licensing {
namespace {

using testing::LicensingTest;

class AccountsTest : public LicensingTest {};

TEST_F(AccountsTest, PasswordsAreHashedWithArgon2id) {
  auto lease = db_->acquire().value();
  auto rows = lease
                  ->query("SELECT password_hash FROM users WHERE email = $1",
                          {std::string("ex@acme.example")})
                  .value();
  const auto hash = rows.at(0).get<std::string>(0).value();
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_TRUE(Accounts::verify_password(hash, "exporter-password"));
  EXPECT_FALSE(Accounts::verify_password(hash, "exporter-passwore"));
  EXPECT_TRUE(Accounts::hash_password("x", PasswordCost::interactive).starts_with("$argon2id$"));
}

TEST_F(AccountsTest, SignInOpensASessionThatSignOutEnds) {
  auto session = accounts_->sign_in(" EX@acme.example ", "exporter-password", "10.0.0.1");
  ASSERT_TRUE(session.ok()) << session.error().to_string();
  EXPECT_EQ(session->user.email, "ex@acme.example");
  EXPECT_EQ(session->user.organisation_name, "Acme Lawful Tech");
  EXPECT_EQ(session->token.size(), 64U);
  EXPECT_EQ(session->csrf_token.size(), 64U);
  auto again = accounts_->session(session->token);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->csrf_token, session->csrf_token);
  auto lease = db_->acquire().value();
  auto stored = lease->query("SELECT token_hash FROM sessions").value();
  EXPECT_NE(stored.at(0).get<std::string>(0).value(), session->token) << "only the hash is kept";
  ASSERT_TRUE(accounts_->sign_out(session->token).ok());
  EXPECT_EQ(accounts_->session(session->token).error().kind(), ErrorKind::unauthenticated);
}

TEST_F(AccountsTest, SessionsExpire) {
  auto session = accounts_->sign_in("officer@authority.example", "officer-password", "c").value();
  clock_.advance_days(1);
  EXPECT_EQ(accounts_->session(session.token).error().kind(), ErrorKind::unauthenticated);
}

TEST_F(AccountsTest, WrongPasswordAndUnknownAddressGetTheSameAnswer) {
  auto wrong = accounts_->sign_in("ex@acme.example", "not-the-password", "c");
  auto unknown = accounts_->sign_in("nobody@acme.example", "exporter-password", "c");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().kind(), ErrorKind::unauthenticated);
  EXPECT_EQ(wrong.error().message(), unknown.error().message());
  EXPECT_EQ(accounts_->session(std::string(64, 'a')).error().kind(), ErrorKind::unauthenticated);
}

TEST_F(AccountsTest, RepeatedFailuresLockSignInForAWhile) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        accounts_->sign_in("ex@acme.example", "guess-" + std::to_string(i), "c1").error().kind(),
        ErrorKind::unauthenticated);
  }
  // Locked now for that client, even with the right password; the owner signs in from their
  // own address, so that nobody can lock another person out by guessing.
  EXPECT_EQ(accounts_->sign_in("ex@acme.example", "exporter-password", "c1").error().kind(),
            ErrorKind::resource_exhausted);
  EXPECT_TRUE(accounts_->sign_in("ex@acme.example", "exporter-password", "c2").ok());
  // Other accounts are unaffected.
  EXPECT_TRUE(accounts_->sign_in("officer@authority.example", "officer-password", "c2").ok());
  clock_.advance_days(1);
  EXPECT_TRUE(accounts_->sign_in("ex@acme.example", "exporter-password", "c1").ok());
}

TEST_F(AccountsTest, OneClientGuessingManyAddressesIsLockedToo) {
  for (int i = 0; i < 20; ++i) {
    (void)accounts_->sign_in("user" + std::to_string(i) + "@x.example", "guess-guess", "bot");
  }
  EXPECT_EQ(
      accounts_->sign_in("officer@authority.example", "officer-password", "bot").error().kind(),
      ErrorKind::resource_exhausted);
  EXPECT_TRUE(accounts_->sign_in("officer@authority.example", "officer-password", "human").ok());
}

TEST_F(AccountsTest, NewAccountsAreValidated) {
  EXPECT_EQ(accounts_->create_user({"not-an-email", "N", Role::officer, "", "", "long-password"})
                .error()
                .kind(),
            ErrorKind::invalid_argument);
  EXPECT_EQ(
      accounts_->create_user({"a@b.example", "N", Role::officer, "", "", "short"}).error().kind(),
      ErrorKind::invalid_argument);
  EXPECT_EQ(accounts_->create_user({"a@b.example", "N", Role::exporter, "", "", "long-password"})
                .error()
                .kind(),
            ErrorKind::invalid_argument);
  EXPECT_EQ(accounts_->create_user({"a@b.example", "N", Role::adviser, "Org", "", "long-password"})
                .error()
                .kind(),
            ErrorKind::invalid_argument);
  EXPECT_EQ(accounts_
                ->create_user({"EX@acme.example", "N", Role::exporter, "Acme Lawful Tech", "",
                               "long-password"})
                .error()
                .kind(),
            ErrorKind::conflict);
  auto second = accounts_->create_user(
      {"second@acme.example", "Sam", Role::exporter, "Acme Lawful Tech", "", "long-password"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->organisation_id, exporter_.organisation_id)
      << "joins the existing organisation";
}

std::int64_t rows(store::Database& db, const std::string& sql) {
  auto lease = db.acquire().value();
  return lease->query(sql).value().at(0).get<std::int64_t>(0).value();
}

TEST_F(AccountsTest, RegressionOverlongEmailIsRefusedBeforeAnythingIsStored) {
  const std::string email(300, 'a');
  EXPECT_EQ(accounts_->sign_in(email + "@x.example", "whatever-password", "c1").error().kind(),
            ErrorKind::invalid_argument);
  EXPECT_EQ(rows(*db_, "SELECT COUNT(*) FROM login_attempts"), 0);
  EXPECT_EQ(rows(*db_, "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'session.%'"), 0);
}

TEST_F(AccountsTest, RegressionOldAttemptsAndEndedSessionsAreDropped) {
  (void)accounts_->sign_in("ex@acme.example", "guess-guess", "c1");
  ASSERT_TRUE(accounts_->sign_in("ex@acme.example", "exporter-password", "c1").ok());
  EXPECT_EQ(rows(*db_, "SELECT COUNT(*) FROM login_attempts"), 2);
  EXPECT_EQ(rows(*db_, "SELECT COUNT(*) FROM sessions"), 1);
  const auto audited = rows(*db_, "SELECT COUNT(*) FROM audit_events");
  clock_.advance_days(31);  // Past the 30 days attempts are kept, and the session's end.
  ASSERT_TRUE(accounts_->sign_in("officer@authority.example", "officer-password", "c2").ok());
  EXPECT_EQ(rows(*db_, "SELECT COUNT(*) FROM login_attempts"), 1);
  EXPECT_EQ(rows(*db_, "SELECT COUNT(*) FROM sessions"), 1);
  // The audit trail keeps everything.
  EXPECT_EQ(rows(*db_, "SELECT COUNT(*) FROM audit_events"), audited + 1);
}

TEST_F(AccountsTest, RegressionGuessesSentTogetherAreCountedTogether) {
  std::vector<std::thread> guesses;
  std::atomic<int> checked = 0;
  for (int i = 0; i < 20; ++i) {
    guesses.emplace_back([&, i] {
      auto r = accounts_->sign_in("ex@acme.example",
                                  i == 19 ? "exporter-password" : "guess-" + std::to_string(i),
                                  "same-client");
      if (r.ok() || r.error().kind() == ErrorKind::unauthenticated) ++checked;
    });
  }
  for (auto& t : guesses) t.join();
  EXPECT_LE(checked.load(), 5);
}

TEST_F(AccountsTest, GuessingFromManyAddressesIsSlowedToOneGuessEach) {
  LoginLimits limits;
  limits.max_failures_per_account = 10;
  Accounts accounts(*db_, clock_, PasswordCost::minimal, limits);
  for (int i = 0; i < 10; ++i) {
    (void)accounts.sign_in("ex@acme.example", "guess-guess", "bot-" + std::to_string(i));
  }
  // Past the account's ceiling, a client that already failed waits; a new one has one try.
  EXPECT_EQ(accounts.sign_in("ex@acme.example", "exporter-password", "bot-0").error().kind(),
            ErrorKind::resource_exhausted);
  EXPECT_TRUE(accounts.sign_in("ex@acme.example", "exporter-password", "owner").ok());
}

}  // namespace
}  // namespace candor::licensing
