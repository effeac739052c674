#include <cstdio>
#include <functional>
#include <iostream>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "core/version.h"

namespace candor::cli {
namespace {

constexpr const char* kDefaultDb = "candor.db";

// A CLI11 validator that accepts what ListenAddress::parse accepts.
std::string check_listen(const std::string& text) {
  auto parsed = web::ListenAddress::parse(text);
  return parsed.ok() ? std::string() : parsed.error().message();
}

void add_db_option(CLI::App& command, std::string& db_path) {
  command.add_option("--db", db_path, "SQLite database file, or postgresql://user@host:port/name")
      ->envname("CANDOR_DB")
      ->capture_default_str();
}

// An http(s) URL with nothing in it that could break out of a link or a header.
std::string check_http_url(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return "must start with http:// or https://";
  }
  for (const char ch : url) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == '"' || ch == '<' || ch == '>') {
      return "must be a plain URL";
    }
  }
  return "";
}

struct ServeCommand {
  ServeOptions options;
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  std::string log_level = "info";
};

CLI::App* add_serve_command(CLI::App& app, ServeCommand& command) {
  auto* serve_cmd = app.add_subcommand("serve", "Start the web service");
  ServeOptions& serve = command.options;
  std::string& listen = command.listen;
  bool& demo = command.demo;
  std::string& log_level = command.log_level;
  add_db_option(*serve_cmd, serve.db_path);
  serve_cmd->add_option("--listen", listen, "Address to listen on, HOST:PORT (port 0: any free)")
      ->envname("CANDOR_LISTEN")
      ->check(check_listen)
      ->capture_default_str();
  serve_cmd->add_flag("--demo", demo,
                      "Demonstration: seed an empty database with fictional accounts and cases");
  serve_cmd
      ->add_option("--list", serve.lists,
                   "Sanctions list to screen parties against (repeatable; formats as for "
                   "`candor screen`)")
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--list-format", serve.list_format, "Format of the lists")
      ->check(CLI::IsMember({"auto", "ofac-csv", "ofac-xml", "un-xml", "eu-xml", "ftm", "csv"}))
      ->capture_default_str();
  serve_cmd
      ->add_option("--register-key", serve.register_key,
                   "The register's signing key (from candor admin keygen)")
      ->check(CLI::ExistingFile);
  serve_cmd->add_flag("--secure-cookies", serve.secure_cookies,
                      "Mark cookies Secure (TLS ends at a proxy in front of candor)");
  serve_cmd
      ->add_option("--rate-limit", serve.rate_limit,
                   "Requests a second per client address, in bursts of 4x (0: no limit; the "
                   "machine itself is never limited)")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  serve_cmd->add_option("--trusted-proxy", serve.trusted_proxies,
                        "Address of a reverse proxy whose X-Forwarded-For names the client "
                        "(repeatable)");
  serve_cmd
      ->add_option("--public-url", serve.public_url,
                   "The address the public reaches this server at, for links in feeds and "
                   "pages (default: the listening address)")
      ->check(check_http_url);
  serve_cmd
      ->add_option("--max-connections-per-address", serve.connections_per_address,
                   "Connections one client address may hold open at once (0: no limit; "
                   "trusted proxies are never limited)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  serve_cmd
      ->add_option("--keep-sign-ins", serve.keep_sign_ins_days,
                   "Days to keep sign-in attempts and ended sessions (the audit trail is kept "
                   "whole)")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  serve_cmd
      ->add_option("--exchange", serve.exchange,
                   "Exchange file: this authority's member state and key, and its peers "
                   "(docs/exchange.md)")
      ->check(CLI::ExistingFile);
  serve_cmd
      ->add_option("--exchange-max-retry", serve.exchange_max_retry,
                   "Longest wait, in seconds, between attempts to deliver to a peer that is down")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  serve_cmd
      ->add_option("--aggregate", serve.aggregate,
                   "Aggregator: mirror the public register at this URL, verifying it as a "
                   "monitor does (repeatable)")
      ->check(check_http_url);
  serve_cmd
      ->add_option("--aggregate-interval", serve.aggregate_interval,
                   "Seconds between looks at each aggregated register")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  serve_cmd->add_option("--log-level", log_level, "Log detail")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  return serve_cmd;
}

struct ScreenCommands {
  ScreenOptions one;
  ScreenBatchOptions batch;
  ScreenPairsOptions pairs;
  CLI::App* screen_cmd = nullptr;
  CLI::App* batch_cmd = nullptr;
  CLI::App* pairs_cmd = nullptr;
};

void add_screen_commands(CLI::App& app, ScreenCommands& commands) {
  ScreenOptions& screen = commands.one;
  ScreenBatchOptions& batch = commands.batch;
  ScreenPairsOptions& pairs = commands.pairs;
  auto* screen_cmd = app.add_subcommand(
      "screen", "Screen a name against sanctions lists (also: screen batch, screen pairs)");
  screen_cmd->require_subcommand(0, 1);
  const auto add_list_options = [](CLI::App& command, std::vector<std::string>& lists,
                                   std::string& format, std::string& legal_forms,
                                   std::string& name_stopwords, bool required) {
    auto* list = command.add_option("--list", lists, "List file; repeat for several lists")
                     ->allow_extra_args(false);
    if (required) list->required();
    command.add_option("--format", format, "List format")
        ->check(CLI::IsMember({"auto", "ofac-csv", "ofac-xml", "un-xml", "eu-xml", "ftm", "csv"}))
        ->capture_default_str();
    command.add_option("--legal-forms", legal_forms,
                       "YAML table of company legal forms (org_types.yml shape) instead of the "
                       "built-in one");
    command.add_option("--name-stopwords", name_stopwords,
                       "YAML file of titles before persons' names (name_stopwords.yml shape, "
                       "PERSON_NAME_PREFIXES), added to the built-in ones");
  };
  const auto add_threshold = [](CLI::App& command, double& threshold) {
    command.add_option("--threshold", threshold, "Lowest score reported, 0 to 1")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
  };
  add_list_options(*screen_cmd, screen.lists, screen.format, screen.legal_forms,
                   screen.name_stopwords, false);
  screen_cmd->add_flag("--json", screen.json, "Print the hits as a JSON array");
  add_threshold(*screen_cmd, screen.threshold);
  screen_cmd->add_option("--limit", screen.limit, "Most hits shown")->capture_default_str();
  screen_cmd->add_option("--dob", screen.dob, "Date of birth, YYYY or YYYY-MM-DD");
  screen_cmd->add_option("--country", screen.country, "Country or nationality, e.g. IR");
  screen_cmd->add_option("--type", screen.type, "person or organization")
      ->check(CLI::IsMember({"person", "organization"}));
  screen_cmd->add_option("NAME", screen.name, "The name to screen");
  auto* batch_cmd = commands.batch_cmd =
      screen_cmd->add_subcommand("batch", "Screen every row of a CSV of queries");
  add_list_options(*batch_cmd, batch.lists, batch.format, batch.legal_forms, batch.name_stopwords,
                   true);
  batch_cmd
      ->add_option("--queries", batch.queries,
                   "CSV with full_name and optional date_of_birth, nationality, schema")
      ->required();
  batch_cmd->add_option("--out", batch.out, "CSV of hits to write")->required();
  add_threshold(*batch_cmd, batch.threshold);
  batch_cmd->add_option("--limit", batch.limit, "Most hits a query")->capture_default_str();
  auto* pairs_cmd = commands.pairs_cmd =
      screen_cmd->add_subcommand("pairs", "Score name pairs (CSV with name1, name2) to stdout");
  pairs_cmd->add_option("--in", pairs.in, "CSV with name1, name2 and optional schema")->required();
  add_list_options(*pairs_cmd, pairs.lists, pairs.format, pairs.legal_forms, pairs.name_stopwords,
                   false);
  pairs_cmd->get_option("--list")->description(
      "List whose names weigh the words, as a screen against it would; repeatable");
  add_threshold(*pairs_cmd, pairs.threshold);

  commands.screen_cmd = screen_cmd;
}

}  // namespace

int report(const Error& error) {
  std::fprintf(stderr, "candor: error: %s\n", error.to_string().c_str());
  // What the user asked for is wrong (bad value, or it clashes with what exists): 2.
  return error.kind() == ErrorKind::invalid_argument || error.kind() == ErrorKind::conflict
             ? kExitUsage
             : kExitFailure;
}

namespace {

// A subcommand and what runs when it was the one given.
struct Dispatch {
  CLI::App* command;
  std::function<int()> run;
};

// Every command's options, alive while the command line is parsed and run.
struct CommandOptions {
  InitOptions init;
  InitOptions migrate;
  BackupOptions backup;
  RestoreOptions restore;
  ServeCommand serve;
  CreateUserOptions create_user;
  KeygenOptions keygen;
  AuditExportOptions audit_export;
  ClassifyOptions classify;
  std::string controls_folder;
  std::string show_code;
  ScreenCommands screen;
  AssessOptions assess;
  ImportOptions import_indicators;
  ImportOptions import_evidence;
  ImportDecisionsOptions import_decisions;
  VerifyOptions verify;
  CorrectOptions correct;
};

void add_database_commands(CLI::App& app, CommandOptions& o, std::vector<Dispatch>& out) {
  o.init.db_path = kDefaultDb;
  auto* init_cmd = app.add_subcommand("init", "Create the database, or migrate it to this version");
  add_db_option(*init_cmd, o.init.db_path);
  out.push_back({init_cmd, [&o] { return run_init(o.init); }});
  o.migrate.db_path = kDefaultDb;
  auto* migrate_cmd =
      app.add_subcommand("migrate", "Bring the database's schema to this version (as init)");
  add_db_option(*migrate_cmd, o.migrate.db_path);
  out.push_back({migrate_cmd, [&o] { return run_init(o.migrate); }});

  o.backup.db_path = kDefaultDb;
  auto* backup_cmd = app.add_subcommand(
      "backup", "Copy the whole database to a file, checking the register in the copy");
  add_db_option(*backup_cmd, o.backup.db_path);
  backup_cmd->add_option("out,--out", o.backup.out, "The backup file to write (must not exist)")
      ->required();
  out.push_back({backup_cmd, [&o] { return run_backup(o.backup); }});
  o.restore.db_path = kDefaultDb;
  auto* restore_cmd = app.add_subcommand(
      "restore", "Put a backup into a new database, checking the register before it is used");
  add_db_option(*restore_cmd, o.restore.db_path);
  restore_cmd->add_option("from,--from", o.restore.from, "The backup file (from candor backup)")
      ->required()
      ->check(CLI::ExistingFile);
  out.push_back({restore_cmd, [&o] { return run_restore(o.restore); }});
}

void add_admin_commands(CLI::App& app, CommandOptions& o, std::vector<Dispatch>& out) {
  auto* admin_cmd = app.add_subcommand("admin", "Accounts and the audit trail");
  admin_cmd->require_subcommand(1);
  auto& create_user = o.create_user;
  create_user.db_path = kDefaultDb;
  auto* create_user_cmd = admin_cmd->add_subcommand(
      "create-user", "Create an account; the password is asked on the terminal");
  add_db_option(*create_user_cmd, create_user.db_path);
  create_user_cmd->add_option("--email", create_user.email, "E-mail address (the login)")
      ->required();
  create_user_cmd->add_option("--name", create_user.name, "The person's name")->required();
  create_user_cmd->add_option("--role", create_user.role, "Role")
      ->required()
      ->check(CLI::IsMember({"exporter", "officer", "adviser", "admin"}));
  create_user_cmd->add_option("--organisation", create_user.organisation,
                              "Exporters: the organisation (created if new)");
  create_user_cmd->add_option("--country", create_user.country,
                              "Exporters: the organisation's country (ISO alpha-2)");
  create_user_cmd->add_flag("--password-stdin", create_user.password_stdin,
                            "Read the password from the first line of standard input");
  out.push_back({create_user_cmd, [&o] { return run_admin_create_user(o.create_user); }});
  auto* keygen_cmd = admin_cmd->add_subcommand(
      "keygen",
      "Make an Ed25519 key: the register's (signs checkpoints) or the exchange's (signs messages)");
  keygen_cmd
      ->add_option("--name", o.keygen.name,
                   "The register's origin (key name), e.g. register.authority.example")
      ->required();
  keygen_cmd->add_option("--out", o.keygen.out, "File for the private key (must not exist)")
      ->required();
  out.push_back({keygen_cmd, [&o] { return run_admin_keygen(o.keygen); }});
  o.audit_export.db_path = kDefaultDb;
  auto* audit_cmd = admin_cmd->add_subcommand("audit-export", "Write the audit trail as CSV");
  add_db_option(*audit_cmd, o.audit_export.db_path);
  audit_cmd->add_option("--out", o.audit_export.out, "File to write (default: standard output)");
  out.push_back({audit_cmd, [&o] { return run_admin_audit_export(o.audit_export); }});
}

void add_assessment_commands(CLI::App& app, CommandOptions& o, std::vector<Dispatch>& out) {
  auto* classify_cmd = app.add_subcommand("classify", "Classify an item against the control list");
  auto* item_opt = classify_cmd->add_option(
      "--item", o.classify.item_path, "JSON file: {\"name\", \"description\", \"facts\": {...}}");
  auto* interactive_opt = classify_cmd->add_flag("--interactive", o.classify.interactive,
                                                 "Answer the questionnaire on the terminal");
  item_opt->excludes(interactive_opt);
  classify_cmd->add_flag("--json", o.classify.json, "Print JSON instead of a report");
  classify_cmd->add_option("--controls", o.classify.controls_folder,
                           "Folder of control-list YAML files to use instead of the built-in one");
  out.push_back({classify_cmd, [&o] { return run_classify(o.classify); }});

  auto* controls_cmd = app.add_subcommand("controls", "Show the control list");
  controls_cmd->require_subcommand(1);
  auto* list_cmd = controls_cmd->add_subcommand("list", "List the entries");
  list_cmd->add_option("--controls", o.controls_folder, "Folder of control-list YAML files");
  out.push_back({list_cmd, [&o] { return run_controls_list(o.controls_folder); }});
  auto* show_cmd =
      controls_cmd->add_subcommand("show", "Show one entry with its criteria and notes");
  show_cmd->add_option("CODE", o.show_code, "Entry code, e.g. 5A001.j, or 'Art. 5'")->required();
  out.push_back({show_cmd, [&o] { return run_controls_show(o.show_code); }});
  auto* facts_cmd = controls_cmd->add_subcommand("facts", "List the capability facts");
  out.push_back({facts_cmd, [] { return run_controls_facts(); }});

  auto* assess_cmd = app.add_subcommand("assess", "Assess the human-rights risk of a case");
  assess_cmd
      ->add_option("--case", o.assess.case_path, "Case JSON (destination, end_user, items...)")
      ->required();
  assess_cmd->add_flag("--json", o.assess.json, "Print JSON instead of a report");
  assess_cmd->add_option(
      "--data", o.assess.data_folder,
      "Folder with indicators.csv and evidence.csv instead of the built-in data");
  out.push_back({assess_cmd, [&o] { return run_assess(o.assess); }});
}

void add_import_commands(CLI::App& app, CommandOptions& o, std::vector<Dispatch>& out) {
  auto& import_indicators = o.import_indicators;
  auto& import_evidence = o.import_evidence;
  import_indicators.what = "indicators";
  import_evidence.what = "evidence";
  auto* import_cmd =
      app.add_subcommand("import", "Load publishers' files: risk data, historical decisions");
  import_cmd->require_subcommand(1);
  auto* indicators_cmd = import_cmd->add_subcommand("indicators", "Import a country indicator");
  indicators_cmd->add_option("--source", import_indicators.source, "Publisher's file format")
      ->check(CLI::IsMember({"freedom-house", "rsf", "pts", "civicus", "vdem", "latent-hr"}))
      ->required();
  indicators_cmd->add_option("--year", import_indicators.year,
                             "Edition year (Freedom House, CIVICUS) when the file name lacks it");
  indicators_cmd->add_option("--data", import_indicators.data_folder, "Snapshot folder to update")
      ->capture_default_str();
  indicators_cmd->add_option("FILE", import_indicators.file, "The publisher's file")->required();
  out.push_back({indicators_cmd, [&o] { return run_import(o.import_indicators); }});
  auto* evidence_cmd = import_cmd->add_subcommand("evidence", "Import misuse-evidence records");
  evidence_cmd
      ->add_option("--format", import_evidence.format, "csv (Candor's), targets-csv, finfisher-tsv")
      ->check(CLI::IsMember({"csv", "targets-csv", "finfisher-tsv"}))
      ->capture_default_str();
  evidence_cmd->add_option("--vendor", import_evidence.vendor, "targets-csv: the tool's vendor");
  evidence_cmd->add_option("--data", import_evidence.data_folder, "Snapshot folder to update")
      ->capture_default_str();
  evidence_cmd->add_option("FILE", import_evidence.file, "The evidence file")->required();
  out.push_back({evidence_cmd, [&o] { return run_import(o.import_evidence); }});

  auto& import_decisions = o.import_decisions;
  import_decisions.db_path = kDefaultDb;
  auto* decisions_cmd = import_cmd->add_subcommand(
      "decisions", "Load historical licensing decisions (open data) into the public register");
  add_db_option(*decisions_cmd, import_decisions.db_path);
  decisions_cmd->add_option("--format", import_decisions.format, "caat-uk (CAAT's UK licences)")
      ->check(CLI::IsMember({"caat-uk"}))
      ->capture_default_str();
  decisions_cmd
      ->add_option("--ratings", import_decisions.ratings,
                   "caat-uk: the ratings' descriptions (default: uk_ratings.csv beside FILE)")
      ->check(CLI::ExistingFile);
  decisions_cmd->add_option("FILE", import_decisions.file, "The decisions file")
      ->required()
      ->check(CLI::ExistingFile);
  out.push_back({decisions_cmd, [&o] { return run_import_decisions(o.import_decisions); }});
}

void add_register_commands(CLI::App& app, CommandOptions& o, std::vector<Dispatch>& out) {
  auto& verify = o.verify;
  auto* register_cmd = app.add_subcommand("register", "The public register, from outside");
  register_cmd->require_subcommand(1);
  auto* verify_cmd = register_cmd->add_subcommand(
      "verify",
      "Check a register: the checkpoint's signature, consistency with the last checkpoint "
      "seen, and with --full every entry. Exit 3 when it fails");
  verify_cmd->add_option("--url", verify.url, "The register's address, e.g. http://127.0.0.1:8080")
      ->required();
  verify_cmd->add_option("--state", verify.state,
                         "File keeping the last verified checkpoint (created on the first run)");
  verify_cmd->add_option("--key", verify.key,
                         "The verifier key, or a file holding it (default: the state's, else "
                         "fetched from the register and kept)");
  verify_cmd->add_flag("--full", verify.full, "Download every entry and recompute the root");
  out.push_back({verify_cmd, [&o] { return run_register_verify(o.verify); }});
  auto& correct = o.correct;
  correct.db_path = kDefaultDb;
  auto* correct_cmd = register_cmd->add_subcommand(
      "correct", "Publish a correction of a register entry (the entry itself never changes)");
  add_db_option(*correct_cmd, correct.db_path);
  correct_cmd->add_option("--entry", correct.entry, "The entry_id to correct")->required();
  correct_cmd
      ->add_option("--set", correct.changes,
                   "FIELD=VALUE to change (repeatable; empty VALUE removes the field; "
                   "control_entries and criteria take comma-separated lists)")
      ->required();
  correct_cmd->add_option("--reason", correct.reason, "Why, published with the correction")
      ->required();
  out.push_back({correct_cmd, [&o] { return run_register_correct(o.correct); }});
}

// The screening commands, made by add_screen_commands.
void add_screen(CLI::App& app, CommandOptions& o, std::vector<Dispatch>& out) {
  add_screen_commands(app, o.screen);
  out.push_back({o.screen.batch_cmd, [&o] { return run_screen_batch(o.screen.batch); }});
  out.push_back({o.screen.pairs_cmd, [&o] { return run_screen_pairs(o.screen.pairs); }});
  out.push_back({o.screen.screen_cmd, [&o]() -> int {
                   if (o.screen.one.lists.empty() || o.screen.one.name.empty()) {
                     std::fprintf(stderr,
                                  "candor: error: screen needs --list FILE and a NAME (see "
                                  "'candor screen --help')\n");
                     return kExitUsage;
                   }
                   return run_screen(o.screen.one);
                 }});
}

// The server, made by add_serve_command.
void add_serve(CLI::App& app, CommandOptions& o, std::vector<Dispatch>& out) {
  o.serve.options.db_path = kDefaultDb;
  auto* serve_cmd = add_serve_command(app, o.serve);
  out.push_back({serve_cmd, [&o]() -> int {
                   // Logs go to stderr so that stdout carries only what a script may read.
                   spdlog::set_default_logger(spdlog::stderr_color_mt("candor"));
                   spdlog::set_level(spdlog::level::from_str(o.serve.log_level));
                   o.serve.options.listen = web::ListenAddress::parse(o.serve.listen).value();
                   o.serve.options.demo = o.serve.demo ? web::DemoMode::on : web::DemoMode::off;
                   return run_serve(o.serve.options);
                 }});
}

}  // namespace

int run(int argc, const char* const* argv) {
  CLI::App app{
      "Candor: export control of cyber-surveillance technology, with human-rights "
      "safeguards and a public register anyone can verify.",
      "candor"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "Print the version of candor");
  CommandOptions options;
  std::vector<Dispatch> commands;
  add_database_commands(app, options, commands);
  add_serve(app, options, commands);
  add_admin_commands(app, options, commands);
  add_assessment_commands(app, options, commands);
  add_screen(app, options, commands);
  add_import_commands(app, options, commands);
  add_register_commands(app, options, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help and --version print and succeed.
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "candor: error: %s (see 'candor --help')\n", e.what());
    return kExitUsage;
  }
  if (version->parsed()) {
    std::printf("candor %s\n", kVersion);
    return kExitOk;
  }
  // Subcommands first: "screen batch" also marks "screen" as parsed.
  for (const auto& command : commands) {
    if (command.command->parsed() && command.command != options.screen.screen_cmd) {
      return command.run();
    }
  }
  for (const auto& command : commands) {
    if (command.command->parsed()) return command.run();
  }
  return kExitUsage;
}

}  // namespace candor::cli
