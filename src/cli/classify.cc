#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "catalogue/classify.h"
#include "cli/cli.h"
#include "core/canonical_json.h"

namespace candor::cli {
namespace {

constexpr std::size_t kMaxItemFileBytes = std::size_t{1024} * 1024;

Result<const catalogue::Catalogue*> choose_catalogue(const std::string& folder,
                                                     std::optional<catalogue::Catalogue>& owned) {
  if (folder.empty()) return &catalogue::Catalogue::builtin();
  owned = CANDOR_TRY(catalogue::Catalogue::load_folder(folder));
  return &owned.value();
}

Result<catalogue::Item> read_item(const std::string& path, const catalogue::Catalogue& controls) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid_argument("cannot read the item file", path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto json = json::parse_strict(buffer.str(), {.max_bytes = kMaxItemFileBytes, .max_depth = 16});
  if (!json.ok()) return std::move(json).error().within(path);
  auto item = catalogue::parse_item(json.value(), controls);
  if (!item.ok()) return std::move(item).error().within(path);
  return item;
}

void print(const catalogue::Classification& result, const catalogue::Catalogue& controls,
           bool as_json) {
  const std::string text =
      as_json ? to_json(result, controls).dump(2) + "\n" : to_text(result, controls);
  std::fwrite(text.data(), 1, text.size(), stdout);
}

std::optional<std::string> prompt(const std::string& question) {
  std::cout << question << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  return line;
}

struct Answer {
  enum class Type { value, dont_know, quit };
  Type type = Type::quit;
  catalogue::FactValue value = false;
};

Answer ask(const catalogue::FactDefinition& fact, int number) {
  const bool kind = fact.type == catalogue::FactType::kind;
  std::cout << "\n" << number << ". " << fact.question << "\n";
  if (!fact.help.empty()) std::cout << "   (" << fact.help << ")\n";
  for (;;) {
    auto answer = prompt(kind ? "   [h]ardware, [s]oftware, [t]echnology, [?] don't know, [q]uit: "
                              : "   [y]es, [n]o, [?] don't know, [q]uit: ");
    if (!answer || *answer == "q") return {};
    const std::string& a = *answer;
    if (a == "?") return {Answer::Type::dont_know};
    if (kind && (a == "h" || a == "s" || a == "t")) {
      return {Answer::Type::value, a == "h"   ? catalogue::ItemKind::hardware
                                   : a == "s" ? catalogue::ItemKind::software
                                              : catalogue::ItemKind::technology};
    }
    if (!kind && (a == "y" || a == "n")) return {Answer::Type::value, a == "y"};
    std::cout << "   Please answer with one of the letters shown.\n";
  }
}

int run_interactive(const catalogue::Catalogue& controls, bool as_json) {
  std::cout
      << "Candor classification questionnaire. Questions that no longer matter are skipped.\n";
  catalogue::Item item;
  item.name = prompt("Item name: ").value_or("");
  if (item.name.empty()) item.name = "unnamed item";
  item.description = prompt("Short description (optional): ").value_or("");
  std::set<std::string> skipped;
  int number = 0;
  for (;;) {
    const auto result = catalogue::classify(controls, item);
    const catalogue::FactDefinition* next = nullptr;
    for (const auto& q : result.questions) {
      if (!skipped.contains(q.fact->id)) {
        next = q.fact;
        break;
      }
    }
    if (next == nullptr) break;
    const Answer answer = ask(*next, ++number);
    if (answer.type == Answer::Type::quit) break;
    if (answer.type == Answer::Type::value) {
      item.facts.set(next->id, answer.value);
    } else {
      skipped.insert(next->id);
    }
  }
  std::cout << "\n";
  print(catalogue::classify(controls, item), controls, as_json);
  return kExitOk;
}

}  // namespace

int run_classify(const ClassifyOptions& options) {
  std::optional<catalogue::Catalogue> owned;
  auto controls = choose_catalogue(options.controls_folder, owned);
  if (!controls.ok()) return report(controls.error());
  if (options.interactive) return run_interactive(*controls.value(), options.json);
  if (options.item_path.empty()) {
    return report(Error::invalid_argument("give --item FILE or --interactive"));
  }
  auto item = read_item(options.item_path, *controls.value());
  if (!item.ok()) return report(item.error());
  print(catalogue::classify(*controls.value(), item.value()), *controls.value(), options.json);
  return kExitOk;
}

}  // namespace candor::cli
