// Capability facts: what an exporter states about an item (is it software? does it extract
// subscriber identifiers over the air?). The control entries are conditions over these facts.
// A fact not given is unknown, never false.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace candor::catalogue {

enum class ItemKind { hardware, software, technology };
std::string_view to_string(ItemKind kind);
std::optional<ItemKind> parse_item_kind(std::string_view text);

enum class FactType { boolean, kind };

struct FactDefinition {
  std::string id;
  FactType type = FactType::boolean;
  std::string question;
  std::string help;
  std::vector<std::string> keywords;  // Lower case; they suggest the question, never an answer.
};

using FactValue = std::variant<bool, ItemKind>;

// The facts known about one item.
class FactSet {
 public:
  void set(const std::string& id, FactValue value) { values_[id] = value; }
  bool has(const std::string& id) const { return values_.contains(id); }
  std::optional<bool> boolean(const std::string& id) const;
  std::optional<ItemKind> kind() const;
  const std::map<std::string, FactValue>& values() const { return values_; }

 private:
  std::map<std::string, FactValue> values_;
};

}  // namespace candor::catalogue
