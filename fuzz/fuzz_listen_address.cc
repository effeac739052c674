// The --listen argument and CANDOR_LISTEN environment variable.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/listen_address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = candor::web::ListenAddress::parse(text);
  if (parsed.ok() && (parsed->port < 0 || parsed->port > 65535 || parsed->host.empty())) {
    std::abort();
  }
  return 0;
}
