// The `candor` command line. run() parses arguments with CLI11 and dispatches to a command;
// commands take plain option structs so that only app.cc knows about CLI11.
//
// Exit codes: 0 success, 1 failure at run time (database, network), 2 bad arguments or input.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"
#include "web/listen_address.h"
#include "web/server.h"

namespace candor::cli {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

int run(int argc, const char* const* argv);

// Prints "candor: error: ..." on stderr and returns the exit code for the error's kind.
int report(const Error& error);

struct InitOptions {
  std::string db_path;
};
int run_init(const InitOptions& options);

struct BackupOptions {
  std::string db_path;
  std::string out;  // The backup file to write; must not exist.
};
int run_backup(const BackupOptions& options);
struct RestoreOptions {
  std::string db_path;  // A SQLite file that does not exist, or an empty PostgreSQL database.
  std::string from;     // The backup file.
};
int run_restore(const RestoreOptions& options);

struct ServeOptions {
  std::string db_path;
  web::ListenAddress listen;
  web::DemoMode demo = web::DemoMode::off;
  std::vector<std::string> lists;  // Sanctions lists to screen parties against.
  std::string list_format = "auto";
  bool secure_cookies = false;
  double rate_limit = 50;                    // Requests a second per client; 0: none.
  std::vector<std::string> trusted_proxies;  // Peers whose X-Forwarded-For is believed.
  // The register's signing key (candor admin keygen). Empty in --demo: a key kept beside the
  // database as <db>.register.key, made on first start.
  std::string register_key;
  // The exchange with other authorities (docs/exchange.md); empty for none.
  std::string exchange;
  double exchange_max_retry = 300;  // Seconds between attempts to reach a peer, at most.
  // Aggregator: other authorities' public registers to mirror (docs/exchange.md).
  std::vector<std::string> aggregate;
  int aggregate_interval = 60;
  // The address the public reaches this server at ("https://register.bafa.example"), for the
  // links in feeds and on the verify page; empty: this server's own listening address.
  std::string public_url;
  int connections_per_address = 32;
  int keep_sign_ins_days = 30;
};
int run_serve(const ServeOptions& options);

struct CreateUserOptions {
  std::string db_path;
  std::string email;
  std::string name;
  std::string role;
  std::string organisation;
  std::string country;
  bool password_stdin = false;
};
int run_admin_create_user(const CreateUserOptions& options);
struct KeygenOptions {
  std::string name;  // The log's origin, e.g. "register.authority.example/candor".
  std::string out;   // The file for the private key; must not exist.
};
int run_admin_keygen(const KeygenOptions& options);
struct AuditExportOptions {
  std::string db_path;
  std::string out;  // Empty: standard output.
};
int run_admin_audit_export(const AuditExportOptions& options);

struct ImportDecisionsOptions {
  std::string db_path;
  std::string format = "caat-uk";
  std::string file;
  std::string ratings;  // Empty: uk_ratings.csv beside the file, when there.
};
int run_import_decisions(const ImportDecisionsOptions& options);

struct CorrectOptions {
  std::string db_path;
  std::string entry;                 // entry_id to correct
  std::vector<std::string> changes;  // "field=value"
  std::string reason;
};
int run_register_correct(const CorrectOptions& options);

struct VerifyOptions {
  std::string url;    // The register's base URL, e.g. https://register.authority.example
  std::string state;  // File keeping the last verified checkpoint; empty: none.
  std::string key;    // Verifier key text or a file holding it; empty: the state's, else fetched.
  bool full = false;  // Download every entry and recompute the root.
};
// Exit codes: 0 verified, 1 could not check (network, server error), 2 bad arguments,
// 3 the register failed verification.
int run_register_verify(const VerifyOptions& options);

struct ClassifyOptions {
  std::string item_path;
  std::string controls_folder;  // Empty: the control list compiled into candor.
  bool json = false;
  bool interactive = false;
};
int run_classify(const ClassifyOptions& options);

int run_controls_list(const std::string& folder);
int run_controls_show(const std::string& code);
int run_controls_facts();

struct ScreenOptions {
  std::vector<std::string> lists;
  std::string format = "auto";
  std::string legal_forms;     // Empty: the built-in table.
  std::string name_stopwords;  // name_stopwords.yml: titles added to the built-in ones.
  bool json = false;
  double threshold = 0.80;
  std::size_t limit = 10;
  std::string dob;
  std::string country;
  std::string type;
  std::string name;
};
int run_screen(const ScreenOptions& options);

struct ScreenBatchOptions {
  std::vector<std::string> lists;
  std::string format = "auto";
  std::string legal_forms;
  std::string name_stopwords;
  std::string queries;
  std::string out;
  double threshold = 0.80;
  std::size_t limit = 10;
};
int run_screen_batch(const ScreenBatchOptions& options);

struct ScreenPairsOptions {
  std::string in;
  std::string legal_forms;
  std::string name_stopwords;
  double threshold = 0.80;
  // Lists whose names give the words their weights, as a screen against them would (rare
  // words count more than "Mohammed" or "LLC"); none: every word weighs the same.
  std::vector<std::string> lists;
  std::string format = "auto";
};
int run_screen_pairs(const ScreenPairsOptions& options);

struct AssessOptions {
  std::string case_path;
  std::string data_folder;  // Empty: the snapshot compiled into candor.
  bool json = false;
};
int run_assess(const AssessOptions& options);

struct ImportOptions {
  std::string what;            // "indicators" or "evidence"
  std::string source;          // indicators: freedom-house, rsf, pts, civicus, vdem, latent-hr
  std::string format = "csv";  // evidence: csv, targets-csv, finfisher-tsv
  std::string vendor;          // targets-csv: the tool's vendor
  std::string file;
  int year = 0;  // The edition year when the file's name does not say it.
  std::string data_folder = "data/risk";
};
int run_import(const ImportOptions& options);

}  // namespace candor::cli
