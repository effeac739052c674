#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "cli/database_setup.h"
#include "core/timestamp.h"
#include "licensing/accounts.h"
#include "licensing/audit.h"
#include "register/note.h"

namespace candor::cli {
namespace {

// Reads one line from the terminal without echoing it.
std::string read_hidden(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  std::fflush(stderr);
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int run_admin_create_user(const CreateUserOptions& options) {
  std::string password;
  if (options.password_stdin) {
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    if (isatty(STDIN_FILENO) == 0) {
      return report(Error::invalid_argument(
          "no terminal to ask the password on: pass --password-stdin and pipe it in"));
    }
    password = read_hidden("Password (10 characters or more): ");
    if (read_hidden("Password again: ") != password) {
      return report(Error::invalid_argument("the two passwords differ"));
    }
  }
  const auto role = licensing::role_from_string(options.role);
  if (!role)
    return report(Error::invalid_argument("--role: must be exporter, officer, adviser or admin"));
  auto opened = open_and_migrate(options.db_path);
  if (!opened.ok()) return report(opened.error());
  const SystemClock clock;
  licensing::Accounts accounts(*opened->db, clock);
  auto user = accounts.create_user(
      {options.email, options.name, *role, options.organisation, options.country, password});
  if (!user.ok()) return report(user.error());
  std::printf("Created %s account %s (id %lld)%s%s\n", options.role.c_str(), user->email.c_str(),
              static_cast<long long>(user->id), user->organisation_name.empty() ? "" : " in ",
              user->organisation_name.c_str());
  return kExitOk;
}

int run_admin_keygen(const KeygenOptions& options) {
  auto key = reg::SignerKey::generate(options.name);
  if (!key.ok()) return report(key.error());
  // Created here, readable by its owner only, and never over an existing key.
  const int fd = ::open(options.out.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    return report(errno == EEXIST ? Error::conflict(options.out + " exists; keys are not replaced")
                                  : Error::unavailable("cannot create " + options.out));
  }
  const std::string text = key->to_string() + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) return report(Error::unavailable("cannot write " + options.out));
  std::printf("%s\n", key->verifier().to_string().c_str());
  std::fprintf(stderr,
               "Private key written to %s; the line above is its public key (for the register's "
               "readers, or for peers' exchange files).\n",
               options.out.c_str());
  return kExitOk;
}

int run_admin_audit_export(const AuditExportOptions& options) {
  auto opened = open_and_migrate(options.db_path);
  if (!opened.ok()) return report(opened.error());
  auto csv = licensing::audit_csv(*opened->db);
  if (!csv.ok()) return report(csv.error());
  if (options.out.empty()) {
    std::fwrite(csv->data(), 1, csv->size(), stdout);
    return kExitOk;
  }
  std::ofstream out(options.out, std::ios::binary | std::ios::trunc);
  out.write(csv->data(), static_cast<std::streamsize>(csv->size()));
  out.close();
  if (!out) return report(Error::unavailable("cannot write " + options.out));
  return kExitOk;
}

}  // namespace candor::cli
