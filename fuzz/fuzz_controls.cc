// Control-list YAML from a folder an authority maintains (`--controls DIR`). The input is
// one file's text, loaded beside the built-in facts so that entries can be checked.
#include <cstdint>
#include <string>
#include <vector>

#include "catalogue/catalogue.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string facts = [] {
    std::string out = "facts:\n";
    for (const auto& f : candor::catalogue::Catalogue::builtin().facts()) {
      out += "  - {id: " + f.id +
             ", type: " + (f.type == candor::catalogue::FactType::kind ? "kind" : "boolean") +
             ", question: q}\n";
    }
    return out;
  }();
  const std::vector<candor::catalogue::SourceFile> files = {
      {"facts.yaml", facts},
      {"fuzzed.yaml", std::string(reinterpret_cast<const char*>(data), size)}};
  (void)candor::catalogue::Catalogue::load(files);
  return 0;
}
