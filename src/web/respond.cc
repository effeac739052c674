#include "web/respond.h"

#include <spdlog/spdlog.h>

#include "web/auth.h"
#include "web/http_status.h"
#include "web/pages.h"

namespace candor::web {
namespace {

bool wants_json(const httplib::Request& request) {
  const std::string& path = request.path;
  // The register's machine endpoints answer JSON; its public pages, feeds and CSV do not.
  return path.starts_with("/api/") || path == "/healthz" || path.ends_with(".json") ||
         path == "/register/key" || path == "/register/checkpoint" || path == "/register/entries" ||
         path.starts_with("/register/proof/");
}

// Renders into the layout, or answers 500 with the reason in the log.
void send_page(httplib::Response& response, std::string_view template_name,
               const nlohmann::json& data, const PageChrome& chrome) {
  auto html = render_page(template_name, data, chrome);
  if (!html.ok()) {
    spdlog::error("page {}: {}", template_name, html.error().to_string());
    response.status = 500;
    response.set_content("Internal error while rendering the page.", "text/plain; charset=utf-8");
    return;
  }
  response.set_content(std::move(html).value(), "text/html; charset=utf-8");
}

}  // namespace

void respond_json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  // Replaced, not thrown: an error may quote outside text that is not UTF-8.
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/json");
}

void respond_page(httplib::Response& response, Context& context, std::string_view template_name,
                  const nlohmann::json& data, std::string_view title) {
  if (context.mirror != nullptr && data.is_object()) {
    // The public pages of an aggregator link to the registers it mirrors.
    nlohmann::json with_site = data;
    with_site["aggregator"] = true;
    send_page(response, template_name, with_site,
              PageChrome{std::string(title), context.options.demo == DemoMode::on});
    return;
  }
  send_page(response, template_name, data,
            PageChrome{std::string(title), context.options.demo == DemoMode::on});
}

namespace {

nlohmann::json navigation(licensing::Role role) {
  using licensing::Role;
  switch (role) {
    case Role::exporter:
      return nlohmann::json::array({{{"href", "/cases"}, {"label", "Your applications"}},
                                    {{"href", "/cases/new"}, {"label", "Apply for a licence"}}});
    case Role::officer:
      return nlohmann::json::array(
          {{{"href", "/cases?state=open"}, {"label", "Case queue"}},
           {{"href", "/cases?state=open&assigned=me"}, {"label", "Assigned to me"}},
           {{"href", "/cases?state=decided"}, {"label", "Decided"}},
           {{"href", "/exchange"}, {"label", "Other authorities"}}});
    case Role::adviser:
      return nlohmann::json::array({{{"href", "/advice"}, {"label", "Advice inbox"}}});
    case Role::admin:
      return nlohmann::json::array({{{"href", "/admin"}, {"label", "Administration"}}});
  }
  return nlohmann::json::array();
}

std::string role_label(licensing::Role role) {
  switch (role) {
    case licensing::Role::exporter: return "exporter";
    case licensing::Role::officer: return "licensing officer";
    case licensing::Role::adviser: return "human-rights adviser";
    case licensing::Role::admin: return "administrator";
  }
  return "";
}

}  // namespace

void respond_user_page(httplib::Response& response, Context& context, const Visitor& visitor,
                       std::string_view template_name, nlohmann::json data, std::string_view title,
                       bool has_error) {
  const auto& user = visitor.session.user;
  PageChrome chrome{std::string(title), context.options.demo == DemoMode::on};
  std::string label = role_label(user.role);
  if (!user.organisation_name.empty()) label += ", " + user.organisation_name;
  chrome.user = {{"name", user.name},
                 {"role_label", label},
                 {"csrf", visitor.session.csrf_token},
                 {"nav", navigation(user.role)}};
  chrome.has_error = has_error;
  data["csrf"] = visitor.session.csrf_token;
  response.set_header("Cache-Control", "no-store");
  send_page(response, template_name, data, chrome);
}

void respond_error(const httplib::Request& request, httplib::Response& response, Context& context,
                   const Error& error) {
  const int status = http_status(error.kind());
  if (status >= 500) spdlog::error("{} {}: {}", request.method, request.path, error.to_string());
  // Internal details stay in the log; people see what they can act on.
  const std::string message = status >= 500 && error.kind() != ErrorKind::unavailable
                                  ? "Something went wrong on our side. It has been logged."
                                  : error.message();
  if (wants_json(request)) {
    respond_json(response, status,
                 {{"error", {{"kind", to_string(error.kind())}, {"message", message}}}});
    return;
  }
  respond_page(response, context, "error.html", {{"status", status}, {"message", message}},
               "Error " + std::to_string(status));
  response.status = status;
}

}  // namespace candor::web
