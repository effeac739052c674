#include "web/routes.h"

#include "web/handlers/system.h"

namespace candor::web {

std::span<const Route> route_table() {
  static constexpr Route kRoutes[] = {
      {Method::get, "/", get_home},
      {Method::get, "/healthz", get_healthz},
      {Method::get, R"(/assets/([a-z0-9-]+\.css))", get_asset},
  };
  return kRoutes;
}

}  // namespace candor::web
