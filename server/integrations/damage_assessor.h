#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/claim_rules.h"

// A model that looks at an evidence photo and says whether it shows damage. Its answer is one
// input of a claim's adjudication (domain/claim_rules.h), never the decider alone. The HTTP one
// (integrations/http_damage_assessor.h) calls a model the operator runs; the sandbox one is for
// demos and tests. Neither is a default: without one, damage claims wait for a person.
namespace returns::integrations {

// One complete photo of a claim.
struct AssessmentRequest {
  std::string merchant_id;
  std::string claim_id;
  std::string claim_type;  // "DAMAGED", "WRONG_ITEM", ...
  std::string evidence_id;
  std::string content_type;  // sniffed from the bytes: image/jpeg, image/png, ...
  std::string sha256;        // lower-case hex of `bytes`
  absl::string_view bytes;
};

class DamageAssessor {
 public:
  virtual ~DamageAssessor() = default;
  // Assesses one complete photo. Errors follow carrier.h: UNAVAILABLE, DEADLINE_EXCEEDED,
  // RESOURCE_EXHAUSTED and INTERNAL are retried by the durable job; anything else is final, and
  // the photo stays unassessed (label "unclear"), which can only send the claim to a person.
  virtual absl::StatusOr<Assessment> Assess(const AssessmentRequest& request) = 0;
  // Whether it calls another system. One that does is asked by a durable job after the upload
  // commits (JOB_KIND_ASSESS_EVIDENCE); one that does not is asked inside the upload's
  // transaction.
  virtual bool CallsOut() const = 0;
};

// Deterministic, for tests and demos: a photo whose bytes contain the marker "sandbox:no-damage"
// is no_damage_visible (900/1000), one with "sandbox:unclear" is unclear (400/1000), and any
// other is damage_visible with a confidence of 800 to 899 taken from its SHA-256. Model version
// "sandbox-damage/1".
class SandboxDamageAssessor : public DamageAssessor {
 public:
  absl::StatusOr<Assessment> Assess(const AssessmentRequest& request) override;
  bool CallsOut() const override { return false; }
};

}  // namespace returns::integrations
