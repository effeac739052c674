// How Candor reads from a connection, in place of cpp-httplib's own loop: cpp-httplib 0.11
// reads a request line or header of any length into memory, waits for a slow client as long as
// it sends a byte every few seconds, and lets one address hold every worker. This layer bounds
// each of those before a byte reaches cpp-httplib's parser.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <httplib.h>

namespace candor::web {

struct ConnectionLimits {
  // The request line and headers of one request must arrive within this many seconds and
  // bytes; a client that trickles them is disconnected.
  int header_seconds = 10;
  std::size_t header_bytes = std::size_t{64} * 1024;
  // The most bytes one request may send after its headers (body and chunk framing), when it
  // declares no length. Bodies are also counted as they are read (server.cc); this is the
  // backstop under any encoding, and bounds what a parser buffers before anyone counts it.
  std::size_t body_bytes = std::size_t{7} * 1024 * 1024;
  // The same for a body that declares its length: one declared too long is read and dropped
  // up to this much, so that a browser uploading a file over the limit is shown the error
  // page rather than a reset connection. Nothing of it is kept.
  std::size_t declared_body_bytes = std::size_t{64} * 1024 * 1024;
  // Connections one address may hold open at once; 0 for no limit. Addresses listed here (a
  // reverse proxy carrying many clients) are not limited.
  int per_address = 32;
  std::vector<std::string> unlimited_addresses;
  // Per read or write, while a request is under way.
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 10;
  // How long a kept-alive connection may sit idle between requests.
  int idle_timeout_seconds = 5;
  std::size_t keep_alive_requests = 100;
};

// cpp-httplib's server with Candor's connection handling.
class GuardedServer final : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits) : limits_(std::move(limits)) {}

  // Called from the pre-routing handler once a request's headers are parsed: the rest of the
  // request is its body, under the body budget (the declared one when `declared_length`).
  static void headers_done(bool declared_length);
  // Called when a request's body was refused before all of it was read: the connection is
  // closed after the answer, since what remains of the body cannot be told from a request.
  static void close_after_answer();

  // Connections open now from `address` (for tests and logs).
  int open_from(const std::string& address);

 private:
  bool process_and_close_socket(socket_t sock) override;
  bool admit(const std::string& address);
  void release(const std::string& address);

  ConnectionLimits limits_;
  std::mutex mutex_;
  std::map<std::string, int, std::less<>> open_;
};

}  // namespace candor::web
