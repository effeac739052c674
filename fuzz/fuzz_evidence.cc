// Misuse-evidence files: Candor's CSV, published target lists, the FinFisher customer list.
#include <cstdint>
#include <string_view>

#include "risk/evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor::risk;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto records = import_evidence_csv(text); records.ok()) {
    (void)import_evidence_csv(to_evidence_csv(records.value()));
  }
  (void)import_targets_csv(text, "Vendor", "fuzz");
  (void)import_finfisher_tsv(text);
  return 0;
}
