// A legal-forms table (org_types.yml shape), given with --legal-forms.
#include <cstdint>
#include <string_view>

#include "screening/names.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto forms = candor::screening::LegalForms::parse(yaml, "fuzz.yml");
  if (forms.ok()) {
    const candor::screening::NamePreparer preparer(forms.value());
    (void)preparer.prepare("Example Trading Co Ltd", candor::screening::EntityType::organization);
  }
  return 0;
}
