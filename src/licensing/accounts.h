// Accounts, sessions and sign-in. Passwords are hashed with Argon2id (libsodium); sessions are
// random 256-bit tokens of which only the SHA-256 is stored; each session has its own CSRF
// token. Failed sign-ins are counted per e-mail address and per client, and a burst of them
// locks sign-in for a while, so that passwords cannot be guessed at speed.
#pragma once

#include <cstdint>
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
  int max_failures_per_email = 5;
  int max_failures_per_client = 20;
  std::int64_t window_seconds = std::int64_t{15} * 60;
};

class Accounts {
 public:
  Accounts(store::Database& db, const Clock& clock, PasswordCost cost = PasswordCost::interactive,
           LoginLimits limits = {});

  // Errors: invalid_argument naming the field (e-mail, password of 10 to 256 characters,
  // organisation required for exporters and refused for the others), conflict when the
  // e-mail address is taken.
  Result<User> create_user(const NewUser& input);

  // Checks the password and opens a session. Errors: unauthenticated "wrong e-mail address
  // or password" (the same for an unknown address), resource_exhausted when too many recent
  // failures came for this address or from this client.
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
};

// 64 hex digits from the system's secure random source.
std::string random_token();

// "user:<id> <email>", how the audit trail names a person.
std::string actor_label(const User& user);

// Where a role lands after signing in.
std::string_view home_path(Role role);
std::optional<Role> role_from_string(std::string_view text);

}  // namespace candor::licensing
