#include "web/respond.h"

#include <spdlog/spdlog.h>

#include "web/http_status.h"
#include "web/pages.h"

namespace candor::web {
namespace {

bool wants_json(const httplib::Request& request) {
  const std::string& path = request.path;
  return path.starts_with("/api/") || path == "/healthz" || path.starts_with("/register/");
}

}  // namespace

void respond_json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void respond_page(httplib::Response& response, Context& context, std::string_view template_name,
                  const nlohmann::json& data, std::string_view title) {
  const PageChrome chrome{std::string(title), context.options.demo == DemoMode::on};
  auto html = render_page(template_name, data, chrome);
  if (!html.ok()) {
    spdlog::error("page {}: {}", template_name, html.error().to_string());
    response.status = 500;
    response.set_content("Internal error while rendering the page.", "text/plain; charset=utf-8");
    return;
  }
  response.set_content(std::move(html).value(), "text/html; charset=utf-8");
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
