// Who is asking: the session from the session cookie (pages) or a bearer token (API), and the
// CSRF rule that protects every state-changing form.
//
// Cookies are HttpOnly and SameSite=Lax, and Secure when the server runs behind TLS
// (--secure-cookies, or a proxy saying X-Forwarded-Proto: https). A form POST must carry the
// session's CSRF token in the field csrf_token; an API call authenticated by the cookie must
// carry it in X-CSRF-Token; a bearer token is not sent by browsers on their own, so needs none.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "licensing/accounts.h"
#include "web/form.h"
#include "web/server.h"

namespace candor::web {

inline constexpr std::string_view kSessionCookie = "candor_session";
inline constexpr std::string_view kLoginCsrfCookie = "candor_login_csrf";

struct Visitor {
  licensing::Session session;
  bool bearer = false;
};

// The signed-in visitor, or nullopt for none. Errors: what the database meets looking the
// session up (unavailable while it is down), which is not the same as being signed out.
Result<std::optional<Visitor>> lookup_visitor(const httplib::Request& request, Context& context);
// The same, an error taken as signed out (for pages that only adapt to a visitor).
std::optional<Visitor> find_visitor(const httplib::Request& request, Context& context);

// For pages: the visitor, or a redirect to the sign-in page (or the error page, when the
// session cannot be looked up) written into `response`.
std::optional<Visitor> page_visitor(const httplib::Request& request, httplib::Response& response,
                                    Context& context);
// For the API: the visitor, or a 401 JSON error (503 when the database is down) written
// into `response`.
std::optional<Visitor> api_visitor(const httplib::Request& request, httplib::Response& response,
                                   Context& context);

// True when the token presented matches, compared in constant time.
bool same_token(std::string_view expected, std::string_view presented);
// Checks a form POST's csrf_token field. Writes a 403 page and returns false when it fails.
bool check_form_csrf(const httplib::Request& request, httplib::Response& response, Context& context,
                     const Visitor& visitor, const std::string& presented);
// Checks an API POST: bearer tokens pass; cookie sessions need X-CSRF-Token.
bool check_api_csrf(const httplib::Request& request, httplib::Response& response, Context& context,
                    const Visitor& visitor);

std::string cookie_header(const httplib::Request& request, Context& context, std::string_view name,
                          std::string_view value, long max_age_seconds);

// The client, for sign-in rate limiting: the peer address.
// The client's address: the peer's, or, when the peer is a trusted proxy, the last address
// its X-Forwarded-For adds.
std::string client_of(const httplib::Request& request, const Context& context);
// 127.0.0.0/8, ::1 and their IPv4-mapped forms.
bool is_loopback(const std::string& address);

// A urlencoded POST body, or the text fields of a multipart one.
Form form_of(const httplib::Request& request);

void redirect(httplib::Response& response, const std::string& location);

}  // namespace candor::web
