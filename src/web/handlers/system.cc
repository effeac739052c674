#include "web/handlers/system.h"

#include "core/version.h"
#include "store/migrations.h"
#include "web/auth.h"
#include "web/pages.h"
#include "web/respond.h"

namespace candor::web {

void get_healthz(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto version = store::schema_version(context.db);
  if (!version.ok()) {
    respond_error(request, response, context, version.error());
    return;
  }
  respond_json(response, 200,
               {{"status", "ok"},
                {"version", kVersion},
                {"backend", store::to_string(context.db.backend())},
                {"schema_version", version.value()},
                {"time", context.clock.now().to_rfc3339()}});
}

void get_home(const httplib::Request& request, httplib::Response& response, Context& context) {
  if (context.mirror != nullptr) {
    redirect(response, "/register");  // An aggregator is its register: it takes no casework.
    return;
  }
  if (auto visitor = find_visitor(request, context)) {
    respond_user_page(response, context, *visitor, "home.html",
                      {{"signed_in", true},
                       {"home", std::string(licensing::home_path(visitor->session.user.role))}},
                      "Export control of cyber-surveillance technology");
    return;
  }
  respond_page(response, context, "home.html", {{"signed_in", false}},
               "Export control of cyber-surveillance technology");
}

void get_asset(const httplib::Request& request, httplib::Response& response, Context& context) {
  const std::string name = request.matches.size() > 1 ? request.matches[1].str() : "";
  const std::string_view* asset = find_asset(name);
  if (asset == nullptr) {
    respond_error(request, response, context, Error::not_found("no such asset"));
    return;
  }
  response.set_header("Cache-Control", "public, max-age=3600");
  response.set_content(std::string(*asset), name.ends_with(".css") ? "text/css; charset=utf-8"
                                                                   : "application/octet-stream");
}

}  // namespace candor::web
