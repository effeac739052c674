#include "catalogue/facts.h"

namespace candor::catalogue {

std::string_view to_string(ItemKind kind) {
  switch (kind) {
    case ItemKind::hardware: return "hardware";
    case ItemKind::software: return "software";
    case ItemKind::technology: return "technology";
  }
  return "hardware";
}

std::optional<ItemKind> parse_item_kind(std::string_view text) {
  if (text == "hardware") return ItemKind::hardware;
  if (text == "software") return ItemKind::software;
  if (text == "technology") return ItemKind::technology;
  return std::nullopt;
}

std::optional<bool> FactSet::boolean(const std::string& id) const {
  auto it = values_.find(id);
  if (it == values_.end()) return std::nullopt;
  if (const bool* b = std::get_if<bool>(&it->second)) return *b;
  return std::nullopt;
}

std::optional<ItemKind> FactSet::kind() const {
  auto it = values_.find("kind");
  if (it == values_.end()) return std::nullopt;
  if (const ItemKind* k = std::get_if<ItemKind>(&it->second)) return *k;
  return std::nullopt;
}

}  // namespace candor::catalogue
