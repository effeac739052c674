#include "web/listen_address.h"

#include <algorithm>
#include <charconv>

namespace candor::web {

Result<ListenAddress> ListenAddress::parse(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Error::invalid_argument("'" + std::string(text) +
                                   "' is not HOST:PORT: " + std::string(why));
  };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("the port is missing");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad("write an IPv6 host in brackets, as [::1]:8080");
  }
  if (host.empty()) return bad("the host is missing");
  const bool host_ok = std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == ':';
  });
  if (!host_ok) return bad("the host has characters no host name or address has");
  int port = -1;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  return ListenAddress{std::string(host), port};
}

}  // namespace candor::web
