// Untrusted JSON: request bodies, item files, register entries fetched by a verifier.
// Whatever parse_strict accepts must canonicalise, and canonical output must be a fixed point.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = candor::json::parse_strict(text);
  if (!parsed.ok()) return 0;
  auto once = candor::json::canonical(parsed.value());
  if (!once.ok()) return 0;  // E.g. integers beyond 2^53: refused, not crashed.
  auto reparsed = candor::json::parse_strict(once.value());
  if (!reparsed.ok()) std::abort();
  auto twice = candor::json::canonical(reparsed.value());
  if (!twice.ok() || twice.value() != once.value()) std::abort();
  return 0;
}
