// Amounts from application forms and imported files. What parses must print and parse back.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/money.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = candor::Money::parse(text);
  if (!parsed.ok()) return 0;
  auto again = candor::Money::parse(parsed->to_string());
  if (!again.ok() || !(again.value() == parsed.value())) std::abort();
  return 0;
}
