// Server-rendered pages: mustache templates from web/templates, compiled into the binary.
// Every page is the named template rendered into layout.html. Values are HTML-escaped unless
// a template asks for raw output with {{{...}}}, which only layout.html does, for the body.
//
// Thread-safe: templates are parsed per render from immutable text.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace candor::web {

struct PageChrome {
  std::string title;  // Goes before " – Candor" in the <title>.
  bool demo = false;  // Shows the demonstration banner.
  // The signed-in user for the header and navigation ({name, role_label, csrf, nav}), or null.
  nlohmann::json user = nullptr;
  bool has_error = false;  // Prefixes the title with "Error: ", as screen readers expect.
};

// Errors: not_found for an unknown template, internal for a template that does not parse.
Result<std::string> render_page(std::string_view template_name, const nlohmann::json& data,
                                const PageChrome& chrome);

// A static asset (stylesheet) by file name, or nullptr.
const std::string_view* find_asset(std::string_view name);

}  // namespace candor::web
