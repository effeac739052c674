// Reads the semi-structured remarks of OFAC's legacy files ("DOB 12 Feb 1962; POB Tehran;
// nationality Iran; Passport A123 (Iran); a.k.a. 'BNC'."). Internal to screening.
#pragma once

#include <string_view>

#include "screening/entity.h"

namespace candor::screening {

// Adds what the remarks state to `entity`. Parts it does not understand are ignored.
void apply_ofac_remarks(std::string_view remarks, Entity& entity);

// "12 Feb 1962" -> "1962-02-12", "Feb 1962" -> "1962-02", "1962" -> "1962", "circa 1960" ->
// "1960"; an empty string when no date is recognised.
std::string parse_loose_date(std::string_view text);

}  // namespace candor::screening
