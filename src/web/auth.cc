#include "web/auth.h"

#include <sodium.h>

#include <algorithm>

#include "web/respond.h"

namespace candor::web {

Result<std::optional<Visitor>> lookup_visitor(const httplib::Request& request, Context& context) {
  std::string token;
  bool bearer = false;
  const std::string authorization = request.get_header_value("Authorization");
  if (authorization.starts_with("Bearer ")) {
    token = authorization.substr(7);
    bearer = true;
  } else {
    token = cookie_value(request.get_header_value("Cookie"), kSessionCookie);
  }
  if (token.empty()) return std::optional<Visitor>();
  auto session = context.accounts.session(token);
  if (!session.ok()) {
    // Only a session that is not (or no longer) valid means signed out. A database that
    // cannot answer is an error of its own: the visitor is not told to sign in again.
    if (session.error().kind() == ErrorKind::unauthenticated) return std::optional<Visitor>();
    return std::move(session).error();
  }
  return std::optional<Visitor>(Visitor{std::move(session).value(), bearer});
}

std::optional<Visitor> find_visitor(const httplib::Request& request, Context& context) {
  auto visitor = lookup_visitor(request, context);
  return visitor.ok() ? std::move(visitor).value() : std::nullopt;
}

std::optional<Visitor> page_visitor(const httplib::Request& request, httplib::Response& response,
                                    Context& context) {
  auto found = lookup_visitor(request, context);
  if (!found.ok()) {
    respond_error(request, response, context, found.error());
    return std::nullopt;
  }
  auto visitor = std::move(found).value();
  if (!visitor) {
    std::string next = request.path;
    redirect(response, "/login?next=" + url_encode(next));
  }
  return visitor;
}

std::optional<Visitor> api_visitor(const httplib::Request& request, httplib::Response& response,
                                   Context& context) {
  auto found = lookup_visitor(request, context);
  if (!found.ok()) {
    respond_error(request, response, context, found.error());
    return std::nullopt;
  }
  auto visitor = std::move(found).value();
  if (!visitor) {
    respond_error(request, response, context,
                  Error(ErrorKind::unauthenticated,
                        "Sign in first: POST /api/v1/session, then send the token as "
                        "'Authorization: Bearer <token>'."));
  }
  return visitor;
}

bool same_token(std::string_view expected, std::string_view presented) {
  return !expected.empty() && expected.size() == presented.size() &&
         sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

bool check_form_csrf(const httplib::Request& request, httplib::Response& response, Context& context,
                     const Visitor& visitor, const std::string& presented) {
  if (same_token(visitor.session.csrf_token, presented)) return true;
  respond_error(request, response, context,
                Error::permission_denied(
                    "The form had expired or did not come from this site. Go back, reload the "
                    "page and try again."));
  return false;
}

bool check_api_csrf(const httplib::Request& request, httplib::Response& response, Context& context,
                    const Visitor& visitor) {
  if (visitor.bearer) return true;
  return check_form_csrf(request, response, context, visitor,
                         request.get_header_value("X-CSRF-Token"));
}

std::string cookie_header(const httplib::Request& request, Context& context, std::string_view name,
                          std::string_view value, long max_age_seconds) {
  const bool secure =
      context.options.secure_cookies || request.get_header_value("X-Forwarded-Proto") == "https";
  std::string cookie =
      std::string(name) + "=" + std::string(value) +
      "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_seconds);
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string client_of(const httplib::Request& request, const Context& context) {
  const auto& proxies = context.options.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), request.remote_addr) == proxies.end()) {
    return request.remote_addr;
  }
  // The proxy appends the address it received the request from; what comes before may be
  // written by the client and is not trusted.
  const std::string forwarded = request.get_header_value("X-Forwarded-For");
  const std::size_t comma = forwarded.rfind(',');
  std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
  const auto begin = last.find_first_not_of(" \t");
  const auto end = last.find_last_not_of(" \t");
  if (begin == std::string::npos) return request.remote_addr;
  return last.substr(begin, end - begin + 1);
}

bool is_loopback(const std::string& address) {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

Form form_of(const httplib::Request& request) {
  if (request.is_multipart_form_data()) {
    Form form;
    for (const auto& [name, part] : request.files) {
      if (part.filename.empty()) form.add(name, part.content);
    }
    return form;
  }
  return Form::parse(request.body);
}

void redirect(httplib::Response& response, const std::string& location) {
  response.status = 303;
  response.set_header("Location", location);
}

}  // namespace candor::web
