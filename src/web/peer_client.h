// Talking to another Candor: a base URL that may carry a path ("https://host/candor"), and
// the HTTP transport the exchange between authorities sends its envelopes with.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "licensing/exchange.h"
#include "register/verify.h"

namespace httplib {
class Client;
}

namespace candor::web {

struct BaseUrl {
  std::string origin;  // "https://host:8443"
  std::string prefix;  // "/candor", or empty; never ends in '/'.
};

// Errors: invalid_argument for a URL that is not http(s):// with a host.
Result<BaseUrl> split_base_url(const std::string& url);

// A client for `url`'s origin with Candor's timeouts, never following redirects (a peer
// answers itself or not at all). Errors: as split_base_url.
Result<std::unique_ptr<httplib::Client>> client_for(const BaseUrl& url, int connect_seconds,
                                                    int read_seconds);

// A register over HTTP(S), for `candor register verify` and the aggregator's monitor.
class HttpRemote final : public reg::Remote {
 public:
  // Errors: invalid_argument for a URL that is not http(s):// with a host.
  static Result<std::unique_ptr<HttpRemote>> connect(const std::string& url);
  // Errors: unavailable when unreachable, not 200, or larger than answer_limit.
  Result<std::string> get(const std::string& path_and_query) override;
  // The most bytes an answer to `path` may have.
  static std::size_t answer_limit(std::string_view path);

 private:
  HttpRemote(std::string url, std::unique_ptr<httplib::Client> client, std::string prefix);
  std::string url_;
  std::unique_ptr<httplib::Client> client_;
  std::string prefix_;
};

class HttpTransport final : public licensing::Transport {
 public:
  Result<licensing::PostAnswer> post(const licensing::Peer& peer,
                                     const std::string& envelope) override;
};

}  // namespace candor::web
