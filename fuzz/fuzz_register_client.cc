// What `candor register verify` reads from a register it does not trust: entries, proofs, and
// its own state file.
#include <cstdint>
#include <string_view>

#include "register/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)reg::parse_entries(text);
  (void)reg::parse_proof(text, "inclusion_path", {{"leaf_index", 3}, {"tree_size", 7}});
  (void)reg::parse_proof(text, "consistency_path", {});
  (void)reg::VerifyState::parse(text);
  return 0;
}
