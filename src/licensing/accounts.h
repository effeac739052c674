// Accounts, sessions and sign-in. Passwords are hashed with Argon2id (libsodium); sessions are
// random 256-bit tokens of which only the SHA-256 is stored; each session has its own CSRF
// token. Failed sign-ins are counted per e-mail address and per client, and a burst of them
// locks sign-in for a while, so that passwords cannot be guessed at speed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/timestamp.h"
#include "licensing/state.h"
#include "store/database.h"

namespace candor::licensing {

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  Role role = Role::exporter;
  std::optional<std::int64_t> organisation_id;  // Exporters only.
  std::string organisation_name;
};

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::exporter;
  std::string organisation;  // Exporters: created when it does not exist yet.
  std::string organisation_country;
  std::string password;
};

struct Session {
  std::string token;  // Given to the client once; the database holds its hash.
  std::string csrf_token;
  User user;
  Timestamp expires_at;
};

// How much work a password hash costs. `interactive` is libsodium's recommendation for
// sign-in (64 MiB, 2 passes); `minimal` exists for tests, which hash hundreds of passwords.
enum class PasswordCost { interactive, minimal };

struct LoginLimits {
  // Failures for one account from one client address: past this, that pair waits. Counted
  // per pair, so that nobody can lock another person out just by knowing their address.
  int max_failures_per_email = 5;
  // Failures from one client across all accounts.
  int max_failures_per_client = 20;
  // Failures for one account from everywhere: past this, each client that has already failed
  // for the account waits, and a client new to it has one try. Guessing from many addresses
  // is slowed to one guess per address, and the owner can still sign in from their own.
  int max_failures_per_account = 100;
  std::int64_t window_seconds = std::int64_t{15} * 60;
  // Password checks (Argon2id, 64 MiB each) running at once; more wait up to
  // `hash_wait_ms`, then are told to try again.
  int max_concurrent_hashes = 4;
  int hash_wait_ms = 3000;
  // How long sign-in attempts and ended sessions are kept (the audit trail is kept whole).
  std::int64_t keep_attempts_days = 30;
};

class Accounts {
 public:
  Accounts(store::Database& db, const Clock& clock, PasswordCost cost = PasswordCost::interactive,
           LoginLimits limits = {});

  // Errors: invalid_argument naming the field (e-mail, password of 10 to 256 characters,
  // organisation required for exporters and refused for the others), conflict when the
  // e-mail address is taken.
  Result<User> create_user(const NewUser& input);

  // Checks the password and opens a session. The attempt is recorded (as a failure) before
  // the password is checked, so simultaneous guesses all count. Errors: invalid_argument for
  // an e-mail address over 254 bytes (nothing is stored), unauthenticated "wrong e-mail
  // address or password" (the same for an unknown address), resource_exhausted when too many
  // recent failures came (LoginLimits), unavailable when too many passwords are being checked
  // at once.
  Result<Session> sign_in(const std::string& email, const std::string& password,
                          const std::string& client);
  // The session a token opens. Errors: unauthenticated when unknown or expired.
  Result<Session> session(const std::string& token);
  Result<void> sign_out(const std::string& token);

  Result<User> user(std::int64_t id);
  Result<std::vector<User>> users_with_role(Role role);

  static std::string hash_password(const std::string& password, PasswordCost cost);
  static bool verify_password(const std::string& hash, const std::string& password);

 private:
  store::Database& db_;
  const Clock& clock_;
  PasswordCost cost_;
  LoginLimits limits_;
  std::string dummy_hash_;  // Verified against for unknown addresses, to take the same time.
  // Serialises the count and the record of an attempt, so that simultaneous attempts are
  // counted one after another (each server process; see sign_in).
  std::mutex attempts_mutex_;
  // Password checks running now, under max_concurrent_hashes.
  std::mutex hashes_mutex_;
  std::condition_variable hash_freed_;
  int hashes_running_ = 0;
  std::int64_t last_purge_us_ = 0;  // Guarded by attempts_mutex_.

  Result<void> purge_expired(Timestamp now);
  // Refuses past the limits, else records the attempt as a failure; returns its id.
  Result<std::int64_t> record_attempt(const std::string& email, const std::string& client,
                                      Timestamp now);
  // The password against the hash, with at most max_concurrent_hashes checks at once.
  // Errors: unavailable when no check could start within hash_wait_ms.
  Result<bool> check_password(const std::string& hash, const std::string& password);
};

// 64 hex digits from the system's secure random source.
std::string random_token();

// "user:<id> <email>", how the audit trail names a person.
std::string actor_label(const User& user);

// Where a role lands after signing in.
std::string_view home_path(Role role);
std::optional<Role> role_from_string(std::string_view text);

}  // namespace candor::licensing
