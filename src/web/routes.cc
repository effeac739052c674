#include "web/routes.h"

#include "web/handlers/app.h"
#include "web/handlers/system.h"

namespace candor::web {

// Case references look like C-2026-0001; operations on a case are one word, optionally
// followed by /{id}/{verb} (items/3/remove, hits/7/clear, advice/2/answer).
#define CANDOR_CASE R"((C-\d{4}-\d{4,6}))"
#define CANDOR_CASE_OP \
  CANDOR_CASE          \
  R"(/(items|parties|documents|actions|assign|checks|hits|advice|evidence|denials)(?:/(\d{1,18})/(remove|clear|answer))?)"

std::span<const Route> route_table() {
  static constexpr Route kRoutes[] = {
      // The public register first: httplib tries routes in order, and the public pages take
      // the most requests.
      {Method::get, "/register", get_register_search},
      {Method::get, R"(/register/decisions/([A-Za-z0-9._-]{1,120}))", get_register_decision},
      {Method::get, "/register/search.csv", get_register_download},
      {Method::get, "/register/search.json", get_register_download},
      {Method::get, "/register/feed.atom", get_register_feed},
      {Method::get, "/register/statistics", get_register_statistics},
      {Method::get, "/register/report", get_register_report},
      {Method::get, "/register/report.csv", get_register_report},
      {Method::get, "/register/verify", get_register_verify_page},
      {Method::get, "/register/authorities", get_register_authorities},
      {Method::get, "/register/authorities.json", get_register_authorities},
      {Method::get, "/register/key", get_register_key},
      {Method::get, "/register/checkpoint", get_register_checkpoint},
      {Method::get, "/register/entries", get_register_entries},
      {Method::get, "/register/proof/inclusion", get_register_inclusion},
      {Method::get, "/register/proof/consistency", get_register_consistency},

      {Method::get, "/", get_home},
      {Method::get, "/healthz", get_healthz},
      {Method::get, R"(/assets/([a-z0-9-]+\.css))", get_asset},
      {Method::get, "/login", get_login},
      {Method::post, "/login", post_login},
      {Method::post, "/logout", post_logout},
      {Method::get, "/cases", get_cases},
      {Method::post, "/cases", post_cases},
      {Method::get, "/cases/new", get_new_case},
      {Method::get, "/cases/" CANDOR_CASE, get_case},
      {Method::get, "/cases/" CANDOR_CASE "/licence", get_licence},
      {Method::post, "/cases/" CANDOR_CASE_OP, post_case_operation},
      {Method::get, R"(/documents/(\d{1,18}))", get_document},
      {Method::get, "/advice", get_advice_inbox},
      {Method::get, "/exchange", get_exchange},
      {Method::post, R"(/exchange/consultations/(\d{1,18})/answer)", post_consultation_answer},
      {Method::get, "/admin", get_admin},
      {Method::post, "/admin/users", post_admin_users},
      {Method::get, "/admin/audit.csv", get_admin_audit},

      {Method::post, "/api/v1/session", api_post_session},
      {Method::post, "/api/v1/session/end", api_post_logout},
      {Method::get, "/api/v1/me", api_get_me},
      {Method::get, "/api/v1/users", api_get_users},
      {Method::post, "/api/v1/users", api_post_users},
      {Method::get, "/api/v1/cases", api_get_cases},
      {Method::post, "/api/v1/cases", api_post_cases},
      {Method::get, "/api/v1/cases/" CANDOR_CASE, api_get_case},
      {Method::get, "/api/v1/cases/" CANDOR_CASE "/licence", api_get_licence},
      {Method::post, "/api/v1/cases/" CANDOR_CASE "/documents", api_post_document},
      {Method::post, "/api/v1/cases/" CANDOR_CASE_OP, api_post_case_operation},
      {Method::get, R"(/api/v1/documents/(\d{1,18}))", api_get_document},
      {Method::get, "/api/v1/advice", api_get_advice},
      {Method::post, R"(/api/v1/advice/(\d{1,18})/answer)", api_post_advice_answer},
      {Method::post, "/api/v1/evidence", api_post_evidence},
      {Method::get, "/api/v1/audit.csv", api_get_audit},
      {Method::get, "/api/v1/openapi.yaml", api_get_openapi},
      {Method::post, "/api/v1/exchange/messages", post_exchange_message},
      {Method::get, "/api/v1/exchange/key", get_exchange_key},
      {Method::get, "/api/v1/exchange", api_get_exchange},
      {Method::post, R"(/api/v1/consultations/(\d{1,18})/answer)", api_post_consultation_answer},

  };
  return kRoutes;
}

#undef CANDOR_CASE_OP
#undef CANDOR_CASE

}  // namespace candor::web
