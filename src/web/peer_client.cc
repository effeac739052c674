#include "web/peer_client.h"

#include <httplib.h>

namespace candor::web {

Result<BaseUrl> split_base_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0)) {
    return Error::invalid_argument(url + ": must start with http:// or https://");
  }
  const auto path_start = url.find('/', scheme_end + 3);
  BaseUrl out;
  out.origin = url.substr(0, path_start);
  out.prefix = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  if (out.origin.size() <= scheme_end + 3) return Error::invalid_argument(url + ": no host");
  return out;
}

Result<std::unique_ptr<httplib::Client>> client_for(const BaseUrl& url, int connect_seconds,
                                                    int read_seconds) {
  auto client = std::make_unique<httplib::Client>(url.origin);
  if (!client->is_valid()) return Error::invalid_argument(url.origin + ": not a usable address");
  client->set_connection_timeout(connect_seconds);
  client->set_read_timeout(read_seconds);
  client->set_write_timeout(read_seconds);
  client->set_follow_location(false);
  return client;
}

Result<std::unique_ptr<HttpRemote>> HttpRemote::connect(const std::string& url) {
  const BaseUrl base = CANDOR_TRY(split_base_url(url));
  auto client = CANDOR_TRY(client_for(base, 10, 60));
  return std::unique_ptr<HttpRemote>(new HttpRemote(url, std::move(client), base.prefix));
}

HttpRemote::HttpRemote(std::string url, std::unique_ptr<httplib::Client> client, std::string prefix)
    : url_(std::move(url)), client_(std::move(client)), prefix_(std::move(prefix)) {}

std::size_t HttpRemote::answer_limit(std::string_view path) {
  const auto starts = [&](std::string_view prefix) {
    return path.substr(0, prefix.size()) == prefix;
  };
  if (starts("/register/key")) return std::size_t{16} * 1024;
  if (starts("/register/checkpoint")) return std::size_t{64} * 1024;
  // A slice of up to a thousand entries, each shown twice (bytes and document).
  if (starts("/register/entries")) return std::size_t{64} * 1024 * 1024;
  return std::size_t{1024} * 1024;  // Proofs: a few kilobytes of hashes.
}

Result<std::string> HttpRemote::get(const std::string& path_and_query) {
  // Read as it arrives and stopped at the limit of its kind: a register that answers with
  // gigabytes must not take the memory of the server that mirrors it.
  const std::size_t limit = answer_limit(path_and_query);
  std::string body;
  int status = 0;
  bool too_large = false;
  auto answer = client_->Get(
      prefix_ + path_and_query,
      [&](const httplib::Response& head) {
        status = head.status;
        if (head.has_header("Content-Length") &&
            head.get_header_value<std::uint64_t>("Content-Length") > limit) {
          too_large = true;
          return false;
        }
        return true;
      },
      [&](const char* data, std::size_t n) {
        if (body.size() + n > limit) {
          too_large = true;
          return false;
        }
        body.append(data, n);
        return true;
      });
  if (too_large) {
    return Error::unavailable(url_ + path_and_query + " answered more than " +
                              std::to_string(limit / 1024) + " KB, the most such an answer may be");
  }
  if (!answer) {
    return Error::unavailable("cannot reach " + url_ + ": " + httplib::to_string(answer.error()));
  }
  if (status != 200) {
    return Error::unavailable(url_ + path_and_query + " answered HTTP " + std::to_string(status));
  }
  return body;
}

Result<licensing::PostAnswer> HttpTransport::post(const licensing::Peer& peer,
                                                  const std::string& envelope) {
  const BaseUrl url = CANDOR_TRY(split_base_url(peer.url));
  auto client = CANDOR_TRY(client_for(url, 3, 10));
  auto answer = client->Post(url.prefix + std::string(licensing::kExchangePath), envelope,
                             "application/json");
  if (!answer) {
    return Error::unavailable("cannot reach " + peer.member_state + " at " + peer.url + ": " +
                              httplib::to_string(answer.error()));
  }
  return licensing::PostAnswer{answer->status, answer->body};
}

}  // namespace candor::web
