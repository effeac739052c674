#include <cctype>

#include "licensing/audit.h"
#include "web/auth.h"
#include "web/handlers/app.h"
#include "web/http_status.h"
#include "web/pages.h"
#include "web/respond.h"

namespace candor::web {
namespace {

constexpr long kLoginCsrfSeconds = 60L * 60;
constexpr long kSessionSeconds = 12L * 60 * 60;

// Only paths on this site: "/cases/C-1" yes; "//evil.example", "https://..." no, and no
// "/\t/evil.example" either: browsers drop tabs and newlines from a Location, which would
// leave "//evil.example". The text is already decoded; one slash, then a path character, and
// no control character, space or backslash anywhere.
std::string safe_next(const std::string& next) {
  if (next.size() < 2 || next[0] != '/') return "";
  const auto second = static_cast<unsigned char>(next[1]);
  if (!std::isalnum(second) && second != '-' && second != '_' && second != '.' && second != '~') {
    return "";
  }
  for (const char ch : next) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f || c == '\\') return "";
  }
  return next;
}

nlohmann::json demo_logins(Context& context) {
  nlohmann::json out = nlohmann::json::array();
  if (context.options.demo != DemoMode::on) return out;
  auto lease = context.db.acquire();
  if (!lease.ok()) return out;
  auto rows = (*lease)->query(
      "SELECT u.role, u.email FROM users u WHERE u.email LIKE '%demo.candor.example' ORDER BY "
      "CASE u.role WHEN 'exporter' THEN 0 WHEN 'officer' THEN 1 WHEN 'adviser' THEN 2 ELSE 3 "
      "END, u.email");
  if (!rows.ok()) return out;
  for (const auto& row : *rows) {
    auto role = row.get<std::string>(0);
    auto email = row.get<std::string>(1);
    if (role.ok() && email.ok()) out.push_back({{"role", role.value()}, {"email", email.value()}});
  }
  return out;
}

void show_login(const httplib::Request& request, httplib::Response& response, Context& context,
                const std::string& email, const std::string& next, const std::string& error,
                int status) {
  const std::string csrf = licensing::random_token();
  response.set_header("Set-Cookie",
                      cookie_header(request, context, kLoginCsrfCookie, csrf, kLoginCsrfSeconds));
  const auto logins = demo_logins(context);
  PageChrome chrome{"Sign in", context.options.demo == DemoMode::on};
  chrome.has_error = !error.empty();
  auto html = render_page("login.html",
                          {{"csrf", csrf},
                           {"next", next},
                           {"email", email},
                           {"error", error},
                           {"demo_logins", logins},
                           {"has_demo_logins", !logins.empty()},
                           {"demo_password", "demo-password"}},
                          chrome);
  response.status = status;
  response.set_header("Cache-Control", "no-store");
  response.set_content(html.ok() ? html.value() : "Internal error", "text/html; charset=utf-8");
}

}  // namespace

void get_login(const httplib::Request& request, httplib::Response& response, Context& context) {
  if (auto visitor = find_visitor(request, context)) {
    redirect(response, std::string(licensing::home_path(visitor->session.user.role)));
    return;
  }
  show_login(request, response, context, "", safe_next(request.get_param_value("next")), "", 200);
}

void post_login(const httplib::Request& request, httplib::Response& response, Context& context) {
  const Form form = form_of(request);
  const std::string email = form.get("email");
  const std::string next = safe_next(form.get("next"));
  const std::string expected = cookie_value(request.get_header_value("Cookie"), kLoginCsrfCookie);
  if (!same_token(expected, form.get("csrf_token"))) {
    show_login(request, response, context, email, next,
               "The sign-in form had expired. Enter your details again.", 403);
    return;
  }
  if (email.empty() || form.get("password").empty()) {
    show_login(request, response, context, email, next, "Enter your e-mail address and password",
               400);
    return;
  }
  auto session = context.accounts.sign_in(email, form.get("password"), client_of(request, context));
  if (!session.ok()) {
    const ErrorKind kind = session.error().kind();
    if (kind == ErrorKind::resource_exhausted) response.set_header("Retry-After", "900");
    if (kind == ErrorKind::unavailable) response.set_header("Retry-After", "5");
    const std::string message = kind == ErrorKind::invalid_argument
                                    ? "Enter an e-mail address of at most 254 characters"
                                    : session.error().message();
    show_login(request, response, context, kind == ErrorKind::invalid_argument ? "" : email, next,
               message, http_status(kind));
    return;
  }
  response.set_header("Set-Cookie", cookie_header(request, context, kSessionCookie, session->token,
                                                  kSessionSeconds));
  redirect(response, next.empty() ? std::string(licensing::home_path(session->user.role)) : next);
}

void post_logout(const httplib::Request& request, httplib::Response& response, Context& context) {
  auto visitor = find_visitor(request, context);
  if (visitor) {
    if (!check_form_csrf(request, response, context, *visitor,
                         form_of(request).get("csrf_token"))) {
      return;
    }
    (void)context.accounts.sign_out(visitor->session.token);
  }
  response.set_header("Set-Cookie", cookie_header(request, context, kSessionCookie, "", 0));
  redirect(response, "/");
}

}  // namespace candor::web
