// The Standard Webhooks signing scheme against the scheme's published test vector, so receivers
// using any conforming library accept our signatures.
#include "domain/webhook_signature.h"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_split.h"

namespace returns {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

constexpr absl::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr absl::string_view kMsgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kTimestamp = 1614265330;
constexpr absl::string_view kBody = R"({"test": 2432232314})";
constexpr absl::string_view kExpected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(WebhookSignatureTest, MatchesThePublishedTestVector) {
  absl::StatusOr<std::string> key = WebhookSigningKey(kSecret);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->size(), 24u);
  EXPECT_EQ(WebhookSignature(*key, kMsgId, kTimestamp, kBody), kExpected);
}

TEST(WebhookSignatureTest, PrefixIsOptional) {
  absl::StatusOr<std::string> with_prefix = WebhookSigningKey(kSecret);
  absl::StatusOr<std::string> without_prefix = WebhookSigningKey(kSecret.substr(6));
  ASSERT_TRUE(with_prefix.ok());
  ASSERT_TRUE(without_prefix.ok());
  EXPECT_EQ(*with_prefix, *without_prefix);
}

TEST(WebhookSignatureTest, AnyChangeChangesTheSignature) {
  const std::string key = *WebhookSigningKey(kSecret);
  EXPECT_NE(WebhookSignature(key, "msg_other", kTimestamp, kBody), kExpected);
  EXPECT_NE(WebhookSignature(key, kMsgId, kTimestamp + 1, kBody), kExpected);
  EXPECT_NE(WebhookSignature(key, kMsgId, kTimestamp, R"({"test": 2432232315})"), kExpected);
  const std::string other_key = *WebhookSigningKey(NewWebhookSecret());
  EXPECT_NE(WebhookSignature(other_key, kMsgId, kTimestamp, kBody), kExpected);
}

TEST(WebhookSignatureTest, HeaderHasOneSignaturePerKeyInOrder) {
  const std::string old_key = *WebhookSigningKey(kSecret);
  const std::string new_key = *WebhookSigningKey(NewWebhookSecret());
  const std::string header = WebhookSignatureHeader({new_key, old_key}, kMsgId, kTimestamp, kBody);
  std::vector<std::string> parts = absl::StrSplit(header, ' ');
  EXPECT_THAT(parts, ElementsAre(WebhookSignature(new_key, kMsgId, kTimestamp, kBody),
                                 std::string(kExpected)));
  EXPECT_EQ(WebhookSignatureHeader({old_key}, kMsgId, kTimestamp, kBody), kExpected);
}

TEST(WebhookSignatureTest, NewSecretsRoundTripAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string secret = NewWebhookSecret();
    EXPECT_THAT(secret, StartsWith("whsec_"));
    EXPECT_EQ(secret.size(), 6u + 44u);  // 32 bytes in padded base64
    absl::StatusOr<std::string> key = WebhookSigningKey(secret);
    ASSERT_TRUE(key.ok()) << secret << ": " << key.status();
    EXPECT_EQ(key->size(), 32u);
    EXPECT_TRUE(seen.insert(secret).second);
  }
}

TEST(WebhookSignatureTest, BadSecretsAreRefused) {
  const std::vector<std::string> bad = {
      "",
      "whsec_",
      "whsec_c2hvcnQ=",                              // base64 of "short": 5 bytes
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaQ=",      // 23 bytes
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",       // not a whole base64 quantum
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!",      // not base64
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ",     // trailing space
      "whsec_MfKQ9r8GKYqrTwjUPD8I LPZIo2LaLaSw",     // inner space
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",    // trailing newline
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La==Sw",      // padding too early
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw====",  // too much padding
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-_",      // base64url alphabet
  };
  for (const std::string& secret : bad) {
    absl::StatusOr<std::string> key = WebhookSigningKey(secret);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << "'" << secret << "'";
  }
}

}  // namespace
}  // namespace returns
