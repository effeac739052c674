// Names from queries and lists, in any script: preparation and pairwise scoring, the path of
// `candor screen pairs`, plus list-format detection on the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "screening/load.h"
#include "screening/match.h"
#include "screening/names.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace candor::screening;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)detect_list_format(text);
  const auto split = text.find('\t');
  const std::string_view a = text.substr(0, split);
  const std::string_view b = split == std::string_view::npos ? text : text.substr(split + 1);
  static const NamePreparer preparer;
  for (const auto type : {EntityType::person, EntityType::organization}) {
    const auto score =
        score_names(preparer.prepare(a, type), preparer.prepare(b, type), default_token_weight);
    if (!(score.score >= 0.0 && score.score <= 1.0)) std::abort();
  }
  return 0;
}
