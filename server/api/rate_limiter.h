#pragma once

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace returns::api {

// A token bucket per API key, in this process: `per_second` calls on average, bursts up to
// `burst`. Each replica limits on its own, so N replicas admit up to N times the rate.
class RateLimiter {
 public:
  // per_second <= 0 switches limiting off.
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Takes a token for `key_id`: OK, or RESOURCE_EXHAUSTED (reason RATE_LIMITED) with
  // metadata retry_delay_ms, how long until a token is back.
  absl::Status Admit(const std::string& key_id, absl::Time now);

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
  };
  const double per_second_;
  const double burst_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace returns::api
