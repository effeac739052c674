#include "screening/fields.h"

#include <algorithm>
#include <cctype>

#include "core/country.h"

namespace candor::screening {

std::string_view trim_space(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

void add_country_name(std::string_view name, Entity& entity) {
  name = trim_space(name);
  if (name.empty()) return;
  auto code = CountryCode::from_name(name);
  if (!code.ok()) return;
  const std::string alpha2(code->alpha2());
  if (std::find(entity.countries.begin(), entity.countries.end(), alpha2) ==
      entity.countries.end()) {
    entity.countries.push_back(alpha2);
  }
}

}  // namespace candor::screening
