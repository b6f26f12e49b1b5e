#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "integrations/damage_assessor.h"
#include "integrations/http_client.h"

// A damage model the operator runs, asked over HTTP (returnsd --damage_assessor_url). The
// contract, in docs/integrations.md ("The damage assessor"):
//
//   POST <url>   Content-Type: application/json
//                Authorization: Bearer <token>       (when --damage_assessor_token is set)
//                Idempotency-Key: <evidence_id>      (the same on every retry of a photo)
//   {"evidence_id", "claim_id", "merchant_id", "claim_type", "content_type", "size_bytes",
//    "sha256", "image_base64"}
//
//   200 {"label": "damage_visible" | "no_damage_visible" | "unclear",
//        "confidence": 0.0 to 1.0, "model_version": "<1 to 100 printable ASCII characters>"}
//
// Answers, as DamageAssessor's errors: 408, 429 and 5xx are UNAVAILABLE or RESOURCE_EXHAUSTED
// (retried); 401 and 403 FAILED_PRECONDITION (the token is wrong: final, a person decides);
// another status, or a 2xx whose body breaks the contract, INVALID_ARGUMENT (final). Transport
// errors of SendHttp pass through (timeouts and refused connections are retried). Messages hold
// the status and a cleaned, short part of the body; never the token. Thread-safe.
namespace returns::integrations {

class HttpDamageAssessor : public DamageAssessor {
 public:
  // Answers longer than this are refused (the contract's answer is a few hundred bytes).
  static constexpr size_t kMaxAnswerBytes = 16 * 1024;

  HttpDamageAssessor(std::string url, std::string token, HttpLimits limits, DestinationRule rule);

  absl::StatusOr<Assessment> Assess(const AssessmentRequest& request) override;
  bool CallsOut() const override { return true; }

  // The request's JSON body, as sent (for the tests and the docs' example).
  static std::string RequestBody(const AssessmentRequest& request);
  // The contract's answer as an Assessment (confidence in thousandths, rounded), or
  // INVALID_ARGUMENT naming what is wrong.
  static absl::StatusOr<Assessment> ParseAnswer(const std::string& body);

 private:
  std::string url_;
  std::string token_;
  HttpLimits limits_;
  DestinationRule rule_;
};

}  // namespace returns::integrations
