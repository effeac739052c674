#include "licensing/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <mutex>

#include "core/digest.h"
#include "licensing/audit.h"

namespace candor::licensing {
namespace {

constexpr std::int64_t kSessionSeconds = std::int64_t{12} * 60 * 60;
constexpr std::size_t kMinPassword = 10;
constexpr std::size_t kMaxPassword = 256;

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // No randomness source: nothing here can be safe.
  });
}

std::string random_hex(std::size_t bytes) {
  ensure_sodium();
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buffer.data(), buffer.size());
  hex.pop_back();
  return hex;
}

std::string normalise_email(std::string email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) email.pop_back();
  const auto first = email.find_first_not_of(" \t\r\n");
  email.erase(0, first == std::string::npos ? email.size() : first);
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return email;
}

bool plausible_email(const std::string& email) {
  const auto at = email.find('@');
  return email.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < email.size() &&
         email.find('@', at + 1) == std::string::npos &&
         std::none_of(email.begin(), email.end(),
                      [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
}

Timestamp plus_seconds(Timestamp t, std::int64_t seconds) {
  return Timestamp::from_unix_micros(t.unix_micros() + seconds * 1'000'000).value();
}

// Columns 0-5 make a User; 6 and 7 are the password hash and the disabled flag.
constexpr const char* kUserSelect =
    "SELECT u.id, u.email, u.name, u.role, u.organisation_id, COALESCE(o.name, ''), "
    "u.password_hash, u.disabled FROM users u LEFT JOIN organisations o "
    "ON o.id = u.organisation_id ";

Result<User> user_from_row(const store::Row& row) {
  User user;
  user.id = CANDOR_TRY(row.get<std::int64_t>(0));
  user.email = CANDOR_TRY(row.get<std::string>(1));
  user.name = CANDOR_TRY(row.get<std::string>(2));
  const auto role = role_from_string(CANDOR_TRY(row.get<std::string>(3)));
  if (!role) return Error::data_loss("user " + std::to_string(user.id) + " has an unknown role");
  user.role = *role;
  user.organisation_id = CANDOR_TRY(row.get<std::optional<std::int64_t>>(4));
  user.organisation_name = CANDOR_TRY(row.get<std::string>(5));
  return user;
}

}  // namespace

std::optional<Role> role_from_string(std::string_view text) {
  for (const Role role : {Role::exporter, Role::officer, Role::adviser, Role::admin}) {
    if (to_string(role) == text) return role;
  }
  return std::nullopt;
}

std::string_view home_path(Role role) {
  switch (role) {
    case Role::exporter:
    case Role::officer: return "/cases";
    case Role::adviser: return "/advice";
    case Role::admin: return "/admin";
  }
  return "/";
}

std::string Accounts::hash_password(const std::string& password, PasswordCost cost) {
  ensure_sodium();
  const bool minimal = cost == PasswordCost::minimal;
  std::array<char, crypto_pwhash_STRBYTES> out{};
  const int rc = crypto_pwhash_str_alg(
      out.data(), password.data(), password.size(),
      minimal ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
      minimal ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE,
      crypto_pwhash_ALG_ARGON2ID13);
  if (rc != 0) std::abort();  // Out of memory for the hash: cannot continue safely.
  return std::string(out.data());
}

bool Accounts::verify_password(const std::string& hash, const std::string& password) {
  ensure_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Accounts::Accounts(store::Database& db, const Clock& clock, PasswordCost cost, LoginLimits limits)
    : db_(db),
      clock_(clock),
      cost_(cost),
      limits_(limits),
      dummy_hash_(hash_password(random_hex(16), cost)) {}

Result<User> Accounts::create_user(const NewUser& input) {
  const std::string email = normalise_email(input.email);
  if (!plausible_email(email)) {
    return Error::invalid_argument("email: enter an e-mail address like name@example.org");
  }
  if (input.name.empty() || input.name.size() > 200) {
    return Error::invalid_argument("name: enter a name of 1 to 200 characters");
  }
  if (input.password.size() < kMinPassword || input.password.size() > kMaxPassword) {
    return Error::invalid_argument("password: must be 10 to 256 characters long");
  }
  const bool exporter = input.role == Role::exporter;
  if (exporter && input.organisation.empty()) {
    return Error::invalid_argument("organisation: an exporter belongs to an organisation");
  }
  if (!exporter && !input.organisation.empty()) {
    return Error::invalid_argument("organisation: only exporters belong to an organisation");
  }
  const std::string hash = hash_password(input.password, cost_);
  const Timestamp now = clock_.now();
  const std::int64_t id = CANDOR_TRY(db_.transact<std::int64_t>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<std::int64_t> {
        auto taken = CANDOR_TRY(c.query("SELECT 1 FROM users WHERE email = $1", {email}));
        if (!taken.empty()) return Error::conflict("email: an account with this address exists");
        store::Value organisation_id = store::null_value();
        if (exporter) {
          auto found = CANDOR_TRY(
              c.query("SELECT id FROM organisations WHERE name = $1", {input.organisation}));
          if (found.empty()) {
            found = CANDOR_TRY(
                c.query("INSERT INTO organisations (name, country, created_at) VALUES ($1, $2, $3) "
                        "RETURNING id",
                        {input.organisation, input.organisation_country, now.to_rfc3339()}));
          }
          organisation_id = CANDOR_TRY(found.at(0).get<std::int64_t>(0));
        }
        auto rows = CANDOR_TRY(c.query(
            "INSERT INTO users (email, name, role, organisation_id, password_hash, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            {email, input.name, std::string(to_string(input.role)), organisation_id, hash,
             now.to_rfc3339()}));
        const auto new_id = CANDOR_TRY(rows.at(0).get<std::int64_t>(0));
        CANDOR_TRY(audit(c, now, "system", "user.create", "user:" + std::to_string(new_id),
                         {{"email", email}, {"role", to_string(input.role)}}));
        return new_id;
      }));
  return user(id);
}

Result<void> Accounts::purge_expired(Timestamp now) {
  const std::string attempts_before =
      plus_seconds(now, -limits_.keep_attempts_days * 24 * 60 * 60).to_rfc3339();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        CANDOR_TRY(
            c.execute("DELETE FROM login_attempts WHERE attempted_at < $1", {attempts_before}));
        CANDOR_TRY(c.execute("DELETE FROM sessions WHERE expires_at < $1", {now.to_rfc3339()}));
        return {};
      });
}

Result<std::int64_t> Accounts::record_attempt(const std::string& email, const std::string& client,
                                              Timestamp now) {
  const std::string since = plus_seconds(now, -limits_.window_seconds).to_rfc3339();
  const auto too_many = [] {
    return Error(ErrorKind::resource_exhausted,
                 "Too many failed sign-in attempts. Wait 15 minutes and try again.");
  };
  // Count, then record this attempt as a failure, in one write transaction and (within this
  // process) one at a time: forty guesses sent at once are counted as forty, and the limit
  // holds whatever order their password checks finish in. A success later marks it so.
  const std::lock_guard lock(attempts_mutex_);
  if (now.unix_micros() - last_purge_us_ > std::int64_t{3600} * 1'000'000) {
    last_purge_us_ = now.unix_micros();
    CANDOR_TRY(purge_expired(now));
  }
  return db_.transact<std::int64_t>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<std::int64_t> {
        const auto count = [&](const std::string& where,
                               std::vector<store::Value> args) -> Result<std::int64_t> {
          args.emplace_back(since);
          const std::string sql = "SELECT COUNT(*) FROM login_attempts WHERE " + where +
                                  " AND attempted_at >= $" + std::to_string(args.size()) +
                                  " AND succeeded = 0";
          auto rows = CANDOR_TRY(c.query(sql, std::span<const store::Value>(args)));
          return rows.at(0).get<std::int64_t>(0);
        };
        const auto pair = CANDOR_TRY(count("email = $1 AND client = $2", {email, client}));
        const auto by_client = CANDOR_TRY(count("client = $1", {client}));
        if (pair >= limits_.max_failures_per_email ||
            by_client >= limits_.max_failures_per_client) {
          return too_many();
        }
        if (pair > 0 &&
            CANDOR_TRY(count("email = $1", {email})) >= limits_.max_failures_per_account) {
          return too_many();
        }
        auto rows = CANDOR_TRY(
            c.query("INSERT INTO login_attempts (email, client, attempted_at, succeeded) "
                    "VALUES ($1, $2, $3, 0) RETURNING id",
                    {email, client, now.to_rfc3339()}));
        return rows.at(0).get<std::int64_t>(0);
      });
}

Result<bool> Accounts::check_password(const std::string& hash, const std::string& password) {
  // Each check takes 64 MiB for a moment: only a few run at once, whatever arrives.
  {
    std::unique_lock lock(hashes_mutex_);
    if (!hash_freed_.wait_for(lock, std::chrono::milliseconds(limits_.hash_wait_ms),
                              [&] { return hashes_running_ < limits_.max_concurrent_hashes; })) {
      return Error::unavailable("Too many people are signing in at once. Try again in a moment.");
    }
    ++hashes_running_;
  }
  const bool verified = password.size() <= kMaxPassword && verify_password(hash, password);
  {
    const std::lock_guard lock(hashes_mutex_);
    --hashes_running_;
  }
  hash_freed_.notify_one();
  return verified;
}

Result<Session> Accounts::sign_in(const std::string& raw_email, const std::string& password,
                                  const std::string& client) {
  // Refused before anything is stored: an "address" of megabytes would otherwise be kept in
  // the attempts table, its index and the audit trail.
  if (raw_email.size() > 254) {
    return Error::invalid_argument("email: an e-mail address has at most 254 characters");
  }
  const std::string email = normalise_email(raw_email);
  const Timestamp now = clock_.now();
  const std::string client_key = client.substr(0, 100);
  const std::int64_t attempt_id = CANDOR_TRY(record_attempt(email, client_key, now));
  std::optional<User> found;
  std::string hash = dummy_hash_;
  {
    auto lease = CANDOR_TRY(db_.acquire());
    auto rows = CANDOR_TRY(lease->query(std::string(kUserSelect) + "WHERE u.email = $1", {email}));
    if (!rows.empty() && !CANDOR_TRY(rows[0].get<bool>(7))) {
      found = CANDOR_TRY(user_from_row(rows[0]));
      hash = CANDOR_TRY(rows[0].get<std::string>(6));
    }
  }
  // The hash is checked even for an unknown address, so that timing does not tell which
  // addresses have accounts.
  const bool good = CANDOR_TRY(check_password(hash, password)) && found.has_value();
  if (!good) {
    CANDOR_TRY(db_.transact<void>(store::TransactionMode::write,
                                  [&](store::Connection& c) -> Result<void> {
                                    return audit(c, now, "anonymous", "session.sign_in_failed",
                                                 "email:" + email, {{"client", client_key}});
                                  }));
    return Error(ErrorKind::unauthenticated, "Wrong e-mail address or password.");
  }
  return db_.transact<Session>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<Session> {
        CANDOR_TRY(
            c.execute("UPDATE login_attempts SET succeeded = 1 WHERE id = $1", {attempt_id}));
        Session session{random_hex(32), random_hex(32), *found, plus_seconds(now, kSessionSeconds)};
        CANDOR_TRY(c.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            {sha256_of(session.token), found->id, session.csrf_token, now.to_rfc3339(),
             session.expires_at.to_rfc3339()}));
        CANDOR_TRY(audit(c, now, actor_label(*found), "session.sign_in",
                         "user:" + std::to_string(found->id), {{"client", client_key}}));
        return session;
      });
}

Result<Session> Accounts::session(const std::string& token) {
  if (token.size() != 64) return Error(ErrorKind::unauthenticated, "Sign in to continue.");
  auto lease = CANDOR_TRY(db_.acquire());
  auto rows = CANDOR_TRY(
      lease->query("SELECT s.user_id, s.csrf_token, s.expires_at FROM sessions s JOIN users u "
                   "ON u.id = s.user_id WHERE s.token_hash = $1 AND u.disabled = 0",
                   {sha256_of(token)}));
  if (rows.empty()) return Error(ErrorKind::unauthenticated, "Sign in to continue.");
  const auto expires =
      CANDOR_TRY(Timestamp::parse_rfc3339(CANDOR_TRY(rows[0].get<std::string>(2))));
  if (expires.unix_micros() <= clock_.now().unix_micros()) {
    return Error(ErrorKind::unauthenticated, "Your session has ended. Sign in again.");
  }
  const auto user_id = CANDOR_TRY(rows[0].get<std::int64_t>(0));
  const std::string csrf = CANDOR_TRY(rows[0].get<std::string>(1));
  return Session{token, csrf, CANDOR_TRY(user(user_id)), expires};
}

Result<void> Accounts::sign_out(const std::string& token) {
  const Timestamp now = clock_.now();
  return db_.transact<void>(
      store::TransactionMode::write, [&](store::Connection& c) -> Result<void> {
        auto rows = CANDOR_TRY(c.query(
            "DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id", {sha256_of(token)}));
        if (rows.empty()) return {};
        const auto id = CANDOR_TRY(rows[0].get<std::int64_t>(0));
        return audit(c, now, "user:" + std::to_string(id), "session.sign_out",
                     "user:" + std::to_string(id));
      });
}

Result<User> Accounts::user(std::int64_t id) {
  auto lease = CANDOR_TRY(db_.acquire());
  auto rows = CANDOR_TRY(lease->query(std::string(kUserSelect) + "WHERE u.id = $1", {id}));
  if (rows.empty()) return Error::not_found("no such user", "user:" + std::to_string(id));
  return user_from_row(rows[0]);
}

Result<std::vector<User>> Accounts::users_with_role(Role role) {
  auto lease = CANDOR_TRY(db_.acquire());
  auto rows = CANDOR_TRY(lease->query(
      std::string(kUserSelect) + "WHERE u.role = $1 AND u.disabled = 0 ORDER BY u.name",
      {std::string(to_string(role))}));
  std::vector<User> users;
  users.reserve(rows.size());
  for (const auto& row : rows) users.push_back(CANDOR_TRY(user_from_row(row)));
  return users;
}

std::string random_token() { return random_hex(32); }

std::string actor_label(const User& user) {
  return "user:" + std::to_string(user.id) + " " + user.email;
}

}  // namespace candor::licensing
