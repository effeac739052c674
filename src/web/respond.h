// Helpers that write a response in the house style: pages in the layout, errors as a page or
// as JSON depending on where the request went, and the status code from the error's kind.
#pragma once

#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "web/server.h"

namespace candor::web {

void respond_json(httplib::Response& response, int status, const nlohmann::json& body);
void respond_page(httplib::Response& response, Context& context, std::string_view template_name,
                  const nlohmann::json& data, std::string_view title);
// A page for a signed-in user: header with name and sign-out, navigation for the role. The
// data gets "csrf" for the page's forms. `has_error` marks a page re-shown with errors.
struct Visitor;
void respond_user_page(httplib::Response& response, Context& context, const Visitor& visitor,
                       std::string_view template_name, nlohmann::json data, std::string_view title,
                       bool has_error = false);
// JSON for API paths (/api/, /healthz, /register/), an HTML page for everything else.
void respond_error(const httplib::Request& request, httplib::Response& response, Context& context,
                   const Error& error);

}  // namespace candor::web
