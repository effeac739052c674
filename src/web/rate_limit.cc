#include "web/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace candor::web {

int RateLimiter::take(const std::string& client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  // Many addresses over time (a scan, IPv6 privacy addresses): buckets that would be full
  // again anyway are dropped, so memory follows the clients active in the last seconds.
  if (buckets_.size() > 50'000) {
    const auto full_after = std::chrono::duration<double>(burst_ / per_second_);
    std::erase_if(buckets_, [&](const auto& entry) {
      return now - entry.second.updated > std::chrono::duration_cast<Clock::duration>(full_after);
    });
  }
  auto [it, added] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!added) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * per_second_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_second_)));
}

}  // namespace candor::web
