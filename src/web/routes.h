// The route table: every URL Candor serves, in one place (see routes.cc).
#pragma once

#include <span>
#include <string_view>

#include <httplib.h>

#include "web/server.h"

namespace candor::web {

enum class Method { get, post };

using Handler = void (*)(const httplib::Request&, httplib::Response&, Context&);

struct Route {
  Method method;
  std::string_view pattern;  // A cpp-httplib pattern: a literal path or a regular expression.
  Handler handler;
};

std::span<const Route> route_table();

}  // namespace candor::web
