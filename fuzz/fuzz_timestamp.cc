// RFC 3339 timestamps from files and requests. What parses must print and parse back equal.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/timestamp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = candor::Timestamp::parse_rfc3339(text);
  if (!parsed.ok()) return 0;
  auto again = candor::Timestamp::parse_rfc3339(parsed->to_rfc3339());
  if (!again.ok() || again.value() != parsed.value()) std::abort();
  return 0;
}
