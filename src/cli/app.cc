#include <cstdio>
#include <iostream>

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
  command.add_option("--db", db_path, "SQLite database file")
      ->envname("CANDOR_DB")
      ->capture_default_str();
}

}  // namespace

int report(const Error& error) {
  std::fprintf(stderr, "candor: error: %s\n", error.to_string().c_str());
  return error.kind() == ErrorKind::invalid_argument ? kExitUsage : kExitFailure;
}

int run(int argc, const char* const* argv) {
  CLI::App app{
      "Candor: export control of cyber-surveillance technology, with human-rights "
      "safeguards and a public register anyone can verify.",
      "candor"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  auto* version = app.add_subcommand("version", "Print the version of candor");

  InitOptions init;
  init.db_path = kDefaultDb;
  auto* init_cmd = app.add_subcommand("init", "Create the database, or migrate it to this version");
  add_db_option(*init_cmd, init.db_path);

  ServeOptions serve;
  serve.db_path = kDefaultDb;
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  std::string log_level = "info";
  auto* serve_cmd = app.add_subcommand("serve", "Start the web service");
  add_db_option(*serve_cmd, serve.db_path);
  serve_cmd->add_option("--listen", listen, "Address to listen on, HOST:PORT (port 0: any free)")
      ->envname("CANDOR_LISTEN")
      ->check(check_listen)
      ->capture_default_str();
  serve_cmd->add_flag("--demo", demo, "Mark the service as a demonstration with fictional data");
  serve_cmd->add_option("--log-level", log_level, "Log detail")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  ClassifyOptions classify;
  auto* classify_cmd = app.add_subcommand("classify", "Classify an item against the control list");
  auto* item_opt = classify_cmd->add_option(
      "--item", classify.item_path, "JSON file: {\"name\", \"description\", \"facts\": {...}}");
  auto* interactive_opt = classify_cmd->add_flag("--interactive", classify.interactive,
                                                 "Answer the questionnaire on the terminal");
  item_opt->excludes(interactive_opt);
  classify_cmd->add_flag("--json", classify.json, "Print JSON instead of a report");
  classify_cmd->add_option("--controls", classify.controls_folder,
                           "Folder of control-list YAML files to use instead of the built-in one");

  auto* controls_cmd = app.add_subcommand("controls", "Show the control list");
  controls_cmd->require_subcommand(1);
  std::string controls_folder;
  auto* list_cmd = controls_cmd->add_subcommand("list", "List the entries");
  list_cmd->add_option("--controls", controls_folder, "Folder of control-list YAML files");
  std::string show_code;
  auto* show_cmd =
      controls_cmd->add_subcommand("show", "Show one entry with its criteria and notes");
  show_cmd->add_option("CODE", show_code, "Entry code, e.g. 5A001.j, or 'Art. 5'")->required();
  auto* facts_cmd = controls_cmd->add_subcommand("facts", "List the capability facts");

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
  if (init_cmd->parsed()) return run_init(init);
  if (classify_cmd->parsed()) return run_classify(classify);
  if (list_cmd->parsed()) return run_controls_list(controls_folder);
  if (show_cmd->parsed()) return run_controls_show(show_code);
  if (facts_cmd->parsed()) return run_controls_facts();
  if (serve_cmd->parsed()) {
    // Logs go to stderr so that stdout carries only what a script may read.
    spdlog::set_default_logger(spdlog::stderr_color_mt("candor"));
    spdlog::set_level(spdlog::level::from_str(log_level));
    serve.listen = web::ListenAddress::parse(listen).value();
    serve.demo = demo ? web::DemoMode::on : web::DemoMode::off;
    return run_serve(serve);
  }
  return kExitUsage;
}

}  // namespace candor::cli
