// Connections opened on demand up to a limit and handed to one thread at a time: what both
// backends' Database share. Internal to store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/database.h"

namespace candor::store {

class PooledDatabase : public Database {
 public:
  // Waits up to `wait` for a free connection. Errors: unavailable when none frees up, or as
  // open_connection.
  Result<Lease> acquire() override;

 protected:
  PooledDatabase(std::size_t max_connections, std::chrono::milliseconds wait,
                 std::unique_ptr<Connection> first);
  virtual Result<std::unique_ptr<Connection>> open_connection() = 0;

 private:
  void release(std::unique_ptr<Connection> connection) override;

  const std::size_t max_connections_;
  const std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  std::size_t open_count_ = 0;                     // GUARDED_BY(mutex_)
};

}  // namespace candor::store
