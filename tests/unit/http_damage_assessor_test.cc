// The damage assessor's HTTP contract (docs/integrations.md): what is sent and which answers are
// taken. The calls themselves are in tests/e2e/damage_assessor_e2e_test.cc.
#include "integrations/http_damage_assessor.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"

namespace returns::integrations {
namespace {

TEST(HttpDamageAssessorTest, TheRequestCarriesThePhotoAndWhatItBelongsTo) {
  const std::string bytes("\x89PNG\r\n\x1a\n\0\xff", 10);
  const nlohmann::json body = nlohmann::json::parse(HttpDamageAssessor::RequestBody(
      {"m-1", "c-1", "DAMAGED", "e-1", "image/png", "abc123", bytes}));
  EXPECT_EQ(body["merchant_id"], "m-1");
  EXPECT_EQ(body["claim_id"], "c-1");
  EXPECT_EQ(body["claim_type"], "DAMAGED");
  EXPECT_EQ(body["evidence_id"], "e-1");
  EXPECT_EQ(body["content_type"], "image/png");
  EXPECT_EQ(body["sha256"], "abc123");
  EXPECT_EQ(body["size_bytes"], 10);
  std::string decoded;
  ASSERT_TRUE(absl::Base64Unescape(body["image_base64"].get<std::string>(), &decoded));
  EXPECT_EQ(decoded, bytes);
}

TEST(HttpDamageAssessorTest, AnAnswerInTheContractBecomesAnAssessment) {
  auto seen = HttpDamageAssessor::ParseAnswer(
      R"({"label": "damage_visible", "confidence": 0.8765, "model_version": "vision/7",
          "extra": "ignored"})");
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->label, "damage_visible");
  EXPECT_EQ(seen->confidence_milli, 877);
  EXPECT_EQ(seen->model_version, "vision/7");
  seen = HttpDamageAssessor::ParseAnswer(
      R"({"label": "unclear", "confidence": 1, "model_version": "m"})");
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->confidence_milli, 1000);
}

TEST(HttpDamageAssessorTest, AnAnswerOutsideTheContractIsRefusedNamingWhatIsWrong) {
  const struct {
    const char* body;
    const char* names;
  } cases[] = {
      {"", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {R"({"label": "damaged", "confidence": 0.5, "model_version": "m"})", "label"},
      {R"({"confidence": 0.5, "model_version": "m"})", "label"},
      {R"({"label": "unclear", "confidence": 1.5, "model_version": "m"})", "confidence"},
      {R"({"label": "unclear", "confidence": -0.1, "model_version": "m"})", "confidence"},
      {R"({"label": "unclear", "confidence": "0.5", "model_version": "m"})", "confidence"},
      {R"({"label": "unclear", "confidence": 0.5, "model_version": ""})", "model_version"},
      {R"({"label": "unclear", "confidence": 0.5, "model_version": "a\nb"})", "model_version"},
      {R"({"label": "unclear", "confidence": 0.5})", "model_version"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto seen = HttpDamageAssessor::ParseAnswer(c.body);
    ASSERT_FALSE(seen.ok());
    EXPECT_EQ(seen.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(seen.status().message().find(c.names), absl::string_view::npos)
        << seen.status().message();
  }
}

TEST(HttpDamageAssessorTest, AnAssessorThatCannotBeReachedIsRetriedNotFinal) {
  // Port 1 of loopback refuses the connection: UNAVAILABLE, which the job retries.
  HttpDamageAssessor assessor("http://127.0.0.1:1/assess", "secret-token", HttpLimits{},
                              DestinationRule::kAllowHttpAndLoopback);
  const std::string bytes = "image";
  auto seen = assessor.Assess({"m", "c", "DAMAGED", "e", "image/png", "x", bytes});
  ASSERT_FALSE(seen.ok());
  EXPECT_EQ(seen.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(seen.status().message().find("secret-token"), absl::string_view::npos);
}

TEST(HttpDamageAssessorTest, APrivateAddressIsRefusedInProduction) {
  HttpDamageAssessor assessor("https://10.0.0.8/assess", "", HttpLimits{},
                              DestinationRule::kPublicHttpsOnly);
  const std::string bytes = "image";
  auto seen = assessor.Assess({"m", "c", "DAMAGED", "e", "image/png", "x", bytes});
  ASSERT_FALSE(seen.ok());
  EXPECT_EQ(seen.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace returns::integrations
