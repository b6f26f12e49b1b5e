#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace returns::api {

absl::Status RateLimiter::Admit(const std::string& key_id, absl::Time now) {
  if (per_second_ <= 0) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = buckets_.try_emplace(key_id, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.refilled));
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
    bucket.refilled = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::OkStatus();
  }
  const int64_t retry_ms = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil((1 - bucket.tokens) / per_second_ * 1000)));
  return ErrorWithReason(
      absl::StatusCode::kResourceExhausted, reason::kRateLimited,
      absl::StrCat("too many calls with this API key; retry in ", retry_ms, " ms"),
      {{"retry_delay_ms", absl::StrCat(retry_ms)}});
}

}  // namespace returns::api
