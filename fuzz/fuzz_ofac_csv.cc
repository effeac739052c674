// OFAC legacy CSV files. The input is split at the first two NUL bytes into the sdn, alt
// and add files, so the fuzzer reaches the cross-file checks too.
#include <cstdint>
#include <string_view>

#include "screening/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view parts[3];
  for (int i = 0; i < 2; ++i) {
    const auto nul = text.find('\0');
    parts[i] = text.substr(0, nul);
    text = nul == std::string_view::npos ? std::string_view() : text.substr(nul + 1);
  }
  parts[2] = text;
  (void)candor::screening::import_ofac_csv(parts[0], parts[1], parts[2], "fuzz");
  return 0;
}
