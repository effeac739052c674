// Item files given to `candor classify --item` (and, later, items in applications).
// Whatever parses must classify and render without crashing.
#include <cstdint>
#include <string_view>

#include "catalogue/classify.h"
#include "core/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = candor::json::parse_strict(text, {.max_bytes = 1 << 20, .max_depth = 16});
  if (!json.ok()) return 0;
  const auto& catalogue = candor::catalogue::Catalogue::builtin();
  auto item = candor::catalogue::parse_item(json.value(), catalogue);
  if (!item.ok()) return 0;
  const auto result = candor::catalogue::classify(catalogue, item.value());
  (void)candor::catalogue::to_json(result, catalogue).dump();
  (void)candor::catalogue::to_text(result, catalogue);
  return 0;
}
