// CSV from outside: sanctions lists, query files, decision imports.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  candor::csv::Reader reader(text);
  std::vector<std::string> fields;
  for (;;) {
    auto more = reader.next(fields);
    if (!more.ok() || !more.value()) break;
  }
  return 0;
}
