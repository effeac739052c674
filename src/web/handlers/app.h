// Handlers for the casework pages (server-rendered, no JavaScript needed) and the JSON API
// under /api/v1/ (docs/openapi.yaml). Both call the same licensing service.
#pragma once

#include <httplib.h>

#include "web/server.h"

namespace candor::web {

#define CANDOR_HANDLER(name) \
  void name(const httplib::Request& request, httplib::Response& response, Context& context)

// Sign-in (handlers/auth.cc)
CANDOR_HANDLER(get_login);
CANDOR_HANDLER(post_login);
CANDOR_HANDLER(post_logout);

// Pages (handlers/case_pages.cc)
CANDOR_HANDLER(get_cases);
CANDOR_HANDLER(get_new_case);
CANDOR_HANDLER(post_cases);
CANDOR_HANDLER(get_case);
CANDOR_HANDLER(post_case_operation);
CANDOR_HANDLER(get_licence);
CANDOR_HANDLER(get_document);
CANDOR_HANDLER(get_advice_inbox);
CANDOR_HANDLER(get_admin);
CANDOR_HANDLER(post_admin_users);
CANDOR_HANDLER(get_admin_audit);

// JSON API (handlers/api.cc)
CANDOR_HANDLER(api_post_session);
CANDOR_HANDLER(api_post_logout);
CANDOR_HANDLER(api_get_me);
CANDOR_HANDLER(api_get_users);
CANDOR_HANDLER(api_post_users);
CANDOR_HANDLER(api_get_cases);
CANDOR_HANDLER(api_post_cases);
CANDOR_HANDLER(api_get_case);
CANDOR_HANDLER(api_post_case_operation);
CANDOR_HANDLER(api_post_document);
CANDOR_HANDLER(api_get_document);
CANDOR_HANDLER(api_get_licence);
CANDOR_HANDLER(api_get_advice);
CANDOR_HANDLER(api_post_advice_answer);
CANDOR_HANDLER(api_post_evidence);
CANDOR_HANDLER(api_get_audit);
CANDOR_HANDLER(api_get_openapi);

// The exchange between authorities (handlers/exchange.cc; the API ones in handlers/api.cc)
CANDOR_HANDLER(post_exchange_message);
CANDOR_HANDLER(get_exchange_key);
CANDOR_HANDLER(get_exchange);
CANDOR_HANDLER(post_consultation_answer);
CANDOR_HANDLER(api_get_exchange);
CANDOR_HANDLER(api_post_consultation_answer);

// The register's machine endpoints (handlers/register.cc)
CANDOR_HANDLER(get_register_key);
CANDOR_HANDLER(get_register_checkpoint);
CANDOR_HANDLER(get_register_entries);
CANDOR_HANDLER(get_register_inclusion);
CANDOR_HANDLER(get_register_consistency);

// The register's public pages, feed and downloads (handlers/public_register.cc)
CANDOR_HANDLER(get_register_search);
CANDOR_HANDLER(get_register_decision);
CANDOR_HANDLER(get_register_download);
CANDOR_HANDLER(get_register_feed);
CANDOR_HANDLER(get_register_statistics);
CANDOR_HANDLER(get_register_report);
CANDOR_HANDLER(get_register_verify_page);
CANDOR_HANDLER(get_register_authorities);

#undef CANDOR_HANDLER

}  // namespace candor::web
