// docs/openapi.yaml and the route table agree: every documented operation is served, and every
// API route is documented.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <regex>

#include "web/routes.h"

namespace candor::web {
namespace {

std::string concrete(std::string path) {
  path = std::regex_replace(path, std::regex("\\{reference\\}"), "C-2026-0001");
  return std::regex_replace(path, std::regex("\\{id\\}"), "7");
}

bool served(Method method, const std::string& path) {
  for (const auto& route : route_table()) {
    if (route.method == method && std::regex_match(path, std::regex(std::string(route.pattern)))) {
      return true;
    }
  }
  return false;
}

TEST(OpenApi, EveryDocumentedOperationIsServedAndEveryApiRouteDocumented) {
  const YAML::Node doc = YAML::LoadFile(std::string(CANDOR_SOURCE_DIR) + "/docs/openapi.yaml");
  std::vector<std::pair<Method, std::string>> documented;
  for (const auto& path : doc["paths"]) {
    const std::string template_path = path.first.as<std::string>();
    for (const auto& op : path.second) {
      const std::string verb = op.first.as<std::string>();
      if (verb != "get" && verb != "post") continue;
      const Method method = verb == "get" ? Method::get : Method::post;
      documented.emplace_back(method, concrete(template_path));
      EXPECT_TRUE(served(method, concrete(template_path))) << verb << " " << template_path;
    }
  }
  for (const auto& route : route_table()) {
    if (!std::string_view(route.pattern).starts_with("/api/v1/")) continue;
    const std::regex pattern{std::string(route.pattern)};
    const bool found = std::any_of(documented.begin(), documented.end(), [&](const auto& d) {
      return d.first == route.method && std::regex_match(d.second, pattern);
    });
    EXPECT_TRUE(found) << route.pattern << " is not in docs/openapi.yaml";
  }
}

}  // namespace
}  // namespace candor::web
