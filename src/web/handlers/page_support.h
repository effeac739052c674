// Helpers the handlers of signed-in pages share (defined in case_pages.cc).
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "web/auth.h"
#include "web/server.h"

namespace candor::web {

// Rewrites the times a person reads ("at", "requested_at", ...), wherever they are in the
// page data: "2026-11-05T17:26:11.643Z" -> "5 Nov 2026, 17:26 UTC".
void humanise_times(nlohmann::json& value);

// {message, href}: an error summary entry linking to the field the error names.
nlohmann::json error_json(const Error& error);

// The error page for a signed-in visitor (the generic 500 page for errors of ours).
void show_error_page(const httplib::Request& request, httplib::Response& response, Context& context,
                     const Visitor& visitor, const Error& error);

// What a page says after an action: redirects carry a code ("?done=item-added"), never text,
// so that nobody can make a "Success" banner say what they like through a link. The code of a
// known notice, and the notice of a request's code ("" for an unknown one).
std::string done_code(std::string_view notice);
std::string notice_of(const httplib::Request& request);

}  // namespace candor::web
