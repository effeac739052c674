// Historical decisions as published (candor import decisions --format caat-uk), and the
// ratings file read beside them.
#include <cstdint>
#include <string_view>

#include "register/import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::map<std::string, std::string> ratings = {{"ML1", "Small arms"}};
  reg::ImportReport report;
  (void)reg::read_caat_uk(text, ratings, report);
  (void)reg::read_uk_ratings(text);
  return 0;
}
