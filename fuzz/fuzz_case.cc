// The case JSON of `candor assess --case`, through parsing and the assessment.
#include <cstdint>
#include <string_view>

#include "core/canonical_json.h"
#include "risk/assess.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = json::parse_strict(text, {.max_bytes = 1 << 20, .max_depth = 16});
  if (!json.ok()) return 0;
  auto parsed = risk::parse_case(json.value());
  if (!parsed.ok()) return 0;
  const auto assessment = risk::assess(parsed.value(), risk::Snapshot::builtin());
  (void)risk::to_json(assessment).dump();
  (void)risk::to_text(assessment, parsed.value());
  return 0;
}
