#include "api/rate_limiter.h"

#include <gtest/gtest.h>

#include "domain/errors.h"

namespace returns::api {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

TEST(RateLimiterTest, AdmitsTheBurstThenRefusesWithRetryAdvice) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit("k", kStart).ok()) << i;
  absl::Status refused = limiter.Admit("k", kStart);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused), "RATE_LIMITED");
  EXPECT_EQ(MetadataOf(refused)["retry_delay_ms"], "500");
}

TEST(RateLimiterTest, RefillsAtTheRateAndKeepsKeysApart) {
  RateLimiter limiter(2, 1);
  EXPECT_TRUE(limiter.Admit("a", kStart).ok());
  EXPECT_FALSE(limiter.Admit("a", kStart + absl::Milliseconds(100)).ok());
  EXPECT_TRUE(limiter.Admit("b", kStart).ok());  // another key has its own bucket
  EXPECT_TRUE(limiter.Admit("a", kStart + absl::Milliseconds(600)).ok());
}

TEST(RateLimiterTest, ZeroRateMeansNoLimit) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Admit("k", kStart).ok());
}

}  // namespace
}  // namespace returns::api
