#include "store/pool.h"

namespace candor::store {

PooledDatabase::PooledDatabase(std::size_t max_connections, std::chrono::milliseconds wait,
                               std::unique_ptr<Connection> first)
    : max_connections_(max_connections), wait_(wait) {
  idle_.push_back(std::move(first));
  open_count_ = 1;
}

Result<Lease> PooledDatabase::acquire() {
  std::unique_lock lock(mutex_);
  const bool ready = available_.wait_for(
      lock, wait_, [this] { return !idle_.empty() || open_count_ < max_connections_; });
  if (!ready) return Error::unavailable("all database connections are in use", describe());
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_count_;
  lock.unlock();
  auto opened = open_connection();
  if (!opened.ok()) {
    std::lock_guard relock(mutex_);
    --open_count_;
    available_.notify_one();
    return std::move(opened).error();
  }
  return Lease(*this, std::move(opened).value());
}

void PooledDatabase::release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection->broken()) {
    // The idle ones were opened before the same outage, so they are closed too rather than
    // each failing a request of its own (libpqxx reconnects many, not all, by itself).
    open_count_ -= 1 + idle_.size();
    idle_.clear();
    connection.reset();
    available_.notify_all();
    return;
  }
  idle_.push_back(std::move(connection));
  available_.notify_one();
}

}  // namespace candor::store
