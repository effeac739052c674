// Where the server listens: "127.0.0.1:8080", "localhost:0", "[::1]:8080". Port 0 asks the
// system for a free port (tests use it).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace candor::web {

struct ListenAddress {
  std::string host;
  int port = 8080;

  // Errors: invalid_argument naming what is wrong.
  static Result<ListenAddress> parse(std::string_view text);
};

}  // namespace candor::web
