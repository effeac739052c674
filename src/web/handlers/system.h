// Handlers for the service itself: health check, home page, static assets.
#pragma once

#include <httplib.h>

#include "web/server.h"

namespace candor::web {

void get_healthz(const httplib::Request& request, httplib::Response& response, Context& context);
void get_home(const httplib::Request& request, httplib::Response& response, Context& context);
void get_asset(const httplib::Request& request, httplib::Response& response, Context& context);

}  // namespace candor::web
