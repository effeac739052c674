// Requests per client address: a token bucket each, refilled at `per_second` up to `burst`.
// A client past its bucket gets 429 with the seconds to wait. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace candor::web {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Takes one request from `client`'s bucket. Returns 0 when allowed, else the whole seconds
  // until one is free (at least 1).
  int take(const std::string& client, Clock::time_point now);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  const double per_second_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace candor::web
