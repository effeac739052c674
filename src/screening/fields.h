// Small helpers the importers share for turning publishers' fields into Entity values.
// Internal to screening.
#pragma once

#include <string_view>

#include "screening/entity.h"

namespace candor::screening {

// `text` without leading and trailing white space.
std::string_view trim_space(std::string_view text);

// Adds the ISO alpha-2 code of a country name ("Iran", "Korea, North") to entity.countries,
// once. Names that map to no country are left out: they are places, not countries.
void add_country_name(std::string_view name, Entity& entity);

}  // namespace candor::screening
