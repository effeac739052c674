// A titles file (name_stopwords.yml shape), given with --name-stopwords.
#include <cstdint>
#include <string_view>

#include "screening/names.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor::screening;
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  NameFacts facts = NameFacts::builtin();
  if (facts.add_titles(yaml, "fuzz.yml").ok()) {
    const NamePreparer preparer(LegalForms::builtin(), facts);
    (void)preparer.prepare("His Excellency General Ali Karimi", EntityType::person);
    (void)preparer.prepare("General", EntityType::person);
  }
  return 0;
}
