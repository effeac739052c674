// FollowTheMoney JSON lines.
#include <cstdint>
#include <string_view>

#include "screening/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)candor::screening::import_ftm(text, "fuzz");
  return 0;
}
