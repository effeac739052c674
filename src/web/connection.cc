#include "web/connection.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>

namespace candor::web {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string peer_address(socket_t sock) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(sock, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "";
  std::array<char, NI_MAXHOST> host{};
  if (getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host.data(), host.size(), nullptr,
                  0, NI_NUMERICHOST) != 0) {
    return "";
  }
  std::string text(host.data());
  // An IPv4 client of a dual-stack socket is one address, however it is written.
  if (text.rfind("::ffff:", 0) == 0 && text.find('.') != std::string::npos) text.erase(0, 7);
  return text;
}

// Waits for `events` on `sock` for up to `timeout_ms`; true when they came.
bool wait_for(socket_t sock, short events, int timeout_ms) {
  pollfd fd{sock, events, 0};
  for (;;) {
    const int ready = poll(&fd, 1, std::max(timeout_ms, 0));
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0 && (fd.revents & (events | POLLHUP | POLLERR)) != 0;
  }
}

// A buffered socket stream whose reads stop at the limits of the phase the request is in.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(socket_t sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

  void begin_request() {
    phase_ = Phase::headers;
    received_ = 0;
    deadline_ = SteadyClock::now() + std::chrono::seconds(limits_.header_seconds);
  }
  void begin_body(bool declared_length) {
    phase_ = Phase::body;
    received_ = 0;
    body_budget_ = declared_length ? limits_.declared_body_bytes : limits_.body_bytes;
  }
  void close_after_answer() { close_ = true; }
  bool must_close() const { return close_; }
  bool has_buffered() const { return offset_ < length_; }

  bool is_readable() const override {
    return has_buffered() || wait_for(sock_, POLLIN, read_wait_ms());
  }
  bool is_writable() const override {
    return wait_for(sock_, POLLOUT, limits_.write_timeout_seconds * 1000);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    if (!has_buffered()) {
      const std::size_t budget = phase_ == Phase::headers ? limits_.header_bytes : body_budget_;
      if (received_ >= budget || (phase_ == Phase::headers && SteadyClock::now() >= deadline_)) {
        close_ = true;
        return -1;
      }
      if (!wait_for(sock_, POLLIN, read_wait_ms())) {
        close_ = true;
        return -1;
      }
      const std::size_t want = std::min(buffer_.size(), budget - received_);
      ssize_t n = 0;
      do {
        n = recv(sock_, buffer_.data(), want, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      offset_ = 0;
      length_ = static_cast<std::size_t>(n);
      received_ += length_;
    }
    const std::size_t n = std::min(size, length_ - offset_);
    std::copy_n(buffer_.data() + offset_, n, ptr);
    offset_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n = 0;
    do {
      n = send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(getsockname, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  enum class Phase { headers, body };

  // While the headers come, no read waits past their deadline.
  int read_wait_ms() const {
    const int per_read = limits_.read_timeout_seconds * 1000;
    if (phase_ != Phase::headers) return per_read;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - SteadyClock::now());
    return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, per_read));
  }

  template <typename Get>
  void address_of(Get get, std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ip.clear();
    port = 0;
    if (get(sock_, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> service{};
    if (getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host.data(), host.size(),
                    service.data(), service.size(), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host.data();
      if (ip.rfind("::ffff:", 0) == 0 && ip.find('.') != std::string::npos) ip.erase(0, 7);
      port = std::atoi(service.data());
    }
  }

  socket_t sock_;
  const ConnectionLimits& limits_;
  std::array<char, std::size_t{16} * 1024> buffer_{};
  std::size_t offset_ = 0;
  std::size_t length_ = 0;
  std::size_t received_ = 0;
  Phase phase_ = Phase::headers;
  std::size_t body_budget_ = 0;
  SteadyClock::time_point deadline_;
  bool close_ = false;
};

// The stream this worker thread is serving: a worker serves one connection at a time.
thread_local GuardedStream* current_stream = nullptr;

void send_all(socket_t sock, const std::string& text) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    if (!wait_for(sock, POLLOUT, 1000)) return;
    const ssize_t n = send(sock, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

void GuardedServer::headers_done(bool declared_length) {
  if (current_stream != nullptr) current_stream->begin_body(declared_length);
}

void GuardedServer::close_after_answer() {
  if (current_stream != nullptr) current_stream->close_after_answer();
}

int GuardedServer::open_from(const std::string& address) {
  const std::lock_guard lock(mutex_);
  const auto it = open_.find(address);
  return it == open_.end() ? 0 : it->second;
}

bool GuardedServer::admit(const std::string& address) {
  if (limits_.per_address <= 0) return true;
  if (std::find(limits_.unlimited_addresses.begin(), limits_.unlimited_addresses.end(), address) !=
      limits_.unlimited_addresses.end()) {
    return true;
  }
  const std::lock_guard lock(mutex_);
  int& open = open_[address];
  if (open >= limits_.per_address) return false;
  ++open;
  return true;
}

void GuardedServer::release(const std::string& address) {
  const std::lock_guard lock(mutex_);
  const auto it = open_.find(address);
  if (it == open_.end()) return;
  if (--it->second <= 0) open_.erase(it);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  int yes = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  const std::string address = peer_address(sock);
  bool served = false;
  if (!admit(address)) {
    const std::string text = "Too many connections from your address. Try again later.\n";
    send_all(sock,
             "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
             "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
                 std::to_string(text.size()) + "\r\n\r\n" + text);
  } else {
    GuardedStream stream(sock, limits_);
    current_stream = &stream;
    for (std::size_t left = limits_.keep_alive_requests; left > 0; --left) {
      // Idle until the next request, in short steps so that a stopping server is not held.
      bool ready = stream.has_buffered();
      for (int waited = 0; !ready && waited < limits_.idle_timeout_seconds * 1000; waited += 100) {
        if (svr_sock_ == INVALID_SOCKET) break;
        ready = wait_for(sock, POLLIN, 100);
      }
      if (!ready || svr_sock_ == INVALID_SOCKET) break;
      stream.begin_request();
      bool closed = false;
      served = process_request(stream, left == 1, closed, nullptr);
      if (!served || closed || stream.must_close()) break;
    }
    current_stream = nullptr;
    release(address);
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return served;
}

}  // namespace candor::web
