// The six indicator importers (Freedom House, RSF, PTS, CIVICUS, V-Dem, latent scores).
#include <cstdint>
#include <string_view>

#include "risk/indicators.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor::risk;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)import_freedom_house(text, 2023);
  (void)import_rsf(text);
  (void)import_pts(text);
  (void)import_civicus(text, 2021);
  (void)import_vdem(text);
  (void)import_latent_hr(text);
  return 0;
}
